"""Loki (application logs): the grafana-community loki chart in Monolithic mode.

Values, and why (chart 18.11.0, Loki 3.7; ../shared/charts/loki-18.11.0/values.yaml):

- ``deploymentMode: Monolithic`` with ``singleBinary.replicas`` set (the chart's default is 0) and the
  SimpleScalable targets (``read``, ``write``, ``backend``, 3 replicas each by default) at 0: the
  chart's validate.yaml refuses monolithic and scalable replicas together.
- ``loki.schemaConfig``: one period from 2024-04-01, ``tsdb`` / ``v13``, 24 h index, ``object_store``
  the backend (s3, gcs or azure); the chart renders nothing without a schema.
- ``loki.storage``: ``type`` the backend, ``bucketNames.chunks`` and ``.ruler`` (both required), S3
  ``region`` set explicitly (Loki 3.6's SDK upgrade stopped reading it from the URL) with the
  endpoint host; Azure ``accountName`` and ``useFederatedToken: true`` (the webhook's projected
  token). No access key, secret or connection string anywhere. An S3-compatible store
  (``cloud: kubernetes``): ``s3ForcePathStyle`` and ``insecure`` (http) from the file, and the
  Secret's two keys as ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` on the single binary
  (``singleBinary.extraEnv``): with ``accessKeyId`` unset, Loki's AWS SDK client takes its
  credentials from the environment (not ``${...}`` with ``-config.expand-env``: Terraform would read
  ``${...}`` in the values as its own interpolation).
- Retention: ``compactor.retention_enabled`` with ``delete_request_store`` the backend (Loki 3
  requires it), ``limits_config.retention_period`` = ``retention_days.logs`` in hours.
- ``auth_enabled: false``: one platform-wide tenant (``fake``); the collector needs no tenant header.
- Service account ``loki`` with the identity's annotations; the identity's pod labels on the single
  binary (``singleBinary.podLabels``; Azure's ``azure.workload.identity/use``, grafana/loki#12614).
- Off: the gateway (clients use the ``loki`` Service directly, :mod:`.endpoints`), the canary
  DaemonSet and its Helm test, MinIO, usage reporting.

Size profiles (``observability.size``):

- ``small``: one single-binary replica, replication factor 1, no memcached. For a development
  cluster: about 10 GB of logs a day (~0.1 MB/s), queries over hours.
- ``medium``: three replicas, replication factor 3, spread one per zone
  (``topologySpreadConstraints`` on ``topology.kubernetes.io/zone``, so a zone can fail without losing
  unflushed logs), chunks (2 GB) and results caches. About 100 GB a day (~1 MB/s). Monolithic mode
  stops scaling around there ("a few tens of GB/day" per replica, the chart's values.yaml); beyond
  that, move to the Distributed mode.
"""

from __future__ import annotations

from cdktf import ITerraformDependable
from constructs import Construct

from platform_constructs.kubernetes.chart_release import chart_release
from platform_constructs.observability.endpoints import LOKI_RELEASE
from platform_constructs.observability.storage import NAMESPACE, SERVICE_ACCOUNTS, ObservabilityStorage, ObjectStore
from platform_constructs.spec.observability import ObservabilitySpec

CHART = "loki"
#: The single binary runs as this account (``serviceAccount.name``).
SERVICE_ACCOUNT = SERVICE_ACCOUNTS["loki"]
#: The first (and only) schema period: before any log the environment will store.
SCHEMA_FROM = "2024-04-01"

#: size -> (replicas, cpu request, memory request, memory limit, volume, chunks cache MB or 0).
PROFILES: dict[str, tuple[int, str, str, str, str, int]] = {
    "small": (1, "500m", "1Gi", "2Gi", "10Gi", 0),
    "medium": (3, "2", "4Gi", "6Gi", "50Gi", 2048),
}


def storage_values(store: ObjectStore) -> dict:
    """``loki.storage`` for the store: type, both bucket names, backend settings; no credentials."""
    out: dict = {
        "type": store.backend,
        "bucketNames": {"chunks": store.buckets["loki-chunks"], "ruler": store.buckets["loki-ruler"]},
    }
    if store.backend == "s3":
        out["s3"] = {"endpoint": store.endpoint, "region": store.region, "s3ForcePathStyle": store.path_style,
                     "insecure": store.insecure}
    elif store.backend == "azure":
        out["azure"] = {"accountName": store.account_name, "useFederatedToken": True, "useManagedIdentity": False}
    return out


def loki_values(*, spec: ObservabilitySpec, storage: ObservabilityStorage, storage_class: str | None = None) -> dict:
    """The chart values of :class:`Loki` (see the module docstring for each choice)."""
    store = storage.store
    replicas, cpu, memory, memory_limit, volume, cache_mb = PROFILES[spec.size]
    single_binary: dict = {
        "replicas": replicas,
        "podLabels": storage.pod_labels("loki"),
        "resources": {"requests": {"cpu": cpu, "memory": memory}, "limits": {"memory": memory_limit}},
        "persistence": {"enabled": True, "size": volume},
    }
    if storage_class:
        single_binary["persistence"]["storageClass"] = storage_class
    if storage.env():
        single_binary["extraEnv"] = storage.env()
    if replicas > 1:
        single_binary["topologySpreadConstraints"] = [{
            "maxSkew": 1,
            "topologyKey": "topology.kubernetes.io/zone",
            "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": {
                "app.kubernetes.io/name": "loki", "app.kubernetes.io/instance": LOKI_RELEASE,
                "app.kubernetes.io/component": "single-binary"}},
        }]
    return {
        "deploymentMode": "Monolithic",
        "loki": {
            "auth_enabled": False,
            "commonConfig": {"replication_factor": replicas},
            "schemaConfig": {"configs": [{
                "from": SCHEMA_FROM, "store": "tsdb", "object_store": store.backend, "schema": "v13",
                "index": {"prefix": "index_", "period": "24h"},
            }]},
            "storage": storage_values(store),
            "compactor": {"retention_enabled": True, "delete_request_store": store.backend},
            "limits_config": {"retention_period": f"{spec.retention_days.logs * 24}h"},
            "analytics": {"reporting_enabled": False},
        },
        "serviceAccount": {"create": True, "name": SERVICE_ACCOUNT.name, "annotations": storage.annotations("loki")},
        "singleBinary": single_binary,
        "read": {"replicas": 0},
        "write": {"replicas": 0},
        "backend": {"replicas": 0},
        "gateway": {"enabled": False},
        "lokiCanary": {"enabled": False},
        "test": {"enabled": False},
        "minio": {"enabled": False},
        "chunksCache": {"enabled": cache_mb > 0, **({"allocatedMemory": cache_mb} if cache_mb else {})},
        "resultsCache": {"enabled": cache_mb > 0},
    }


class Loki(Construct):
    """The loki release (chart from ``versions.CHARTS``) in the observability namespace.

    :param spec: the environment's ``observability`` section (size, retention).
    :param storage: the buckets and the ``loki`` identity (bound to :data:`SERVICE_ACCOUNT`), or a
        store with ``credentials_secret`` and no identity.
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the chart's own repository.
    :param depends_on: created after these (namespace, identity bindings). Default: none.
    :param storage_class: the StorageClass of its volumes. Default: none (the cluster's default class).
    """

    def __init__(self, scope: Construct, id: str, *, spec: ObservabilitySpec, storage: ObservabilityStorage,
                 chart_repository: str | None = None, depends_on: list[ITerraformDependable] | None = None,
                 storage_class: str | None = None):
        identity = storage.identities.get("loki")
        if identity is not None and identity.service_account != SERVICE_ACCOUNT:
            raise ValueError(f"Loki runs as {SERVICE_ACCOUNT}, but its identity binds {identity.service_account}: "
                             f"bind {SERVICE_ACCOUNT}")
        super().__init__(scope, id)
        self.values = loki_values(spec=spec, storage=storage, storage_class=storage_class)
        self.release = chart_release(self, "release", chart=CHART, namespace=NAMESPACE, name=LOKI_RELEASE,
                                     values=self.values, chart_repository=chart_repository, depends_on=depends_on)
