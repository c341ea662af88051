"""AWS's naming rules (platform_constructs/aws/names.py): one passing and one failing case per rule,
through the functions and through the model (the field that produced the name)."""

from __future__ import annotations

import pytest

from platform_constructs.aws.names import (
    MAX_TAGS, ecr_repository_problem, s3_bucket_names, s3_bucket_problem, tag_count_problem,
)
from platform_constructs.spec import SpecError
from tests.helpers import make_spec


@pytest.mark.parametrize("good, bad, words", [
    ("abc", "ab", "between 3 and 63"),
    ("a" * 63, "a" * 64, "between 3 and 63"),
    ("my-bucket.logs", "My-Bucket", "lowercase letters"),
    ("bucket-1", "bucket-", "begin and end"),
    ("a.b.c", "a..b", "two adjacent periods"),
    ("192.168.5.4x", "192.168.5.4", "IP address"),
    ("xn-dev", "xn--dev", "prefix xn--"),
    ("sthree", "sthree-dev", "prefix sthree-"),
    ("amzn-s3-dev", "amzn-s3-demo-dev", "prefix amzn-s3-demo-"),
    ("data-s3alias-x", "data-s3alias", "suffix -s3alias"),
    ("data-ol-s3", "data--ol-s3", "suffix --ol-s3"),
    ("data-mrap", "data.mrap", "suffix .mrap"),
    ("data-x-s3", "data--x-s3", "suffix --x-s3"),
    ("data-table-s3", "data--table-s3", "suffix --table-s3"),
])
def test_s3_bucket_rules(good, bad, words):
    assert s3_bucket_problem(good) is None
    assert words in s3_bucket_problem(bad)


@pytest.mark.parametrize("good, bad, words", [
    ("dev/api", "dev--x/api", "single '.', '_' or '-'"),
    ("dev/team/api.v2_x", "Dev/api", "lowercase"),
    ("ab", "a", "2 to 256"),
    ("a" * 256, "a" * 257, "2 to 256"),
])
def test_ecr_repository_grammar(good, bad, words):
    assert ecr_repository_problem(good) is None
    assert words in ecr_repository_problem(bad)


def test_tag_count():
    assert tag_count_problem(MAX_TAGS) is None
    assert "AWS allows 50" in tag_count_problem(MAX_TAGS + 1)


def test_the_constructs_names_are_checked_with_the_same_rule():
    assert s3_bucket_names("dev", "${acct}", ["app"]) == {"app": "dev-${acct}-app"}
    with pytest.raises(ValueError, match="prefix xn--"):
        s3_bucket_names("xn--dev", "${acct}", ["app"])


def error_of(**override) -> SpecError:
    with pytest.raises(SpecError) as info:
        make_spec(**override)
    return info.value


@pytest.mark.parametrize("override, path, words", [
    ({"name": "xn--dev"}, "name", "prefix xn--"),
    ({"data": {"bucket_prefix": "sthree"}}, "data.bucket_prefix", "prefix sthree-"),
    ({"observability": {"bucket_prefix": "amzn-s3-demo"}}, "observability.bucket_prefix", "prefix amzn-s3-demo-"),
    ({"data": {"buckets": ["app", "s3alias"]}}, "data.buckets.1", "suffix -s3alias"),
    ({"name": "dev--x", "data": {"registry": {"repositories": ["api"]}}}, "name", "ECR repository"),
    ({"tags": {f"k{i}": "v" for i in range(44)}}, "tags", "keep at most 43"),
    ({"backend": {"type": "s3", "bucket": "t-123456789012-app", "region": "us-east-1"}}, "backend.bucket",
     "a bucket this environment creates"),
    ({"backend": {"type": "s3", "bucket": "t-123456789012-mimir-ruler", "region": "us-east-1"}}, "backend.bucket",
     "a bucket this environment creates"),
])
def test_the_model_names_the_field_that_made_the_name(override, path, words):
    err = error_of(**override)
    assert (err.path, words in err.message) == (path, True), str(err)


@pytest.mark.parametrize("override", [
    {"name": "xn-dev"}, {"data": {"bucket_prefix": "three"}}, {"data": {"buckets": ["app", "s3"]}},
    {"name": "dev-x", "data": {"registry": {"repositories": ["api"]}}}, {"tags": {f"k{i}": "v" for i in range(42)}},  # with the base file's one: 43
    {"backend": {"type": "s3", "bucket": "test-state", "region": "us-east-1"}},
])
def test_names_aws_accepts_load(override):
    make_spec(**override)
