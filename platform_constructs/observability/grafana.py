"""Grafana with Mimir, Loki and Tempo as data sources (only when ``observability.grafana``).

Values, and why (chart 12.11.1, Grafana 13.2; ../shared/charts/grafana-12.11.1/values.yaml):

- Data sources, provisioned read-only (``datasources.yaml``): **Mimir** (type ``prometheus``,
  ``prometheusType: Mimir``, the query-frontends' ``/prometheus``; the default), **Loki**, and
  **Tempo** with traces-to-logs to Loki (``tracesToLogsV2``: the span's ``k8s.namespace.name`` /
  ``k8s.pod.name`` as the ``namespace`` / ``pod`` labels the collector sets, filtered by trace id),
  its service map from Mimir and node graph on. Fixed ``uid`` s so the links survive restarts.
- **Admin credentials never in values or state.** No ``adminPassword`` and no ``admin.existingSecret``:
  the chart generates a random 40-character password into the Secret ``grafana`` (key
  ``admin-password``) and keeps it across upgrades (it looks the Secret up). Helm renders it at apply
  inside the provider; ``chart_release`` keeps no rendered manifest in state, so Terraform state
  holds only these values. Read it with::

      kubectl -n observability get secret grafana -o jsonpath='{.data.admin-password}' | base64 -d

  and reach Grafana with ``kubectl -n observability port-forward svc/grafana 3000:80`` (user ``admin``).
  Rotate by deleting the Secret and re-applying (a new password is generated).
- Persistence on: the SQLite database (dashboards and users made by hand) lives on a 10 GiB
  ReadWriteOnce volume of the default (encrypted) StorageClass, so it survives restarts; the
  deployment strategy is ``Recreate`` (a rolling update would wait forever for the volume the old
  pod still holds). Data sources come back from provisioning either way.
- The chart's Helm test pod and update checks / usage reporting off; service account ``grafana``
  (no cloud identity: Grafana reads only the in-cluster backends).

Size profiles (``observability.size``): one replica either way (SQLite cannot be shared);
``small`` 100m / 256 MiB (512 MiB limit) for a few users, ``medium`` 500m / 512 MiB (1 GiB limit) for
a team's dashboards.
"""

from __future__ import annotations

from cdktf import ITerraformDependable
from constructs import Construct

from platform_constructs.kubernetes.chart_release import chart_release
from platform_constructs.observability.endpoints import GRAFANA_RELEASE, LOKI_URL, MIMIR_QUERY_URL, TEMPO_URL
from platform_constructs.observability.storage import NAMESPACE
from platform_constructs.spec.observability import ObservabilitySpec
from platform_constructs.workload_identity import ServiceAccount

CHART = "grafana"
#: Grafana's service account (``serviceAccount.name``): no cloud identity.
SERVICE_ACCOUNT = ServiceAccount(NAMESPACE, GRAFANA_RELEASE)
#: The Secret (and key) where the chart keeps the generated admin password.
ADMIN_SECRET = GRAFANA_RELEASE
ADMIN_PASSWORD_KEY = "admin-password"

#: The volume holding Grafana's SQLite database.
PERSISTENCE_SIZE = "10Gi"

#: Data source uids (stable: the Tempo links point at them).
MIMIR_UID, LOKI_UID, TEMPO_UID = "mimir", "loki", "tempo"

#: size -> (cpu request, memory request, memory limit).
PROFILES: dict[str, tuple[str, str, str]] = {
    "small": ("100m", "256Mi", "512Mi"),
    "medium": ("500m", "512Mi", "1Gi"),
}


def datasources() -> list[dict]:
    """Mimir, Loki and Tempo (traces-to-logs to Loki)."""
    return [
        {"name": "Mimir", "type": "prometheus", "uid": MIMIR_UID, "access": "proxy", "url": MIMIR_QUERY_URL,
         "isDefault": True, "editable": False,
         "jsonData": {"prometheusType": "Mimir", "httpMethod": "POST"}},
        {"name": "Loki", "type": "loki", "uid": LOKI_UID, "access": "proxy", "url": LOKI_URL, "editable": False},
        {"name": "Tempo", "type": "tempo", "uid": TEMPO_UID, "access": "proxy", "url": TEMPO_URL, "editable": False,
         "jsonData": {
             "tracesToLogsV2": {
                 "datasourceUid": LOKI_UID,
                 "spanStartTimeShift": "-5m",
                 "spanEndTimeShift": "5m",
                 "filterByTraceID": True,
                 "tags": [{"key": "k8s.namespace.name", "value": "namespace"},
                          {"key": "k8s.pod.name", "value": "pod"}],
             },
             "serviceMap": {"datasourceUid": MIMIR_UID},
             "lokiSearch": {"datasourceUid": LOKI_UID},
             "nodeGraph": {"enabled": True},
         }},
    ]


def grafana_values(*, spec: ObservabilitySpec, storage_class: str | None = None) -> dict:
    """The chart values of :class:`Grafana` (see the module docstring)."""
    cpu, memory, memory_limit = PROFILES[spec.size]
    return {
        "replicas": 1,
        "serviceAccount": {"create": True, "name": SERVICE_ACCOUNT.name},
        "testFramework": {"enabled": False},
        "persistence": {"enabled": True, "type": "pvc", "size": PERSISTENCE_SIZE, "accessModes": ["ReadWriteOnce"],
                        **({"storageClassName": storage_class} if storage_class else {})},
        "deploymentStrategy": {"type": "Recreate"},
        "resources": {"requests": {"cpu": cpu, "memory": memory}, "limits": {"memory": memory_limit}},
        "grafana.ini": {"analytics": {"reporting_enabled": False, "check_for_updates": False}},
        "datasources": {"datasources.yaml": {"apiVersion": 1, "datasources": datasources()}},
    }


class Grafana(Construct):
    """The grafana release (chart from ``versions.CHARTS``) in the observability namespace.

    :param spec: the environment's ``observability`` section (size).
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the chart's own repository.
    :param depends_on: created after these (the backends). Default: none.
    :param storage_class: the StorageClass of its volumes. Default: none (the cluster's default class).
    """

    def __init__(self, scope: Construct, id: str, *, spec: ObservabilitySpec, chart_repository: str | None = None,
                 depends_on: list[ITerraformDependable] | None = None, storage_class: str | None = None):
        super().__init__(scope, id)
        self.values = grafana_values(spec=spec, storage_class=storage_class)
        self.release = chart_release(self, "release", chart=CHART, namespace=NAMESPACE, name=GRAFANA_RELEASE,
                                     values=self.values, chart_repository=chart_repository, depends_on=depends_on)
