"""The collector on every node: Grafana Alloy as a DaemonSet (the seed's "App -> Mimir / Loki / Tempo").

Pipelines (:func:`alloy_config`, Alloy configuration syntax):

- **Pod logs -> Loki** without any host path: ``discovery.kubernetes`` lists the pods of the
  collector's own node (a ``spec.nodeName`` field selector; ``NODE_NAME`` from the downward API),
  ``loki.source.kubernetes`` reads their logs through the Kubernetes API (``pods/log``, which the
  chart's ClusterRole grants), labelled ``namespace`` / ``pod`` / ``container``, and ``loki.write``
  pushes them to Loki. Every node's collector reads only its node's pods, so each line is shipped
  once, and no ``/var/log`` mount is needed (``alloy.mounts.varlog`` stays false).
- **OTLP in -> Tempo (and Mimir, Loki)**: ``otelcol.receiver.otlp`` on gRPC 4317 and HTTP 4318;
  traces go to Tempo over OTLP gRPC, OTLP metrics to Mimir (``otelcol.exporter.prometheus``), OTLP
  logs to Loki (``otelcol.exporter.loki``), all through a batch processor.
- **Prometheus remote-write in -> Mimir**: ``prometheus.receive_http`` on 9090
  (``/api/v1/metrics/write``) forwards to ``prometheus.remote_write`` at Mimir's distributors.

The ports are the Service's extra ports (:data:`~.endpoints.COLLECTOR`), so applications reach
``alloy.observability.svc:4317`` / ``:4318`` / ``:9090``. The collector needs no cloud identity (it
writes only to the in-cluster backends). The chart's CRDs (PodLogs, unused here) are not installed;
usage reporting is off.

Size profiles (``observability.size``), per node:

- ``small``: 100m / 256 MiB (512 MiB limit): the logs of ~30 pods and a few hundred spans/s per node.
- ``medium``: 250m / 512 MiB (1 GiB limit): ~100 pods and a few thousand spans/s per node.
"""

from __future__ import annotations

from cdktf import ITerraformDependable
from constructs import Construct

from platform_constructs.kubernetes.chart_release import chart_release
from platform_constructs.observability.endpoints import (
    COLLECTOR,
    COLLECTOR_RELEASE,
    LOKI_PUSH_URL,
    MIMIR_PUSH_URL,
    TEMPO_OTLP_GRPC_ENDPOINT,
)
from platform_constructs.observability.storage import NAMESPACE
from platform_constructs.spec.observability import ObservabilitySpec
from platform_constructs.workload_identity import ServiceAccount

CHART = "alloy"
#: The collector's service account (``serviceAccount.name``): no cloud identity.
SERVICE_ACCOUNT = ServiceAccount(NAMESPACE, COLLECTOR_RELEASE)
#: The environment variable holding the pod's node name (downward API).
NODE_NAME_ENV = "NODE_NAME"

#: size -> (cpu request, memory request, memory limit) of each node's collector.
PROFILES: dict[str, tuple[str, str, str]] = {
    "small": ("100m", "256Mi", "512Mi"),
    "medium": ("250m", "512Mi", "1Gi"),
}


def alloy_config() -> str:
    """The Alloy configuration: the three pipelines of the module docstring."""
    return f"""\
discovery.kubernetes "pods" {{
  role = "pod"
  selectors {{
    role  = "pod"
    field = "spec.nodeName=" + sys.env("{NODE_NAME_ENV}")
  }}
}}

discovery.relabel "pods" {{
  targets = discovery.kubernetes.pods.targets
  rule {{
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }}
}}

loki.source.kubernetes "pods" {{
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.default.receiver]
}}

loki.write "default" {{
  endpoint {{
    url = "{LOKI_PUSH_URL}"
  }}
}}

otelcol.receiver.otlp "default" {{
  grpc {{
    endpoint = "0.0.0.0:{COLLECTOR.otlp_grpc.number}"
  }}
  http {{
    endpoint = "0.0.0.0:{COLLECTOR.otlp_http.number}"
  }}
  output {{
    metrics = [otelcol.processor.batch.default.input]
    logs    = [otelcol.processor.batch.default.input]
    traces  = [otelcol.processor.batch.default.input]
  }}
}}

otelcol.processor.batch "default" {{
  output {{
    metrics = [otelcol.exporter.prometheus.mimir.input]
    logs    = [otelcol.exporter.loki.default.input]
    traces  = [otelcol.exporter.otlp.tempo.input]
  }}
}}

otelcol.exporter.otlp "tempo" {{
  client {{
    endpoint = "{TEMPO_OTLP_GRPC_ENDPOINT}"
    tls {{
      insecure = true
    }}
  }}
}}

otelcol.exporter.prometheus "mimir" {{
  forward_to = [prometheus.remote_write.mimir.receiver]
}}

otelcol.exporter.loki "default" {{
  forward_to = [loki.write.default.receiver]
}}

prometheus.receive_http "default" {{
  http {{
    listen_address = "0.0.0.0"
    listen_port    = {COLLECTOR.remote_write.number}
  }}
  forward_to = [prometheus.remote_write.mimir.receiver]
}}

prometheus.remote_write "mimir" {{
  endpoint {{
    url = "{MIMIR_PUSH_URL}"
  }}
}}
"""


def collector_values(*, spec: ObservabilitySpec) -> dict:
    """The chart values of :class:`Collector` (see the module docstring)."""
    cpu, memory, memory_limit = PROFILES[spec.size]
    ports = [
        {"name": COLLECTOR.otlp_grpc.name, "port": COLLECTOR.otlp_grpc.number,
         "targetPort": COLLECTOR.otlp_grpc.number, "protocol": "TCP", "appProtocol": "grpc"},
        {"name": COLLECTOR.otlp_http.name, "port": COLLECTOR.otlp_http.number,
         "targetPort": COLLECTOR.otlp_http.number, "protocol": "TCP"},
        {"name": COLLECTOR.remote_write.name, "port": COLLECTOR.remote_write.number,
         "targetPort": COLLECTOR.remote_write.number, "protocol": "TCP"},
    ]
    return {
        "crds": {"create": False},
        "controller": {"type": "daemonset"},
        "serviceAccount": {"create": True, "name": SERVICE_ACCOUNT.name},
        "alloy": {
            "configMap": {"create": True, "content": alloy_config()},
            "enableReporting": False,
            "extraEnv": [{"name": NODE_NAME_ENV, "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
            "extraPorts": ports,
            "mounts": {"varlog": False, "dockercontainers": False},
            "resources": {"requests": {"cpu": cpu, "memory": memory}, "limits": {"memory": memory_limit}},
        },
    }


class Collector(Construct):
    """The alloy release (chart from ``versions.CHARTS``): one collector per node.

    :param spec: the environment's ``observability`` section (size).
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the chart's own repository.
    :param depends_on: created after these (the backends it ships to). Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, spec: ObservabilitySpec, chart_repository: str | None = None,
                 depends_on: list[ITerraformDependable] | None = None):
        super().__init__(scope, id)
        self.values = collector_values(spec=spec)
        self.release = chart_release(self, "release", chart=CHART, namespace=NAMESPACE, name=COLLECTOR_RELEASE,
                                     values=self.values, chart_repository=chart_repository, depends_on=depends_on)
