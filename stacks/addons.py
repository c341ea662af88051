"""``<env>-addons``: the system components on the cluster, each with its own cloud identity."""

from __future__ import annotations

from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract
from platform_constructs.kits import Kit
from platform_constructs.spec import EnvironmentBase
from stacks.in_cluster import InClusterStack

LAYER = "addons"


class AddonsStack(InClusterStack):
    """Asks the kit for the addons layer.

    The kit's ``configure_stack`` gives this stack its kubernetes and helm providers, configured
    from the cluster's literal name through the cloud's data sources (short-lived tokens), never
    from cross-stack references (terraform-cdk#2662). The stack therefore plans only where the
    cluster's API endpoint is reachable (docs/private-cluster.md).
    """

    LAYER = LAYER

    def build(self, kit: Kit, spec: EnvironmentBase, network: NetworkContract | None,
              cluster: ClusterContract | None, data: DataContract | None) -> None:
        kit.addons(self, spec, network, cluster, data)
