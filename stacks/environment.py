"""All stacks of one environment, in deploy order."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import App, TerraformStack

from platform_constructs.kits import kit_for
from platform_constructs.spec import EnvironmentBase
from stacks.addons import AddonsStack
from stacks.cluster import ClusterStack
from stacks.data import DataStack
from stacks.network import NetworkStack
from stacks.observability import ObservabilityStack
from stacks.tenants import TenantsStack


@dataclass
class EnvironmentStacks:
    """The stacks of one environment; a layer the environment does not build is None
    (``EnvironmentBase.layers``)."""

    addons: AddonsStack
    #: None where the cloud's kit builds no network (``cloud: kubernetes``).
    network: NetworkStack | None = None
    #: None where the cloud's kit builds no cluster (``cloud: kubernetes``: an existing cluster).
    cluster: ClusterStack | None = None
    #: None where the cloud's kit builds no data layer (``cloud: kubernetes``).
    data: DataStack | None = None
    #: None when ``observability.enabled`` is false.
    observability: ObservabilityStack | None = None
    #: None when the file lists no ``tenants``.
    tenants: TenantsStack | None = None

    def built(self) -> list[TerraformStack]:
        """The stacks built, in deploy order."""
        return [s for s in (self.network, self.cluster, self.data, self.addons, self.observability, self.tenants)
                if s is not None]


def build_environment(app: App, spec: EnvironmentBase) -> EnvironmentStacks:
    """network -> cluster -> data -> addons -> observability -> tenants, the layers of
    ``spec.layers()`` only, each depending on the one before (deploy order).

    A layer the environment does not build passes ``None`` as its contract to the later layers
    (the kit of such a cloud expects it: ``kits.Kit``).
    """
    kit = kit_for(spec.cloud)
    layers = spec.layers()
    previous: TerraformStack | None = None

    def after(stack: TerraformStack) -> TerraformStack:
        nonlocal previous
        if previous is not None:
            stack.add_dependency(previous)
        previous = stack
        return stack

    network = after(NetworkStack(app, spec, kit)) if "network" in layers else None
    network_contract = network.contract if network else None
    cluster = after(ClusterStack(app, spec, kit, network_contract)) if "cluster" in layers else None
    cluster_contract = cluster.contract if cluster else None
    data = after(DataStack(app, spec, kit, network_contract, cluster_contract)) if "data" in layers else None
    data_contract = data.contract if data else None
    contracts = (network_contract, cluster_contract, data_contract)
    addons = after(AddonsStack(app, spec, kit, *contracts))
    observability = after(ObservabilityStack(app, spec, kit, *contracts)) if "observability" in layers else None
    tenants = after(TenantsStack(app, spec, kit, *contracts)) if "tenants" in layers else None
    return EnvironmentStacks(network=network, cluster=cluster, data=data, addons=addons,
                             observability=observability, tenants=tenants)
