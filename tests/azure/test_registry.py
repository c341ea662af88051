"""AzureContainerRegistry: Premium, private, admin off, zone redundant, untagged retention, AcrPull for the nodes."""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures

from platform_constructs.azure.registry import (
    PULL_ROLE, REGISTRY_PRIVATE_ZONE, UNTAGGED_RETENTION_DAYS, AzureContainerRegistry, registry_name,
)
from tests.helpers import ref, resources

VNET = "/subscriptions/s/resourceGroups/t-rg/providers/Microsoft.Network/virtualNetworks/t-vnet"


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    app = App(outdir=str(tmp_path_factory.mktemp("registry")))
    stack = TerraformStack(app, "probe")
    AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()])
    AzureContainerRegistry(stack, "registry", name=registry_name("acme-t", "0123abcd"), location="westeurope",
                           resource_group_name="t-rg", vnet_id=VNET, private_endpoint_subnet_id=f"{VNET}/subnets/pe",
                           tags={}, pull_principal_ids={"kubelet": "ko"})
    app.synth()
    return json.loads(Path(app.outdir, "stacks", "probe", "cdk.tf.json").read_text())


def test_premium_private_keyless_zone_redundant(probe):
    [registry] = resources(probe, "azurerm_container_registry")
    assert registry["name"] == "acmetacr0123abcd" and registry["sku"] == "Premium"
    assert registry["admin_enabled"] is False and registry["anonymous_pull_enabled"] is False
    assert registry["public_network_access_enabled"] is False and registry["export_policy_enabled"] is False
    assert registry["zone_redundancy_enabled"] is True and registry["data_endpoint_enabled"] is True
    assert registry["retention_policy_in_days"] == UNTAGGED_RETENTION_DAYS
    assert registry["lifecycle"] == {"prevent_destroy": True}
    assert "encryption" not in registry  # Microsoft-managed keys: see the construct's docstring


def test_private_endpoint_in_the_acr_zone(probe):
    [registry] = resources(probe, "azurerm_container_registry")
    [pe] = resources(probe, "azurerm_private_endpoint")
    [zone] = resources(probe, "azurerm_private_dns_zone")
    assert zone["name"] == REGISTRY_PRIVATE_ZONE
    assert pe["private_service_connection"]["subresource_names"] == ["registry"]
    assert pe["private_service_connection"]["private_connection_resource_id"] == ref(
        probe, "azurerm_container_registry", registry)


def test_nodes_may_pull_and_nothing_else(probe):
    [registry] = resources(probe, "azurerm_container_registry")
    [pull] = resources(probe, "azurerm_role_assignment")
    assert (pull["role_definition_name"], pull["principal_id"]) == (PULL_ROLE, "ko")
    assert pull["scope"] == ref(probe, "azurerm_container_registry", registry)


def test_bad_name_and_retention_are_refused(tmp_path):
    stack = TerraformStack(App(outdir=str(tmp_path)), "probe")
    with pytest.raises(ValueError, match="'a-b' must be 5-50 letters.*400 must be 0-365"):
        AzureContainerRegistry(stack, "r", name="a-b", location="westeurope", resource_group_name="t-rg", vnet_id=VNET,
                               private_endpoint_subnet_id="pe", tags={}, untagged_retention_days=400)
