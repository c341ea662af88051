"""The GCP kit: what the cloud-neutral stacks ask for, built from GCP constructs."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.gcp.contracts import GcpClusterContract, GcpNetworkContract
from platform_constructs.gcp.cluster import GcpCluster
from platform_constructs.gcp.network import GcpNetwork
from platform_constructs.gcp.provider import google_provider
from platform_constructs.gcp.workload_identity import GcpWorkloadIdentity, account_id_for
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.workload_identity import (
    GcpGrants, Grants, ServiceAccount, WorkloadIdentity, check_component, grants_for,
)


class GcpKit:
    def configure_stack(self, stack: Construct, spec: EnvironmentSpec, layer: str) -> None:
        google_provider(stack, spec, layer)

    def network(self, scope: Construct, spec: EnvironmentSpec) -> GcpNetworkContract:
        return GcpNetwork(scope, "network", spec=spec).contract

    def cluster(self, scope: Construct, spec: EnvironmentSpec, network: GcpNetworkContract) -> GcpClusterContract:
        return GcpCluster(scope, "cluster", spec=spec, network=network).contract

    def workload_identity(self, scope: Construct, spec: EnvironmentSpec, cluster: GcpClusterContract, *, name: str,
                          layer: str, service_account: ServiceAccount,
                          grants: Grants | None = None) -> WorkloadIdentity:
        """Google service account ``<cluster>-<name>`` (see ``account_id_for``) for ``service_account``
        through GKE Workload Identity. Service accounts take no labels (``layer`` unused)."""
        return GcpWorkloadIdentity(
            scope, f"{check_component(name)}-identity", account_id=account_id_for(spec.cluster.name, name),
            cluster=cluster, service_account=service_account, grants=grants_for("GCP", grants, GcpGrants),
        ).identity
