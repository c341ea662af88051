"""NetworkFirewall: internal traffic, Google health checks, proxy-only subnet; nothing open to the internet."""

import pytest

from platform_constructs.gcp.firewall import HEALTH_CHECK_RANGES
from tests.helpers import gcp_spec
from tests.helpers import resources, synth


@pytest.fixture(scope="module")
def rules():
    return {r["name"]: r for r in resources(synth(gcp_spec())["network"], "google_compute_firewall")}


def test_three_ingress_rules_all_targeting_the_node_tag(rules):
    assert set(rules) == {"t-allow-internal", "t-allow-health-checks", "t-allow-proxy-only"}
    for rule in rules.values():
        assert rule["direction"] == "INGRESS" and rule["target_tags"] == ["t-gke-node"]
        assert rule["log_config"] == {"metadata": "INCLUDE_ALL_METADATA"}
        assert "deny" not in rule


def test_internal_rule_admits_nodes_and_pods_only(rules):
    internal = rules["t-allow-internal"]
    assert internal["source_ranges"] == ["10.0.128.0/19", "10.0.0.0/17"]
    assert [a["protocol"] for a in internal["allow"]] == ["tcp", "udp", "icmp", "sctp"]


def test_health_checks_come_from_googles_ranges(rules):
    assert HEALTH_CHECK_RANGES == ("35.191.0.0/16", "130.211.0.0/22")
    hc = rules["t-allow-health-checks"]
    assert hc["source_ranges"] == list(HEALTH_CHECK_RANGES) and hc["allow"] == [{"protocol": "tcp"}]


def test_proxy_only_subnet_reaches_the_nodes(rules):
    assert rules["t-allow-proxy-only"]["source_ranges"] == ["10.0.176.0/23"]


def test_nothing_is_open_to_the_internet(rules):
    for rule in rules.values():
        assert "0.0.0.0/0" not in rule["source_ranges"]
        assert all(not r.endswith("/0") for r in rule["source_ranges"])
