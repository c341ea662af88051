"""The ingress and Gateway API controller of an existing cluster: Traefik.

Why Traefik: ingress-nginx, the usual choice, was retired by Kubernetes SIG Network and the
Security Response Committee (best-effort maintenance ended in March 2026: no releases, bug fixes
or security updates since). Traefik is maintained (chart releases every few weeks in 2026), runs
both the Ingress API (what most existing applications ship) and Gateway API (v1.5 with Traefik
v3.7, its successor) from one Deployment, and is the controller k3s and RKE2 ship, so on-premises
teams often know it already. Envoy Gateway and NGINX Gateway Fabric implement Gateway API only:
every Ingress object of an application would have to be rewritten first.
"""

from __future__ import annotations

from constructs import Construct

from platform_constructs import namespaces
from platform_constructs.kubernetes.chart_release import chart_release

CHART = "traefik"
#: The controller's own namespace (created with the release): what the tenants' NetworkPolicies
#: admit traffic from (``TenantIngress.namespaces``).
NAMESPACE = namespaces.INGRESS
#: The IngressClass and GatewayClass applications name (``ingressClassName: traefik``,
#: ``gatewayClassName: traefik``); the IngressClass is the cluster's default.
CLASS_NAME = "traefik"
#: Replicas of the controller, spread over nodes, with a budget keeping one during drains.
REPLICAS = 2


def ingress_controller_values() -> dict:
    """Two replicas on different nodes with a disruption budget; the Ingress provider (default
    IngressClass ``traefik``) and the Gateway API provider (GatewayClass ``traefik`` and the chart's
    Gateway ``traefik-gateway`` for routes of its own namespace; a tenant attaches its HTTPRoutes to a
    Gateway of its own namespace naming the class); Traefik's own IngressRoute CRD provider off (the
    platform's interfaces are the two Kubernetes APIs); the dashboard not exposed; a LoadBalancer
    Service (the cloud's load balancer, or MetalLB / kube-vip on premises)."""
    return {
        "deployment": {"replicas": REPLICAS},
        "podDisruptionBudget": {"enabled": True, "minAvailable": 1},
        "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
            "weight": 100,
            "podAffinityTerm": {
                "topologyKey": "kubernetes.io/hostname",
                "labelSelector": {"matchLabels": {"app.kubernetes.io/name": CHART}},
            },
        }]}},
        "ingressClass": {"enabled": True, "isDefaultClass": True, "name": CLASS_NAME},
        "providers": {
            "kubernetesIngress": {"enabled": True},
            "kubernetesGateway": {"enabled": True},
            "kubernetesCRD": {"enabled": False},
        },
        "gatewayClass": {"enabled": True, "name": CLASS_NAME},
        "gateway": {"enabled": True},
        "ingressRoute": {"dashboard": {"enabled": False}},
        "service": {"type": "LoadBalancer"},
    }


class IngressController(Construct):
    """The Traefik release (``versions.CHARTS["traefik"]``) in its own namespace :data:`NAMESPACE`.

    :param chart_repository: an ``oci://`` mirror of every chart. Default: the chart's own repository.

    Attributes: ``values`` (the chart values written), ``release`` (the ``helm_release``),
    ``namespace`` (:data:`NAMESPACE`).
    """

    def __init__(self, scope: Construct, id: str, *, chart_repository: str | None = None):
        super().__init__(scope, id)
        self.namespace = NAMESPACE
        self.values = ingress_controller_values()
        self.release = chart_release(self, "release", chart=CHART, namespace=NAMESPACE, values=self.values,
                                     chart_repository=chart_repository, create_namespace=True)
