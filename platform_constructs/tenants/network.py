"""Where a tenant's traffic may come from and go to, and the NetworkPolicies that say so."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from platform_constructs import namespaces
from platform_constructs.observability.collector import CHART as COLLECTOR_CHART
from platform_constructs.observability.endpoints import COLLECTOR, COLLECTOR_RELEASE


@dataclass(frozen=True)
class TenantIngress:
    """Where the load balancer path reaches a tenant's pods from: literal CIDRs known at synth
    (AWS public subnets, Google's front ends and proxy-only subnet, Azure's Application Gateway
    subnet) or the namespaces of an in-cluster ingress controller. Default: nothing."""

    cidrs: tuple[str, ...] = ()
    namespaces: tuple[str, ...] = ()


# --- The tenant's NetworkPolicies -------------------------------------------------------------
#
# Kubernetes NetworkPolicies are allow-lists that add up: a pod selected by any policy of a
# policyType is isolated in that direction, and a connection is allowed when one policy of the
# sender (egress) and one of the receiver (ingress) allow it. ``default-deny`` selects every pod
# of the namespace in both directions; each ``allow-*`` policy below opens one path. The three
# clouds' engines (VPC CNI network policy on EKS, Dataplane V2 on GKE, Cilium on AKS) implement
# these semantics, ports with ``endPort`` included.

API_VERSION = "networking.k8s.io/v1"
KIND = "NetworkPolicy"

#: The label Kubernetes puts on every namespace (its name): what namespaceSelectors match.
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"

#: The cluster DNS: CoreDNS (EKS, AKS) and kube-dns (GKE) all run in kube-system labelled
#: ``k8s-app=kube-dns`` (the label the ``kube-dns`` Service selects on each cloud). No
#: environment turns on NodeLocal DNSCache (GKE ``dns_cache_config``), so pods resolve through
#: these pods only; with it on, 169.254.20.10 would need its own ipBlock.
DNS_NAMESPACE = namespaces.SYSTEM
DNS_POD_LABELS: dict[str, str] = {"k8s-app": "kube-dns"}
DNS_PORT = 53

#: Policy names (one path each), in the order :func:`tenant_network_policies` returns them.
DEFAULT_DENY = "default-deny"
ALLOW_DNS = "allow-dns"
ALLOW_SAME_NAMESPACE = "allow-same-namespace"
ALLOW_LOAD_BALANCER = "allow-load-balancer"
ALLOW_COLLECTOR = "allow-collector"
ALLOW_EGRESS_CIDRS = "allow-egress-cidrs"
ALLOW_CLOUD_APIS = "allow-cloud-apis"
ALLOW_PUBLIC_HTTPS = "allow-public-https"

#: What ``allow-public-https`` keeps closed: private (RFC 1918), shared (RFC 6598), loopback and
#: link-local ranges (instance metadata, the node's agents), so it opens the internet's HTTPS only.
NON_PUBLIC_RANGES: tuple[str, ...] = ("10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
                                      "172.16.0.0/12", "192.168.0.0/16")
HTTPS_PORT = 443

#: The collector's pods: the Alloy chart's selector labels (``alloy.selectorLabels``:
#: ``app.kubernetes.io/name`` = the chart's name, no nameOverride set; ``app.kubernetes.io/instance``
#: = the release name), which its DaemonSet and Service select on.
COLLECTOR_POD_LABELS: dict[str, str] = {
    "app.kubernetes.io/name": COLLECTOR_CHART,
    "app.kubernetes.io/instance": COLLECTOR_RELEASE,
}

_EVERY_POD: dict = {}


def _policy(namespace: str, name: str, *, types: list[str], ingress: list[dict] | None = None,
            egress: list[dict] | None = None, labels: Mapping[str, str] | None = None) -> dict:
    spec: dict = {"podSelector": dict(_EVERY_POD), "policyTypes": types}
    if ingress is not None:
        spec["ingress"] = ingress
    if egress is not None:
        spec["egress"] = egress
    metadata: dict = {"name": name, "namespace": namespace}
    if labels:
        metadata["labels"] = dict(labels)
    return {"apiVersion": API_VERSION, "kind": KIND, "metadata": metadata, "spec": spec}


def namespace_peer(namespace: str, pod_labels: Mapping[str, str] | None = None) -> dict:
    """A peer: the pods of ``namespace`` (those carrying ``pod_labels`` when given, else all)."""
    peer: dict = {"namespaceSelector": {"matchLabels": {NAMESPACE_NAME_LABEL: namespace}}}
    if pod_labels:
        peer["podSelector"] = {"matchLabels": dict(pod_labels)}
    return peer


def default_deny(namespace: str, *, labels: Mapping[str, str] | None = None) -> dict:
    """``default-deny``: every pod of ``namespace`` isolated for ingress and egress, nothing allowed."""
    return _policy(namespace, DEFAULT_DENY, types=["Ingress", "Egress"], labels=labels)


def allow_dns(namespace: str, *, labels: Mapping[str, str] | None = None) -> dict:
    """``allow-dns``: egress to the cluster DNS pods (:data:`DNS_POD_LABELS` in kube-system), 53 UDP and TCP."""
    return _policy(namespace, ALLOW_DNS, types=["Egress"], labels=labels, egress=[{
        "to": [namespace_peer(DNS_NAMESPACE, DNS_POD_LABELS)],
        "ports": [{"protocol": "UDP", "port": DNS_PORT}, {"protocol": "TCP", "port": DNS_PORT}],
    }])


def allow_same_namespace(namespace: str, *, labels: Mapping[str, str] | None = None) -> dict:
    """``allow-same-namespace``: the namespace's pods reach each other (both directions, every port)."""
    return _policy(namespace, ALLOW_SAME_NAMESPACE, types=["Ingress", "Egress"], labels=labels,
                   ingress=[{"from": [{"podSelector": {}}]}], egress=[{"to": [{"podSelector": {}}]}])


def allow_load_balancer(namespace: str, ingress: TenantIngress, *,
                        labels: Mapping[str, str] | None = None) -> dict | None:
    """``allow-load-balancer``: ingress from the load balancer path (``ingress.cidrs`` as ipBlocks,
    ``ingress.namespaces`` as namespace peers), every port; None when ``ingress`` names nothing."""
    peers = [{"ipBlock": {"cidr": cidr}} for cidr in ingress.cidrs]
    peers += [namespace_peer(ns) for ns in ingress.namespaces]
    if not peers:
        return None
    return _policy(namespace, ALLOW_LOAD_BALANCER, types=["Ingress"], labels=labels, ingress=[{"from": peers}])


def allow_collector(namespace: str, *, labels: Mapping[str, str] | None = None) -> dict:
    """``allow-collector``: egress to the observability collector's pods on its ports (OTLP gRPC,
    OTLP HTTP, remote-write; :data:`~platform_constructs.observability.endpoints.COLLECTOR`)."""
    return _policy(namespace, ALLOW_COLLECTOR, types=["Egress"], labels=labels, egress=[{
        "to": [namespace_peer(COLLECTOR.namespace, COLLECTOR_POD_LABELS)],
        "ports": [{"protocol": "TCP", "port": port.number} for port in COLLECTOR.ports],
    }])


def allow_egress_cidrs(namespace: str, cidrs: Sequence[str], *,
                       labels: Mapping[str, str] | None = None) -> dict | None:
    """``allow-egress-cidrs``: egress to each of ``cidrs`` (every port); None when there are none."""
    if not cidrs:
        return None
    return _policy(namespace, ALLOW_EGRESS_CIDRS, types=["Egress"], labels=labels,
                   egress=[{"to": [{"ipBlock": {"cidr": cidr}} for cidr in cidrs]}])


def allow_cloud_apis(namespace: str, rules: Sequence[Mapping], *,
                     labels: Mapping[str, str] | None = None) -> dict | None:
    """``allow-cloud-apis``: the egress ``rules`` a kit gives so the tenant's identity can be used
    (the cloud's private endpoints, a node-local credentials agent); None when there are none."""
    if not rules:
        return None
    bad = [dict(r) for r in rules if not isinstance(r, Mapping) or not r.get("to") or set(r) - {"to", "ports"}]
    if bad:
        raise ValueError(f"cloud egress rules {bad} must each name peers under 'to' (and optionally 'ports'), "
                         "like {'to': [{'ipBlock': {'cidr': '10.0.8.0/24'}}], "
                         "'ports': [{'protocol': 'TCP', 'port': 443}]}")
    return _policy(namespace, ALLOW_CLOUD_APIS, types=["Egress"], labels=labels, egress=[dict(r) for r in rules])


def allow_public_https(namespace: str, *, labels: Mapping[str, str] | None = None) -> dict:
    """``allow-public-https``: egress on TCP 443 to every public address (0.0.0.0/0 except
    :data:`NON_PUBLIC_RANGES`): the cloud APIs a tenant's identity calls have no fixed ranges."""
    return _policy(namespace, ALLOW_PUBLIC_HTTPS, types=["Egress"], labels=labels, egress=[{
        "to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": list(NON_PUBLIC_RANGES)}}],
        "ports": [{"protocol": "TCP", "port": HTTPS_PORT}],
    }])


def tenant_network_policies(namespace: str, *, ingress: TenantIngress, egress_cidrs: Sequence[str] = (),
                            collector: bool = True, cloud_egress: Sequence[Mapping] = (),
                            public_https: bool = False,
                            labels: Mapping[str, str] | None = None) -> list[dict]:
    """A tenant namespace's policies: default deny, then DNS, same namespace, the load balancer path
    (when ``ingress`` names any), the collector (when ``collector``; default on), ``egress_cidrs``
    (when any), the kit's ``cloud_egress`` rules (when any) and HTTPS to public addresses (when
    ``public_https``). ``labels`` go on every policy. Default: no egress CIDRs, no cloud egress, no
    public HTTPS, no labels."""
    policies = [
        default_deny(namespace, labels=labels),
        allow_dns(namespace, labels=labels),
        allow_same_namespace(namespace, labels=labels),
        allow_load_balancer(namespace, ingress, labels=labels),
        allow_collector(namespace, labels=labels) if collector else None,
        allow_egress_cidrs(namespace, egress_cidrs, labels=labels),
        allow_cloud_apis(namespace, cloud_egress, labels=labels),
        allow_public_https(namespace, labels=labels) if public_https else None,
    ]
    return [p for p in policies if p is not None]
