"""GcpVpn (in GcpNetwork): HA VPN gateway, the peer, a BGP Cloud Router, two tunnels with interfaces and peers."""

from __future__ import annotations

import ipaddress
import json

import pytest

from tests.helpers import gcp_spec, one, ref, resources, synth

VPN = {"peer_ip": "198.51.100.7", "peer_cidrs": ["192.168.0.0/16"], "bgp_asn": 65010, "shared_secret_name": "office-vpn-psk"}
VPN_TYPES = ("google_compute_ha_vpn_gateway", "google_compute_external_vpn_gateway", "google_compute_vpn_tunnel",
             "google_compute_router_interface", "google_compute_router_peer")


@pytest.fixture(scope="module")
def network():
    return synth(gcp_spec(network={"vpn": VPN}))["network"]


def vpn_router(stack) -> dict:
    [router] = [r for r in resources(stack, "google_compute_router") if r["name"] == "t-vpn"]
    return router


def test_no_vpn_section_builds_no_vpn():
    stack = synth(gcp_spec())["network"]
    assert [t for t in VPN_TYPES if resources(stack, t)] == []
    assert "google_secret_manager_secret_version" not in stack.get("data", {})
    assert [r["name"] for r in resources(stack, "google_compute_router")] == ["t-router"]


def test_ha_vpn_gateway_in_the_networks_region(network):
    gateway = one(network, "google_compute_ha_vpn_gateway")
    assert gateway["network"] == ref(network, "google_compute_network", one(network, "google_compute_network"))
    assert (gateway["region"], gateway["stack_type"]) == ("us-central1", "IPV4_ONLY")


def test_the_peer_is_an_external_gateway_with_one_interface(network):
    peer = one(network, "google_compute_external_vpn_gateway")
    assert peer["redundancy_type"] == "SINGLE_IP_INTERNALLY_REDUNDANT"
    assert peer["interface"] == [{"id": 0, "ip_address": "198.51.100.7"}]


def test_a_cloud_router_of_its_own_speaks_bgp_and_advertises_the_subnets(network):
    router = vpn_router(network)
    assert router["network"] == ref(network, "google_compute_network", one(network, "google_compute_network"))
    bgp = router["bgp"]
    assert bgp["asn"] == 64514 and bgp["asn"] != VPN["bgp_asn"]
    assert (bgp["advertise_mode"], bgp["advertised_groups"]) == ("CUSTOM", ["ALL_SUBNETS"])
    nat_router = [r for r in resources(network, "google_compute_router") if r is not router]
    assert len(nat_router) == 1 and "bgp" not in nat_router[0]


def test_two_ikev2_tunnels_one_per_gateway_interface_to_the_peer(network):
    tunnels = resources(network, "google_compute_vpn_tunnel")
    gateway = ref(network, "google_compute_ha_vpn_gateway", one(network, "google_compute_ha_vpn_gateway"))
    peer = ref(network, "google_compute_external_vpn_gateway", one(network, "google_compute_external_vpn_gateway"))
    router = ref(network, "google_compute_router", vpn_router(network))
    assert sorted(t["vpn_gateway_interface"] for t in tunnels) == [0, 1]
    for t in tunnels:
        assert (t["vpn_gateway"], t["peer_external_gateway"], t["peer_external_gateway_interface"]) == (gateway, peer, 0)
        assert (t["router"], t["ike_version"], t["region"]) == (router, 2, "us-central1")


def test_the_shared_secret_comes_from_secret_manager_by_name_never_the_file(network):
    [(logical_id, secret)] = network["data"]["google_secret_manager_secret_version"].items()
    assert (secret["secret"], secret["project"]) == ("office-vpn-psk", "proj-1")
    assert "version" not in secret  # the latest version
    expression = f"${{data.google_secret_manager_secret_version.{logical_id}.secret_data}}"
    assert {t["shared_secret"] for t in resources(network, "google_compute_vpn_tunnel")} == {expression}


def test_each_tunnel_has_a_router_interface_and_a_bgp_peer_on_its_own_link_local_30(network):
    router_name = ref(network, "google_compute_router", vpn_router(network), "name")
    tunnels = {ref(network, "google_compute_vpn_tunnel", t, "name"): t for t in resources(network, "google_compute_vpn_tunnel")}
    interfaces = resources(network, "google_compute_router_interface")
    peers = resources(network, "google_compute_router_peer")
    assert len(interfaces) == len(peers) == 2
    assert {i["vpn_tunnel"] for i in interfaces} == set(tunnels)
    ranges = [ipaddress.IPv4Interface(i["ip_range"]) for i in interfaces]
    assert all(r.network.prefixlen == 30 and r.ip in ipaddress.IPv4Network("169.254.0.0/16") for r in ranges)
    assert len({r.network for r in ranges}) == 2
    for interface in interfaces:
        [peer] = [p for p in peers if p["interface"] == ref(network, "google_compute_router_interface", interface, "name")]
        own = ipaddress.IPv4Interface(interface["ip_range"])
        assert ipaddress.IPv4Address(peer["peer_ip_address"]) in own.network and peer["peer_ip_address"] != str(own.ip)
        assert (peer["peer_asn"], peer["router"], interface["router"]) == (65010, router_name, router_name)


def test_outputs_give_the_peer_device_its_addresses(network):
    outputs = network["output"]
    gateway = one(network, "google_compute_ha_vpn_gateway")
    assert outputs["vpn_gateway_addresses"]["value"] == [
        ref(network, "google_compute_ha_vpn_gateway", gateway, f"vpn_interfaces[{i}].ip_address") for i in (0, 1)]
    sessions = outputs["vpn_bgp_sessions"]["value"]
    ranges = {i["ip_range"].split("/")[0] for i in resources(network, "google_compute_router_interface")}
    assert {s["cloud_router_address"] for s in sessions} == ranges
    assert {s["peer_address"] for s in sessions} == {p["peer_ip_address"] for p in resources(network, "google_compute_router_peer")}
    assert "office-vpn-psk" not in json.dumps(outputs)
