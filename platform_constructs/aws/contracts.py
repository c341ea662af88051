"""AWS's typed contracts: the neutral ones plus what only the AWS kit reads."""

from __future__ import annotations

from dataclasses import dataclass

from platform_constructs.contracts import ClusterContract, DataContract


@dataclass(frozen=True)
class AwsClusterContract(ClusterContract):
    #: The EKS cluster security group, which managed nodes use.
    node_security_group_id: str
    #: KMS key encrypting Kubernetes secrets and control-plane logs.
    kms_key_arn: str
    #: IAM role of the managed nodes.
    node_role_arn: str


@dataclass(frozen=True)
class AwsDataContract(DataContract):
    #: The EFS file system id (``fs-...``) behind the ``efs-ap`` StorageClass; None when
    #: ``addons.file_storage`` is off (then no file system exists).
    file_system_id: str | None = None
