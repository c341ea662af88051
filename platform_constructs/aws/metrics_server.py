"""metrics-server on EKS: the chart (not the EKS add-on), highly available."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.kubernetes.chart_release import chart_release
from platform_constructs.workload_identity import ServiceAccount

CHART = "metrics-server"
#: The chart's service account (``serviceAccount.name``, set here). It needs no AWS permissions:
#: metrics-server only reads the kubelets' resource metrics.
SERVICE_ACCOUNT = ServiceAccount("kube-system", "metrics-server")


def metrics_server_values() -> dict:
    """Two replicas and a budget keeping one: ``kubectl top`` and every HorizontalPodAutoscaler
    depend on the metrics API, which a single replica would take down on each node drain."""
    return {
        "serviceAccount": {"create": True, "name": SERVICE_ACCOUNT.name},
        "replicas": 2,
        "podDisruptionBudget": {"enabled": True, "minAvailable": 1},
    }


class MetricsServer(Construct):
    """The metrics-server release (chart from ``versions.CHARTS``) in kube-system.

    The chart rather than EKS's ``metrics-server`` add-on: the chart is pinned once in
    ``versions.CHARTS`` like every other component (the add-on would need a build per minor,
    researched apart), comes from the environment's ``chart_repository`` mirror on clusters
    without internet, and takes the HA values above as plain chart values.

    :param chart_repository: an ``oci://`` mirror of every chart. Default: the chart's own repository.
    """

    def __init__(self, scope: Construct, id: str, *, chart_repository: str | None = None):
        super().__init__(scope, id)
        self.values = metrics_server_values()
        self.release = chart_release(self, "release", chart=CHART, namespace=SERVICE_ACCOUNT.namespace,
                                     values=self.values, chart_repository=chart_repository)
