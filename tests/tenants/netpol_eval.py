"""A small evaluator of Kubernetes NetworkPolicies (networking.k8s.io/v1), as the API documents them.

- A pod is *isolated for ingress* when some policy of its namespace selects it (``spec.podSelector``)
  and lists ``Ingress`` in ``policyTypes``; likewise for egress. ``policyTypes`` left out means
  ``Ingress``, plus ``Egress`` when the policy has an ``egress`` section.
- A non-isolated direction allows everything. An isolated one allows a connection when *any* rule
  of *any* policy selecting the pod for that direction matches the peer and the port (policies add
  up; there is no deny rule).
- A rule without ``from``/``to`` (or with an empty list) matches every peer; without ``ports`` (or an
  empty list) every port. A peer is an ``ipBlock`` (``cidr`` minus ``except``), a ``podSelector``
  (pods of the policy's own namespace), a ``namespaceSelector`` (every pod of the matching
  namespaces) or both selectors together (the matching pods of the matching namespaces).
- A port entry has ``protocol`` (default TCP), ``port`` (a number, or a name resolved on the
  destination pod's container ports; absent: every port) and ``endPort`` (a range).
- Selectors: ``matchLabels`` and ``matchExpressions`` (In, NotIn, Exists, DoesNotExist), ANDed; the
  empty selector ``{}`` matches everything.
- A connection from ``src`` to ``dst`` happens only when ``src``'s egress and ``dst``'s ingress both
  allow it. Endpoints outside the cluster (no namespace) have no policies of their own.

``ipBlock`` is matched against any endpoint's address, pods included. Kubernetes leaves it to the
implementation whether an ipBlock applies to pod addresses; matching them is the more permissive
reading, so a "cannot reach" proven here also holds for implementations that do not.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


@dataclass(frozen=True)
class Endpoint:
    """A pod (``namespace`` set) or an address outside the cluster (``namespace`` None)."""

    ip: str
    namespace: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    #: Container port names of a pod -> (number, protocol), for named ports in policies.
    named_ports: Mapping[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def is_pod(self) -> bool:
        return self.namespace is not None


def selector_matches(selector: Mapping | None, labels: Mapping[str, str]) -> bool:
    """Whether the label selector matches ``labels`` (None or ``{}``: everything)."""
    if not selector:
        return True
    unknown = set(selector) - {"matchLabels", "matchExpressions"}
    if unknown:
        raise ValueError(f"selector fields {sorted(unknown)} are not part of a LabelSelector")
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values") or []
        if operator == "In":
            if not values:
                raise ValueError(f"In on {key!r} needs values")
            if labels.get(key) not in values:
                return False
        elif operator == "NotIn":
            if not values:
                raise ValueError(f"NotIn on {key!r} needs values")
            if key in labels and labels[key] in values:
                return False
        elif operator == "Exists":
            if key not in labels:
                return False
        elif operator == "DoesNotExist":
            if key in labels:
                return False
        else:
            raise ValueError(f"unknown selector operator {operator!r}")
    return True


class Cluster:
    """Namespaces (with labels), NetworkPolicies and the question "may src reach dst on port/protocol"."""

    def __init__(self, policies: Iterable[Mapping], namespaces: Mapping[str, Mapping[str, str]] | None = None):
        self.policies = [p for p in policies if p.get("kind") == "NetworkPolicy"]
        for policy in self.policies:
            if policy.get("apiVersion") != "networking.k8s.io/v1":
                raise ValueError(f"policy {policy['metadata']['name']!r} is not networking.k8s.io/v1")
            if "podSelector" not in policy["spec"]:
                raise ValueError(f"policy {policy['metadata']['name']!r} has no spec.podSelector (required)")
        self.namespaces: dict[str, dict[str, str]] = {}
        for name, labels in (namespaces or {}).items():
            self.add_namespace(name, labels)
        for policy in self.policies:
            self.add_namespace(policy["metadata"]["namespace"], {})

    def add_namespace(self, name: str, labels: Mapping[str, str]) -> None:
        """Kubernetes labels every namespace with its own name."""
        merged = {**self.namespaces.get(name, {}), **labels, NAMESPACE_NAME_LABEL: name}
        self.namespaces[name] = merged

    # -------------------------------------------------------------- policy selection

    @staticmethod
    def policy_types(policy: Mapping) -> list[str]:
        spec = policy["spec"]
        if "policyTypes" in spec and spec["policyTypes"]:
            return list(spec["policyTypes"])
        return ["Ingress"] + (["Egress"] if "egress" in spec else [])

    def selecting(self, pod: Endpoint, direction: str) -> list[Mapping]:
        """The policies of ``pod``'s namespace that select it for ``direction`` ("Ingress" / "Egress")."""
        if not pod.is_pod:
            return []
        return [p for p in self.policies
                if p["metadata"]["namespace"] == pod.namespace
                and direction in self.policy_types(p)
                and selector_matches(p["spec"]["podSelector"], pod.labels)]

    def isolated(self, pod: Endpoint, direction: str) -> bool:
        return bool(self.selecting(pod, direction))

    # -------------------------------------------------------------- rule matching

    def peer_matches(self, peer: Mapping, policy_namespace: str, other: Endpoint) -> bool:
        keys = set(peer)
        if not keys or keys - {"ipBlock", "podSelector", "namespaceSelector"}:
            raise ValueError(f"peer {dict(peer)} is not an ipBlock, podSelector and/or namespaceSelector")
        if "ipBlock" in peer:
            if keys != {"ipBlock"}:
                raise ValueError("an ipBlock peer may not carry selectors")
            block = peer["ipBlock"]
            address = ipaddress.ip_address(other.ip)
            if address not in ipaddress.ip_network(block["cidr"]):
                return False
            return not any(address in ipaddress.ip_network(e) for e in block.get("except") or [])
        if not other.is_pod:
            return False
        if "namespaceSelector" in peer:
            labels = self.namespaces.get(other.namespace, {NAMESPACE_NAME_LABEL: other.namespace})
            if not selector_matches(peer["namespaceSelector"], labels):
                return False
        elif other.namespace != policy_namespace:
            return False
        return selector_matches(peer.get("podSelector"), other.labels)

    @staticmethod
    def port_matches(entries: list[Mapping] | None, port: int, protocol: str, dst: Endpoint) -> bool:
        if not entries:
            return True
        for entry in entries:
            if entry.get("protocol", "TCP") != protocol:
                continue
            wanted = entry.get("port")
            if wanted is None:
                return True
            if isinstance(wanted, str):
                named = dst.named_ports.get(wanted)
                if named is not None and named == (port, protocol):
                    return True
                continue
            end = entry.get("endPort")
            if end is not None and end < wanted:
                raise ValueError(f"endPort {end} is below port {wanted}")
            if wanted <= port <= (end if end is not None else wanted):
                return True
        return False

    def _allowed(self, pod: Endpoint, other: Endpoint, direction: str, port: int, protocol: str,
                 dst: Endpoint) -> bool:
        policies = self.selecting(pod, direction)
        if not policies:
            return True
        section, peers_key = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
        for policy in policies:
            for rule in policy["spec"].get(section) or []:
                peers = rule.get(peers_key)
                if peers and not any(self.peer_matches(p, policy["metadata"]["namespace"], other) for p in peers):
                    continue
                if self.port_matches(rule.get("ports"), port, protocol, dst):
                    return True
        return False

    def egress_allows(self, src: Endpoint, dst: Endpoint, port: int, protocol: str = "TCP") -> bool:
        return self._allowed(src, dst, "Egress", port, protocol, dst)

    def ingress_allows(self, src: Endpoint, dst: Endpoint, port: int, protocol: str = "TCP") -> bool:
        return self._allowed(dst, src, "Ingress", port, protocol, dst)

    def can_connect(self, src: Endpoint, dst: Endpoint, port: int, protocol: str = "TCP") -> bool:
        """``src`` may open a connection to ``dst`` on ``port``/``protocol``: both ends' policies allow it."""
        if protocol not in ("TCP", "UDP", "SCTP"):
            raise ValueError(f"protocol {protocol!r} is not TCP, UDP or SCTP")
        return self.egress_allows(src, dst, port, protocol) and self.ingress_allows(src, dst, port, protocol)
