"""DataKey: a rotated, protected key in an existing ring, usable by the named service agents only."""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_google.provider import GoogleProvider

from platform_constructs.gcp.data_key import DataKey, artifact_registry_agent, memorystore_agent
from tests.helpers import one, ref, resources


def test_key_in_the_given_ring_with_one_binding_per_agent(tmp_path):
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "probe")
    GoogleProvider(stack, "google", project="p-1", region="us-central1")
    DataKey(stack, "k", key_ring="ring-id", name="memorystore", agents=[memorystore_agent("42")], rotation_days=30)
    app.synth()
    doc = json.loads(Path(tmp_path, "stacks", "probe", "cdk.tf.json").read_text())
    key = one(doc, "google_kms_crypto_key")
    assert key == {**key, "name": "memorystore", "key_ring": "ring-id", "purpose": "ENCRYPT_DECRYPT",
                   "rotation_period": "2592000s", "lifecycle": {"prevent_destroy": True}}
    [binding] = resources(doc, "google_kms_crypto_key_iam_member")
    assert binding == {**binding, "crypto_key_id": ref(doc, "google_kms_crypto_key", key),
                       "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
                       "member": "serviceAccount:service-42@gcp-sa-memorystore.iam.gserviceaccount.com"}
    assert "google_kms_key_ring" not in doc["resource"]


def test_agent_emails():
    assert artifact_registry_agent("7") == "service-7@gcp-sa-artifactregistry.iam.gserviceaccount.com"
    assert memorystore_agent("7") == "service-7@gcp-sa-memorystore.iam.gserviceaccount.com"


@pytest.mark.parametrize("props, problem", [
    ({"rotation_days": 91}, "rotation_days 91 must be 1-90"),
    ({"agents": []}, "has no service agent"),
])
def test_invalid_props_are_refused(props, problem):
    with pytest.raises(ValueError, match=problem):
        DataKey(TerraformStack(App(), "s"), "k", **{"key_ring": "r", "name": "n", "agents": ["a@b"], **props})
