"""DataStorageAccount: private, key-less, CMK, GZRS; backup to Cold; optional immutability; never destroyed."""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures

from platform_constructs.azure.data_account import (
    NONCURRENT_VERSION_DAYS, DataStorageAccount, data_account_name, data_unique,
)
from tests.helpers import SUBSCRIPTION, ref, resources

VNET = "/subscriptions/s/resourceGroups/t-rg/providers/Microsoft.Network/virtualNetworks/t-vnet"


def probe_account(outdir, **kwargs):
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, "probe")
    AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()])
    props = dict(name="tdat0123abcd", location="westeurope", resource_group_name="t-rg", containers=["app", "backup"],
                 key_vault_id="vault", key_name="tc-data", vnet_id=VNET, private_endpoint_subnet_id=f"{VNET}/subnets/pe",
                 log_analytics_workspace_id="law", tags={"stack": "t-data"}, cold_container="backup",
                 cold_after_days=45)
    props.update(kwargs)
    account = DataStorageAccount(stack, "storage", **props)
    app.synth()
    return account, json.loads(Path(app.outdir, "stacks", "probe", "cdk.tf.json").read_text())


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    return probe_account(tmp_path_factory.mktemp("data-account"))


def test_account_names_are_deterministic_short_and_unique():
    name = data_account_name("acme-azure-prod", SUBSCRIPTION)
    assert name == f"acmeazureprod" + "dat" + data_unique("acme-azure-prod", SUBSCRIPTION) and len(name) <= 24
    assert data_account_name("acme-azure-prod", SUBSCRIPTION) != data_account_name("azure-prod", SUBSCRIPTION)


def test_private_keyless_geo_and_zone_redundant_account(probe):
    _, doc = probe
    [account] = resources(doc, "azurerm_storage_account")
    assert account["account_replication_type"] == "GZRS"
    assert account["shared_access_key_enabled"] is False and account["public_network_access_enabled"] is False
    assert account["allow_nested_items_to_be_public"] is False and account["min_tls_version"] == "TLS1_2"
    assert account["network_rules"]["default_action"] == "Deny"
    assert account["blob_properties"]["versioning_enabled"] is True
    assert account["blob_properties"]["delete_retention_policy"]["days"] == NONCURRENT_VERSION_DAYS


def test_customer_managed_key_through_its_own_identity(probe):
    _, doc = probe
    [account] = resources(doc, "azurerm_storage_account")
    [key] = resources(doc, "azurerm_key_vault_key")
    [identity] = resources(doc, "azurerm_user_assigned_identity")
    assert key["name"] == "tc-data" and key["key_type"] == "RSA-HSM"
    assert account["customer_managed_key"]["key_vault_key_id"] == ref(doc, "azurerm_key_vault_key", key, "versionless_id")
    assert account["customer_managed_key"]["user_assigned_identity_id"] == ref(
        doc, "azurerm_user_assigned_identity", identity)
    [access] = resources(doc, "azurerm_role_assignment")
    assert access["scope"] == ref(doc, "azurerm_key_vault_key", key, "resource_versionless_id")


def test_only_backup_moves_to_cold_and_versions_expire_everywhere(probe):
    _, doc = probe
    [policy] = resources(doc, "azurerm_storage_management_policy")
    rules = {r["name"]: r for r in policy["rule"]}
    assert set(rules) == {"app", "backup"}
    assert rules["backup"]["actions"]["base_blob"] == {"tier_to_cold_after_days_since_modification_greater_than": 45}
    assert "base_blob" not in rules["app"]["actions"]
    for rule in rules.values():
        assert rule["actions"]["version"]["delete_after_days_since_creation"] == NONCURRENT_VERSION_DAYS


def test_no_immutability_by_default_and_prevent_destroy_everywhere(probe):
    _, doc = probe
    assert not resources(doc, "azurerm_storage_container_immutability_policy")
    for rtype in ("azurerm_storage_account", "azurerm_storage_container", "azurerm_key_vault_key"):
        for body in resources(doc, rtype):
            assert body["lifecycle"] == {"prevent_destroy": True}, rtype
    assert all(c["container_access_type"] == "private" for c in resources(doc, "azurerm_storage_container"))


def test_private_endpoint_and_blob_logs(probe):
    account, doc = probe
    [pe] = resources(doc, "azurerm_private_endpoint")
    [zone] = resources(doc, "azurerm_private_dns_zone")
    assert pe["private_service_connection"]["subresource_names"] == ["blob"]
    assert pe["private_dns_zone_group"]["private_dns_zone_ids"] == [ref(doc, "azurerm_private_dns_zone", zone)]
    [logs] = resources(doc, "azurerm_monitor_diagnostic_setting")
    assert logs["log_analytics_workspace_id"] == "law"


def test_an_existing_blob_zone_is_used_instead_of_a_new_one(tmp_path):
    _, doc = probe_account(tmp_path, blob_dns_zone_id="zone-id")
    assert not resources(doc, "azurerm_private_dns_zone")
    [pe] = resources(doc, "azurerm_private_endpoint")
    assert pe["private_dns_zone_group"]["private_dns_zone_ids"] == ["zone-id"]


def test_bad_props_are_reported_together(tmp_path):
    with pytest.raises(ValueError) as err:
        probe_account(tmp_path, name="Bad_Name", containers=["app", "app"], cold_container="archive")
    message = str(err.value)
    assert "'Bad_Name'" in message and "twice" in message and "'archive' is not one of the containers" in message
