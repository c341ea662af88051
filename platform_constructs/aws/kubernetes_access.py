"""How the addons stack reaches its EKS cluster: data sources by the cluster's literal name."""

from __future__ import annotations

from constructs import Construct
from cdktf import Fn, Token
from cdktf_cdktf_provider_aws.data_aws_eks_cluster import DataAwsEksCluster
from cdktf_cdktf_provider_aws.data_aws_eks_cluster_auth import DataAwsEksClusterAuth

from platform_constructs.kubernetes.providers import ClusterAccess


class EksClusterAccess(Construct):
    """The API server URL, CA and a short-lived token of the EKS cluster ``cluster_name``.

    ``aws_eks_cluster`` gives the endpoint and CA, ``aws_eks_cluster_auth`` a token (valid
    15 minutes) minted at plan and apply by whoever runs Terraform: no credential is stored,
    and nothing comes from another stack (a cross-stack value inside a provider block breaks
    the plan, terraform-cdk#2662), so ``cluster_name`` must be the literal name from the
    environment file (``spec.cluster.name``), not the cluster stack's output. The caller
    needs an EKS access entry (the cluster's ``admin_principals``) and must reach the API
    endpoint (private by default).

    :attr:`access` feeds :func:`platform_constructs.kubernetes.providers.kubernetes_providers`.

    :param cluster_name: the EKS cluster's name, a literal string.
    """

    def __init__(self, scope: Construct, id: str, *, cluster_name: str):
        if not isinstance(cluster_name, str) or not cluster_name.strip():
            raise ValueError(f"cluster name {cluster_name!r} must be the EKS cluster's name (spec.cluster.name)")
        if Token.is_unresolved(cluster_name):
            raise ValueError("the cluster name is a Terraform reference: give the literal name from the environment "
                             "file (spec.cluster.name); a reference to another stack's output in a provider block "
                             "breaks the plan (terraform-cdk#2662)")
        super().__init__(scope, id)
        self.cluster = DataAwsEksCluster(self, "cluster", name=cluster_name)
        self.auth = DataAwsEksClusterAuth(self, "auth", name=cluster_name)
        self.access = ClusterAccess(
            host=self.cluster.endpoint,
            cluster_ca_certificate=Fn.base64decode(self.cluster.certificate_authority.get(0).data),
            token=self.auth.token,
        )
