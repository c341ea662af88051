"""AWS's typed contracts: the neutral ones plus what only the AWS kit reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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
    #: ``data.buckets`` short name -> the bucket's ARN (what :meth:`AwsKit.bucket_grants` grants on).
    #: Default: none.
    bucket_arns: Mapping[str, str] = field(default_factory=dict)
    #: ``data.registry.repositories`` name -> the ECR repository's ARN (what a workload's pull grant
    #: names). Default: none.
    repository_arns: Mapping[str, str] = field(default_factory=dict)
    #: The data layer's KMS key (buckets, repositories, cache, file system); None when the layer is empty.
    kms_key_arn: str | None = None
    #: The cache's replication group ARN and IAM-authenticated user (``elasticache:Connect`` needs
    #: both); None without a cache.
    cache_arn: str | None = None
    cache_user_name: str | None = None
    cache_user_arn: str | None = None
