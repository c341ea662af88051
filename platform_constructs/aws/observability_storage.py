"""The observability layer's object storage on AWS: the seed's six S3 buckets, their key, their
access-log bucket, and one IRSA role per component reaching only its own buckets."""

from __future__ import annotations

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition

from platform_constructs.aws.csi_addons import identity_dependables
from platform_constructs.aws.names import OBSERVABILITY_ACCESS_LOG_BUCKET, s3_bucket_names
from platform_constructs.aws.kms_key import EncryptionKey
from platform_constructs.aws.bucket import PrivateBucket, access_log_bucket
from platform_constructs.aws.workload_identity import AwsWorkloadIdentity
from platform_constructs.contracts import ClusterContract
from platform_constructs.observability.storage import (
    BUCKETS, COMPONENT_BUCKETS, SERVICE_ACCOUNTS, ObjectStore, ObservabilityStorage, expiration_days, name_head,
)
from platform_constructs.outputs import named_output
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.workload_identity import AwsGrants, bounded_name

#: Days the S3 server access logs are kept (their own bucket's lifecycle).
#: Seed-name slot the access-log bucket takes in ``<head>-<account>-<seed>`` (shorter than every
#: seed name, so the name fits wherever the six do).
ACCESS_LOG_BUCKET = OBSERVABILITY_ACCESS_LOG_BUCKET
#: Object actions every component needs on its buckets (the S3 permissions Mimir's, Loki's and
#: Tempo's object storage documentation lists).
OBJECT_ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
#: Extra object actions per component: Tempo reads and writes object tags (its S3 documentation's
#: permission list).
EXTRA_OBJECT_ACTIONS: dict[str, tuple[str, ...]] = {"tempo": ("s3:GetObjectTagging", "s3:PutObjectTagging")}


def s3_endpoint(region: str) -> str:
    """The regional S3 endpoint host: ``s3.<region>.amazonaws.com``, ``.amazonaws.com.cn`` in the
    China regions (``cn-*``). Other isolated partitions are not covered."""
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"s3.{region}.{suffix}"


def storage_policy(component: str, bucket_arns: list[str], kms_key_arn: str, region: str) -> dict:
    """The inline policy of ``component``'s role: list its buckets, read, write and delete their
    objects, and use the storage key only through S3 of ``region`` (``kms:ViaService``)."""
    objects = [f"{arn}/*" for arn in bucket_arns]
    return {"Statement": [
        {"Sid": "ListOwnBuckets", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
         "Resource": list(bucket_arns)},
        {"Sid": "ReadWriteOwnObjects", "Effect": "Allow",
         "Action": [*OBJECT_ACTIONS, *EXTRA_OBJECT_ACTIONS.get(component, ())], "Resource": objects},
        {"Sid": "UseStorageKeyThroughS3", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
         "Resource": kms_key_arn, "Condition": {"StringEquals": {"kms:ViaService": s3_endpoint(region)}}},
    ]}


class AwsObservabilityStorage(Construct):
    """The six buckets of ``observability`` (see :mod:`platform_constructs.observability.storage`),
    who may use them, and where their access is logged.

    - A KMS key of its own (``alias/<cluster>-observability``, rotation on, 30-day deletion window,
      the explicit policy of :class:`EncryptionKey`: the account administers it through IAM, this
      region's CloudWatch Logs may encrypt the account's log groups with it). It also encrypts the
      Container Insights log groups (:class:`~platform_constructs.aws.cloud_logging.AwsCloudLogging`).
      ``prevent_destroy`` on the key: once it is gone, nothing in the buckets can be read.
    - Six :class:`PrivateBucket` s named ``<head>-<account id>-<seed>``
      (:func:`~platform_constructs.observability.storage.bucket_names`; the account id comes from
      ``aws_caller_identity``): SSE-KMS with the key and a Bucket Key, versioned, all public access
      blocked, ACLs off, TLS-only policy, lifecycle (signal buckets expire after the retention plus
      the margin; ruler and Alertmanager state never), access logged, never force-destroyed.
    - ``<head>-<account id>-access-logs``: the server access log target, SSE-S3 (the S3 user guide,
      "Enabling Amazon S3 server access logging": default encryption of the target bucket "only if
      you use server-side encryption with Amazon S3 managed keys (SSE-S3) ... SSE-KMS is not
      supported"; awsdocs/amazon-s3-userguide doc_source/enable-server-access-logging.md), its
      policy letting ``logging.s3.amazonaws.com`` put objects for the six buckets of this account
      only, logs kept ``bucket.ACCESS_LOG_DAYS`` days; not logged itself (the guide: a target bucket
      should not log).
    - One IAM role per component (``<cluster>-mimir``, ``-loki``, ``-tempo``) for its service
      account (:data:`~platform_constructs.observability.storage.SERVICE_ACCOUNTS`), always through
      IRSA whatever ``aws.workload_identity`` says: the components reach S3 through their own
      object-storage clients, and Mimir's support of EKS Pod Identity credentials is uneven
      (grafana/mimir#9075), while every one of them reads the web-identity token IRSA projects.
      Inline policy (:func:`storage_policy`): ``s3:ListBucket`` and ``s3:GetBucketLocation`` on its
      buckets, ``s3:GetObject``/``PutObject``/``DeleteObject`` (Tempo also ``Get``/``PutObjectTagging``)
      on their objects, ``kms:Decrypt``/``GenerateDataKey`` on the key via S3 only. Multipart uploads
      need no more (their calls are ``s3:PutObject``); abandoned ones are aborted by the lifecycle.
    - ``prevent_destroy`` on the buckets and the key unless ``aws.endpoint`` is set (emulator
      environments destroy what they apply, as :class:`~platform_constructs.aws.data.AwsData` does).

    :attr:`storage` is what the neutral releases take (backend ``s3``, the region and its S3
    endpoint, no keys); :attr:`key`, :attr:`buckets`, :attr:`access_log_bucket` and
    :attr:`identities` the resources.

    :param spec: the environment (``name``, ``region``, ``cluster.name``, ``observability``, ``aws.endpoint``).
    :param cluster: its cluster contract (OIDC issuer and IAM OIDC provider for IRSA).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, cluster: ClusterContract):
        problems = []
        if spec.cloud != "aws":
            problems.append(f"AwsObservabilityStorage builds AWS buckets, but {spec.name} is on {spec.cloud}")
        if not isinstance(cluster, ClusterContract):
            problems.append(f"AwsObservabilityStorage needs a ClusterContract (OIDC provider), got {type(cluster).__name__}")
        if problems:
            raise ValueError("observability storage: " + "; ".join(problems))
        super().__init__(scope, id)
        obs = spec.observability
        cluster_name = spec.cluster.name
        guard = spec.aws.endpoint is None
        partition = DataAwsPartition(self, "partition").partition
        account = DataAwsCallerIdentity(self, "account").account_id

        self.key = EncryptionKey(self, "key", alias=f"{cluster_name}-observability",
                                 description=f"EKS {cluster_name}: observability buckets and Container Insights logs",
                                 region=spec.region)
        if guard:
            self.key.key.lifecycle = TerraformResourceLifecycle(prevent_destroy=True)

        names = s3_bucket_names(name_head(spec.name, obs), account, [*BUCKETS, ACCESS_LOG_BUCKET])
        log_name = names[BUCKETS[0]].removesuffix(BUCKETS[0]) + ACCESS_LOG_BUCKET
        self.access_log_bucket = access_log_bucket(
            self, ACCESS_LOG_BUCKET, name=log_name, sources=[names[seed] for seed in BUCKETS], account=account, partition=partition,
            prevent_destroy=guard,
        )
        retention = obs.retention_days
        self.buckets: dict[str, PrivateBucket] = {
            seed: PrivateBucket(
                self, seed, name=names[seed], kms_key_arn=self.key.arn,
                expiration_days=expiration_days(seed, retention), log_bucket=self.access_log_bucket,
                prevent_destroy=guard,
            )
            for seed in BUCKETS
        }

        self.identities: dict[str, AwsWorkloadIdentity] = {
            component: AwsWorkloadIdentity(
                self, f"{component}-identity", name=bounded_name(f"{cluster_name}-{component}", 64), cluster=cluster,
                service_account=SERVICE_ACCOUNTS[component], mode="irsa",
                grants=AwsGrants(inline_policy=storage_policy(
                    component, [self.buckets[seed].arn for seed in seeds], self.key.arn, spec.region)),
            )
            for component, seeds in COMPONENT_BUCKETS.items()
        }

        depends_on = [item for identity in self.identities.values() for item in identity_dependables(identity)]
        depends_on += [item for bucket in self.buckets.values() for item in bucket.dependables]
        self.storage = ObservabilityStorage(
            store=ObjectStore(backend="s3", buckets={seed: bucket.name for seed, bucket in self.buckets.items()},
                              region=spec.region, endpoint=s3_endpoint(spec.region)),
            identities={component: identity.identity for component, identity in self.identities.items()},
            depends_on=tuple(depends_on),
        )

        named_output(self, "observability_bucket_names", {seed: b.name for seed, b in self.buckets.items()},
                     "Seed name -> S3 bucket of the observability layer")
        named_output(self, "observability_access_log_bucket", self.access_log_bucket.name,
                     "S3 bucket receiving the observability buckets' server access logs")
        named_output(self, "observability_kms_key_arn", self.key.arn, "KMS key encrypting the observability buckets")
        named_output(self, "observability_role_arns", {c: i.arn for c, i in self.identities.items()},
                     "Component -> IAM role its service account assumes (IRSA)")
