"""ObservabilityBucket: CMEK, versioned, uniform access, never public, lifecycle, logged, never force-destroyed."""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_google.provider import GoogleProvider

from platform_constructs.gcp.observability_bucket import ObservabilityBucket, lifecycle_rules
from platform_constructs.observability.storage import ABORT_INCOMPLETE_UPLOAD_DAYS, NONCURRENT_VERSION_DAYS
from tests.helpers import resources

KEY = "projects/proj-1/locations/us-central1/keyRings/r/cryptoKeys/k"


def synth_buckets(tmp_path, *buckets: dict) -> dict:
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "probe")
    GoogleProvider(stack, "google", project="proj-1", region="us-central1")
    for i, props in enumerate(buckets):
        ObservabilityBucket(stack, f"b{i}", **{"project": "proj-1", "location": "us-central1", "kms_key_id": KEY,
                                               **props})
    app.synth()
    return json.loads(Path(tmp_path, "stacks", "probe", "cdk.tf.json").read_text())


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    return synth_buckets(tmp_path_factory.mktemp("observability-bucket"),
                         {"name": "t-abc-logs", "expiration_days": 90},
                         {"name": "t-abc-data", "expiration_days": 37, "log_bucket": "t-abc-logs"},
                         {"name": "t-abc-state", "log_bucket": "t-abc-logs", "protect": False})


def body(doc, name):
    [found] = [b for b in resources(doc, "google_storage_bucket") if b["name"] == name]
    return found


@pytest.mark.parametrize("name", ["t-abc-logs", "t-abc-data", "t-abc-state"])
def test_every_bucket_is_hardened(doc, name):
    bucket = body(doc, name)
    assert bucket["location"] == "us-central1" and bucket["project"] == "proj-1"
    assert bucket["uniform_bucket_level_access"] is True
    assert bucket["public_access_prevention"] == "enforced"
    assert bucket["versioning"] == {"enabled": True}
    assert bucket["encryption"] == {"default_kms_key_name": KEY}
    assert bucket["force_destroy"] is False
    assert bucket["storage_class"] == "STANDARD"


def test_live_objects_expire_noncurrent_versions_and_uploads_are_cleaned(doc):
    assert body(doc, "t-abc-data")["lifecycle_rule"] == [
        {"action": {"type": "Delete"}, "condition": {"age": 37, "with_state": "LIVE"}},
        {"action": {"type": "Delete"},
         "condition": {"days_since_noncurrent_time": NONCURRENT_VERSION_DAYS, "with_state": "ARCHIVED"}},
        {"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": ABORT_INCOMPLETE_UPLOAD_DAYS}},
    ]


def test_state_buckets_never_expire_live_objects(doc):
    rules = body(doc, "t-abc-state")["lifecycle_rule"]
    assert [r["action"]["type"] for r in rules] == ["Delete", "AbortIncompleteMultipartUpload"]
    assert "age" not in rules[0]["condition"]


def test_usage_logs_go_to_the_log_bucket_under_the_buckets_name(doc):
    assert body(doc, "t-abc-data")["logging"] == {"log_bucket": "t-abc-logs", "log_object_prefix": "t-abc-data"}
    assert "logging" not in body(doc, "t-abc-logs")


def test_prevent_destroy_follows_protect(doc):
    assert body(doc, "t-abc-data")["lifecycle"] == {"prevent_destroy": True}
    assert body(doc, "t-abc-state")["lifecycle"] == {"prevent_destroy": False}


def test_lifecycle_rules_take_the_margins():
    rules = lifecycle_rules(None, noncurrent_days=3, abort_upload_days=2)
    assert [r.condition.days_since_noncurrent_time if r.action.type == "Delete" else r.condition.age
            for r in rules] == [3, 2]


@pytest.mark.parametrize("name, problem", [
    ("ab", "has 2 characters: use 3-63"),
    ("x" * 64, "has 64 characters"),
    ("acme-google-mimir", "contains 'google'"),
    ("goog-dev-mimir", "starts with 'goog'"),
])
def test_names_cloud_storage_refuses_are_refused(name, problem):
    with pytest.raises(ValueError, match=problem):
        ObservabilityBucket(TerraformStack(App(), "s"), "b", name=name, project="p", location="us-central1",
                            kms_key_id=KEY)


def test_zero_day_expiry_is_refused():
    with pytest.raises(ValueError, match="expiration_days 0 must be at least 1"):
        ObservabilityBucket(TerraformStack(App(), "s"), "b", name="t-abc", project="p", location="us-central1",
                            kms_key_id=KEY, expiration_days=0)
