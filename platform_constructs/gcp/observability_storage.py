"""The observability layer's Cloud Storage: six buckets on a customer-managed key, one identity per component."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_google.storage_bucket_iam_member import StorageBucketIamMember

from platform_constructs.gcp.contracts import GcpClusterContract
from platform_constructs.gcp.observability_bucket import ObservabilityBucket
from platform_constructs.gcp.names import OBSERVABILITY_ACCESS_LOG_BUCKET, project_hash
from platform_constructs.gcp.observability_key import ObservabilityBucketKey, key_ring_name
from platform_constructs.gcp.workload_identity import GcpWorkloadIdentity, account_id_for
from platform_constructs.observability.storage import (
    BUCKETS, COMPONENT_BUCKETS, SERVICE_ACCOUNTS, ObjectStore, ObservabilityStorage, bucket_names, expiration_days,
)
from platform_constructs.spec import EnvironmentSpec

#: The suffix of the access-log bucket's name (in place of a seed bucket's name).
ACCESS_LOG_BUCKET = OBSERVABILITY_ACCESS_LOG_BUCKET
#: Days usage logs stay in the access-log bucket. Default retention of the platform's access logs.
ACCESS_LOG_DAYS = 90
#: Who writes Cloud Storage usage logs (https://cloud.google.com/storage/docs/access-logs): a
#: Google group, granted object creation on the log bucket (uniform access: IAM, not an ACL).
STORAGE_ANALYTICS = "group:cloud-storage-analytics@google.com"

#: Object read, write, list and delete, multipart uploads included; no ACL or IAM changes (narrower
#: than ``roles/storage.objectAdmin``). What Mimir's, Loki's and Tempo's GCS clients call.
OBJECT_USER = "roles/storage.objectUser"
#: ``storage.buckets.get`` (and ``storage.objects.list``), on the bucket only: Tempo's documented
#: GCS permissions include ``storage.buckets.get``
#: (https://grafana.com/docs/tempo/latest/configuration/hosted-storage/gcs/).
BUCKET_READER = "roles/storage.legacyBucketReader"

#: Component -> bucket-level roles on each of its own buckets (nothing on the project, nothing on
#: another component's bucket).
COMPONENT_ROLES: dict[str, tuple[str, ...]] = {
    "mimir": (OBJECT_USER,),
    "loki": (OBJECT_USER,),
    "tempo": (OBJECT_USER, BUCKET_READER),
}


def gcs_bucket_names(spec: EnvironmentSpec) -> dict[str, str]:
    """Seed name -> ``[<prefix>-]<env>-<project hash>-<seed>`` (at most 63 characters)."""
    assert spec.gcp is not None
    return bucket_names(spec.name, spec.observability, project_hash(spec.gcp.project))


def access_log_bucket_name(spec: EnvironmentSpec) -> str:
    """``[<prefix>-]<env>-<project hash>-access-logs``: the seed buckets' head and hash."""
    first = gcs_bucket_names(spec)[BUCKETS[0]]
    return first.removesuffix(BUCKETS[0]) + ACCESS_LOG_BUCKET


class GcpObservabilityStorage(Construct):
    """The observability buckets and who may use them, on GCP.

    - Key ring ``<env>-observability`` with key ``observability-buckets``
      (:class:`ObservabilityBucketKey`): rotated every ``gcp.kms_rotation_days``, usable by the
      Cloud Storage service agent only.
    - The six buckets of :data:`BUCKETS` named by :func:`gcs_bucket_names`, each an
      :class:`ObservabilityBucket` in the region: CMEK, versioned, uniform access, public access
      prevention enforced, lifecycle from ``observability.retention_days``
      (:func:`expiration_days`; the ruler and Alertmanager buckets never expire), usage logs to the
      access-log bucket, never force-destroyed.
    - The access-log bucket ``<head>-<hash>-access-logs``: same settings, its objects deleted after
      :data:`ACCESS_LOG_DAYS`, writable (create only) by Cloud Storage's log writer.
    - Per component (mimir, loki, tempo) a Google service account ``<cluster>-<component>``
      bound through GKE Workload Identity to ``observability/<component>`` (built as the kit's
      ``workload_identity`` builds them, with no project role), holding :data:`COMPONENT_ROLES` on
      its own buckets (:data:`COMPONENT_BUCKETS`) and nothing else.
    - ``gcp.deletion_protection``: ``prevent_destroy`` on the key and the buckets.

    :param spec: the environment (name, region, ``gcp``, ``observability``, the cluster's name).
    :param cluster: the cluster's contract (project, workload pool).

    Attributes: ``key``, ``log_bucket``, ``buckets`` (seed -> :class:`ObservabilityBucket`),
    ``identities`` (component -> :class:`GcpWorkloadIdentity`), ``grants`` (component -> bucket IAM
    members) and ``storage`` (what the neutral releases take).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, cluster: GcpClusterContract):
        if getattr(spec, "gcp", None) is None:
            raise ValueError(f"{spec.name}: GcpObservabilityStorage needs a GCP environment (cloud: gcp, with its "
                             f"gcp: section); {spec.name} is on {spec.cloud}")
        super().__init__(scope, id)
        gcp = spec.gcp
        project, region, protect = gcp.project, spec.region, gcp.deletion_protection
        self.key = ObservabilityBucketKey(self, "key", name=key_ring_name(spec.name), project=project,
                                          location=region, rotation_days=gcp.kms_rotation_days, protect=protect)
        common = dict(project=project, location=region, kms_key_id=self.key.id, protect=protect,
                      depends_on=[self.key.binding])
        self.log_bucket = ObservabilityBucket(self, "access-logs", name=access_log_bucket_name(spec),
                                              expiration_days=ACCESS_LOG_DAYS, **common)
        self.log_writer = StorageBucketIamMember(self, "access-log-writer", bucket=self.log_bucket.name,
                                                 role="roles/storage.objectCreator", member=STORAGE_ANALYTICS)
        names = gcs_bucket_names(spec)
        retention = spec.observability.retention_days
        self.buckets = {
            seed: ObservabilityBucket(self, seed, name=names[seed], expiration_days=expiration_days(seed, retention),
                                      log_bucket=self.log_bucket.name, **common)
            for seed in BUCKETS
        }
        self.identities: dict[str, GcpWorkloadIdentity] = {}
        self.grants: dict[str, list[StorageBucketIamMember]] = {}
        for component, seeds in COMPONENT_BUCKETS.items():
            identity = GcpWorkloadIdentity(
                self, f"{component}-identity", account_id=account_id_for(spec.cluster.name, component),
                cluster=cluster, service_account=SERVICE_ACCOUNTS[component],
            )
            self.identities[component] = identity
            self.grants[component] = [
                StorageBucketIamMember(self, f"{seed}-{role.rsplit('.', 1)[-1].lower()}",
                                       bucket=self.buckets[seed].name, role=role, member=identity.account.member)
                for seed in seeds for role in COMPONENT_ROLES[component]
            ]
        self.storage = ObservabilityStorage(
            store=ObjectStore(backend="gcs", buckets=names),
            identities={component: identity.identity for component, identity in self.identities.items()},
            depends_on=tuple(
                resource for component, identity in self.identities.items()
                for resource in (identity.binding, *self.grants[component])
            ),
        )
