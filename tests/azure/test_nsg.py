"""SubnetSecurityGroup: every subnet has an NSG, none admits inbound from the internet."""

import pytest

from tests.helpers import azure_spec
from tests.helpers import ref, resources, synth


@pytest.fixture(scope="module")
def network():
    return synth(azure_spec())["network"]


def test_every_subnet_has_an_nsg(network):
    associated = {a["subnet_id"] for a in resources(network, "azurerm_subnet_network_security_group_association")}
    assert associated == {ref(network, "azurerm_subnet", s) for s in resources(network, "azurerm_subnet")}


def test_each_nsg_denies_internet_inbound_explicitly(network):
    rules = resources(network, "azurerm_network_security_rule")
    denies = [r for r in rules if r["name"] == "deny-internet-inbound"]
    assert len(denies) == len(resources(network, "azurerm_network_security_group")) == 5
    for rule in denies:
        assert (rule["access"], rule["direction"], rule["source_address_prefix"], rule["priority"]) == (
            "Deny", "Inbound", "Internet", 4096)


def test_only_https_to_the_app_gateway_is_allowed_from_the_internet(network):
    for rule in resources(network, "azurerm_network_security_rule"):
        if rule["access"] == "Allow" and rule["direction"] == "Inbound" \
                and rule["source_address_prefix"] in ("*", "Internet", "0.0.0.0/0", "Any"):
            assert (rule["name"], rule["protocol"], rule["destination_port_range"]) == ("allow-internet-https", "Tcp", "443")


def test_only_the_app_gateway_subnet_admits_gateway_manager_and_https(network):
    allows = [r for r in resources(network, "azurerm_network_security_rule") if r["access"] == "Allow"]
    assert sorted((r["source_address_prefix"], r["destination_port_range"]) for r in allows) == [
        ("GatewayManager", "65200-65535"), ("Internet", "443")]
    nsgs = {ref(network, "azurerm_network_security_group", n, "name"): n["name"]
            for n in resources(network, "azurerm_network_security_group")}
    assert {nsgs[r["network_security_group_name"]] for r in allows} == {"t-app-gateway-nsg"}
