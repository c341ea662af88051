"""The GCP network layer: a custom-mode VPC with one regional node subnet, NAT and firewall."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_google.compute_network import ComputeNetwork
from cdktf_cdktf_provider_google.compute_subnetwork import (
    ComputeSubnetwork,
    ComputeSubnetworkLogConfig,
    ComputeSubnetworkSecondaryIpRange,
)

from platform_constructs.gcp.contracts import GcpNetworkContract
from platform_constructs.gcp.firewall import NetworkFirewall
from platform_constructs.gcp.nat import CloudNat
from platform_constructs.gcp.vpn import GcpVpn
from platform_constructs.gcp.private_dns import GcpPrivateDns
from platform_constructs.outputs import named_output
from platform_constructs.spec import EnvironmentSpec

#: Secondary range names on the node subnet (unique per subnet, so plain names suffice).
PODS_RANGE = "pods"
SERVICES_RANGE = "services"


def node_tag(spec: EnvironmentSpec) -> str:
    """The network tag every GKE node carries; the firewall rules target it."""
    return f"{spec.name}-gke-node"


class GcpNetwork(Construct):
    """Custom-mode VPC, node subnet with pod/service ranges, proxy-only subnet, NAT, firewall.

    - Custom mode (no auto subnets), regional dynamic routing, the default internet route
      kept (Cloud NAT egresses through it).
    - One regional, IPv4-only subnet for nodes: GCP subnets span every zone of a region, so
      the same subnet serves all of ``zones``. Private Google Access on; flow logs at 5 s
      aggregation, 50% sampling, all metadata. Secondary ranges ``pods`` and
      ``services`` for VPC-native GKE. Ranges come from ``gcp.*_cidr`` or are carved
      from ``network.cidr`` (see :meth:`GcpSpec.ranges`).
    - A proxy-only subnet (``REGIONAL_MANAGED_PROXY``, active) for internal HTTP(S)
      load balancers and the GKE Gateway controller.
    - Cloud Router + one regional Cloud NAT (see :class:`CloudNat` for ``nat:``).
    - Firewall: internal traffic, Google health checks, proxy-only subnet; nothing
      from 0.0.0.0/0 (see :class:`NetworkFirewall`).
    - With ``network.vpn``: HA VPN to the peer over BGP (:class:`platform_constructs.gcp.vpn.GcpVpn`).

    ``network.flow_log_retention_days`` does not apply: subnet flow logs go to Cloud
    Logging, whose retention is set on the log bucket.
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec):
        super().__init__(scope, id)
        assert spec.gcp is not None
        name = spec.name
        ranges = spec.gcp.ranges(spec.network.cidr)
        self.node_tag = node_tag(spec)

        self.vpc = ComputeNetwork(
            self,
            "vpc",
            name=name,
            description=f"{name}: platform network",
            auto_create_subnetworks=False,
            routing_mode="REGIONAL",
            delete_default_routes_on_create=False,
        )
        self.subnet = ComputeSubnetwork(
            self,
            "nodes",
            name=f"{name}-nodes",
            description=f"{name}: GKE nodes (regional: every zone of {spec.region})",
            network=self.vpc.id,
            region=spec.region,
            ip_cidr_range=ranges["nodes"],
            stack_type="IPV4_ONLY",
            private_ip_google_access=True,
            secondary_ip_range=[
                ComputeSubnetworkSecondaryIpRange(range_name=PODS_RANGE, ip_cidr_range=ranges["pods"]),
                ComputeSubnetworkSecondaryIpRange(range_name=SERVICES_RANGE, ip_cidr_range=ranges["services"]),
            ],
            log_config=ComputeSubnetworkLogConfig(
                aggregation_interval="INTERVAL_5_SEC",
                flow_sampling=0.5,
                metadata="INCLUDE_ALL_METADATA",
            ),
        )
        self.proxy_only = ComputeSubnetwork(
            self,
            "proxy-only",
            name=f"{name}-proxy-only",
            description=f"{name}: proxy-only subnet for internal HTTP(S) load balancers",
            network=self.vpc.id,
            region=spec.region,
            ip_cidr_range=ranges["proxy_only"],
            stack_type="IPV4_ONLY",
            purpose="REGIONAL_MANAGED_PROXY",
            role="ACTIVE",
        )
        self.nat = CloudNat(
            self, "nat", name=name, region=spec.region, network=self.vpc.id, subnetwork=self.subnet.id,
            min_ports_per_vm=spec.gcp.nat_min_ports_per_vm, max_ports_per_vm=spec.gcp.nat_max_ports_per_vm,
        )
        self.firewall = NetworkFirewall(
            self, "firewall", name=name, network=self.vpc.id, target_tag=self.node_tag,
            internal_ranges=[ranges["nodes"], ranges["pods"]], proxy_only_range=ranges["proxy_only"],
        )
        self.vpn: GcpVpn | None = None
        if spec.network.vpn is not None:
            self.vpn = GcpVpn(self, "vpn", name=name, vpn=spec.network.vpn, project=spec.gcp.project,
                              region=spec.region, network=self.vpc.id)

        dns = spec.network.dns
        self.private_dns = GcpPrivateDns(
            self, "private-dns", name=name, network=self.vpc.id, private_zone=dns.private_zone,
            public_zone=dns.public_zone, query_logging=dns.query_logging,
        ) if dns else None

        self.contract = GcpNetworkContract(
            private_zone_id=self.private_dns.private_zone_id if self.private_dns else None,
            public_zone_id=self.private_dns.public_zone_id if self.private_dns else None,
            network_id=self.vpc.id,
            # One regional subnet serves every zone, so each zone maps to the same id.
            private_subnet_ids_by_zone={zone: self.subnet.id for zone in spec.zones},
            # GCP has no public subnets: internet-facing load balancers need none.
            public_subnet_ids_by_zone={},
            network_self_link=self.vpc.self_link,
            subnet_self_link=self.subnet.self_link,
            subnet_name=f"{name}-nodes",
            pods_range_name=PODS_RANGE,
            services_range_name=SERVICES_RANGE,
            node_network_tag=self.node_tag,
        )
        named_output(self, "vpc_id", self.vpc.id, "VPC network id (projects/<p>/global/networks/<name>)")
        named_output(self, "network_id", self.vpc.id, "VPC network id (same as vpc_id)")
        named_output(self, "network_self_link", self.vpc.self_link, "VPC network self link")
        named_output(self, "private_subnet_ids", self.contract.private_subnet_ids,
                     "Node subnet id per zone, in zone order (one regional subnet, repeated)")
        named_output(self, "public_subnet_ids", self.contract.public_subnet_ids, "Always empty: GCP needs no public subnets")
        named_output(self, "private_subnet_ids_by_zone", self.contract.private_subnet_ids_by_zone,
                     "Zone -> node subnet id (the same regional subnet for every zone)")
        named_output(self, "public_subnet_ids_by_zone", self.contract.public_subnet_ids_by_zone,
                     "Always empty: GCP needs no public subnets")
        named_output(self, "node_subnet_self_link", self.subnet.self_link, "Self link of the regional node subnet")
        named_output(self, "pods_range_name", PODS_RANGE, "Secondary range of the node subnet for pods")
        named_output(self, "services_range_name", SERVICES_RANGE, "Secondary range of the node subnet for services")
        named_output(self, "proxy_only_subnet_id", self.proxy_only.id, "Proxy-only subnet for internal HTTP(S) load balancers")
        named_output(self, "router_name", self.nat.router.name, "Cloud Router carrying the NAT")
        named_output(self, "nat_name", self.nat.nat.name, "Cloud NAT of the node subnet")
        named_output(self, "node_network_tag", self.node_tag, "Network tag the firewall rules target; every node carries it")
