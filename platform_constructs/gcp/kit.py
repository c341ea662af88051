"""The GCP kit: what the cloud-neutral stacks ask for, built from GCP constructs."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.gcp.contracts import GcpClusterContract, GcpNetworkContract
from platform_constructs.gcp.cluster import GcpCluster
from platform_constructs.gcp.network import GcpNetwork
from platform_constructs.gcp.provider import google_provider
from platform_constructs.spec import EnvironmentSpec


class GcpKit:
    def configure_stack(self, stack: Construct, spec: EnvironmentSpec, layer: str) -> None:
        google_provider(stack, spec, layer)

    def network(self, scope: Construct, spec: EnvironmentSpec) -> GcpNetworkContract:
        return GcpNetwork(scope, "network", spec=spec).contract

    def cluster(self, scope: Construct, spec: EnvironmentSpec, network: GcpNetworkContract) -> GcpClusterContract:
        return GcpCluster(scope, "cluster", spec=spec, network=network).contract
