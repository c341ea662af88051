"""The AWS kit: what the cloud-neutral stacks ask for, built from AWS constructs."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.aws.addons import AwsAddons
from platform_constructs.aws.cluster import AwsCluster
from platform_constructs.aws.data import AwsData, data_bucket_grants
from platform_constructs.aws.kubernetes_access import EksClusterAccess
from platform_constructs.aws.network import AwsNetwork
from platform_constructs.aws.observability import AwsObservability
from platform_constructs.aws.provider import aws_provider
from platform_constructs.aws.tenants import AwsTenants
from platform_constructs.aws.workload_identity import AwsWorkloadIdentity
from platform_constructs.aws.contracts import AwsClusterContract, AwsDataContract
from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract
from platform_constructs.kits import IN_CLUSTER_LAYERS
from platform_constructs.kubernetes.providers import kubernetes_providers
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.workload_identity import (
    AwsGrants, Grants, ServiceAccount, WorkloadIdentity, bounded_name, check_component, grants_for,
)


class AwsKit:
    def configure_stack(self, stack: Construct, spec: EnvironmentSpec, layer: str) -> None:
        """The AWS provider; for the in-cluster layers (``kits.IN_CLUSTER_LAYERS``) also the kubernetes
        and helm providers, reaching the cluster by its literal name through ``aws_eks_cluster`` / ``aws_eks_cluster_auth``."""
        aws_provider(stack, spec, layer)
        if layer in IN_CLUSTER_LAYERS:
            access = EksClusterAccess(stack, "cluster-access", cluster_name=spec.cluster.name)
            kubernetes_providers(stack, access.access)

    def network(self, scope: Construct, spec: EnvironmentSpec) -> NetworkContract:
        return AwsNetwork(scope, "network", spec=spec).contract

    def cluster(self, scope: Construct, spec: EnvironmentSpec, network: NetworkContract) -> AwsClusterContract:
        return AwsCluster(scope, "cluster", spec=spec, network=network).contract

    def data(self, scope: Construct, spec: EnvironmentSpec, network: NetworkContract,
             cluster: ClusterContract) -> AwsDataContract:
        return AwsData(scope, "data", spec=spec, network=network, cluster=cluster).contract

    def bucket_grants(self, spec: EnvironmentSpec, data: DataContract, *, bucket: str, write: bool,
                      prefix: str | None = None) -> AwsGrants:
        """An inline IAM policy reading (``write``: reading and writing) the data bucket ``bucket``,
        only under the folder ``prefix`` when given, with the data key through S3 only
        (:func:`platform_constructs.aws.data.bucket_access_policy`)."""
        return data_bucket_grants(spec, data, bucket=bucket, write=write, prefix=prefix)

    def addons(self, scope: Construct, spec: EnvironmentSpec, network: NetworkContract, cluster: ClusterContract,
               data: DataContract) -> None:
        AwsAddons(scope, "addons", spec=spec, network=network, cluster=cluster, data=data)

    def observability(self, scope: Construct, spec: EnvironmentSpec, network: NetworkContract,
                      cluster: ClusterContract, data: DataContract) -> None:
        """The six buckets on a KMS key of their own with an IRSA role per component, the
        amazon-cloudwatch-observability add-on for cluster logs, and the neutral releases
        (:class:`platform_constructs.aws.observability.AwsObservability`; ``data`` unused)."""
        AwsObservability(scope, "observability", spec=spec, network=network, cluster=cluster)

    def tenants(self, scope: Construct, spec: EnvironmentSpec, network: NetworkContract, cluster: ClusterContract,
                data: DataContract) -> None:
        """Per tenant an IAM role (its ``app`` bucket folder, its ``<env>/tenants/<name>/`` secrets,
        registry pull), its admins and developers as EKS access entries scoped to its namespace, and
        the neutral objects with the public subnets as load-balancer ingress
        (:class:`platform_constructs.aws.tenants.AwsTenants`)."""
        AwsTenants(scope, "tenants", spec=spec, network=network, cluster=cluster, data=data, kit=self)

    def workload_identity(self, scope: Construct, spec: EnvironmentSpec, cluster: ClusterContract, *, name: str,
                          layer: str, service_account: ServiceAccount,
                          grants: Grants | None = None) -> WorkloadIdentity:
        """IAM role ``<cluster>-<name>`` for ``service_account`` through EKS Pod Identity or IRSA, as
        the environment's ``aws.workload_identity`` says. Tags come from the provider (``layer`` unused)."""
        return AwsWorkloadIdentity(
            scope, f"{check_component(name)}-identity", name=bounded_name(f"{spec.cluster.name}-{name}", 64),
            cluster=cluster, service_account=service_account, grants=grants_for("AWS", grants, AwsGrants),
            mode=spec.aws.workload_identity,
        ).identity
