"""The data layer on GCP: application and backup buckets, the image registry and the cache."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_google.data_google_project import DataGoogleProject
from cdktf_cdktf_provider_google.data_google_storage_project_service_account import (
    DataGoogleStorageProjectServiceAccount,
)
from cdktf_cdktf_provider_google.kms_key_ring import KmsKeyRing
from cdktf_cdktf_provider_google.storage_bucket_iam_member import StorageBucketIamMember

from platform_constructs.gcp.cache import GcpCache, network_id, subnetwork_id
from platform_constructs.gcp.data_bucket import DataBucket
from platform_constructs.gcp.data_key import DataKey, artifact_registry_agent, memorystore_agent
from platform_constructs.gcp.node_service_account import account_id_for as node_account_id_for
from platform_constructs.gcp.registry import GcpRegistry
from platform_constructs.gcp.observability_storage import (
    ACCESS_LOG_DAYS, STORAGE_ANALYTICS,
)
from platform_constructs.gcp.names import DATA_ACCESS_LOG_BUCKET, bucket_names
from platform_constructs.naming import name_head
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.spec.data import BACKUP_BUCKET

#: The data access-log bucket's short name (never a data.buckets name: the model refuses it there,
#: and it is kept apart from the observability stack's ``access-logs``).
ACCESS_LOG_BUCKET = DATA_ACCESS_LOG_BUCKET
#: Key names inside the ``<env>-data`` ring, one per service.
BUCKET_KEY = "data-buckets"
REGISTRY_KEY = "artifact-registry"
CACHE_KEY = "memorystore"


def data_bucket_names(spec: EnvironmentSpec) -> dict[str, str]:
    """``data.buckets`` short name (and :data:`ACCESS_LOG_BUCKET`) -> ``[<prefix>-]<env>-<project
    hash>-<short>``, at most 63 characters: the observability buckets' project hash."""
    assert spec.gcp is not None
    head = name_head(spec.name, spec.data.bucket_prefix)
    return bucket_names(head, spec.gcp.project, [*spec.data.buckets, ACCESS_LOG_BUCKET])


def node_service_account_email(spec: EnvironmentSpec) -> str:
    """The cluster's node service account, by its literal name (the cluster layer creates it)."""
    assert spec.gcp is not None
    return f"{node_account_id_for(spec.cluster.name)}@{spec.gcp.project}.iam.gserviceaccount.com"


def cache_instance_id(spec: EnvironmentSpec) -> str:
    return f"{spec.name}-cache"


class GcpData(Construct):
    """``<env>-data``'s buckets, registry and cache on GCP, keys in the ``<env>-data`` key ring.

    - ``key_ring``: the ring's id when the caller made it (the Persistent Disk key's ring); else
      the ring ``key_ring_name`` is created here. ``project_number``: the project's number when
      the caller read it; else the ``google_project`` data source is read here.
    - Buckets (``data.buckets``): a :class:`DataBucket` each, named by :func:`data_bucket_names`,
      on the key ``data-buckets`` (Cloud Storage's service agent only); ``backup`` archives after
      ``data.archive_after_days`` and holds a retention policy of ``data.backup_immutable_days``
      when set. Usage logs go to the access-log bucket ``<head>-<hash>-data-access-logs``
      (deleted after ``ACCESS_LOG_DAYS``, writable by Cloud Storage's log writer only).
    - Registry (``data.registry.repositories``): one :class:`GcpRegistry` ``<env>`` on the key
      ``artifact-registry`` (Artifact Registry's agent only), the nodes' service account reading it.
    - Cache (``data.cache``): :class:`GcpCache` ``<env>-cache`` on the key ``memorystore``
      (Memorystore's agent only), its endpoints in the node subnet of the environment's network.
    - ``gcp.deletion_protection``: ``prevent_destroy`` on keys, buckets, repository and instance.

    Network, subnet and node account are named literally (the network and cluster layers name
    them after the environment), so the stack reads no other stack's state.

    Attributes: ``key_ring``, ``keys`` (service -> :class:`DataKey`), ``buckets`` (short name ->
    :class:`DataBucket`), ``log_bucket``, ``registry`` and ``cache`` (None when absent),
    ``bucket_names`` (short name -> name).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, key_ring_name: str,
                 key_ring: str | None = None, project_number: str | None = None):
        if getattr(spec, "gcp", None) is None:
            raise ValueError(f"{spec.name}: GcpData needs a GCP environment (cloud: gcp, with its gcp: section); "
                             f"{spec.name} is on {spec.cloud}")
        super().__init__(scope, id)
        gcp, data = spec.gcp, spec.data
        project, region, protect = gcp.project, spec.region, gcp.deletion_protection
        self.keys: dict[str, DataKey] = {}
        self.buckets: dict[str, DataBucket] = {}
        self.log_bucket: DataBucket | None = None
        self.registry = None
        self.cache: GcpCache | None = None
        self.bucket_names: dict[str, str] = {}
        if not (data.buckets or data.registry.repositories or data.cache):
            self.key_ring = key_ring
            return
        self.key_ring = key_ring or KmsKeyRing(self, "key-ring", name=key_ring_name, location=region,
                                               project=project).id
        project_number = project_number or DataGoogleProject(self, "project", project_id=project).number
        key = dict(key_ring=self.key_ring, rotation_days=gcp.kms_rotation_days, protect=protect)

        if data.buckets:
            agent = DataGoogleStorageProjectServiceAccount(self, "storage-service-agent", project=project)
            bucket_key = self.keys["storage"] = DataKey(self, "bucket-key", name=BUCKET_KEY,
                                                        agents=[agent.email_address], **key)
            names = data_bucket_names(spec)
            common = dict(project=project, location=region, kms_key_id=bucket_key.id, protect=protect,
                          depends_on=bucket_key.bindings)
            self.log_bucket = DataBucket(self, "access-logs", name=names[ACCESS_LOG_BUCKET],
                                         expiration_days=ACCESS_LOG_DAYS, **common)
            self.log_writer = StorageBucketIamMember(self, "access-log-writer", bucket=self.log_bucket.name,
                                                     role="roles/storage.objectCreator", member=STORAGE_ANALYTICS)
            for short in data.buckets:
                backup = short == BACKUP_BUCKET
                self.buckets[short] = DataBucket(
                    self, f"bucket-{short}", name=names[short],
                    archive_after_days=data.archive_after_days if backup else None,
                    retention_days=data.backup_immutable_days if backup else 0,
                    log_bucket=self.log_bucket.name, **common,
                )
            self.bucket_names = {short: names[short] for short in data.buckets}

        if data.registry.repositories:
            registry_key = self.keys["artifactregistry"] = DataKey(
                self, "registry-key", name=REGISTRY_KEY, agents=[artifact_registry_agent(project_number)], **key)
            self.registry = GcpRegistry(
                self, "registry", repository_id=spec.name, project=project, location=region,
                kms_key_id=registry_key.id, images=data.registry.repositories,
                readers=[f"serviceAccount:{node_service_account_email(spec)}"], protect=protect,
                depends_on=registry_key.bindings,
            )

        if data.cache:
            cache_key = self.keys["memorystore"] = DataKey(
                self, "cache-key", name=CACHE_KEY, agents=[memorystore_agent(project_number)], **key)
            window = gcp.maintenance_window
            self.cache = GcpCache(
                self, "cache", instance_id=cache_instance_id(spec), project=project, region=region,
                network=network_id(project, spec.name),
                subnetwork=subnetwork_id(project, region, f"{spec.name}-nodes"),
                node_type=data.cache.size, replicas=data.cache.replicas, kms_key_id=cache_key.id,
                maintenance_day=window.days[0], maintenance_hour=int(window.start_time.split(":")[0]),
                protect=protect, depends_on=cache_key.bindings,
            )
