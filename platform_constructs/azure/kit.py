"""The Azure kit: what the cloud-neutral stacks ask for, built from Azure constructs."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.azure.cluster import AzureCluster
from platform_constructs.azure.network import AzureNetwork
from platform_constructs.azure.provider import azurerm_provider, platform_tags
from platform_constructs.azure.workload_identity import AzureWorkloadIdentity
from platform_constructs.azure.contracts import AzureClusterContract, AzureNetworkContract
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.workload_identity import (
    AzureGrants, Grants, ServiceAccount, WorkloadIdentity, bounded_name, check_component, grants_for,
)


class AzureKit:
    def configure_stack(self, stack: Construct, spec: EnvironmentSpec, layer: str) -> None:
        azurerm_provider(stack, spec)

    def network(self, scope: Construct, spec: EnvironmentSpec) -> AzureNetworkContract:
        return AzureNetwork(scope, "network", spec=spec).contract

    def cluster(self, scope: Construct, spec: EnvironmentSpec, network: AzureNetworkContract) -> AzureClusterContract:
        return AzureCluster(scope, "cluster", spec=spec, network=network).contract

    def workload_identity(self, scope: Construct, spec: EnvironmentSpec, cluster: AzureClusterContract, *, name: str,
                          layer: str, service_account: ServiceAccount,
                          grants: Grants | None = None) -> WorkloadIdentity:
        """User-assigned identity ``<cluster>-<name>`` in the cluster's resource group, federated with
        ``service_account``; tagged for ``layer``."""
        return AzureWorkloadIdentity(
            scope, f"{check_component(name)}-identity", name=bounded_name(f"{spec.cluster.name}-{name}", 128),
            cluster=cluster, location=spec.region, service_account=service_account,
            grants=grants_for("Azure", grants, AzureGrants), tags=platform_tags(spec, layer),
        ).identity
