"""Names ``cloud: kubernetes`` derives (platform_constructs/generic/names.py): the observability buckets
on an S3-compatible store pass S3's rules, and the state bucket is none of them."""

from __future__ import annotations

import pytest

from platform_constructs.generic.names import checked_bucket_names
from platform_constructs.spec import SpecError, parse_environment
from platform_constructs.spec.observability import ObservabilitySpec
from tests.helpers import kubernetes_doc

STATE = {"type": "s3", "key_prefix": "platform", "region": "us-east-1", "endpoint": "https://s3.example.internal"}


def kubernetes_spec(**override):
    """The helpers' cloud: kubernetes file without ``tags`` (refused there: no effect)."""
    doc = kubernetes_doc(**override)
    doc.pop("tags", None)
    return parse_environment(doc, "test.yaml")


def error_of(**override) -> SpecError:
    with pytest.raises(SpecError) as info:
        kubernetes_spec(**override)
    return info.value


@pytest.mark.parametrize("override, path, words", [
    ({"name": "xn--lab"}, "name", "prefix xn--"),
    ({"observability": {"bucket_prefix": "sthree"}}, "observability.bucket_prefix", "prefix sthree-"),
    ({"backend": {**STATE, "bucket": "k-loki-chunks"}}, "backend.bucket", "an observability bucket"),
])
def test_the_model_names_the_field_that_made_the_name(override, path, words):
    err = error_of(**override)
    assert (err.path, words in err.message) == (path, True), str(err)


@pytest.mark.parametrize("override", [
    {"name": "xn-lab"}, {"observability": {"bucket_prefix": "three"}}, {"backend": {**STATE, "bucket": "k-state"}},
    {"name": "xn--lab", "observability": {"enabled": False, "storage": None},
     "kubernetes": {"storage_classes": {"block": None, "file": None}}},
])
def test_names_s3_compatible_stores_accept_load(override):
    kubernetes_spec(**override)


def test_the_construct_checks_the_names_with_the_same_rule():
    assert checked_bucket_names("lab", ObservabilitySpec())["loki-chunks"] == "lab-loki-chunks"
    with pytest.raises(ValueError, match="prefix xn--"):
        checked_bucket_names("xn--lab", ObservabilitySpec())
