"""The AWS kit: what the cloud-neutral stacks ask for, built from AWS constructs."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.aws.cluster import AwsCluster
from platform_constructs.aws.network import AwsNetwork
from platform_constructs.aws.provider import aws_provider
from platform_constructs.aws.workload_identity import AwsWorkloadIdentity
from platform_constructs.aws.contracts import AwsClusterContract
from platform_constructs.contracts import ClusterContract, NetworkContract
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.workload_identity import (
    AwsGrants, Grants, ServiceAccount, WorkloadIdentity, bounded_name, check_component, grants_for,
)


class AwsKit:
    def configure_stack(self, stack: Construct, spec: EnvironmentSpec, layer: str) -> None:
        aws_provider(stack, spec, layer)

    def network(self, scope: Construct, spec: EnvironmentSpec) -> NetworkContract:
        return AwsNetwork(scope, "network", spec=spec).contract

    def cluster(self, scope: Construct, spec: EnvironmentSpec, network: NetworkContract) -> AwsClusterContract:
        return AwsCluster(scope, "cluster", spec=spec, network=network).contract

    def workload_identity(self, scope: Construct, spec: EnvironmentSpec, cluster: ClusterContract, *, name: str,
                          layer: str, service_account: ServiceAccount,
                          grants: Grants | None = None) -> WorkloadIdentity:
        """IAM role ``<cluster>-<name>`` for ``service_account`` through EKS Pod Identity
        (:class:`AwsWorkloadIdentity` also does IRSA). Tags come from the provider (``layer`` unused)."""
        return AwsWorkloadIdentity(
            scope, f"{check_component(name)}-identity", name=bounded_name(f"{spec.cluster.name}-{name}", 64),
            cluster=cluster, service_account=service_account, grants=grants_for("AWS", grants, AwsGrants),
            # The environment's choice (aws.workload_identity) arrives with the first layer that binds
            # service accounts, the addons stack; until then every binding is an EKS Pod Identity one.
            mode="pod_identity",
        ).identity
