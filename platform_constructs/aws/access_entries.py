"""Cluster-admin access for IAM principals through EKS access entries."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition
from cdktf_cdktf_provider_aws.eks_access_entry import EksAccessEntry
from cdktf_cdktf_provider_aws.eks_access_policy_association import (
    EksAccessPolicyAssociation,
    EksAccessPolicyAssociationAccessScope,
)


class ClusterAdmins(Construct):
    """One access entry plus the AmazonEKSClusterAdminPolicy (cluster scope) per principal.

    Requires authentication mode API or API_AND_CONFIG_MAP (the model enforces it).
    """

    def __init__(self, scope: Construct, id: str, *, cluster_name: str, principals: list[str]):
        super().__init__(scope, id)
        partition = DataAwsPartition(self, "partition")
        for i, principal in enumerate(principals):
            entry = EksAccessEntry(self, f"entry-{i}", cluster_name=cluster_name, principal_arn=principal, type="STANDARD")
            EksAccessPolicyAssociation(
                self,
                f"admin-{i}",
                cluster_name=cluster_name,
                principal_arn=entry.principal_arn,
                policy_arn=f"arn:{partition.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                access_scope=EksAccessPolicyAssociationAccessScope(type="cluster"),
            )
