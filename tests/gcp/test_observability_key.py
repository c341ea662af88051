"""ObservabilityBucketKey: the observability buckets' key, rotated, protected, usable by Cloud Storage only."""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_google.provider import GoogleProvider

from platform_constructs.gcp.observability_key import KEY_NAME, ObservabilityBucketKey, key_ring_name
from tests.helpers import one, ref


def synth_key(tmp_path, **props) -> dict:
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "probe")
    GoogleProvider(stack, "google", project="proj-1", region="us-central1")
    ObservabilityBucketKey(stack, "key", **{"name": key_ring_name("t"), "project": "proj-1",
                                            "location": "us-central1", **props})
    app.synth()
    return json.loads(Path(tmp_path, "stacks", "probe", "cdk.tf.json").read_text())


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    return synth_key(tmp_path_factory.mktemp("observability-key"))


def test_ring_is_the_environments_observability_ring_in_the_region(doc):
    ring = one(doc, "google_kms_key_ring")
    assert (ring["name"], ring["location"], ring["project"]) == ("t-observability", "us-central1", "proj-1")


def test_key_rotates_every_90_days_and_is_protected(doc):
    key = one(doc, "google_kms_crypto_key")
    assert key["name"] == KEY_NAME == "observability-buckets" and key["purpose"] == "ENCRYPT_DECRYPT"
    assert key["key_ring"] == ref(doc, "google_kms_key_ring", one(doc, "google_kms_key_ring"))
    assert key["rotation_period"] == "7776000s" and key["lifecycle"] == {"prevent_destroy": True}


def test_only_the_cloud_storage_service_agent_may_use_it(doc):
    (agent_id, agent), = doc["data"]["google_storage_project_service_account"].items()
    assert agent["project"] == "proj-1"
    binding = one(doc, "google_kms_crypto_key_iam_member")
    assert binding["crypto_key_id"] == ref(doc, "google_kms_crypto_key", one(doc, "google_kms_crypto_key"))
    assert binding["role"] == "roles/cloudkms.cryptoKeyEncrypterDecrypter"
    assert binding["member"] == (
        f"serviceAccount:${{data.google_storage_project_service_account.{agent_id}.email_address}}")
    assert "google_kms_crypto_key_iam_binding" not in doc["resource"]  # additive: other members untouched


def test_rotation_and_protection_are_props(tmp_path):
    key = one(synth_key(tmp_path, rotation_days=30, protect=False), "google_kms_crypto_key")
    assert key["rotation_period"] == "2592000s" and key["lifecycle"] == {"prevent_destroy": False}


@pytest.mark.parametrize("days", [0, 91])
def test_rotation_outside_1_to_90_days_is_refused(days):
    with pytest.raises(ValueError, match=f"rotation_days {days} must be 1-90"):
        ObservabilityBucketKey(TerraformStack(App(), "s"), "k", name="r", project="p-1", location="us-central1",
                               rotation_days=days)
