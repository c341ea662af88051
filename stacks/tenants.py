"""``<env>-tenants``: one namespace per team with its quota, isolation, RBAC and identity."""

from __future__ import annotations

from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract
from platform_constructs.kits import Kit
from platform_constructs.spec import EnvironmentBase
from stacks.in_cluster import InClusterStack

LAYER = "tenants"


class TenantsStack(InClusterStack):
    """Asks the kit for the tenants layer; built only when the file lists ``tenants``.

    Deployed last and kept small, so onboarding a team is one entry in the environment file and
    a plan of this one stack. Like ``<env>-addons`` it reaches the cluster through the kubernetes
    provider the kit's ``configure_stack`` creates, so it plans only where the API endpoint is
    reachable.
    """

    LAYER = LAYER

    def build(self, kit: Kit, spec: EnvironmentBase, network: NetworkContract | None,
              cluster: ClusterContract | None, data: DataContract | None) -> None:
        kit.tenants(self, spec, network, cluster, data)
