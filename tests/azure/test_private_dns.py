"""AzurePrivateDns: a Private DNS zone linked to the VNet (no auto-registration), an optional public zone."""

import pytest

from platform_constructs.azure.private_dns import AzurePrivateDns
from tests.helpers import azure_spec, one, ref, resources, synth

DNS = {"private_zone": "corp.internal", "public_zone": "apps.example.com"}


@pytest.fixture(scope="module")
def network():
    return synth(azure_spec(name="adns", network={"cidr": "10.0.0.0/16", "nat": "single", "dns": DNS}))["network"]


def test_the_private_zone_is_linked_to_the_vnet_without_registration(network):
    zone = one(network, "azurerm_private_dns_zone")
    link = one(network, "azurerm_private_dns_zone_virtual_network_link")
    assert zone["name"] == "corp.internal"
    assert link["private_dns_zone_name"] == ref(network, "azurerm_private_dns_zone", zone, "name")
    assert link["virtual_network_id"] == ref(network, "azurerm_virtual_network", one(network, "azurerm_virtual_network"))
    assert link["registration_enabled"] is False


def test_zones_live_in_the_networks_resource_group(network):
    rg = ref(network, "azurerm_resource_group", one(network, "azurerm_resource_group"), "name")
    assert one(network, "azurerm_private_dns_zone")["resource_group_name"] == rg
    assert one(network, "azurerm_dns_zone")["resource_group_name"] == rg


def test_the_public_zone_and_its_name_servers(network):
    assert one(network, "azurerm_dns_zone")["name"] == "apps.example.com"
    assert ".name_servers)}" in network["output"]["public_zone_name_servers"]["value"]
    assert network["output"]["private_zone_id"]["value"].startswith("${azurerm_private_dns_zone.")


def test_without_dns_there_is_no_zone():
    network = synth(azure_spec())["network"]
    assert not resources(network, "azurerm_private_dns_zone") and not resources(network, "azurerm_dns_zone")


def test_the_same_name_twice_is_refused_by_the_construct():
    with pytest.raises(ValueError, match="also the private zone"):
        AzurePrivateDns(None, "x", name="n", resource_group_name="rg", virtual_network_id="id",
                        private_zone="corp.internal", public_zone="corp.internal")
