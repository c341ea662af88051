"""VPC firewall rules of the platform network: internal traffic and Google health checks only."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_google.compute_firewall import ComputeFirewall, ComputeFirewallAllow, ComputeFirewallLogConfig

#: Source ranges of Google Cloud load-balancer health checks (and of the proxies of
#: external passthrough / proxy load balancers).
HEALTH_CHECK_RANGES = ("35.191.0.0/16", "130.211.0.0/22")

#: Protocols allowed between nodes and pods. No port restriction inside the network:
#: Kubernetes network policy (Dataplane V2) is where workloads get isolated.
_INTERNAL = ("tcp", "udp", "icmp", "sctp")


class NetworkFirewall(Construct):
    """Ingress allow rules; everything else hits the VPC's implied deny-all ingress.

    - ``<name>-allow-internal``: nodes and pods reach the nodes (all TCP/UDP/ICMP/SCTP).
    - ``<name>-allow-health-checks``: Google's health-check ranges reach the nodes on TCP.
    - ``<name>-allow-proxy-only``: the proxy-only subnet (internal HTTP(S) load
      balancers) reaches the nodes on TCP.

    Every rule targets only instances with the node network tag ``target_tag``,
    logs with full metadata, and nothing is open to 0.0.0.0/0. The GKE control plane's
    own rules (443/10250 from the control-plane range) are managed by GKE itself.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        network: str,
        target_tag: str,
        internal_ranges: list[str],
        proxy_only_range: str,
    ):
        super().__init__(scope, id)
        log = ComputeFirewallLogConfig(metadata="INCLUDE_ALL_METADATA")
        self.internal = ComputeFirewall(
            self,
            "internal",
            name=f"{name}-allow-internal",
            description="Nodes and pods to nodes",
            network=network,
            direction="INGRESS",
            priority=1000,
            source_ranges=list(internal_ranges),
            target_tags=[target_tag],
            allow=[ComputeFirewallAllow(protocol=p) for p in _INTERNAL],
            log_config=log,
        )
        self.health_checks = ComputeFirewall(
            self,
            "health-checks",
            name=f"{name}-allow-health-checks",
            description="Google Cloud load-balancer health checks to nodes",
            network=network,
            direction="INGRESS",
            priority=1000,
            source_ranges=list(HEALTH_CHECK_RANGES),
            target_tags=[target_tag],
            allow=[ComputeFirewallAllow(protocol="tcp")],
            log_config=log,
        )
        self.proxy_only = ComputeFirewall(
            self,
            "proxy-only",
            name=f"{name}-allow-proxy-only",
            description="Internal HTTP(S) load-balancer proxies to nodes",
            network=network,
            direction="INGRESS",
            priority=1000,
            source_ranges=[proxy_only_range],
            target_tags=[target_tag],
            allow=[ComputeFirewallAllow(protocol="tcp")],
            log_config=log,
        )
        self.rules = [self.internal, self.health_checks, self.proxy_only]
