"""GcpNetwork: custom-mode VPC, regional node subnet with secondary ranges, proxy-only subnet, contract outputs."""

import ipaddress

import pytest

from tests.helpers import gcp_spec
from tests.helpers import one, ref, resources, synth


@pytest.fixture(scope="module")
def network():
    return synth(gcp_spec())["network"]


def subnets(stack):
    return {s["name"]: s for s in resources(stack, "google_compute_subnetwork")}


def test_vpc_is_custom_mode_with_regional_routing(network):
    vpc = one(network, "google_compute_network")
    assert vpc["name"] == "t" and vpc["auto_create_subnetworks"] is False
    assert vpc["routing_mode"] == "REGIONAL" and vpc["delete_default_routes_on_create"] is False


def test_node_subnet_has_private_google_access_flow_logs_and_secondary_ranges(network):
    nodes = subnets(network)["t-nodes"]
    assert nodes["region"] == "us-central1" and nodes["private_ip_google_access"] is True
    assert nodes["stack_type"] == "IPV4_ONLY"
    assert nodes["log_config"] == {"aggregation_interval": "INTERVAL_5_SEC", "flow_sampling": 0.5, "metadata": "INCLUDE_ALL_METADATA"}
    assert nodes["ip_cidr_range"] == "10.0.128.0/19"
    assert nodes["secondary_ip_range"] == [
        {"range_name": "pods", "ip_cidr_range": "10.0.0.0/17"},
        {"range_name": "services", "ip_cidr_range": "10.0.160.0/20"},
    ]
    assert nodes["network"] == ref(network, "google_compute_network", one(network, "google_compute_network"))


def test_proxy_only_subnet_for_internal_http_load_balancers(network):
    proxy = subnets(network)["t-proxy-only"]
    assert proxy["purpose"] == "REGIONAL_MANAGED_PROXY" and proxy["role"] == "ACTIVE"
    assert proxy["ip_cidr_range"] == "10.0.176.0/23"
    assert "log_config" not in proxy and "private_ip_google_access" not in proxy


def test_carved_ranges_sit_inside_the_network_cidr_without_overlap(network):
    nodes = subnets(network)["t-nodes"]
    cidrs = [nodes["ip_cidr_range"], subnets(network)["t-proxy-only"]["ip_cidr_range"],
             *(r["ip_cidr_range"] for r in nodes["secondary_ip_range"])]
    nets = [ipaddress.IPv4Network(c) for c in cidrs]
    assert all(n.subnet_of(ipaddress.IPv4Network("10.0.0.0/16")) for n in nets)
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1:])


def test_explicit_ranges_are_used_as_given():
    given = {"nodes_cidr": "10.0.0.0/20", "pods_cidr": "100.64.0.0/14", "services_cidr": "10.0.16.0/20",
             "proxy_only_cidr": "10.0.32.0/24"}
    stack = synth(gcp_spec(name="ranges", gcp=given))["network"]
    nodes = subnets(stack)["ranges-nodes"]
    assert nodes["ip_cidr_range"] == "10.0.0.0/20"
    assert [r["ip_cidr_range"] for r in nodes["secondary_ip_range"]] == ["100.64.0.0/14", "10.0.16.0/20"]
    assert subnets(stack)["ranges-proxy-only"]["ip_cidr_range"] == "10.0.32.0/24"


def test_outputs_follow_the_network_contract(network):
    out = network["output"]
    subnet_id = ref(network, "google_compute_subnetwork", subnets(network)["t-nodes"])
    assert out["vpc_id"]["value"] == ref(network, "google_compute_network", one(network, "google_compute_network"))
    assert out["network_id"]["value"] == out["vpc_id"]["value"]
    assert out["private_subnet_ids_by_zone"]["value"] == {z: subnet_id for z in ("us-central1-a", "us-central1-b", "us-central1-c")}
    assert out["private_subnet_ids"]["value"] == [subnet_id] * 3
    assert out["public_subnet_ids"]["value"] == [] and out["public_subnet_ids_by_zone"]["value"] == {}
    assert out["pods_range_name"]["value"] == "pods" and out["services_range_name"]["value"] == "services"
    assert out["node_network_tag"]["value"] == "t-gke-node"
    assert {"network_self_link", "node_subnet_self_link", "proxy_only_subnet_id", "router_name", "nat_name"} <= set(out)
