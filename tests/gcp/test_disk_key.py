"""DiskEncryptionKey: the data stack's Persistent Disk key, rotated, protected, usable by Compute Engine only."""

import pytest
from cdktf import App, TerraformStack

from platform_constructs.gcp.disk_key import DiskEncryptionKey
from tests.helpers import gcp_spec, one, ref, resources, synth


def disk_key(doc):
    """The Persistent Disk key (the ring also holds the data stack's bucket, registry and cache keys)."""
    [found] = [k for k in resources(doc, "google_kms_crypto_key") if k["name"] == "pd-volumes"]
    return found


@pytest.fixture(scope="module")
def data():
    return synth(gcp_spec())["data"]


def test_key_ring_of_the_environment_in_the_cluster_region(data):
    ring = one(data, "google_kms_key_ring")
    assert ring == {**ring, "name": "t-data", "location": "us-central1", "project": "proj-1"}


def test_key_rotates_every_90_days_and_is_protected(data):
    key = disk_key(data)
    assert key["key_ring"] == ref(data, "google_kms_key_ring", one(data, "google_kms_key_ring"))
    assert key["name"] == "pd-volumes" and key["purpose"] == "ENCRYPT_DECRYPT"
    assert key["rotation_period"] == "7776000s" and key["lifecycle"] == {"prevent_destroy": True}


def test_only_the_compute_engine_service_agent_may_use_it(data):
    (project_id, project), = data["data"]["google_project"].items()
    assert project["project_id"] == "proj-1"
    [binding] = [b for b in resources(data, "google_kms_crypto_key_iam_member")
                 if b["crypto_key_id"] == ref(data, "google_kms_crypto_key", disk_key(data))]
    assert binding["crypto_key_id"] == ref(data, "google_kms_crypto_key", disk_key(data))
    assert binding["role"] == "roles/cloudkms.cryptoKeyEncrypterDecrypter"
    assert binding["member"] == (
        f"serviceAccount:service-${{data.google_project.{project_id}.number}}@compute-system.iam.gserviceaccount.com"
    )
    assert "google_kms_crypto_key_iam_binding" not in data["resource"]  # additive: other members untouched


def test_key_id_is_a_named_output_of_the_data_stack(data):
    key = ref(data, "google_kms_crypto_key", disk_key(data))
    assert data["output"]["disk_kms_key_id"]["value"] == key


def test_the_data_stack_holds_nothing_that_depends_on_the_cluster(data):
    assert "terraform_remote_state" not in data.get("data", {})


def test_rotation_and_protection_follow_the_file():
    data = synth(gcp_spec(name="dk", gcp={"kms_rotation_days": 30, "deletion_protection": False}))["data"]
    key = disk_key(data)
    assert key["rotation_period"] == "2592000s" and key["lifecycle"] == {"prevent_destroy": False}


def test_no_key_without_block_storage():
    data = synth(gcp_spec(name="noblock", addons={"block_storage": False}))["data"]
    assert [k["name"] for k in resources(data, "google_kms_crypto_key")] == ["data-buckets"]  # the buckets' key only
    assert "disk_kms_key_id" not in data.get("output", {})


@pytest.mark.parametrize("days", [0, 91])
def test_rotation_outside_1_to_90_days_is_refused(days):
    stack = TerraformStack(App(), "s")
    with pytest.raises(ValueError, match=f"rotation_days {days} must be 1-90"):
        DiskEncryptionKey(stack, "k", name="r", project="p-1", location="us-central1", rotation_days=days)
