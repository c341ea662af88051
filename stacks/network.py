"""``<env>-network``: the VPC / VNet of an environment."""

from __future__ import annotations

from constructs import Construct
from cdktf import TerraformStack

from platform_constructs.backend import configure_backend
from platform_constructs.contracts import NetworkContract
from platform_constructs.kits import Kit
from platform_constructs.spec import EnvironmentSpec

LAYER = "network"


class NetworkStack(TerraformStack):
    """Asks the environment's kit for its network; exposes :attr:`contract`."""

    def __init__(self, scope: Construct, spec: EnvironmentSpec, kit: Kit):
        name = spec.stack_name(LAYER)
        super().__init__(scope, name)
        kit.configure_stack(self, spec, LAYER)
        configure_backend(self, spec, name)
        self.contract: NetworkContract = kit.network(self, spec)
