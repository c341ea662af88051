"""AzureVpn (in AzureNetwork): GatewaySubnet, zone-redundant public IP and VPN gateway, the peer, the connection."""

from __future__ import annotations

import ipaddress

import pytest

from platform_constructs.azure.network import carve_azure_subnets
from tests.helpers import azure_spec, one, ref, resources, synth

KEY_VAULT = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.KeyVault/vaults/kv-net"
VPN = {"peer_ip": "198.51.100.7", "peer_cidrs": ["192.168.0.0/16", "172.20.0.0/16"], "bgp_asn": 65010,
       "shared_secret_name": "office-vpn-psk", "gateway_subnet_cidr": "10.1.0.0/27", "key_vault_id": KEY_VAULT}
STATIC = {k: v for k, v in VPN.items() if k != "bgp_asn"} | {"gateway_sku": "VpnGw2AZ"}
VPN_TYPES = ("azurerm_virtual_network_gateway", "azurerm_local_network_gateway", "azurerm_virtual_network_gateway_connection")


@pytest.fixture(scope="module")
def bgp():
    return synth(azure_spec(network={"vpn": VPN}))["network"]


@pytest.fixture(scope="module")
def static():
    return synth(azure_spec(name="static", network={"vpn": STATIC}))["network"]


def gateway_subnet(stack) -> dict:
    [subnet] = [s for s in resources(stack, "azurerm_subnet") if s["name"] == "GatewaySubnet"]
    return subnet


def test_no_vpn_section_builds_no_vpn_and_keeps_one_address_space():
    stack = synth(azure_spec())["network"]
    assert [t for t in VPN_TYPES if resources(stack, t)] == []
    assert [s for s in resources(stack, "azurerm_subnet") if s["name"] == "GatewaySubnet"] == []
    assert one(stack, "azurerm_virtual_network")["address_space"] == ["10.0.0.0/16"]


def test_the_gateway_subnet_is_its_own_address_space_overlapping_no_other_subnet(bgp):
    vnet = one(bgp, "azurerm_virtual_network")
    assert vnet["address_space"] == ["10.0.0.0/16", "10.1.0.0/27"]
    subnet = gateway_subnet(bgp)
    assert subnet["address_prefixes"] == ["10.1.0.0/27"]
    assert subnet["virtual_network_name"] == ref(bgp, "azurerm_virtual_network", vnet, "name")
    others = [ipaddress.IPv4Network(s["address_prefixes"][0]) for s in resources(bgp, "azurerm_subnet") if s is not subnet]
    assert len(others) == len(vars(carve_azure_subnets("10.0.0.0/16")))
    assert not any(ipaddress.IPv4Network("10.1.0.0/27").overlaps(o) for o in others)


def test_the_gateway_subnet_has_no_nsg_and_no_nat(bgp):
    subnet = ref(bgp, "azurerm_subnet", gateway_subnet(bgp))
    assert subnet not in {a["subnet_id"] for a in resources(bgp, "azurerm_subnet_network_security_group_association")}
    assert subnet not in {a["subnet_id"] for a in resources(bgp, "azurerm_subnet_nat_gateway_association")}


def test_a_zone_redundant_static_public_ip(bgp):
    [ip] = [p for p in resources(bgp, "azurerm_public_ip") if p["name"] == "t-vpn"]
    assert (ip["sku"], ip["allocation_method"], ip["zones"]) == ("Standard", "Static", ["1", "2", "3"])


@pytest.mark.parametrize("fixture, sku, generation", [("bgp", "VpnGw1AZ", "Generation1"), ("static", "VpnGw2AZ", "Generation2")])
def test_a_route_based_vpn_gateway_with_a_zone_redundant_sku(fixture, sku, generation, request):
    stack = request.getfixturevalue(fixture)
    gateway = one(stack, "azurerm_virtual_network_gateway")
    assert (gateway["type"], gateway["vpn_type"], gateway["sku"], gateway["generation"]) == ("Vpn", "RouteBased", sku, generation)
    assert gateway["sku"].endswith("AZ") and gateway["active_active"] is False
    [config] = gateway["ip_configuration"]
    assert config["subnet_id"] == ref(stack, "azurerm_subnet", gateway_subnet(stack))
    [ip] = [p for p in resources(stack, "azurerm_public_ip") if p["name"].endswith("-vpn")]
    assert config["public_ip_address_id"] == ref(stack, "azurerm_public_ip", ip)


def test_bgp_on_both_sides_when_an_asn_is_given(bgp, static):
    gateway, peer = one(bgp, "azurerm_virtual_network_gateway"), one(bgp, "azurerm_local_network_gateway")
    assert gateway["enable_bgp"] is True and gateway["bgp_settings"]["asn"] == 65515
    [addresses] = gateway["bgp_settings"]["peering_addresses"]
    assert addresses["ip_configuration_name"] == gateway["ip_configuration"][0]["name"]
    assert peer["bgp_settings"]["asn"] == 65010
    for address in [*addresses["apipa_addresses"], peer["bgp_settings"]["bgp_peering_address"]]:
        assert ipaddress.IPv4Address(address) in ipaddress.IPv4Network("169.254.21.0/24")
    assert one(bgp, "azurerm_virtual_network_gateway_connection")["enable_bgp"] is True
    assert one(static, "azurerm_virtual_network_gateway")["enable_bgp"] is False
    assert "bgp_settings" not in one(static, "azurerm_virtual_network_gateway")
    assert "bgp_settings" not in one(static, "azurerm_local_network_gateway")
    assert one(static, "azurerm_virtual_network_gateway_connection")["enable_bgp"] is False


@pytest.mark.parametrize("fixture", ["bgp", "static"])
def test_the_local_network_gateway_is_the_peer_and_its_ranges(fixture, request):
    peer = one(request.getfixturevalue(fixture), "azurerm_local_network_gateway")
    assert (peer["gateway_address"], peer["address_space"]) == ("198.51.100.7", ["192.168.0.0/16", "172.20.0.0/16"])


def test_the_connection_is_ikev2_with_a_hardened_policy(bgp):
    connection = one(bgp, "azurerm_virtual_network_gateway_connection")
    assert connection["virtual_network_gateway_id"] == ref(bgp, "azurerm_virtual_network_gateway",
                                                           one(bgp, "azurerm_virtual_network_gateway"))
    assert connection["local_network_gateway_id"] == ref(bgp, "azurerm_local_network_gateway",
                                                         one(bgp, "azurerm_local_network_gateway"))
    assert (connection["type"], connection["connection_protocol"]) == ("IPsec", "IKEv2")
    assert connection["use_policy_based_traffic_selectors"] is False
    policy = connection["ipsec_policy"]
    assert policy["ike_encryption"] in ("AES256", "GCMAES256") and policy["ike_integrity"] in ("SHA256", "SHA384")
    assert policy["dh_group"] in ("DHGroup14", "DHGroup2048", "ECP256", "ECP384")
    assert policy["ipsec_encryption"] in ("AES256", "GCMAES256") and policy["ipsec_integrity"] in ("SHA256", "GCMAES256")
    assert policy["pfs_group"] in ("PFS2048", "PFS14", "ECP256", "ECP384")
    assert 300 <= policy["sa_lifetime"] <= 27000


def test_the_shared_key_comes_from_the_named_key_vault_secret(bgp):
    [(logical_id, secret)] = bgp["data"]["azurerm_key_vault_secret"].items()
    assert (secret["name"], secret["key_vault_id"]) == ("office-vpn-psk", KEY_VAULT)
    connection = one(bgp, "azurerm_virtual_network_gateway_connection")
    assert connection["shared_key"] == f"${{data.azurerm_key_vault_secret.{logical_id}.value}}"
