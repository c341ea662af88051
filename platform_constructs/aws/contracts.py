"""AWS's typed contracts: the neutral ones plus what only the AWS kit reads."""

from __future__ import annotations

from dataclasses import dataclass

from platform_constructs.contracts import ClusterContract


@dataclass(frozen=True)
class AwsClusterContract(ClusterContract):
    #: The EKS cluster security group, which managed nodes use.
    node_security_group_id: str
    #: KMS key encrypting Kubernetes secrets and control-plane logs.
    kms_key_arn: str
    #: IAM role of the managed nodes.
    node_role_arn: str
