"""``<env>-addons``: the system components on the cluster, each with its own cloud identity."""

from __future__ import annotations

from constructs import Construct
from cdktf import TerraformStack

from platform_constructs.backend import configure_backend
from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract
from platform_constructs.kits import Kit
from platform_constructs.spec import EnvironmentBase

LAYER = "addons"


class AddonsStack(TerraformStack):
    """Asks the kit for the addons layer.

    The kit's ``configure_stack`` gives this stack its kubernetes and helm providers, configured
    from the cluster's literal name through the cloud's data sources (short-lived tokens), never
    from cross-stack references (terraform-cdk#2662). The stack therefore plans only where the
    cluster's API endpoint is reachable (see the README: reaching a private cluster).
    """

    def __init__(self, scope: Construct, spec: EnvironmentBase, kit: Kit, network: NetworkContract | None,
                 cluster: ClusterContract | None, data: DataContract | None):
        # network, cluster, data: the earlier stacks' contracts; None where the kit builds no such
        # layer (``clouds.Cloud.layers``: an existing cluster has none).
        name = spec.stack_name(LAYER)
        super().__init__(scope, name)
        kit.configure_stack(self, spec, LAYER)
        configure_backend(self, spec, name)
        kit.addons(self, spec, network, cluster, data)
