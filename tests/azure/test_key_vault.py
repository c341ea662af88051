"""CustomerKeyVault: RBAC, purge protection, firewall, private endpoint, HSM keys with rotation."""

import pytest

from platform_constructs.azure.key_vault import VAULT_PRIVATE_ZONE, default_vault_name
from tests.helpers import SUBSCRIPTION, azure_spec
from tests.helpers import one, ref, resources, synth


@pytest.fixture(scope="module")
def cluster():
    return synth(azure_spec())["cluster"]


def test_vault_is_premium_rbac_and_never_purgeable(cluster):
    vault = one(cluster, "azurerm_key_vault")
    assert vault["name"] == default_vault_name("t", SUBSCRIPTION) and len(vault["name"]) <= 24
    assert vault["sku_name"] == "premium" and vault["rbac_authorization_enabled"] is True
    assert vault["purge_protection_enabled"] is True and vault["soft_delete_retention_days"] == 90


def test_vault_is_private_by_default(cluster):
    vault = one(cluster, "azurerm_key_vault")
    assert vault["public_network_access_enabled"] is False
    assert vault["network_acls"] == {"default_action": "Deny", "bypass": "AzureServices"}


def test_allowed_ranges_open_only_the_firewall():
    stack = synth(azure_spec(name="kvopen", azure={"key_vault_allowed_cidrs": ["203.0.113.0/24"], "key_vault_name": "kv-open-1"}))["cluster"]
    vault = one(stack, "azurerm_key_vault")
    assert vault["name"] == "kv-open-1" and vault["public_network_access_enabled"] is True
    assert vault["network_acls"]["ip_rules"] == ["203.0.113.0/24"] and vault["network_acls"]["default_action"] == "Deny"


def test_private_endpoint_with_dns_zone_linked_to_the_vnet(cluster):
    endpoint = one(cluster, "azurerm_private_endpoint")
    assert endpoint["private_service_connection"]["subresource_names"] == ["vault"]
    assert "private-endpoints" in endpoint["subnet_id"]
    zone = one(cluster, "azurerm_private_dns_zone")
    assert zone["name"] == VAULT_PRIVATE_ZONE
    assert endpoint["private_dns_zone_group"]["private_dns_zone_ids"] == [ref(cluster, "azurerm_private_dns_zone", zone)]
    assert "virtual_network" in one(cluster, "azurerm_private_dns_zone_virtual_network_link")["virtual_network_id"]


def test_keys_are_hsm_backed_with_rotation_after_the_deployer_grant(cluster):
    keys = resources(cluster, "azurerm_key_vault_key")
    assert sorted(k["name"] for k in keys) == ["tc-disks", "tc-etcd"]
    officer = next(g for g in resources(cluster, "azurerm_role_assignment") if g["role_definition_name"] == "Key Vault Crypto Officer")
    assert "data.azurerm_client_config" in officer["principal_id"]
    for key in keys:
        assert key["key_type"] == "RSA-HSM" and key["key_size"] == 3072
        assert key["rotation_policy"]["expire_after"] == "P2Y"
        assert key["rotation_policy"]["automatic"] == {"time_before_expiry": "P90D"}
        assert ref(cluster, "azurerm_role_assignment", officer).strip("${}").removesuffix(".id") in key["depends_on"]


def test_default_vault_names_fit_azure_rules():
    name = default_vault_name("a-very-long-environment-name-indeed", SUBSCRIPTION)
    assert len(name) <= 24 and name.startswith("kv-") and "--" not in name


def test_customer_managed_keys_can_be_turned_off():
    stack = synth(azure_spec(name="nocmk", azure={"enable_customer_managed_keys": False}, addons={"block_storage": False},
                             observability={"enabled": False}, data={"buckets": []}))["cluster"]
    assert not resources(stack, "azurerm_key_vault") and not resources(stack, "azurerm_disk_encryption_set")
    aks = one(stack, "azurerm_kubernetes_cluster")
    assert "key_management_service" not in aks and "disk_encryption_set_id" not in aks
