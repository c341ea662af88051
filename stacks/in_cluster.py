"""What the in-cluster stacks (addons, observability, tenants) share: one kit call on a stack that
reaches the cluster through the kubernetes and helm providers."""

from __future__ import annotations

from typing import ClassVar

from constructs import Construct
from cdktf import TerraformStack

from platform_constructs.backend import configure_backend
from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract
from platform_constructs.kits import Kit
from platform_constructs.spec import EnvironmentBase


class InClusterStack(TerraformStack):
    """``<env>-<LAYER>``: the kit's ``configure_stack`` (its cloud provider, and the kubernetes and
    helm providers from the cluster's literal name, never from cross-stack references:
    terraform-cdk#2662), the backend, then :meth:`build`. Such a stack plans only where the
    cluster's API endpoint is reachable (docs/private-cluster.md).

    ``network``, ``cluster``, ``data``: the earlier stacks' contracts; None where the kit builds no
    such layer (``clouds.Cloud.layers``: an existing cluster has none).
    """

    #: The layer (``kits.IN_CLUSTER_LAYERS``), the stack's name suffix.
    LAYER: ClassVar[str]

    def __init__(self, scope: Construct, spec: EnvironmentBase, kit: Kit, network: NetworkContract | None,
                 cluster: ClusterContract | None, data: DataContract | None):
        name = spec.stack_name(self.LAYER)
        super().__init__(scope, name)
        kit.configure_stack(self, spec, self.LAYER)
        configure_backend(self, spec, name)
        self.build(kit, spec, network, cluster, data)

    def build(self, kit: Kit, spec: EnvironmentBase, network: NetworkContract | None,
              cluster: ClusterContract | None, data: DataContract | None) -> None:
        """Ask the kit for the layer; each stack names its kit method."""
        raise NotImplementedError
