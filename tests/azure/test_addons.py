"""AzureAddons: a CMK premium disk class (default), a premium NFS files class behind a private endpoint, AKS's default demoted."""

import re

import kubernetes_validate
import pytest
from cdktf import App, TerraformStack

from platform_constructs.azure.addons import AzureAddons
from tests.helpers import azure_spec, one, ref, resources, synth

CLASS = "kubernetes_storage_class_v1"
DEFAULT = "storageclass.kubernetes.io/is-default-class"
REMOTE_CLUSTER = re.compile(r"^\$\{data\.terraform_remote_state\.cross-stack-reference-input-t-cluster\.outputs\.([^}]+)\}$")


@pytest.fixture(scope="module")
def stacks():
    return synth(azure_spec())


@pytest.fixture(scope="module")
def classes(stacks):
    return {body["metadata"]["name"]: body for body in resources(stacks["addons"], CLASS)}


def _manifest(body: dict) -> dict:
    """The StorageClass the kubernetes provider writes for a synthesized ``kubernetes_storage_class_v1``."""
    manifest = {
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": body["metadata"],
        "provisioner": body["storage_provisioner"], "parameters": body["parameters"],
        "reclaimPolicy": body["reclaim_policy"], "volumeBindingMode": body["volume_binding_mode"],
        "allowVolumeExpansion": body["allow_volume_expansion"],
    }
    if "mount_options" in body:
        manifest["mountOptions"] = body["mount_options"]
    return manifest


def test_aks_runs_everything_else_so_only_storage_classes_are_written(stacks, classes):
    # No helm_release: load balancer (AGIC), metrics, autoscaling, CSI drivers and Key Vault secrets are AKS's own.
    assert set(stacks["addons"]["resource"]) == {CLASS, "kubernetes_annotations"}
    assert sorted(classes) == ["azure-disk-premium", "azure-files-premium-nfs"]


def test_disk_class_encrypts_with_the_clusters_disk_encryption_set(stacks, classes):
    body = classes["azure-disk-premium"]
    assert body["storage_provisioner"] == "disk.csi.azure.com"
    output = REMOTE_CLUSTER.match(body["parameters"]["diskEncryptionSetID"]).group(1)
    cluster = stacks["cluster"]
    assert cluster["output"][output]["value"] == ref(cluster, "azurerm_disk_encryption_set",
                                                     one(cluster, "azurerm_disk_encryption_set"))
    assert body["parameters"]["diskEncryptionType"] == "EncryptionAtRestWithCustomerKey"
    assert body["parameters"]["skuName"] == "Premium_ZRS" and body["parameters"]["networkAccessPolicy"] == "DenyAll"
    assert body["volume_binding_mode"] == "WaitForFirstConsumer" and body["allow_volume_expansion"] is True
    assert body["reclaim_policy"] == "Delete"


def test_disk_class_is_the_only_default_and_aks_default_is_demoted(stacks, classes):
    defaults = [n for n, b in classes.items() if b["metadata"].get("annotations", {}).get(DEFAULT) == "true"]
    assert defaults == ["azure-disk-premium"]
    demoted = one(stacks["addons"], "kubernetes_annotations")
    assert demoted == {**demoted, "api_version": "storage.k8s.io/v1", "kind": "StorageClass",
                       "metadata": {"name": "default"}, "force": True, "annotations": {DEFAULT: "false"}}


def test_files_class_is_premium_nfs_through_a_private_endpoint(classes):
    body = classes["azure-files-premium-nfs"]
    assert body["storage_provisioner"] == "file.csi.azure.com"
    assert body["parameters"] == {"skuName": "Premium_ZRS", "protocol": "nfs", "networkEndpointType": "privateEndpoint"}
    assert body["mount_options"] == ["nconnect=4", "noresvport", "actimeo=30"]
    assert body["reclaim_policy"] == "Retain" and body["volume_binding_mode"] == "WaitForFirstConsumer"
    assert DEFAULT not in body["metadata"].get("annotations", {})


def test_the_files_driver_may_create_its_private_endpoints(stacks):
    # The driver runs as the cluster identity and writes the endpoint, DNS zone and link into the VNet's group.
    cluster = stacks["cluster"]
    grants = [g for g in resources(cluster, "azurerm_role_assignment")
              if g["scope"].endswith("/resourceGroups/t-rg") and g["role_definition_name"] == "Network Contributor"]
    (grant,) = grants
    identity = next(i for i in resources(cluster, "azurerm_user_assigned_identity") if i["name"] == "tc-control-plane")
    assert grant["principal_id"] == ref(cluster, "azurerm_user_assigned_identity", identity, "principal_id")


def test_every_class_validates_against_the_kubernetes_1_33_schema(classes):
    for name, body in classes.items():
        assert kubernetes_validate.validate(_manifest(body), "1.33", strict=True) == "1.33", name


def test_without_block_storage_aks_keeps_its_default():
    stacks = synth(azure_spec(name="noblock", addons={"block_storage": False}))
    assert [b["metadata"]["name"] for b in resources(stacks["addons"], CLASS)] == ["azure-files-premium-nfs"]
    assert resources(stacks["addons"], "kubernetes_annotations") == []


def test_without_file_storage_no_files_class():
    stacks = synth(azure_spec(name="nofile", addons={"file_storage": False}))
    assert [b["metadata"]["name"] for b in resources(stacks["addons"], CLASS)] == ["azure-disk-premium"]


def test_with_neither_the_stack_writes_nothing_into_the_cluster():
    stacks = synth(azure_spec(name="none", addons={"block_storage": False, "file_storage": False}))
    assert stacks["addons"].get("resource", {}) == {}


def test_block_storage_without_an_encryption_set_names_the_fix():
    with pytest.raises(ValueError, match="enable_customer_managed_keys: true.*addons.block_storage: false"):
        AzureAddons(TerraformStack(App(), "s"), "addons", disk_encryption_set_id=None)
