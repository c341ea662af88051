"""TenantKeyVault: one tenant's secrets in a private, RBAC-authorized, purge-protected, audited vault."""

import json
import re
from pathlib import Path

import pytest
from cdktf import App, TerraformStack, TerraformVariable
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures

from platform_constructs.azure.key_vault import VAULT_PRIVATE_ZONE
from platform_constructs.azure.tenant_vault import (
    SECRETS_WRITE_ROLE, SOFT_DELETE_DAYS, TenantKeyVault, tenant_vault_name,
)
from tests.helpers import SUBSCRIPTION, one, ref, resources

VNET = "/subscriptions/s/resourceGroups/t-rg/providers/Microsoft.Network/virtualNetworks/t-vnet"
PE_SUBNET = f"{VNET}/subnets/private-endpoints"
ZONE = f"/subscriptions/s/resourceGroups/t-rg/providers/Microsoft.Network/privateDnsZones/{VAULT_PRIVATE_ZONE}"
TAGS = {"stack": "t-tenants", "team": "platform"}
#: Key Vault's naming rule as Azure states it: 3-24 alphanumerics and hyphens, a letter first, a
#: letter or digit last, no two hyphens in a row.
AZURE_VAULT_NAME = re.compile(r"(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]")


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("tenant-vault"))
    app = App(outdir=out)
    stack = TerraformStack(app, "probe")
    AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()])
    workspace = TerraformVariable(stack, "workspace", type="string").string_value
    tenant = TerraformVariable(stack, "tenant", type="string").string_value
    vault = TenantKeyVault(stack, "key-vault", name="kv-team-a-0123abcd", location="westeurope",
                           resource_group_name="t-rg", tenant_id=tenant, vnet_id=VNET,
                           private_endpoint_subnet_id=PE_SUBNET, dns_zone_id=ZONE,
                           log_analytics_workspace_id=workspace, tags=TAGS)
    vault.grant("officer", principal_id="22222222-2222-2222-2222-222222222222", role=SECRETS_WRITE_ROLE,
                principal_type="Group")
    app.synth()
    return vault, json.loads(Path(out, "stacks", "probe", "cdk.tf.json").read_text())


def test_vault_is_rbac_authorized_purge_protected_and_private(probe):
    _, doc = probe
    vault = one(doc, "azurerm_key_vault")
    assert vault["rbac_authorization_enabled"] is True and "access_policy" not in vault
    assert vault["purge_protection_enabled"] is True and vault["soft_delete_retention_days"] == SOFT_DELETE_DAYS == 90
    assert vault["public_network_access_enabled"] is False
    assert vault["network_acls"] == {"default_action": "Deny", "bypass": "None"}
    assert vault["tenant_id"] == "${var.tenant}" and vault["tags"] == TAGS
    assert vault["sku_name"] == "standard"


def test_private_endpoint_registers_in_the_given_zone_and_creates_none(probe):
    _, doc = probe
    endpoint = one(doc, "azurerm_private_endpoint")
    assert endpoint["subnet_id"] == PE_SUBNET
    connection = endpoint["private_service_connection"]
    assert connection["subresource_names"] == ["vault"] and connection["is_manual_connection"] is False
    assert connection["private_connection_resource_id"] == ref(doc, "azurerm_key_vault", one(doc, "azurerm_key_vault"))
    assert endpoint["private_dns_zone_group"]["private_dns_zone_ids"] == [ZONE]
    assert resources(doc, "azurerm_private_dns_zone") == []
    assert resources(doc, "azurerm_private_dns_zone_virtual_network_link") == []


def test_audit_log_and_metrics_go_to_the_workspace(probe):
    _, doc = probe
    setting = one(doc, "azurerm_monitor_diagnostic_setting")
    assert setting["target_resource_id"] == ref(doc, "azurerm_key_vault", one(doc, "azurerm_key_vault"))
    assert setting["log_analytics_workspace_id"] == "${var.workspace}"
    assert [log["category"] for log in setting["enabled_log"]] == ["AuditEvent"]
    assert [m["category"] for m in setting["enabled_metric"]] == ["AllMetrics"]


def test_grant_is_a_role_on_the_vault_alone(probe):
    vault, doc = probe
    grant = one(doc, "azurerm_role_assignment")
    assert grant["scope"] == ref(doc, "azurerm_key_vault", one(doc, "azurerm_key_vault"))
    assert (grant["role_definition_name"], grant["principal_type"]) == ("Key Vault Secrets Officer", "Group")
    assert vault.name == "kv-team-a-0123abcd"


def test_no_secret_is_written_by_terraform(probe):
    _, doc = probe
    assert not [t for t in doc["resource"] if t in ("azurerm_key_vault_secret", "azurerm_key_vault_key")]


@pytest.mark.parametrize("tenant", ["a", "team-a", "team-b-with-a-long-name", "x" * 32, "a--b--c", "abcdefghijk-xyz"])
def test_vault_names_fit_azures_rule_and_the_24_character_limit(tenant):
    name = tenant_vault_name(SUBSCRIPTION, "azure-prod", tenant)
    assert len(name) <= 24 and AZURE_VAULT_NAME.fullmatch(name), name
    assert name == tenant_vault_name(SUBSCRIPTION, "azure-prod", tenant)  # deterministic


def test_vault_names_differ_per_subscription_environment_and_tenant():
    base = tenant_vault_name(SUBSCRIPTION, "azure-prod", "payments-backend-a")
    others = {
        tenant_vault_name("11111111-1111-1111-1111-111111111111", "azure-prod", "payments-backend-a"),
        tenant_vault_name(SUBSCRIPTION, "azure-dev", "payments-backend-a"),
        # the same first 12 characters: the readable parts agree, the hash does not
        tenant_vault_name(SUBSCRIPTION, "azure-prod", "payments-backend-b"),
    }
    assert base not in others and len(others) == 3
    assert base.startswith("kv-payments-ba")


def test_a_bad_name_is_refused_naming_it_and_the_fix():
    app = App()
    stack = TerraformStack(app, "bad")
    with pytest.raises(ValueError, match=r"'kv--team' .*tenant_vault_name"):
        TenantKeyVault(stack, "kv", name="kv--team", location="westeurope", resource_group_name="t-rg",
                       tenant_id="t", vnet_id=VNET, private_endpoint_subnet_id=PE_SUBNET, dns_zone_id=ZONE,
                       log_analytics_workspace_id="w", tags={})
