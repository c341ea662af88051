"""The AWS data layer (``<env>-data``): the EFS file system, the application and backup buckets, the
ECR repositories and the Valkey cache, on a key of their own."""

from __future__ import annotations

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition

from platform_constructs.aws.bucket import PrivateBucket, access_log_bucket
from platform_constructs.aws.cache import PORT, ValkeyCache
from platform_constructs.aws.contracts import AwsClusterContract, AwsDataContract
from platform_constructs.aws.file_system import EfsFileSystem
from platform_constructs.aws.kms_key import EncryptionKey
from platform_constructs.aws.observability_storage import s3_endpoint
from platform_constructs.aws.registry import EcrRepositories, registry_host
from platform_constructs.aws.names import DATA_ACCESS_LOG_BUCKET, s3_bucket_names
from platform_constructs.contracts import DataContract, NetworkContract
from platform_constructs.naming import name_head
from platform_constructs.outputs import named_output
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.spec.common import FieldError
from platform_constructs.spec.data import BACKUP_BUCKET
from platform_constructs.workload_identity import AwsGrants, bounded_name

#: Days a noncurrent version of a data object is kept (a deleted or overwritten object can be
#: restored for this long).
DATA_NONCURRENT_DAYS = 30
#: Actions on the objects of a granted bucket (or prefix): read, and with ``write`` also write.
READ_OBJECT_ACTIONS = ("s3:GetObject",)
WRITE_OBJECT_ACTIONS = ("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload")


def bucket_access_policy(*, bucket_arn: str, kms_key_arn: str, region: str, write: bool,
                         prefix: str | None = None) -> dict:
    """The IAM policy reading (``write``: reading and writing) one data bucket, only under ``prefix``
    (a folder) when given: ``s3:ListBucket`` (limited to the folder by ``s3:prefix``) and
    ``s3:GetBucketLocation`` on the bucket, the object actions on its objects (or the folder's), and
    the data key through S3 of ``region`` only (``Decrypt``; also ``GenerateDataKey`` to write)."""
    folder = None
    if prefix is not None:
        folder = prefix.strip("/")
        if not folder or any(c in folder for c in "*?$"):
            raise ValueError(f"prefix {prefix!r} is not a folder: give a path like team-a (no wildcards), "
                             "or None for the whole bucket")
    objects = f"{bucket_arn}/{folder}/*" if folder else f"{bucket_arn}/*"
    listing = {"Sid": "ListBucket", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [bucket_arn]}
    if folder:
        listing["Condition"] = {"StringLike": {"s3:prefix": [f"{folder}/", f"{folder}/*"]}}
    return {"Statement": [
        listing,
        {"Sid": "LocateBucket", "Effect": "Allow", "Action": ["s3:GetBucketLocation"], "Resource": [bucket_arn]},
        {"Sid": "WriteObjects" if write else "ReadObjects", "Effect": "Allow",
         "Action": [*READ_OBJECT_ACTIONS, *(WRITE_OBJECT_ACTIONS if write else ())], "Resource": [objects]},
        {"Sid": "UseDataKeyThroughS3", "Effect": "Allow",
         "Action": ["kms:Decrypt", *(["kms:GenerateDataKey"] if write else [])], "Resource": [kms_key_arn],
         "Condition": {"StringEquals": {"kms:ViaService": s3_endpoint(region)}}},
    ]}


def data_bucket_grants(spec: EnvironmentSpec, data: DataContract, *, bucket: str, write: bool,
                       prefix: str | None = None) -> AwsGrants:
    """:class:`AwsGrants` (an inline policy, :func:`bucket_access_policy`) on the data bucket
    ``bucket`` (a ``data.buckets`` short name) of ``data``."""
    if not isinstance(data, AwsDataContract):
        raise TypeError(f"AWS bucket grants need the AWS data layer's contract (AwsDataContract), "
                        f"got {type(data).__name__}")
    if bucket not in data.bucket_arns or data.kms_key_arn is None:
        known = ", ".join(data.bucket_arns) or "none"
        raise ValueError(f"bucket {bucket!r} is not a data bucket of {spec.name} (data.buckets: {known}): "
                         "name one of them, or add it to data.buckets")
    return AwsGrants(inline_policy=bucket_access_policy(
        bucket_arn=data.bucket_arns[bucket], kms_key_arn=data.kms_key_arn, region=spec.region, write=write,
        prefix=prefix))


class AwsData(Construct):
    """What must outlive the cluster and the addons, all encrypted with the layer's own key:

    - Encrypted with a KMS key of its own (``alias/<cluster>-data``, rotation on, 30-day
      deletion window), not the cluster's key: the cluster key lives in ``<env>-cluster``,
      and destroying or rebuilding that stack schedules it for deletion, after which data
      encrypted with it could no longer be read. The data layer's key lives and dies
      with the data it encrypts. (The EBS StorageClass keeps the cluster's key: its volumes
      belong to the cluster's pods and are deleted with their claims.) Created when the layer
      holds anything.
    - :class:`EfsFileSystem` (when ``addons.file_storage``) with the file's ``addons.file_system``
      settings: a mount target in each zone's private subnet, NFS (TCP 2049) only from the node
      security group (the EKS cluster security group every managed node carries), TLS-only policy.
    - ``data.buckets``: :class:`PrivateBucket` s ``[<bucket_prefix>-]<env>-<account id>-<name>``
      (SSE-KMS with the key and a Bucket Key, versioned, public access blocked, ACLs off, TLS-only,
      noncurrent versions kept :data:`DATA_NONCURRENT_DAYS` days, incomplete uploads aborted after a
      day, access logged to ``...-data-access-logs`` (SSE-S3, logs kept 365 days)). The ``backup``
      bucket moves objects to Glacier Flexible Retrieval after ``data.archive_after_days`` and,
      with ``data.backup_immutable_days``, is created with S3 Object Lock (governance mode, that
      default retention).
    - ``data.registry.repositories``: :class:`EcrRepositories` ``<env>/<name>`` (immutable tags,
      scan on push, the key, untagged images expire). The nodes pull through their role's
      ``AmazonEC2ContainerRegistryReadOnly``.
    - ``data.cache``: :class:`ValkeyCache` ``<cluster>-cache`` on the private subnets, reachable
      from the node security group only, IAM-authenticated user, no secret.
    - ``prevent_destroy`` on the key, the file system, the buckets, the repositories and the cache:
      Terraform refuses any plan that would destroy them. Environments on an emulator
      (``aws.endpoint`` set) are throwaway by definition and destroy what they apply, so there it
      is off. Nothing is force-destroyed.

    :attr:`contract` is an :class:`AwsDataContract`.

    :param spec: the environment (``data``, ``addons``, ``cluster.name``, ``region``, ``aws.endpoint``).
    :param network: its network contract (VPC id, private subnet per zone).
    :param cluster: its cluster contract (node security group).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, network: NetworkContract,
                 cluster: AwsClusterContract):
        if not isinstance(cluster, AwsClusterContract):
            raise TypeError(f"the AWS data layer needs an AwsClusterContract (node security group), "
                            f"got {type(cluster).__name__}")
        super().__init__(scope, id)
        data = spec.data
        name = spec.cluster.name
        guard = spec.aws.endpoint is None
        self.key: EncryptionKey | None = None
        self.file_system: EfsFileSystem | None = None
        self.access_log_bucket: PrivateBucket | None = None
        self.buckets: dict[str, PrivateBucket] = {}
        self.registry: EcrRepositories | None = None
        self.cache: ValkeyCache | None = None
        registry_url = None
        if not (spec.addons.file_storage or data.buckets or data.registry.repositories or data.cache):
            self.contract = AwsDataContract()
            return

        self.key = EncryptionKey(self, "key", alias=f"{name}-data",
                                 description=f"EKS {name}: data that outlives the cluster "
                                             "(file system, buckets, registry, cache)", region=spec.region)
        if guard:
            self.key.key.lifecycle = TerraformResourceLifecycle(prevent_destroy=True)
        named_output(self, "data_kms_key_arn", self.key.arn, "KMS key encrypting the data layer")
        account = DataAwsCallerIdentity(self, "account").account_id

        if spec.addons.file_storage:
            settings = spec.addons.file_system
            self.file_system = EfsFileSystem(
                self, "file-system", name=f"{name}-shared", kms_key_arn=self.key.arn,
                subnet_ids_by_zone=network.private_subnet_ids_by_zone, vpc_id=network.network_id,
                node_security_group_id=cluster.node_security_group_id,
                performance_mode=settings.performance_mode, throughput_mode=settings.throughput_mode,
                provisioned_throughput_mibps=settings.provisioned_throughput_mibps,
                enable_backup=settings.backup, prevent_destroy=guard,
            )
            named_output(self, "file_system_id", self.file_system.id, "EFS file system id (the efs-ap StorageClass's)")
            named_output(self, "file_system_arn", self.file_system.arn, "EFS file system ARN")
            named_output(self, "efs_security_group_id", self.file_system.security_group_id,
                         "Security group of the EFS mount targets (NFS from the nodes only)")

        if data.buckets:
            self._buckets(spec, account, guard)
        if data.registry.repositories:
            self.registry = EcrRepositories(self, "registry", namespace=spec.name, names=data.registry.repositories,
                                            kms_key_arn=self.key.arn, prevent_destroy=guard)
            registry_url = f"{registry_host(account, spec.region)}/{spec.name}"
            named_output(self, "registry_url", registry_url, "ECR registry and namespace: images are <url>/<repository>")
            named_output(self, "registry_repository_urls", self.registry.urls, "Repository -> ECR repository URL")
        if data.cache is not None:
            cache_id = bounded_name(f"{name}-cache", 36)
            if "--" in cache_id:
                raise FieldError("cluster.name", f"{name!r} holds '--', which the Valkey cache's id {cache_id!r} cannot "
                                                 "(ElastiCache ids have single '-'): rename the cluster, or remove data.cache")
            self.cache = ValkeyCache(
                self, "cache", name=cache_id, node_type=data.cache.size,
                replicas=data.cache.replicas, kms_key_arn=self.key.arn,
                subnet_ids_by_zone=network.private_subnet_ids_by_zone, vpc_id=network.network_id,
                node_security_group_id=cluster.node_security_group_id,
                log_retention_days=spec.cluster.log_retention_days, prevent_destroy=guard,
            )
            named_output(self, "cache_endpoint", self.cache.endpoint, "Valkey primary endpoint host (TLS)")
            named_output(self, "cache_port", PORT, "Valkey port")
            named_output(self, "cache_user_name", self.cache.user_name,
                         "Valkey user to connect as, with an IAM auth token (no password exists)")
            named_output(self, "cache_arn", self.cache.arn, "ElastiCache replication group ARN (elasticache:Connect)")

        self.contract = AwsDataContract(
            file_system_id=self.file_system.id if self.file_system else None,
            buckets={short: b.name for short, b in self.buckets.items()},
            bucket_arns={short: b.arn for short, b in self.buckets.items()},
            kms_key_arn=self.key.arn,
            registry_url=registry_url,
            repository_arns={n: r.arn for n, r in self.registry.repositories.items()} if self.registry else {},
            cache_endpoint=self.cache.endpoint if self.cache else None,
            cache_port=str(PORT) if self.cache else None,
            cache_arn=self.cache.arn if self.cache else None,
            cache_user_name=self.cache.user_name if self.cache else None,
            cache_user_arn=self.cache.user_arn if self.cache else None,
        )

    def _buckets(self, spec: EnvironmentSpec, account: str, guard: bool) -> None:
        data = spec.data
        partition = DataAwsPartition(self, "partition").partition
        names = s3_bucket_names(name_head(spec.name, data.bucket_prefix), account, [*data.buckets, DATA_ACCESS_LOG_BUCKET])
        log_name = names[DATA_ACCESS_LOG_BUCKET]
        self.access_log_bucket = access_log_bucket(
            self, DATA_ACCESS_LOG_BUCKET, name=log_name, sources=[names[b] for b in data.buckets], account=account, partition=partition,
            prevent_destroy=guard,
        )
        for short in data.buckets:
            backup = short == BACKUP_BUCKET
            self.buckets[short] = PrivateBucket(
                self, f"bucket-{short}", name=names[short], kms_key_arn=self.key.arn,
                log_bucket=self.access_log_bucket, noncurrent_days=DATA_NONCURRENT_DAYS,
                archive_after_days=data.archive_after_days if backup else None,
                object_lock_days=data.backup_immutable_days if backup else 0, prevent_destroy=guard,
            )
        named_output(self, "data_bucket_names", {s: b.name for s, b in self.buckets.items()},
                     "data.buckets short name -> S3 bucket")
        named_output(self, "data_access_log_bucket", log_name, "S3 bucket receiving the data buckets' access logs")
