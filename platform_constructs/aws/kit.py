"""The AWS kit: what the cloud-neutral stacks ask for, built from AWS constructs."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.aws.cluster import AwsCluster
from platform_constructs.aws.network import AwsNetwork
from platform_constructs.aws.provider import aws_provider
from platform_constructs.aws.contracts import AwsClusterContract
from platform_constructs.contracts import NetworkContract
from platform_constructs.spec import EnvironmentSpec


class AwsKit:
    def configure_stack(self, stack: Construct, spec: EnvironmentSpec, layer: str) -> None:
        aws_provider(stack, spec, layer)

    def network(self, scope: Construct, spec: EnvironmentSpec) -> NetworkContract:
        return AwsNetwork(scope, "network", spec=spec).contract

    def cluster(self, scope: Construct, spec: EnvironmentSpec, network: NetworkContract) -> AwsClusterContract:
        return AwsCluster(scope, "cluster", spec=spec, network=network).contract
