"""AwsVpn (in AwsNetwork): gateway, customer gateway, connection, routes, tunnel hardening and logs.

The JSON of three environments: BGP with route propagation, static routing, and BGP with
propagation switched off (the emulator's choice); and ``terraform validate`` of the network stack
with the real provider for the first two.
"""

from __future__ import annotations

import json
import shutil

import pytest

from platform_tools.terraform import run, terraform_env
from tests.helpers import make_spec, one, ref, resources, synth

# Not 172.20.0.0/16: with a VPC in 10.0.0.0/8 that is the Services' range EKS picks (refused by the model).
PEERS = ["192.168.0.0/16", "172.24.0.0/16"]
BGP = {"peer_ip": "198.51.100.7", "peer_cidrs": PEERS, "bgp_asn": 65010}
STATIC = {"peer_ip": "198.51.100.7", "peer_cidrs": PEERS}
NO_PROPAGATION = {**BGP, "bgp_asn": 4200000001, "route_propagation": False}
VPN_TYPES = ("aws_vpn_gateway", "aws_customer_gateway", "aws_vpn_connection", "aws_vpn_connection_route",
             "aws_vpn_gateway_route_propagation")


def network_with(vpn: dict, name: str) -> dict:
    return synth(make_spec(name=name, network={"vpn": vpn}))["network"]


@pytest.fixture(scope="module")
def bgp():
    return network_with(BGP, "bgp")


@pytest.fixture(scope="module")
def static():
    return network_with(STATIC, "static")


@pytest.fixture(scope="module")
def no_propagation():
    return network_with(NO_PROPAGATION, "noprop")


def private_tables(stack) -> list[str]:
    return [ref(stack, "aws_route_table", t) for t in resources(stack, "aws_route_table") if "-private-" in t["tags"]["Name"]]


def test_no_vpn_section_builds_no_vpn():
    stack = synth(make_spec())["network"]
    assert [t for t in VPN_TYPES if resources(stack, t)] == []
    assert not any("vpn" in key for key in stack.get("output", {}))


def test_the_gateway_is_attached_to_the_vpc_with_the_amazon_side_asn(bgp):
    gateway = one(bgp, "aws_vpn_gateway")
    assert gateway["vpc_id"] == ref(bgp, "aws_vpc", one(bgp, "aws_vpc"))
    assert gateway["amazon_side_asn"] == "64512"


@pytest.mark.parametrize("fixture, asn_field, asn", [
    ("bgp", "bgp_asn", "65010"), ("static", "bgp_asn", "65000"), ("no_propagation", "bgp_asn_extended", "4200000001"),
])
def test_the_customer_gateway_is_the_peer_with_its_asn(fixture, asn_field, asn, request):
    stack = request.getfixturevalue(fixture)
    peer = one(stack, "aws_customer_gateway")
    assert (peer["ip_address"], peer["type"], peer[asn_field]) == ("198.51.100.7", "ipsec.1", asn)
    assert ({"bgp_asn", "bgp_asn_extended"} - {asn_field}).isdisjoint(peer)


@pytest.mark.parametrize("fixture, static_only", [("bgp", False), ("static", True), ("no_propagation", False)])
def test_the_connection_joins_both_gateways_and_states_its_routing_explicitly(fixture, static_only, request):
    stack = request.getfixturevalue(fixture)
    connection = one(stack, "aws_vpn_connection")
    assert connection["type"] == "ipsec.1"
    assert connection["vpn_gateway_id"] == ref(stack, "aws_vpn_gateway", one(stack, "aws_vpn_gateway"))
    assert connection["customer_gateway_id"] == ref(stack, "aws_customer_gateway", one(stack, "aws_customer_gateway"))
    assert "static_routes_only" in connection and connection["static_routes_only"] is static_only


def test_static_routing_routes_every_peer_range_on_the_connection(static, bgp):
    connection = ref(static, "aws_vpn_connection", one(static, "aws_vpn_connection"))
    routes = resources(static, "aws_vpn_connection_route")
    assert sorted(r["destination_cidr_block"] for r in routes) == sorted(PEERS)
    assert {r["vpn_connection_id"] for r in routes} == {connection}
    assert resources(bgp, "aws_vpn_connection_route") == []


@pytest.mark.parametrize("tunnel", ["tunnel1", "tunnel2"])
def test_both_tunnels_are_hardened(bgp, tunnel):
    c = one(bgp, "aws_vpn_connection")
    assert c[f"{tunnel}_ike_versions"] == ["ikev2"]
    for phase in ("phase1", "phase2"):
        assert set(c[f"{tunnel}_{phase}_encryption_algorithms"]) <= {"AES256", "AES256-GCM-16"}
        assert c[f"{tunnel}_{phase}_integrity_algorithms"] and all(
            a.startswith("SHA2-") for a in c[f"{tunnel}_{phase}_integrity_algorithms"])
        groups = c[f"{tunnel}_{phase}_dh_group_numbers"]
        assert groups and min(groups) >= 14 and not {22, 23, 24} & set(groups)
    assert c[f"{tunnel}_phase1_lifetime_seconds"] == 28800 and c[f"{tunnel}_phase2_lifetime_seconds"] == 3600


def test_tunnel_logs_go_to_an_encrypted_log_group_with_the_networks_retention(bgp):
    connection = one(bgp, "aws_vpn_connection")
    [group] = [g for g in resources(bgp, "aws_cloudwatch_log_group") if g["name"] == "/aws/vpn/bgp/tunnels"]
    assert group["kms_key_id"] == ref(bgp, "aws_kms_key", one(bgp, "aws_kms_key"), "arn")
    assert group["retention_in_days"] == 30
    for tunnel in ("tunnel1", "tunnel2"):
        options = connection[f"{tunnel}_log_options"]["cloudwatch_log_options"]
        assert options == {"log_enabled": True, "log_group_arn": ref(bgp, "aws_cloudwatch_log_group", group, "arn"),
                           "log_output_format": "json"}


def test_no_pre_shared_key_is_written_anywhere(bgp, static):
    for stack in (bgp, static):
        connection = one(stack, "aws_vpn_connection")
        assert not [k for k in connection if "preshared_key" in k]
        assert "preshared" not in json.dumps(stack.get("output", {}))


@pytest.mark.parametrize("fixture", ["bgp", "static"])
def test_propagation_reaches_every_private_route_table_and_only_those(fixture, request):
    stack = request.getfixturevalue(fixture)
    gateway = ref(stack, "aws_vpn_gateway", one(stack, "aws_vpn_gateway"))
    propagations = resources(stack, "aws_vpn_gateway_route_propagation")
    assert sorted(p["route_table_id"] for p in propagations) == sorted(private_tables(stack))
    assert len(propagations) == 3 and {p["vpn_gateway_id"] for p in propagations} == {gateway}
    assert [r for r in resources(stack, "aws_route") if r.get("destination_cidr_block") in PEERS] == []


def test_without_propagation_each_private_table_routes_each_peer_range_to_the_gateway(no_propagation):
    stack = no_propagation
    gateway = ref(stack, "aws_vpn_gateway", one(stack, "aws_vpn_gateway"))
    assert resources(stack, "aws_vpn_gateway_route_propagation") == []
    routes = [r for r in resources(stack, "aws_route") if r.get("destination_cidr_block") in PEERS]
    assert sorted((r["route_table_id"], r["destination_cidr_block"]) for r in routes) == sorted(
        (t, p) for t in private_tables(stack) for p in PEERS)
    assert {r["gateway_id"] for r in routes} == {gateway}


def test_outputs_name_what_the_peer_device_needs(bgp):
    outputs = bgp["output"]
    connection = one(bgp, "aws_vpn_connection")
    assert outputs["vpn_connection_id"]["value"] == ref(bgp, "aws_vpn_connection", connection)
    assert outputs["vpn_tunnel_addresses"]["value"] == [ref(bgp, "aws_vpn_connection", connection, "tunnel1_address"),
                                                        ref(bgp, "aws_vpn_connection", connection, "tunnel2_address")]


@pytest.mark.slow
@pytest.mark.validate
@pytest.mark.parametrize("vpn, name", [(BGP, "bgp"), (STATIC, "static")])
def test_the_network_stack_with_a_vpn_validates_with_the_real_provider(vpn, name, tmp_path):
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not on PATH; the README lists it as a prerequisite")
    folder = tmp_path / "stack"
    folder.mkdir()
    (folder / "cdk.tf.json").write_text(json.dumps(network_with(vpn, name)))
    env = terraform_env(tmp_path / "tf")
    run(["init", "-backend=false", "-input=false"], cwd=folder, env=env)
    result = json.loads(run(["validate", "-json"], cwd=folder, env=env, check=False).stdout)
    assert result["valid"] is True and result["error_count"] == 0, json.dumps(result["diagnostics"], indent=1)
    assert result["warning_count"] == 0, json.dumps(result["diagnostics"], indent=1)
