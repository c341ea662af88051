"""The observability layer's in-cluster addresses: release names, Services, ports and URLs.

Every release runs in :data:`~platform_constructs.observability.storage.NAMESPACE` under the
release name below. Each chart names its Services from the release name (a release name that
contains the chart's name is used as the full name), so the names here are what the charts
render:

- ``mimir`` (mimir-distributed): ``mimir-distributor`` and ``mimir-query-frontend`` on 8080
  (``mimir.fullname`` and ``mimir.serverHttpListenPort`` in the chart's ``_helpers.tpl``);
- ``loki`` (Monolithic, gateway off): the single binary's Service ``loki`` on 3100
  (``loki.singleBinaryFullname``);
- ``tempo`` (single binary): Service ``tempo``, 3200 for queries, 4317/4318 for OTLP;
- ``alloy`` (the collector DaemonSet): Service ``alloy`` with the ports of :data:`COLLECTOR`;
- ``grafana``: Service ``grafana`` on 80.

Applications send telemetry to the collector only (:data:`COLLECTOR`); the tenants layer allows
egress to it. The backends' URLs are what the collector and Grafana use.
"""

from __future__ import annotations

from dataclasses import dataclass

from platform_constructs.observability.storage import NAMESPACE

#: The cluster's DNS domain (every cloud's default).
CLUSTER_DOMAIN = "cluster.local"

#: Release names (also the charts' full names, hence the Services' prefixes).
MIMIR_RELEASE = "mimir"
LOKI_RELEASE = "loki"
TEMPO_RELEASE = "tempo"
COLLECTOR_RELEASE = "alloy"
GRAFANA_RELEASE = "grafana"


def service_host(service: str, namespace: str = NAMESPACE) -> str:
    """``<service>.<namespace>.svc.<cluster domain>``: a Service's fully qualified name."""
    return f"{service}.{namespace}.svc.{CLUSTER_DOMAIN}"


@dataclass(frozen=True)
class Port:
    """One Service port: ``name`` (at most 15 characters, as Kubernetes requires), ``number``,
    and ``path`` where the port serves one HTTP endpoint (empty otherwise)."""

    name: str
    number: int
    path: str = ""


@dataclass(frozen=True)
class CollectorService:
    """The collector's Service: where applications send telemetry."""

    name: str
    namespace: str
    #: OTLP over gRPC (traces, metrics, logs).
    otlp_grpc: Port
    #: OTLP over HTTP (``/v1/traces``, ``/v1/metrics``, ``/v1/logs``).
    otlp_http: Port
    #: Prometheus remote-write (``prometheus.receive_http``), path ``/api/v1/metrics/write``.
    remote_write: Port

    @property
    def host(self) -> str:
        return service_host(self.name, self.namespace)

    @property
    def ports(self) -> tuple[Port, ...]:
        return (self.otlp_grpc, self.otlp_http, self.remote_write)

    @property
    def otlp_grpc_endpoint(self) -> str:
        """``<host>:4317``: what an OTLP gRPC exporter takes as its endpoint."""
        return f"{self.host}:{self.otlp_grpc.number}"

    @property
    def otlp_http_url(self) -> str:
        return f"http://{self.host}:{self.otlp_http.number}"

    @property
    def remote_write_url(self) -> str:
        return f"http://{self.host}:{self.remote_write.number}{self.remote_write.path}"


#: The collector DaemonSet's Service (Alloy names it after the release).
COLLECTOR = CollectorService(
    name=COLLECTOR_RELEASE,
    namespace=NAMESPACE,
    otlp_grpc=Port("otlp-grpc", 4317),
    otlp_http=Port("otlp-http", 4318),
    remote_write=Port("prom-write", 9090, "/api/v1/metrics/write"),
)

#: Mimir's HTTP port (every component).
MIMIR_HTTP_PORT = 8080
#: Where samples are pushed (the distributors; Prometheus remote-write protocol).
MIMIR_PUSH_URL = f"http://{service_host(f'{MIMIR_RELEASE}-distributor')}:{MIMIR_HTTP_PORT}/api/v1/push"
#: The Prometheus-compatible query API (the query-frontends), Grafana's Mimir data source.
MIMIR_QUERY_URL = f"http://{service_host(f'{MIMIR_RELEASE}-query-frontend')}:{MIMIR_HTTP_PORT}/prometheus"

#: Loki's HTTP port.
LOKI_HTTP_PORT = 3100
#: Loki's base URL (queries; Grafana's Loki data source).
LOKI_URL = f"http://{service_host(LOKI_RELEASE)}:{LOKI_HTTP_PORT}"
#: Where log lines are pushed.
LOKI_PUSH_URL = f"{LOKI_URL}/loki/api/v1/push"

#: Tempo's HTTP port (queries).
TEMPO_HTTP_PORT = 3200
#: Tempo's OTLP gRPC receiver port.
TEMPO_OTLP_GRPC_PORT = 4317
#: Tempo's OTLP HTTP receiver port.
TEMPO_OTLP_HTTP_PORT = 4318
#: Tempo's query URL (Grafana's Tempo data source).
TEMPO_URL = f"http://{service_host(TEMPO_RELEASE)}:{TEMPO_HTTP_PORT}"
#: Where the collector sends spans (OTLP gRPC, plain text inside the cluster).
TEMPO_OTLP_GRPC_ENDPOINT = f"{service_host(TEMPO_RELEASE)}:{TEMPO_OTLP_GRPC_PORT}"

#: Grafana's Service and port (``kubectl -n observability port-forward svc/grafana 3000:80``).
GRAFANA_SERVICE = GRAFANA_RELEASE
GRAFANA_PORT = 80
