"""AzureManagedRedis: zone-redundant HA, private endpoint only, TLS, Entra ID only (no access keys, none in state)."""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures

from platform_constructs.azure.cache import CACHE_PRIVATE_ZONE, CACHE_SUBRESOURCE, AzureManagedRedis
from tests.helpers import ref, resources

VNET = "/subscriptions/s/resourceGroups/t-rg/providers/Microsoft.Network/virtualNetworks/t-vnet"


def cache(stack, **kwargs):
    props = dict(name="acme-t-0123abcd-cache", sku_name="Balanced_B5", location="westeurope",
                 resource_group_name="t-rg", vnet_id=VNET, private_endpoint_subnet_id=f"{VNET}/subnets/pe", tags={})
    props.update(kwargs)
    return AzureManagedRedis(stack, "cache", **props)


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    app = App(outdir=str(tmp_path_factory.mktemp("cache")))
    stack = TerraformStack(app, "probe")
    AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()])
    cache(stack)
    app.synth()
    return json.loads(Path(app.outdir, "stacks", "probe", "cdk.tf.json").read_text())


def test_highly_available_private_tls_and_keyless(probe):
    [redis] = resources(probe, "azurerm_managed_redis")
    assert redis["sku_name"] == "Balanced_B5" and redis["high_availability_enabled"] is True
    assert redis["public_network_access"] == "Disabled"
    db = redis["default_database"]
    assert db["access_keys_authentication_enabled"] is False and db["client_protocol"] == "Encrypted"
    assert redis["lifecycle"] == {"prevent_destroy": True}


def test_private_endpoint_in_the_redis_zone(probe):
    [redis] = resources(probe, "azurerm_managed_redis")
    [pe] = resources(probe, "azurerm_private_endpoint")
    [zone] = resources(probe, "azurerm_private_dns_zone")
    assert zone["name"] == CACHE_PRIVATE_ZONE
    assert pe["private_service_connection"]["subresource_names"] == [CACHE_SUBRESOURCE]
    assert pe["private_service_connection"]["private_connection_resource_id"] == ref(
        probe, "azurerm_managed_redis", redis)


@pytest.mark.parametrize("sku", ["Balanced_B0", "MemoryOptimized_M10", "ComputeOptimized_X700", "FlashOptimized_A250"])
def test_managed_redis_skus_are_accepted(tmp_path, sku):
    cache(TerraformStack(App(outdir=str(tmp_path)), "probe"), sku_name=sku)


def test_bad_name_and_sku_are_reported_together(tmp_path):
    with pytest.raises(ValueError, match="'a--b'.*'Premium_P1' is not an Azure Managed Redis SKU"):
        cache(TerraformStack(App(outdir=str(tmp_path)), "probe"), name="a--b", sku_name="Premium_P1")
