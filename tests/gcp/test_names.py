"""GCP's naming rules (platform_constructs/gcp/names.py): one passing and one failing case per rule,
through the functions and through the model (the field that produced the name)."""

from __future__ import annotations

import pytest

from platform_constructs.gcp.names import (
    MAX_LABELS, artifact_registry_repository_problem, bucket_names, gcs_bucket_problem, label_count_problem,
    managed_zone_name, managed_zone_name_problem, project_hash,
)
from platform_constructs.spec import SpecError
from tests.helpers import gcp_spec


@pytest.mark.parametrize("good, bad, words", [
    ("abc", "ab", "use 3-63"),
    ("a" * 63, "a" * 64, "use 3-63"),
    ("a." + "b" * 63, "a." + "b" * 64, "dot-separated part"),
    ("my_bucket-1.x", "My-Bucket", "lowercase letters"),
    ("bucket-1", "bucket_", "start and end"),
    ("a.b-c", "a.-b", "dot next to"),
    ("a.b.c", "a..b", "dot next to"),
    ("10.0.0.1x", "10.0.0.1", "IP address"),
    ("go-og", "goog-dev", "starts with 'goog'"),
    ("acme-goggle", "acme-google", "contains 'google'"),
    ("acme-gooogle", "acme-g00gle", "contains 'g00gle'"),
])
def test_cloud_storage_bucket_rules(good, bad, words):
    assert gcs_bucket_problem(good) is None
    assert words in gcs_bucket_problem(bad)


def test_artifact_registry_repository_ids():
    assert artifact_registry_repository_problem("dev-images") is None
    assert "must be at most 63" in artifact_registry_repository_problem("1dev")


def test_managed_zone_names_are_shortened_with_a_hash_never_cut():
    short = managed_zone_name("dev", "corp.internal")
    assert short == "dev-corp-internal" and managed_zone_name_problem(short) is None
    one, two = (managed_zone_name("dev", "a" * 60 + suffix) for suffix in (".internal", ".example"))
    assert one != two and max(len(one), len(two)) <= 63
    assert managed_zone_name_problem(one) is None and managed_zone_name_problem(two) is None
    assert "managed zone name" in managed_zone_name_problem("1dev")


def test_label_count():
    assert label_count_problem(MAX_LABELS) is None
    assert "GCP allows 64" in label_count_problem(MAX_LABELS + 1)


def test_the_constructs_names_are_checked_with_the_same_rule():
    assert bucket_names("dev", "p-1", ["app"]) == {"app": f"dev-{project_hash('p-1')}-app"}
    with pytest.raises(ValueError, match="starts with 'goog'"):
        bucket_names("goog-dev", "p-1", ["app"])


def error_of(**override) -> SpecError:
    with pytest.raises(SpecError) as info:
        gcp_spec(**override)
    return info.value


STATE = f"t-{project_hash('proj-1')}-backup"


@pytest.mark.parametrize("override, path, words", [
    ({"name": "goog-dev"}, "name", "starts with 'goog'"),
    ({"data": {"bucket_prefix": "my-google"}}, "data.bucket_prefix", "contains 'google'"),
    ({"observability": {"bucket_prefix": "g00gle"}}, "observability.bucket_prefix", "contains 'g00gle'"),
    ({"data": {"buckets": ["app", "google"]}}, "data.buckets.1", "contains 'google'"),
    ({"data": {"buckets": ["data-access-logs"]}}, "data.buckets.0", "access-log bucket"),
    ({"backend": {"type": "gcs", "bucket": STATE}}, "backend.bucket", "a bucket this environment creates"),
    ({"backend": {"type": "gcs", "bucket": "goog-state"}}, "backend.bucket", "starts with 'goog'"),
    ({"network": {"dns": {"private_zone": "corp-x.internal", "public_zone": "corp.x-internal"}}},
     "network.dns.public_zone", "same Cloud DNS managed zone name"),
    ({"tags": {f"k{i}": "v" for i in range(60)}}, "tags", "GCP allows 64"),
])
def test_the_model_names_the_field_that_made_the_name(override, path, words):
    err = error_of(**override)
    assert (err.path, words in err.message) == (path, True), str(err)


@pytest.mark.parametrize("override", [
    {"name": "go-dev"}, {"data": {"bucket_prefix": "goo"}}, {"data": {"buckets": ["app", "goggle"]}},
    {"backend": {"type": "gcs", "bucket": "t-state"}},
    {"network": {"dns": {"private_zone": "corp-x.internal", "public_zone": "corp.example.com"}}},
    {"tags": {f"k{i}": "v" for i in range(59)}},  # with the base file's one: 60, and the platform's 4
])
def test_names_gcp_accepts_load(override):
    gcp_spec(**override)
