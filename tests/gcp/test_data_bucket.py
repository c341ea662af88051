"""DataBucket: CMEK, private, versioned (or retained), archiving, logged, never force-destroyed."""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_google.provider import GoogleProvider

from platform_constructs.gcp.data_bucket import DataBucket
from tests.helpers import one


def synth_bucket(tmp_path, **props):
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "probe")
    GoogleProvider(stack, "google", project="p-1", region="us-central1")
    DataBucket(stack, "b", **{"name": "env-abc-app", "project": "p-1", "location": "us-central1",
                              "kms_key_id": "k", **props})
    app.synth()
    return one(json.loads(Path(tmp_path, "stacks", "probe", "cdk.tf.json").read_text()), "google_storage_bucket")


def test_defaults_are_private_versioned_cmek_and_protected(tmp_path):
    body = synth_bucket(tmp_path)
    assert body == {**body, "name": "env-abc-app", "project": "p-1", "location": "us-central1",
                    "storage_class": "STANDARD", "uniform_bucket_level_access": True,
                    "public_access_prevention": "enforced", "versioning": {"enabled": True},
                    "encryption": {"default_kms_key_name": "k"}, "force_destroy": False,
                    "lifecycle": {"prevent_destroy": True}}
    assert "retention_policy" not in body and "logging" not in body
    types = [r["action"]["type"] for r in body["lifecycle_rule"]]
    assert types == ["Delete", "AbortIncompleteMultipartUpload"]  # noncurrent versions only: live data stays
    assert body["lifecycle_rule"][0]["condition"]["with_state"] == "ARCHIVED"


def test_archive_retention_and_logging(tmp_path):
    body = synth_bucket(tmp_path, archive_after_days=45, retention_days=7, log_bucket="logs", protect=False)
    assert body["retention_policy"] == {"retention_period": 604800, "is_locked": False}
    assert body["versioning"] == {"enabled": False}
    assert body["lifecycle_rule"] == [
        {"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 1}},
        {"action": {"type": "SetStorageClass", "storage_class": "ARCHIVE"},
         "condition": {"age": 45, "matches_storage_class": ["STANDARD"]}},
    ]
    assert body["logging"] == {"log_bucket": "logs", "log_object_prefix": "env-abc-app"}
    assert body["lifecycle"] == {"prevent_destroy": False}


@pytest.mark.parametrize("props, problem", [
    ({"name": "ab"}, "has 2 characters: use 3-63"),
    ({"name": "x" * 64}, "has 64 characters"),
    ({"name": "google-app"}, "contains 'google'"),
    ({"archive_after_days": 0}, "archive_after_days 0 must be at least 1"),
    ({"retention_days": -1}, "retention_days -1 must be 0"),
    ({"expiration_days": 0}, "expiration_days 0 must be at least 1"),
])
def test_invalid_props_are_refused_naming_the_value(props, problem):
    with pytest.raises(ValueError, match=problem):
        DataBucket(TerraformStack(App(), "s"), "b", **{"name": "env-abc-app", "project": "p-1",
                                                       "location": "us-central1", "kms_key_id": "k", **props})
