"""NodeDiskEncryption: node disks and etcd encrypted with customer-managed keys."""

import pytest

from tests.helpers import azure_spec
from tests.helpers import one, ref, resources, synth


@pytest.fixture(scope="module")
def cluster():
    return synth(azure_spec())["cluster"]


def keys(stack):
    return {k["name"]: k for k in resources(stack, "azurerm_key_vault_key")}


def test_disk_encryption_set_follows_the_versionless_disk_key(cluster):
    des = one(cluster, "azurerm_disk_encryption_set")
    assert des["key_vault_key_id"] == ref(cluster, "azurerm_key_vault_key", keys(cluster)["tc-disks"], "versionless_id")
    assert des["auto_key_rotation_enabled"] is True and des["identity"] == {"type": "SystemAssigned"}
    assert des["encryption_type"] == "EncryptionAtRestWithCustomerKey"


def test_encryption_set_identity_may_use_the_key(cluster):
    des = one(cluster, "azurerm_disk_encryption_set")
    principal = ref(cluster, "azurerm_disk_encryption_set", des, "identity[0].principal_id")
    grants = [g for g in resources(cluster, "azurerm_role_assignment") if g["principal_id"] == principal]
    assert [g["role_definition_name"] for g in grants] == ["Key Vault Crypto Service Encryption User"]
    assert grants[0]["scope"] == ref(cluster, "azurerm_key_vault", one(cluster, "azurerm_key_vault"))


def test_cluster_uses_the_set_and_kms_with_the_etcd_key(cluster):
    aks = one(cluster, "azurerm_kubernetes_cluster")
    assert aks["disk_encryption_set_id"] == ref(cluster, "azurerm_disk_encryption_set", one(cluster, "azurerm_disk_encryption_set"))
    assert aks["key_management_service"] == {
        "key_vault_key_id": ref(cluster, "azurerm_key_vault_key", keys(cluster)["tc-etcd"]),
        "key_vault_network_access": "Private",
    }
