"""``<env>-tenants``: one namespace per team with its quota, isolation, RBAC and identity."""

from __future__ import annotations

from constructs import Construct
from cdktf import TerraformStack

from platform_constructs.backend import configure_backend
from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract
from platform_constructs.kits import Kit
from platform_constructs.spec import EnvironmentBase

LAYER = "tenants"


class TenantsStack(TerraformStack):
    """Asks the kit for the tenants layer; built only when the file lists ``tenants``.

    Deployed last and kept small, so onboarding a team is one entry in the environment file and
    a plan of this one stack. Like ``<env>-addons`` it reaches the cluster through the kubernetes
    provider the kit's ``configure_stack`` creates, so it plans only where the API endpoint is
    reachable.
    """

    def __init__(self, scope: Construct, spec: EnvironmentBase, kit: Kit, network: NetworkContract | None,
                 cluster: ClusterContract | None, data: DataContract | None):
        # network, cluster, data: the earlier stacks' contracts; None where the kit builds no such
        # layer (``clouds.Cloud.layers``: an existing cluster has none).
        name = spec.stack_name(LAYER)
        super().__init__(scope, name)
        kit.configure_stack(self, spec, LAYER)
        configure_backend(self, spec, name)
        kit.tenants(self, spec, network, cluster, data)
