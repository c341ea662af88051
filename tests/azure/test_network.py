"""AzureNetwork: resource group, VNet, regional subnets carved from the CIDR, contract outputs."""

import ipaddress

import pytest

from platform_constructs.azure.network import AKS_DELEGATION, carve_azure_subnets
from tests.helpers import azure_spec
from tests.helpers import one, ref, resources, synth


@pytest.fixture(scope="module")
def network():
    return synth(azure_spec())["network"]


def subnets(stack):
    return {s["name"].removeprefix("t-"): s for s in resources(stack, "azurerm_subnet")}


def test_resource_group_defaults_to_env_name_rg(network):
    rg = one(network, "azurerm_resource_group")
    assert rg["name"] == "t-rg" and rg["location"] == "westeurope"
    assert rg["tags"]["environment"] == "t" and rg["tags"]["team"] == "platform"


def test_resource_group_name_from_the_file():
    stack = synth(azure_spec(name="named", azure={"resource_group_name": "my-rg"}))["network"]
    assert one(stack, "azurerm_resource_group")["name"] == "my-rg"


def test_vnet_spans_network_cidr(network):
    vnet = one(network, "azurerm_virtual_network")
    assert vnet["address_space"] == ["10.0.0.0/16"]


def test_six_role_subnets_inside_the_cidr_without_overlap(network):
    found = subnets(network)
    assert set(found) == {"user-nodes", "system-nodes", "load-balancers", "private-endpoints", "api-server",
                          "app-gateway"}
    nets = [ipaddress.IPv4Network(s["address_prefixes"][0]) for s in found.values()]
    assert all(n.subnet_of(ipaddress.IPv4Network("10.0.0.0/16")) for n in nets)
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1:])
    assert all(s["default_outbound_access_enabled"] is False for s in found.values())


def test_carving_fits_the_smallest_network():
    layout = carve_azure_subnets("10.0.0.0/24")
    assert ipaddress.IPv4Network(layout.api_server).prefixlen == 28
    assert ipaddress.IPv4Network(layout.app_gateway).prefixlen == 28
    assert carve_azure_subnets("10.0.0.0/16").user == "10.0.0.0/17"


def test_app_gateway_takes_the_last_free_quarter_of_the_last_quarter():
    layout = carve_azure_subnets("10.0.0.0/16")
    assert (layout.load_balancer, layout.private_endpoint, layout.api_server, layout.app_gateway) == (
        "10.0.192.0/20", "10.0.208.0/20", "10.0.224.0/20", "10.0.240.0/20")


def test_app_gateway_subnet_has_no_nat_gateway(network):
    nat_subnets = {a["subnet_id"] for a in resources(network, "azurerm_subnet_nat_gateway_association")}
    found = subnets(network)
    assert nat_subnets == {ref(network, "azurerm_subnet", found[k]) for k in ("user-nodes", "system-nodes")}


def test_app_gateway_subnet_admits_https_from_the_internet_and_nothing_else_public(network):
    nsgs = {ref(network, "azurerm_network_security_group", n, "name"): n["name"]
            for n in resources(network, "azurerm_network_security_group")}
    public = [r for r in resources(network, "azurerm_network_security_rule")
              if r["access"] == "Allow" and r["source_address_prefix"] == "Internet"]
    assert [(nsgs[r["network_security_group_name"]], r["protocol"], r["destination_port_range"]) for r in public] == [
        ("t-app-gateway-nsg", "Tcp", "443")]


def test_without_the_load_balancer_controller_the_gateway_subnet_stays_closed():
    network = synth(azure_spec(name="closed", addons={"load_balancer_controller": False}))["network"]
    assert "closed-app-gateway" in {s["name"] for s in resources(network, "azurerm_subnet")}
    assert not [r for r in resources(network, "azurerm_network_security_rule")
                if r["access"] == "Allow" and r["source_address_prefix"] == "Internet"]


def test_api_server_subnet_is_delegated_to_aks(network):
    delegation = subnets(network)["api-server"]["delegation"][0]
    assert delegation["service_delegation"]["name"] == AKS_DELEGATION


def test_private_endpoint_subnet_enforces_network_policies(network):
    assert subnets(network)["private-endpoints"]["private_endpoint_network_policies"] == "Enabled"


def test_contract_outputs_map_every_zone_to_the_regional_subnets(network):
    outputs = network["output"]
    for name in ("vnet_id", "resource_group_name", "private_subnet_ids", "public_subnet_ids",
                 "private_subnet_ids_by_zone", "public_subnet_ids_by_zone", "system_subnet_id", "user_subnet_id",
                 "api_server_subnet_id", "private_endpoint_subnet_id", "load_balancer_subnet_id",
                 "app_gateway_subnet_id", "node_security_group_id", "nat_public_ip"):
        assert name in outputs, name
    found = subnets(network)
    by_zone = outputs["private_subnet_ids_by_zone"]["value"]
    assert sorted(by_zone) == ["1", "2", "3"]
    assert set(by_zone.values()) == {ref(network, "azurerm_subnet", found["user-nodes"])}
    assert set(outputs["public_subnet_ids_by_zone"]["value"].values()) == {
        ref(network, "azurerm_subnet", found["load-balancers"])}
