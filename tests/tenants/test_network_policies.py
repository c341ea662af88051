"""The tenants' NetworkPolicies evaluated as Kubernetes does (tests/tenants/netpol_eval.py): another
tenant cannot reach a tenant's pods, DNS works, the collector is reachable, a listed egress range is
and another is not, the load balancer path reaches the pods. The evaluator is itself tested on
hand-written policies first, so the proofs cannot pass by an evaluator that allows or denies all."""

from __future__ import annotations

import pytest

from platform_constructs.observability.endpoints import COLLECTOR
from platform_constructs.tenants.manifests import tenant_manifests
from platform_constructs.tenants.network import (
    ALLOW_CLOUD_APIS, ALLOW_PUBLIC_HTTPS, ALLOW_COLLECTOR, ALLOW_DNS, ALLOW_EGRESS_CIDRS, ALLOW_LOAD_BALANCER, ALLOW_SAME_NAMESPACE,
    DEFAULT_DENY,
    TenantIngress, default_deny,
)
from tests.helpers import make_spec
from tests.tenants.netpol_eval import Cluster, Endpoint, selector_matches


def policy(namespace, name, pod_selector=None, types=None, ingress=None, egress=None):
    spec = {"podSelector": pod_selector or {}}
    if types is not None:
        spec["policyTypes"] = types
    if ingress is not None:
        spec["ingress"] = ingress
    if egress is not None:
        spec["egress"] = egress
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": name, "namespace": namespace}, "spec": spec}


WEB = Endpoint("10.1.0.1", "shop", {"app": "web"}, {"http": (8080, "TCP")})
DB = Endpoint("10.1.0.2", "shop", {"app": "db"})
OTHER = Endpoint("10.2.0.1", "other", {"app": "web"})
OUTSIDE = Endpoint("203.0.113.7")


# =========================================================================== the evaluator itself

def test_no_policy_allows_everything():
    cluster = Cluster([])
    assert cluster.can_connect(WEB, DB, 5432) and cluster.can_connect(OUTSIDE, WEB, 1, "UDP")


def test_a_policy_isolates_only_the_pods_and_directions_it_selects():
    cluster = Cluster([policy("shop", "db-in", {"matchLabels": {"app": "db"}}, ["Ingress"], ingress=[])])
    assert not cluster.can_connect(WEB, DB, 5432)
    assert cluster.can_connect(DB, WEB, 8080)  # db's egress and web's ingress are not isolated
    assert cluster.isolated(DB, "Ingress") and not cluster.isolated(DB, "Egress")
    assert not cluster.isolated(WEB, "Ingress")


def test_policy_types_default_to_ingress_plus_egress_when_an_egress_section_exists():
    ingress_only = Cluster([policy("shop", "p", egress=None, ingress=[])])
    assert ingress_only.isolated(WEB, "Ingress") and not ingress_only.isolated(WEB, "Egress")
    both = Cluster([policy("shop", "p", egress=[])])
    assert both.isolated(WEB, "Egress") and both.isolated(WEB, "Ingress")


def test_policies_add_up_and_one_matching_rule_is_enough():
    cluster = Cluster([
        policy("shop", "deny", types=["Ingress"]),
        policy("shop", "from-web", {"matchLabels": {"app": "db"}}, ["Ingress"],
               ingress=[{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}], "ports": [{"port": 5432}]}]),
    ])
    assert cluster.can_connect(WEB, DB, 5432)
    assert not cluster.can_connect(WEB, DB, 5433)
    assert not cluster.can_connect(DB, WEB, 8080)
    assert not cluster.can_connect(OTHER, DB, 5432)  # a podSelector alone means the policy's own namespace


def test_egress_and_ingress_must_both_allow():
    cluster = Cluster([
        policy("shop", "web-out", {"matchLabels": {"app": "web"}}, ["Egress"], egress=[]),
    ])
    assert not cluster.can_connect(WEB, DB, 5432)  # db would accept, web may not send
    assert cluster.ingress_allows(WEB, DB, 5432) and not cluster.egress_allows(WEB, DB, 5432)


def test_namespace_selector_and_pod_selector_together_and_apart():
    both = {"namespaceSelector": {"matchLabels": {"team": "x"}}, "podSelector": {"matchLabels": {"app": "web"}}}
    apart = [{"namespaceSelector": {"matchLabels": {"team": "x"}}}, {"podSelector": {"matchLabels": {"app": "web"}}}]
    namespaces = {"other": {"team": "x"}}
    other_db = Endpoint("10.2.0.2", "other", {"app": "db"})
    together = Cluster([policy("shop", "p", types=["Ingress"], ingress=[{"from": [both]}])], namespaces)
    assert together.can_connect(OTHER, DB, 1) and not together.can_connect(other_db, DB, 1)
    assert not together.can_connect(WEB, DB, 1)  # shop is not labelled team=x
    separate = Cluster([policy("shop", "p", types=["Ingress"], ingress=[{"from": apart}])], namespaces)
    assert separate.can_connect(other_db, DB, 1) and separate.can_connect(WEB, DB, 1)


def test_every_namespace_is_labelled_with_its_name():
    cluster = Cluster([policy("shop", "p", types=["Ingress"], ingress=[{"from": [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "other"}}}]}])])
    assert cluster.can_connect(OTHER, DB, 80)
    assert not cluster.can_connect(Endpoint("10.3.0.1", "third"), DB, 80)


def test_match_expressions():
    labels = {"app": "web", "tier": "front"}
    assert selector_matches({"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]}, labels)
    assert not selector_matches({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}, labels)
    assert selector_matches({"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["prod"]}]}, labels)
    assert selector_matches({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, labels)
    assert not selector_matches({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, labels)
    assert not selector_matches({"matchLabels": {"app": "web"},
                                 "matchExpressions": [{"key": "env", "operator": "Exists"}]}, labels)
    assert selector_matches({}, labels) and selector_matches({}, {})
    with pytest.raises(ValueError):
        selector_matches({"matchExpressions": [{"key": "a", "operator": "Equals", "values": ["b"]}]}, labels)


def test_ip_block_with_except_applies_to_outside_addresses_only_by_address():
    cluster = Cluster([policy("shop", "out", types=["Egress"], egress=[
        {"to": [{"ipBlock": {"cidr": "203.0.113.0/24", "except": ["203.0.113.0/29"]}}]}])])
    assert cluster.can_connect(WEB, Endpoint("203.0.113.200"), 443)
    assert not cluster.can_connect(WEB, OUTSIDE, 443)  # .7 is in the except range
    assert not cluster.can_connect(WEB, Endpoint("198.51.100.1"), 443)


def test_ports_protocols_ranges_and_named_ports():
    cluster = Cluster([policy("shop", "in", types=["Ingress"], ingress=[{"ports": [
        {"protocol": "UDP", "port": 53}, {"port": 9000, "endPort": 9010}, {"port": "http"}, {"protocol": "SCTP"}]}])])
    assert cluster.can_connect(DB, WEB, 53, "UDP") and not cluster.can_connect(DB, WEB, 53, "TCP")
    assert cluster.can_connect(DB, WEB, 9005) and not cluster.can_connect(DB, WEB, 9011)
    assert cluster.can_connect(DB, WEB, 8080)  # the named port of web
    assert not cluster.can_connect(WEB, DB, 8080)  # db has no port named http
    assert cluster.can_connect(DB, WEB, 12345, "SCTP")


def test_an_empty_rule_allows_everything_and_no_rules_allow_nothing():
    allow_all = Cluster([policy("shop", "p", types=["Ingress"], ingress=[{}])])
    assert allow_all.can_connect(OUTSIDE, WEB, 1)
    deny_all = Cluster([policy("shop", "p", types=["Ingress"], ingress=[])])
    assert not deny_all.can_connect(OUTSIDE, WEB, 1) and not deny_all.can_connect(DB, WEB, 1)


def test_malformed_policies_are_refused_not_guessed():
    with pytest.raises(ValueError):
        Cluster([policy("shop", "p", types=["Ingress"], ingress=[{"from": [{"podselector": {}}]}])]).can_connect(
            DB, WEB, 1)
    with pytest.raises(ValueError):
        Cluster([{**policy("shop", "p"), "apiVersion": "extensions/v1beta1"}])


# =========================================================================== the tenants' policies

LB_CIDR = "10.0.0.0/22"
EGRESS = "10.20.0.0/16"
TEAM_A = {"name": "team-a", "quota": {"cpu": "20", "memory": "64Gi", "pods": 100}, "egress_cidrs": [EGRESS]}
TEAM_B = {"name": "team-b", "quota": {"cpu": "4", "memory": "8Gi", "pods": 20}, "public_https_egress": False}

A1 = Endpoint("10.100.0.10", "team-a", {"app": "web"}, {"http": (8080, "TCP")})
A2 = Endpoint("10.100.0.11", "team-a", {"app": "worker"})
B1 = Endpoint("10.100.1.10", "team-b", {"app": "web"})
DNS = Endpoint("10.100.2.2", "kube-system", {"k8s-app": "kube-dns"})
KUBE_PROXY = Endpoint("10.100.2.3", "kube-system", {"k8s-app": "kube-proxy"})
COLLECTOR_POD = Endpoint("10.100.3.3", COLLECTOR.namespace,
                         {"app.kubernetes.io/name": "alloy", "app.kubernetes.io/instance": "alloy"})
GRAFANA = Endpoint("10.100.3.4", COLLECTOR.namespace, {"app.kubernetes.io/name": "grafana"})
FAKE_COLLECTOR = Endpoint("10.100.1.11", "team-b", dict(COLLECTOR_POD.labels))
LISTED = Endpoint("10.20.5.5")
NOT_LISTED = Endpoint("10.21.0.1")
INTERNET = Endpoint("8.8.8.8")
LOAD_BALANCER = Endpoint("10.0.1.10")
CONTROLLER = Endpoint("10.100.4.4", "ingress", {"app": "controller"})


def tenants_cluster(ingress=TenantIngress(cidrs=(LB_CIDR,)), cloud_egress=(), **spec_override) -> Cluster:
    spec = make_spec(tenants=[TEAM_A, TEAM_B], **spec_override)
    manifests = [m for t in spec.tenants
                 for m in tenant_manifests(spec, t, ingress=ingress, identity=None, cloud_egress=cloud_egress)]
    return Cluster(manifests)


def test_the_policies_are_named_for_what_they_open():
    spec = make_spec(tenants=[TEAM_A, TEAM_B])
    names = lambda i, ingress: [m["metadata"]["name"] for m in tenant_manifests(  # noqa: E731
        spec, spec.tenants[i], ingress=ingress, identity=None) if m["kind"] == "NetworkPolicy"]
    assert names(0, TenantIngress(cidrs=(LB_CIDR,))) == [
        DEFAULT_DENY, ALLOW_DNS, ALLOW_SAME_NAMESPACE, ALLOW_LOAD_BALANCER, ALLOW_COLLECTOR, ALLOW_EGRESS_CIDRS,
        ALLOW_PUBLIC_HTTPS]
    assert names(1, TenantIngress()) == [DEFAULT_DENY, ALLOW_DNS, ALLOW_SAME_NAMESPACE, ALLOW_COLLECTOR]


def test_default_deny_alone_isolates_both_ways_and_allows_nothing():
    """Whatever the allow-* policies become, the namespace starts closed in both directions."""
    cluster = Cluster([default_deny("team-a")])
    assert cluster.isolated(A1, "Ingress") and cluster.isolated(A1, "Egress")
    assert not cluster.can_connect(A1, A2, 80) and not cluster.can_connect(A1, DNS, 53, "UDP")
    assert not cluster.can_connect(LOAD_BALANCER, A1, 8080)


def test_every_tenant_pod_is_isolated_both_ways():
    cluster = tenants_cluster()
    for pod in (A1, A2, B1):
        assert cluster.isolated(pod, "Ingress") and cluster.isolated(pod, "Egress")


def test_another_tenant_cannot_reach_the_tenant_and_back():
    cluster = tenants_cluster()
    for port in (80, 8080, 443, 53):
        assert not cluster.can_connect(B1, A1, port)
        assert not cluster.can_connect(A1, B1, port)
    assert not cluster.can_connect(B1, A1, 53, "UDP")
    # also when team-b's egress is not what stops it: an unisolated pod elsewhere is refused by team-a's ingress
    assert not cluster.can_connect(KUBE_PROXY, A1, 8080)


def test_pods_of_one_tenant_reach_each_other():
    cluster = tenants_cluster()
    assert cluster.can_connect(A1, A2, 9999) and cluster.can_connect(A2, A1, 8080)
    assert cluster.can_connect(A1, A2, 5000, "UDP")


def test_dns_works_on_udp_and_tcp_53_only_to_the_cluster_dns():
    cluster = tenants_cluster()
    for pod in (A1, B1):
        assert cluster.can_connect(pod, DNS, 53, "UDP") and cluster.can_connect(pod, DNS, 53, "TCP")
        assert not cluster.can_connect(pod, DNS, 8080)
        assert not cluster.can_connect(pod, KUBE_PROXY, 53, "UDP")
        assert not cluster.can_connect(pod, Endpoint("1.1.1.1"), 53, "UDP")


def test_the_collector_is_reachable_on_its_ports_and_nothing_else_in_observability():
    cluster = tenants_cluster()
    for port in COLLECTOR.ports:
        assert cluster.can_connect(A1, COLLECTOR_POD, port.number)
    assert not cluster.can_connect(A1, COLLECTOR_POD, 12345)
    assert not cluster.can_connect(A1, GRAFANA, 80)
    assert not cluster.can_connect(A1, FAKE_COLLECTOR, COLLECTOR.otlp_grpc.number)  # right labels, wrong namespace


def test_without_observability_the_collector_is_not_opened():
    cluster = tenants_cluster(observability={"enabled": False})
    assert not cluster.can_connect(A1, COLLECTOR_POD, COLLECTOR.otlp_grpc.number)


def test_a_listed_egress_range_is_reachable_and_another_is_not():
    cluster = tenants_cluster()
    assert cluster.can_connect(A1, LISTED, 443) and cluster.can_connect(A1, LISTED, 5432)
    assert not cluster.can_connect(A1, NOT_LISTED, 443) and not cluster.can_connect(A1, NOT_LISTED, 5432)
    assert not cluster.can_connect(A1, INTERNET, 5432)
    assert not cluster.can_connect(B1, LISTED, 443)  # team-b lists nothing
    assert not cluster.can_connect(B1, INTERNET, 443)  # and keeps public HTTPS closed


def test_public_https_reaches_public_addresses_on_443_only():
    """The default ``public_https_egress`` lets a pod call the cloud's public APIs (STS, S3, Google
    APIs, Entra ID) and nothing private: not other ranges of the network, not link-local metadata."""
    cluster = tenants_cluster()
    assert cluster.can_connect(A1, INTERNET, 443)
    assert not cluster.can_connect(A1, INTERNET, 80)
    for private in ("10.21.0.1", "172.16.4.4", "192.168.1.1", "100.64.0.1", "169.254.169.254", "127.0.0.1"):
        assert not cluster.can_connect(A1, Endpoint(private), 443), private
    assert not cluster.can_connect(A1, B1, 443)  # another tenant's pod stays closed


def test_the_load_balancer_path_reaches_the_pods_and_nothing_else_does():
    cluster = tenants_cluster()
    assert cluster.can_connect(LOAD_BALANCER, A1, 8080) and cluster.can_connect(LOAD_BALANCER, B1, 8080)
    assert not cluster.can_connect(INTERNET, A1, 8080)
    assert not cluster.can_connect(CONTROLLER, A1, 8080)
    assert not cluster.can_connect(A1, LOAD_BALANCER, 443)  # ingress only: pods do not call the LB range


def test_an_in_cluster_controller_namespace_reaches_the_pods():
    cluster = tenants_cluster(ingress=TenantIngress(namespaces=("ingress",)))
    assert cluster.can_connect(CONTROLLER, A1, 8080)
    assert not cluster.can_connect(LOAD_BALANCER, A1, 8080)
    assert not cluster.can_connect(Endpoint("10.100.5.5", "elsewhere", {"app": "controller"}), A1, 8080)


def test_without_a_load_balancer_path_only_the_namespace_reaches_the_pods():
    cluster = tenants_cluster(ingress=TenantIngress())
    assert not cluster.can_connect(LOAD_BALANCER, A1, 8080)
    assert cluster.can_connect(A2, A1, 8080)


def test_cloud_egress_rules_open_exactly_their_peers_and_ports():
    endpoints = Endpoint("10.0.8.5")
    rules = [{"to": [{"ipBlock": {"cidr": "10.0.8.0/24"}}], "ports": [{"protocol": "TCP", "port": 443}]}]
    assert not tenants_cluster().can_connect(A1, endpoints, 443)
    cluster = tenants_cluster(cloud_egress=rules)
    assert cluster.can_connect(A1, endpoints, 443) and cluster.can_connect(B1, endpoints, 443)
    assert not cluster.can_connect(A1, endpoints, 80)
    assert not cluster.can_connect(A1, Endpoint("10.0.9.5"), 443)
    spec = make_spec(tenants=[TEAM_B])
    names = [m["metadata"]["name"] for m in tenant_manifests(spec, spec.tenants[0], ingress=TenantIngress(),
                                                              identity=None, cloud_egress=rules)]
    assert names[-2] == ALLOW_CLOUD_APIS


def test_a_cloud_egress_rule_without_peers_is_refused():
    """An egress rule without ``to`` would open every destination: the builder refuses it."""
    spec = make_spec(tenants=[TEAM_B])
    with pytest.raises(ValueError, match="under 'to'"):
        tenant_manifests(spec, spec.tenants[0], ingress=TenantIngress(), identity=None,
                         cloud_egress=[{"ports": [{"port": 443}]}])
