"""GcpAddons: CMEK Persistent Disk classes (pd-balanced default), a Filestore class, GKE's default demoted, nothing installed."""

import re

import kubernetes_validate
import pytest
from cdktf import App, TerraformStack

from platform_constructs.gcp.addons import GcpAddons
from tests.helpers import gcp_spec, one, ref, resources, synth

CLASS = "kubernetes_storage_class_v1"
REMOTE_DATA = re.compile(r"^\$\{data\.terraform_remote_state\.cross-stack-reference-input-t-data\.outputs\.([^}]+)\}$")


@pytest.fixture(scope="module")
def stacks():
    return synth(gcp_spec())


@pytest.fixture(scope="module")
def classes(stacks):
    return {body["metadata"]["name"]: body for body in resources(stacks["addons"], CLASS)}


def _manifest(body: dict) -> dict:
    """The StorageClass the kubernetes provider writes for a synthesized ``kubernetes_storage_class_v1``."""
    return {
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": body["metadata"],
        "provisioner": body["storage_provisioner"], "parameters": body["parameters"],
        "reclaimPolicy": body["reclaim_policy"], "volumeBindingMode": body["volume_binding_mode"],
        "allowVolumeExpansion": body["allow_volume_expansion"],
    }


def test_gke_runs_everything_else_so_only_storage_classes_are_written(stacks, classes):
    # No helm_release: load balancing, metrics, autoscaling, CSI drivers and secrets are GKE's own.
    assert set(stacks["addons"]["resource"]) == {CLASS, "kubernetes_annotations"}
    assert sorted(classes) == ["filestore", "pd-balanced", "pd-ssd"]


@pytest.mark.parametrize("name, disk_type", [("pd-balanced", "pd-balanced"), ("pd-ssd", "pd-ssd")])
def test_block_classes_encrypt_with_the_data_stacks_disk_key(stacks, classes, name, disk_type):
    body = classes[name]
    assert body["storage_provisioner"] == "pd.csi.storage.gke.io"
    assert body["parameters"]["type"] == disk_type and body["parameters"]["csi.storage.k8s.io/fstype"] == "ext4"
    output = REMOTE_DATA.match(body["parameters"]["disk-encryption-kms-key"]).group(1)
    data = stacks["data"]
    [disk_key] = [k for k in resources(data, "google_kms_crypto_key") if k["name"] == "pd-volumes"]
    assert data["output"][output]["value"] == ref(data, "google_kms_crypto_key", disk_key)
    assert body["volume_binding_mode"] == "WaitForFirstConsumer" and body["allow_volume_expansion"] is True
    assert body["reclaim_policy"] == "Delete"


def test_pd_balanced_is_the_only_default_and_gkes_class_is_demoted(stacks, classes):
    defaults = [n for n, b in classes.items()
                if b["metadata"].get("annotations", {}).get("storageclass.kubernetes.io/is-default-class") == "true"]
    assert defaults == ["pd-balanced"]
    demoted = one(stacks["addons"], "kubernetes_annotations")
    assert demoted == {**demoted, "api_version": "storage.k8s.io/v1", "kind": "StorageClass",
                       "metadata": {"name": "standard-rwo"}, "force": True,
                       "annotations": {"storageclass.kubernetes.io/is-default-class": "false"}}


def test_filestore_class_on_the_clusters_vpc_with_the_default_tier(stacks, classes):
    body = classes["filestore"]
    vpc = one(stacks["network"], "google_compute_network")
    assert body["storage_provisioner"] == "filestore.csi.storage.gke.io"
    assert body["parameters"] == {"tier": "standard", "network": vpc["name"], "connect-mode": "DIRECT_PEERING"}
    assert body["reclaim_policy"] == "Retain" and body["volume_binding_mode"] == "WaitForFirstConsumer"
    assert body["allow_volume_expansion"] is True


def test_filestore_tier_follows_the_file():
    classes = resources(synth(gcp_spec(name="ent", addons={"filestore_tier": "enterprise"}))["addons"], CLASS)
    assert [b["parameters"]["tier"] for b in classes if b["metadata"]["name"] == "filestore"] == ["enterprise"]


def test_every_class_validates_against_the_kubernetes_1_33_schema(classes):
    for name, body in classes.items():
        assert kubernetes_validate.validate(_manifest(body), "1.33", strict=True) == "1.33", name


def test_without_block_storage_gke_keeps_its_default_and_no_disk_key():
    stacks = synth(gcp_spec(name="noblock", addons={"block_storage": False}))
    assert [b["metadata"]["name"] for b in resources(stacks["addons"], CLASS)] == ["filestore"]
    assert resources(stacks["addons"], "kubernetes_annotations") == []
    assert "terraform_remote_state" not in stacks["addons"].get("data", {})


def test_without_file_storage_no_filestore_class():
    stacks = synth(gcp_spec(name="nofile", addons={"file_storage": False}))
    assert sorted(b["metadata"]["name"] for b in resources(stacks["addons"], CLASS)) == ["pd-balanced", "pd-ssd"]


def test_with_neither_the_stack_writes_nothing_into_the_cluster():
    stacks = synth(gcp_spec(name="none", addons={"block_storage": False, "file_storage": False}))
    assert stacks["addons"].get("resource", {}) == {}


def test_missing_key_and_network_are_reported_together():
    stack = TerraformStack(App(), "s")
    with pytest.raises(ValueError) as err:
        GcpAddons(stack, "addons", disk_kms_key_id=None, network_name=None)
    message = str(err.value)
    assert "block_storage needs disk_kms_key_id" in message and "file_storage needs network_name" in message
