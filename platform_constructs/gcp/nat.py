"""Cloud Router + Cloud NAT: egress to the internet for private nodes and pods."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_google.compute_router import ComputeRouter
from cdktf_cdktf_provider_google.compute_router_nat import (
    ComputeRouterNat,
    ComputeRouterNatLogConfig,
    ComputeRouterNatSubnetwork,
)


class CloudNat(Construct):
    """One regional Cloud NAT on its own Cloud Router, for the node subnet only.

    Cloud NAT is a regional, distributed service: there is no per-zone gateway
    to lose, so ``nat: per_zone`` and ``nat: single`` both map to this one NAT.
    What ``per_zone`` buys on AWS (no zone's egress depends on another zone)
    GCP gives natively; what must be sized instead is ports per VM, so the NAT
    uses dynamic port allocation from ``min_ports_per_vm`` (default 1024) up to
    ``max_ports_per_vm`` (default 65536) per node.

    - Both the primary range (nodes) and the secondary ranges (pods) are translated.
    - NAT IPs are allocated automatically (``AUTO_ONLY``).
    - Translation errors are logged (``ERRORS_ONLY``).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        region: str,
        network: str,
        subnetwork: str,
        min_ports_per_vm: int = 1024,
        max_ports_per_vm: int = 65536,
    ):
        super().__init__(scope, id)
        self.router = ComputeRouter(self, "router", name=f"{name}-router", region=region, network=network)
        self.nat = ComputeRouterNat(
            self,
            "nat",
            name=f"{name}-nat",
            router=self.router.name,
            region=region,
            nat_ip_allocate_option="AUTO_ONLY",
            source_subnetwork_ip_ranges_to_nat="LIST_OF_SUBNETWORKS",
            subnetwork=[ComputeRouterNatSubnetwork(name=subnetwork, source_ip_ranges_to_nat=["ALL_IP_RANGES"])],
            enable_dynamic_port_allocation=True,
            enable_endpoint_independent_mapping=False,
            min_ports_per_vm=min_ports_per_vm,
            max_ports_per_vm=max_ports_per_vm,
            log_config=ComputeRouterNatLogConfig(enable=True, filter="ERRORS_ONLY"),
        )
