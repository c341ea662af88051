"""Tempo (traces): the grafana-community tempo chart, single binary.

Values, and why (chart 2.2.4, Tempo 2.10; ../shared/charts/tempo-2.2.4/values.yaml). The
distributed chart (tempo-distributed 3.x) needs Kafka, hence the single binary.

- ``tempo.storage.trace``: ``backend`` s3 / gcs / azure with ``s3.bucket`` + ``endpoint`` +
  ``region`` (``forcepathstyle`` for S3-compatible stores), ``gcs.bucket_name``, or
  ``azure.container_name`` + ``storage_account_name`` + ``use_federated_token: true``; the WAL on the
  pod's volume (``persistence.enabled: true``, so spans not yet flushed survive a restart). The
  chart's ``local`` backend block is removed. No access or secret key: IRSA, Workload Identity or
  the federated token. An S3-compatible store (``cloud: kubernetes``): ``forcepathstyle`` and
  ``insecure`` (http) from the file, and the Secret's two keys as ``AWS_ACCESS_KEY_ID`` /
  ``AWS_SECRET_ACCESS_KEY`` in the container (``tempo.extraEnv``): with no ``access_key`` in its
  config, Tempo's S3 client reads the environment first (minio-go's ``EnvAWS`` provider).
- ``tempo.retention`` (the compactor's ``block_retention``) = ``retention_days.traces`` in hours.
- OTLP receivers on, gRPC 4317 and HTTP 4318 (the collector forwards OTLP gRPC).
- Service account ``tempo`` with the identity's annotations; ``podLabels`` the identity's pod labels.
- Container hardening the chart leaves empty: no privilege escalation, every capability dropped,
  read-only root file system, the runtime's seccomp profile.
- Multitenancy and usage reporting off.

Size profiles (``observability.size``); the single binary does not replicate, so ``medium`` is a
larger pod, not more of them (no zone-aware replication for traces: spans in the WAL of a
failed zone's pod wait for its volume to come back):

- ``small``: 500m / 1 GiB (2 GiB limit), 10 GiB WAL volume: about 1k spans/s.
- ``medium``: 2 CPU / 4 GiB (8 GiB limit), 50 GiB WAL volume: about 10k spans/s.
"""

from __future__ import annotations

from cdktf import ITerraformDependable
from constructs import Construct

from platform_constructs.kubernetes.chart_release import chart_release
from platform_constructs.observability.endpoints import TEMPO_OTLP_GRPC_PORT, TEMPO_OTLP_HTTP_PORT, TEMPO_RELEASE
from platform_constructs.observability.storage import NAMESPACE, SERVICE_ACCOUNTS, ObservabilityStorage, ObjectStore
from platform_constructs.spec.observability import ObservabilitySpec

CHART = "tempo"
#: The Tempo pod runs as this account (``serviceAccount.name``).
SERVICE_ACCOUNT = SERVICE_ACCOUNTS["tempo"]

#: size -> (cpu request, memory request, memory limit, WAL volume).
PROFILES: dict[str, tuple[str, str, str, str]] = {
    "small": ("500m", "1Gi", "2Gi", "10Gi"),
    "medium": ("2", "4Gi", "8Gi", "50Gi"),
}


def trace_storage(store: ObjectStore) -> dict:
    """``tempo.storage.trace`` for the store; no credentials."""
    bucket = store.buckets["tempo-traces"]
    trace: dict = {"backend": store.backend, "local": None, "wal": {"path": "/var/tempo/wal"}}
    if store.backend == "s3":
        trace["s3"] = {"bucket": bucket, "endpoint": store.endpoint, "region": store.region,
                       "forcepathstyle": store.path_style, "insecure": store.insecure}
    elif store.backend == "gcs":
        trace["gcs"] = {"bucket_name": bucket}
    else:
        trace["azure"] = {"container_name": bucket, "storage_account_name": store.account_name,
                          "use_federated_token": True}
    return trace


def tempo_values(*, spec: ObservabilitySpec, storage: ObservabilityStorage, storage_class: str | None = None) -> dict:
    """The chart values of :class:`Tempo` (see the module docstring for each choice)."""
    cpu, memory, memory_limit, volume = PROFILES[spec.size]
    tempo: dict = {
        "retention": f"{spec.retention_days.traces * 24}h",
        "multitenancyEnabled": False,
        "reportingEnabled": False,
        "storage": {"trace": trace_storage(storage.store)},
        "receivers": {"otlp": {"protocols": {
            "grpc": {"endpoint": f"0.0.0.0:{TEMPO_OTLP_GRPC_PORT}"},
            "http": {"endpoint": f"0.0.0.0:{TEMPO_OTLP_HTTP_PORT}"},
        }}},
        "resources": {"requests": {"cpu": cpu, "memory": memory}, "limits": {"memory": memory_limit}},
        "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]},
                            "readOnlyRootFilesystem": True},
    }
    if storage.env():
        tempo["extraEnv"] = storage.env()
    return {
        "replicas": 1,
        "tempo": tempo,
        "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
        "persistence": {"enabled": True, "size": volume,
                        **({"storageClassName": storage_class} if storage_class else {})},
        "serviceAccount": {"create": True, "name": SERVICE_ACCOUNT.name, "annotations": storage.annotations("tempo")},
        "podLabels": storage.pod_labels("tempo"),
    }


class Tempo(Construct):
    """The tempo release (chart from ``versions.CHARTS``) in the observability namespace.

    :param spec: the environment's ``observability`` section (size, retention).
    :param storage: the buckets and the ``tempo`` identity (bound to :data:`SERVICE_ACCOUNT`), or a
        store with ``credentials_secret`` and no identity.
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the chart's own repository.
    :param depends_on: created after these (namespace, identity bindings). Default: none.
    :param storage_class: the StorageClass of its volumes. Default: none (the cluster's default class).
    """

    def __init__(self, scope: Construct, id: str, *, spec: ObservabilitySpec, storage: ObservabilityStorage,
                 chart_repository: str | None = None, depends_on: list[ITerraformDependable] | None = None,
                 storage_class: str | None = None):
        identity = storage.identities.get("tempo")
        if identity is not None and identity.service_account != SERVICE_ACCOUNT:
            raise ValueError(f"Tempo runs as {SERVICE_ACCOUNT}, but its identity binds {identity.service_account}: "
                             f"bind {SERVICE_ACCOUNT}")
        super().__init__(scope, id)
        self.values = tempo_values(spec=spec, storage=storage, storage_class=storage_class)
        self.release = chart_release(self, "release", chart=CHART, namespace=NAMESPACE, name=TEMPO_RELEASE,
                                     values=self.values, chart_repository=chart_repository, depends_on=depends_on)
