"""``<env>-observability``: Mimir, Loki, Tempo, a collector and Grafana on the six buckets."""

from __future__ import annotations

from constructs import Construct
from cdktf import TerraformStack

from platform_constructs.backend import configure_backend
from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract
from platform_constructs.kits import Kit
from platform_constructs.spec import EnvironmentBase

LAYER = "observability"


class ObservabilityStack(TerraformStack):
    """Asks the kit for the observability layer; built only when ``observability.enabled``.

    Like ``<env>-addons`` it reaches the cluster through the kubernetes and helm providers the
    kit's ``configure_stack`` creates (the cluster's literal name, short-lived tokens), so it
    plans only where the API endpoint is reachable. Deployed after ``<env>-addons`` (the block
    StorageClass and the load balancer integration exist by then). The buckets are never
    force-destroyed.
    """

    def __init__(self, scope: Construct, spec: EnvironmentBase, kit: Kit, network: NetworkContract | None,
                 cluster: ClusterContract | None, data: DataContract | None):
        # network, cluster, data: the earlier stacks' contracts; None where the kit builds no such
        # layer (``clouds.Cloud.layers``: an existing cluster has none).
        name = spec.stack_name(LAYER)
        super().__init__(scope, name)
        kit.configure_stack(self, spec, LAYER)
        configure_backend(self, spec, name)
        kit.observability(self, spec, network, cluster, data)
