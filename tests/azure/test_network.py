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


def test_five_role_subnets_inside_the_cidr_without_overlap(network):
    found = subnets(network)
    assert set(found) == {"user-nodes", "system-nodes", "load-balancers", "private-endpoints", "api-server"}
    nets = [ipaddress.IPv4Network(s["address_prefixes"][0]) for s in found.values()]
    assert all(n.subnet_of(ipaddress.IPv4Network("10.0.0.0/16")) for n in nets)
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1:])
    assert all(s["default_outbound_access_enabled"] is False for s in found.values())


def test_carving_fits_the_smallest_network():
    layout = carve_azure_subnets("10.0.0.0/24")
    assert ipaddress.IPv4Network(layout.api_server).prefixlen == 28
    assert carve_azure_subnets("10.0.0.0/16").user == "10.0.0.0/17"


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
                 "node_security_group_id", "nat_public_ip"):
        assert name in outputs, name
    found = subnets(network)
    by_zone = outputs["private_subnet_ids_by_zone"]["value"]
    assert sorted(by_zone) == ["1", "2", "3"]
    assert set(by_zone.values()) == {ref(network, "azurerm_subnet", found["user-nodes"])}
    assert set(outputs["public_subnet_ids_by_zone"]["value"].values()) == {
        ref(network, "azurerm_subnet", found["load-balancers"])}
