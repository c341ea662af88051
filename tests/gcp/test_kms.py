"""SecretsEncryptionKey: key ring, rotated key kept from destroy, GKE service agent binding."""

import pytest

from tests.helpers import gcp_spec
from tests.helpers import one, ref, synth


@pytest.fixture(scope="module")
def cluster():
    return synth(gcp_spec())["cluster"]


def test_key_ring_in_the_cluster_region(cluster):
    ring = one(cluster, "google_kms_key_ring")
    assert ring["name"] == "tc-gke" and ring["location"] == "us-central1" and ring["project"] == "proj-1"


def test_key_rotates_every_90_days_and_is_protected(cluster):
    key = one(cluster, "google_kms_crypto_key")
    assert key["key_ring"] == ref(cluster, "google_kms_key_ring", one(cluster, "google_kms_key_ring"))
    assert key["purpose"] == "ENCRYPT_DECRYPT" and key["rotation_period"] == "7776000s"
    assert key["lifecycle"] == {"prevent_destroy": True}


def test_gke_service_agent_may_encrypt_and_decrypt(cluster):
    binding = one(cluster, "google_kms_crypto_key_iam_member")
    project_id = list(cluster["data"]["google_project"])[0]
    assert cluster["data"]["google_project"][project_id]["project_id"] == "proj-1"
    assert binding["role"] == "roles/cloudkms.cryptoKeyEncrypterDecrypter"
    assert binding["crypto_key_id"] == ref(cluster, "google_kms_crypto_key", one(cluster, "google_kms_crypto_key"))
    assert binding["member"] == (
        f"serviceAccount:service-${{data.google_project.{project_id}.number}}@container-engine-robot.iam.gserviceaccount.com"
    )


def test_rotation_and_protection_follow_the_file():
    stack = synth(gcp_spec(name="kms", gcp={"kms_rotation_days": 30, "deletion_protection": False}))["cluster"]
    key = one(stack, "google_kms_crypto_key")
    assert key["rotation_period"] == "2592000s" and key["lifecycle"] == {"prevent_destroy": False}
