"""The addons layer on an existing cluster: what no cloud provides there."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.aws.metrics_server import MetricsServer
from platform_constructs.generic.ingress_controller import IngressController
from platform_constructs.generic.secrets_store import SecretsStoreCsi
from platform_constructs.generic.spec import KubernetesEnvironment


class GenericAddons(Construct):
    """Per ``addons:`` switch, on the cluster of ``kubernetes.kubeconfig`` / ``kubernetes.context``:

    - ``load_balancer_controller``: the ingress and Gateway API controller (:class:`IngressController`,
      Traefik);
    - ``metrics_server``: the metrics-server chart, two replicas and a disruption budget (the same
      release as on EKS: ``aws/metrics_server.py`` imports no AWS package);
    - ``secrets_store``: the secrets-store CSI driver with ``secrets_store_provider``
      (:class:`SecretsStoreCsi`).

    Block and file storage are the cluster's: ``kubernetes.storage_classes`` names them and nothing
    is created for them. Attributes: ``ingress``, ``metrics_server``, ``secrets_store`` (None when off).
    """

    def __init__(self, scope: Construct, id: str, *, spec: KubernetesEnvironment):
        super().__init__(scope, id)
        addons, mirror = spec.addons, spec.addons.chart_repository
        self.ingress = IngressController(self, "ingress-controller", chart_repository=mirror) \
            if addons.load_balancer_controller else None
        self.metrics_server = MetricsServer(self, "metrics-server", chart_repository=mirror) \
            if addons.metrics_server else None
        self.secrets_store = SecretsStoreCsi(self, "secrets-store", provider=addons.secrets_store_provider,
                                             chart_repository=mirror) if addons.secrets_store else None
