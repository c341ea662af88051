"""The Azure kit: what the cloud-neutral stacks ask for, built from Azure constructs."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.azure.cluster import AzureCluster
from platform_constructs.azure.network import AzureNetwork
from platform_constructs.azure.provider import azurerm_provider
from platform_constructs.azure.contracts import AzureClusterContract, AzureNetworkContract
from platform_constructs.spec import EnvironmentSpec


class AzureKit:
    def configure_stack(self, stack: Construct, spec: EnvironmentSpec, layer: str) -> None:
        azurerm_provider(stack, spec)

    def network(self, scope: Construct, spec: EnvironmentSpec) -> AzureNetworkContract:
        return AzureNetwork(scope, "network", spec=spec).contract

    def cluster(self, scope: Construct, spec: EnvironmentSpec, network: AzureNetworkContract) -> AzureClusterContract:
        return AzureCluster(scope, "cluster", spec=spec, network=network).contract
