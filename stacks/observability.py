"""``<env>-observability``: Mimir, Loki, Tempo, a collector and Grafana on the six buckets."""

from __future__ import annotations

from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract
from platform_constructs.kits import Kit
from platform_constructs.spec import EnvironmentBase
from stacks.in_cluster import InClusterStack

LAYER = "observability"


class ObservabilityStack(InClusterStack):
    """Asks the kit for the observability layer; built only when ``observability.enabled``.

    Like ``<env>-addons`` it reaches the cluster through the kubernetes and helm providers the
    kit's ``configure_stack`` creates (the cluster's literal name, short-lived tokens), so it
    plans only where the API endpoint is reachable. Deployed after ``<env>-addons`` (the block
    StorageClass and the load balancer integration exist by then). The buckets are never
    force-destroyed.
    """

    LAYER = LAYER

    def build(self, kit: Kit, spec: EnvironmentBase, network: NetworkContract | None,
              cluster: ClusterContract | None, data: DataContract | None) -> None:
        kit.observability(self, spec, network, cluster, data)
