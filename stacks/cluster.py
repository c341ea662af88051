"""``<env>-cluster``: the Kubernetes cluster and its node pools."""

from __future__ import annotations

from constructs import Construct
from cdktf import TerraformStack

from platform_constructs.backend import configure_backend
from platform_constructs.contracts import ClusterContract, NetworkContract
from platform_constructs.kits import Kit
from platform_constructs.spec import EnvironmentSpec

LAYER = "cluster"


class ClusterStack(TerraformStack):
    """Asks the kit for a cluster on ``network`` (a contract from the network stack).

    Values read from ``network`` become cdktf cross-stack references: outputs of
    the network stack read here through ``terraform_remote_state``.
    """

    def __init__(self, scope: Construct, spec: EnvironmentSpec, kit: Kit, network: NetworkContract):
        name = spec.stack_name(LAYER)
        super().__init__(scope, name)
        kit.configure_stack(self, spec, LAYER)
        configure_backend(self, spec, name)
        self.contract: ClusterContract = kit.cluster(self, spec, network)
