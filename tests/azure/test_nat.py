"""NatGatewayEgress: one NAT gateway, a static public IP, attached to both node subnets."""

import pytest

from tests.helpers import azure_spec
from tests.helpers import one, ref, resources, synth


@pytest.fixture(scope="module")
def network():
    return synth(azure_spec())["network"]


def test_static_standard_public_ip(network):
    ip = one(network, "azurerm_public_ip")
    assert ip["allocation_method"] == "Static" and ip["sku"] == "Standard"


def test_gateway_uses_the_ip(network):
    gateway = one(network, "azurerm_nat_gateway")
    assert gateway["sku_name"] == "Standard"
    assoc = one(network, "azurerm_nat_gateway_public_ip_association")
    assert assoc["public_ip_address_id"] == ref(network, "azurerm_public_ip", one(network, "azurerm_public_ip"))
    assert assoc["nat_gateway_id"] == ref(network, "azurerm_nat_gateway", gateway)


def test_node_subnets_and_only_they_egress_through_the_gateway(network):
    by_name = {s["name"]: s for s in resources(network, "azurerm_subnet")}
    expected = {ref(network, "azurerm_subnet", by_name[n]) for n in ("t-system-nodes", "t-user-nodes")}
    assert {a["subnet_id"] for a in resources(network, "azurerm_subnet_nat_gateway_association")} == expected
