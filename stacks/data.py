"""``<env>-data``: what must outlive any cluster (the file system today; caches, buckets, registry later)."""

from __future__ import annotations

from constructs import Construct
from cdktf import TerraformStack

from platform_constructs.backend import configure_backend
from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract
from platform_constructs.kits import Kit
from platform_constructs.spec import EnvironmentSpec

LAYER = "data"


class DataStack(TerraformStack):
    """Asks the kit for the data layer on ``network`` and ``cluster``; exposes :attr:`contract`.

    Deployed after the cluster (its file system admits NFS only from the nodes) and before the
    addons (their StorageClasses name it). Nothing here is force-destroyed.
    """

    def __init__(self, scope: Construct, spec: EnvironmentSpec, kit: Kit, network: NetworkContract,
                 cluster: ClusterContract):
        name = spec.stack_name(LAYER)
        super().__init__(scope, name)
        kit.configure_stack(self, spec, LAYER)
        configure_backend(self, spec, name)
        self.contract: DataContract = kit.data(self, spec, network, cluster)
