"""Mimir (metrics, with its ruler and Alertmanager): mimir-distributed in the classic architecture.

Values, and why:

- **Classic architecture.** Chart 6.x defaults to ingest storage on Kafka; the values of the chart's
  own ``classic-architecture.yaml`` (grafana/mimir ``operations/helm/charts/mimir-distributed``) are
  layered in verbatim (:data:`CLASSIC_ARCHITECTURE`): ``kafka.enabled: false``, ingest storage off and
  the Kafka-only settings removed (``null``). Distributors push straight to the ingesters.
- **Three buckets.** Blocks, ruler and Alertmanager each on their own bucket
  (``blocks_storage`` / ``ruler_storage`` / ``alertmanager_storage``); Mimir refuses a shared bucket
  or prefix. The backend, region and endpoint are set once in ``common.storage``. No access keys:
  S3 credentials come from the pod's web identity (IRSA), GCS from Workload Identity, Azure from the
  federated token the workload-identity webhook projects. An S3-compatible store
  (``cloud: kubernetes``): ``endpoint`` host[:port], ``insecure: true`` for http,
  ``bucket_lookup_type: path`` for path style, and the Secret's two keys as ``AWS_ACCESS_KEY_ID`` /
  ``AWS_SECRET_ACCESS_KEY`` on every pod (``global.extraEnv``, the chart's env for all components);
  with no key in its config, Mimir's S3 client (minio-go's chain) reads them from the environment.
  Not ``${AWS_ACCESS_KEY_ID}`` in the config: Terraform would read ``${...}`` in the values as its
  own interpolation. On Azure no client id is written into
  the config (grafana/mimir#7447): the webhook's ``AZURE_CLIENT_ID`` is what the SDK reads, and the
  webhook only acts on pods labelled ``azure.workload.identity/use`` (``global.podLabels`` puts the
  identity's pod labels on every pod).
- **One service account** ``mimir`` for every component (``serviceAccount.name``; the ruler and
  Alertmanager's own accounts off), annotated with the identity's annotations: the one
  identity reaches the three mimir buckets and nothing else.
- ``multitenancy_enabled: false``: one platform-wide tenant (``anonymous``), so the collector and
  Grafana need no ``X-Scope-OrgID`` header and nothing can write into a tenant it invents. Tenant
  separation, if ever needed, goes with an authenticating gateway in front.
- **Retention**: ``limits.compactor_blocks_retention_period`` = ``retention_days.metrics`` in hours;
  the bucket lifecycle expires objects only after that plus a margin.
- MinIO off (the cloud's buckets instead), usage reporting off, no memcached caches (the chart's
  default; queries read the store gateways).

Size profiles (``observability.size``):

- ``small``: one replica of every component, replication factor 1 (ingesters, store gateways,
  Alertmanager), no zone awareness, no rollout-operator. For a development cluster: about 100k
  active series at a 15 s scrape interval (~7k samples/s) and a handful of queries per minute.
  An ingester restart loses no data (WAL on its volume) but stops ingestion while it restarts.
- ``medium``: the chart's own ``small.yaml`` sizing (~1M active series, ~66k samples/s, ~5
  queries/s): three ingesters, three store gateways and three Alertmanagers, one per zone with
  zone-aware replication across the first three ``zones`` (``topology.kubernetes.io/zone``,
  replication factor 3: a whole zone can fail), the rollout-operator for zone-by-zone rollouts,
  two distributors, queriers, query-frontends, query-schedulers and rulers.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

from cdktf import ITerraformDependable
from constructs import Construct

from platform_constructs.kubernetes.chart_release import chart_release
from platform_constructs.observability.endpoints import MIMIR_RELEASE
from platform_constructs.observability.storage import NAMESPACE, SERVICE_ACCOUNTS, ObservabilityStorage, ObjectStore
from platform_constructs.spec.observability import ObservabilitySpec

CHART = "mimir-distributed"
#: Every Mimir pod runs as this account (``serviceAccount.name``; ruler and Alertmanager share it).
SERVICE_ACCOUNT = SERVICE_ACCOUNTS["mimir"]
#: The node label zone-aware replication pins each zone's StatefulSet to.
ZONE_LABEL = "topology.kubernetes.io/zone"
#: Zones a ``medium`` Mimir spreads over (replication factor 3, one replica per zone).
ZONE_COUNT = 3

#: grafana/mimir operations/helm/charts/mimir-distributed/classic-architecture.yaml, verbatim
#: (without its ``kubeVersionOverride``, which only pins CI renders).
CLASSIC_ARCHITECTURE: dict = {
    "kafka": {"enabled": False},
    "mimir": {"structuredConfig": {
        "ingest_storage": {
            "enabled": False,
            "kafka": {"address": None, "topic": None, "auto_create_topic_default_partitions": None},
        },
        "distributor": {"remote_timeout": None},
        "ingester": {"push_grpc_method_enabled": None},
    }},
}

#: Components whose replicas and resources each profile sets (the chart's value keys).
COMPONENTS = ("alertmanager", "compactor", "distributor", "ingester", "overrides_exporter", "querier",
              "query_frontend", "query_scheduler", "ruler", "store_gateway")
#: The StatefulSets that replicate data and become one StatefulSet per zone in ``medium``.
ZONE_AWARE = ("ingester", "store_gateway", "alertmanager")


@dataclass(frozen=True)
class Size:
    """One component's replicas, requests (``cpu``, ``memory``), memory limit (no CPU limit, as the
    chart's own sizing files) and persistent volume size (stateful components only)."""

    replicas: int
    cpu: str
    memory: str
    memory_limit: str
    volume: str | None = None

    def values(self) -> dict:
        out = {"replicas": self.replicas,
               "resources": {"requests": {"cpu": self.cpu, "memory": self.memory},
                             "limits": {"memory": self.memory_limit}}}
        if self.volume:
            out["persistentVolume"] = {"enabled": True, "size": self.volume}
        return out


#: size -> component -> Size. ``medium`` follows the chart's small.yaml (requests ~70 % of limits).
PROFILES: dict[str, dict[str, Size]] = {
    "small": {
        "alertmanager": Size(1, "50m", "128Mi", "256Mi", "1Gi"),
        "compactor": Size(1, "200m", "512Mi", "1Gi", "10Gi"),
        "distributor": Size(1, "100m", "256Mi", "512Mi"),
        "ingester": Size(1, "500m", "1Gi", "2Gi", "10Gi"),
        "overrides_exporter": Size(1, "50m", "64Mi", "128Mi"),
        "querier": Size(1, "200m", "512Mi", "1Gi"),
        "query_frontend": Size(1, "100m", "256Mi", "512Mi"),
        "query_scheduler": Size(1, "50m", "128Mi", "256Mi"),
        "ruler": Size(1, "100m", "256Mi", "512Mi"),
        "store_gateway": Size(1, "200m", "512Mi", "1Gi", "10Gi"),
    },
    "medium": {
        "alertmanager": Size(3, "1", "1Gi", "1434Mi", "1Gi"),
        "compactor": Size(1, "1", "1536Mi", "2150Mi", "20Gi"),
        "distributor": Size(2, "2", "4Gi", "5837Mi"),
        "ingester": Size(3, "3500m", "8Gi", "12Gi", "50Gi"),
        "overrides_exporter": Size(1, "100m", "128Mi", "128Mi"),
        "querier": Size(2, "2", "4Gi", "5734Mi"),
        "query_frontend": Size(2, "2", "2Gi", "2867Mi"),
        "query_scheduler": Size(2, "100m", "128Mi", "256Mi"),
        "ruler": Size(2, "1", "2Gi", "2867Mi"),
        "store_gateway": Size(3, "1", "1536Mi", "2150Mi", "10Gi"),
    },
}

#: Seed bucket -> the Mimir storage section that uses it.
_SECTIONS = {"mimir-metrics": "blocks_storage", "mimir-ruler": "ruler_storage",
             "mimir-alertmanager": "alertmanager_storage"}


def zone_names(count: int) -> list[str]:
    """``zone-a``, ``zone-b``, ...: the chart's StatefulSet suffixes (``mimir-ingester-zone-a``).
    Short letters, not the cloud's zone names: those can be bare digits (Azure), which would read as
    pod ordinals."""
    return [f"zone-{chr(ord('a') + i)}" for i in range(count)]


def storage_config(store: ObjectStore) -> dict:
    """``common.storage`` plus the three sections' bucket (container) names, for ``structuredConfig``."""
    if store.backend == "s3":
        s3 = {"endpoint": store.endpoint, "region": store.region}
        if store.path_style:
            s3["bucket_lookup_type"] = "path"
        if store.insecure:
            s3["insecure"] = True
        common = {"backend": "s3", "s3": s3}
        key, name_field = "s3", "bucket_name"
    elif store.backend == "gcs":
        common = {"backend": "gcs"}
        key, name_field = "gcs", "bucket_name"
    else:
        # No user_assigned_id / client id here: grafana/mimir#7447.
        common = {"backend": "azure", "azure": {"account_name": store.account_name}}
        key, name_field = "azure", "container_name"
    out: dict = {"common": {"storage": common}}
    for bucket, section in _SECTIONS.items():
        out[section] = {key: {name_field: store.buckets[bucket]}}
    return out


def _merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def mimir_values(*, spec: ObservabilitySpec, storage: ObservabilityStorage, zones: Sequence[str],
                 storage_class: str | None = None) -> dict:
    """The chart values of :class:`Mimir` (see the module docstring for each choice)."""
    zones = list(dict.fromkeys(zones))
    profile = PROFILES[spec.size]
    zone_aware = spec.size == "medium"
    structured: dict = {
        "multitenancy_enabled": False,
        "usage_stats": {"enabled": False},
        "limits": {"compactor_blocks_retention_period": f"{spec.retention_days.metrics * 24}h"},
        **storage_config(storage.store),
    }
    if not zone_aware:
        # One replica each: the rings must not wait for replicas that do not exist.
        structured["ingester"] = {"ring": {"replication_factor": 1}}
        structured["store_gateway"] = {"sharding_ring": {"replication_factor": 1}}
        structured["alertmanager"] = {"sharding_ring": {"replication_factor": 1}}
    global_values: dict = {"podLabels": storage.pod_labels("mimir")}
    if storage.env():
        global_values["extraEnv"] = storage.env()
    values: dict = {
        "global": global_values,
        "serviceAccount": {"create": True, "name": SERVICE_ACCOUNT.name,
                           "annotations": storage.annotations("mimir")},
        "minio": {"enabled": False},
        "rollout_operator": {"enabled": zone_aware},
        "mimir": {"structuredConfig": structured},
    }
    for component in COMPONENTS:
        values[component] = profile[component].values()
        if storage_class and "persistentVolume" in values[component]:
            values[component]["persistentVolume"]["storageClass"] = storage_class
    for component in ("ruler", "alertmanager"):
        values[component]["serviceAccount"] = {"create": False}
    for component in ZONE_AWARE:
        if zone_aware:
            values[component]["zoneAwareReplication"] = {
                "enabled": True,
                "topologyKey": "kubernetes.io/hostname",
                "zones": [{"name": name, "nodeSelector": {ZONE_LABEL: zone}}
                          for name, zone in zip(zone_names(ZONE_COUNT), zones[:ZONE_COUNT])],
            }
        else:
            values[component]["zoneAwareReplication"] = {"enabled": False}
    return _merge(values, CLASSIC_ARCHITECTURE)


class Mimir(Construct):
    """The mimir-distributed release (chart from ``versions.CHARTS``) in the observability namespace.

    :param spec: the environment's ``observability`` section (size, retention).
    :param storage: the buckets and the ``mimir`` identity (bound to :data:`SERVICE_ACCOUNT`), or a
        store with ``credentials_secret`` and no identity.
    :param zones: node zone labels (``topology.kubernetes.io/zone`` values); ``medium`` uses the first three.
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the chart's own repository.
    :param depends_on: created after these (namespace, identity bindings). Default: none.
    :param storage_class: the StorageClass of its volumes. Default: none (the cluster's default class).
    """

    def __init__(self, scope: Construct, id: str, *, spec: ObservabilitySpec, storage: ObservabilityStorage,
                 zones: Sequence[str], chart_repository: str | None = None, storage_class: str | None = None,
                 depends_on: list[ITerraformDependable] | None = None):
        identity = storage.identities.get("mimir")
        if identity is not None and identity.service_account != SERVICE_ACCOUNT:
            raise ValueError(f"Mimir runs as {SERVICE_ACCOUNT}, but its identity binds {identity.service_account}: "
                             f"bind {SERVICE_ACCOUNT}")
        if spec.size == "medium" and len(set(zones)) < ZONE_COUNT:
            raise ValueError(f"observability.size medium spreads Mimir over {ZONE_COUNT} zones, but the environment "
                             f"lists {len(set(zones))} ({', '.join(zones) or 'none'}): list {ZONE_COUNT} zones or "
                             "use size small")
        super().__init__(scope, id)
        self.values = mimir_values(spec=spec, storage=storage, zones=zones, storage_class=storage_class)
        self.release = chart_release(self, "release", chart=CHART, namespace=NAMESPACE, name=MIMIR_RELEASE,
                                     values=self.values, chart_repository=chart_repository, depends_on=depends_on)
