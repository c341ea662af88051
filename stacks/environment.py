"""All stacks of one environment, in deploy order."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import App

from platform_constructs.kits import kit_for
from platform_constructs.spec import EnvironmentSpec
from stacks.addons import AddonsStack
from stacks.cluster import ClusterStack
from stacks.data import DataStack
from stacks.network import NetworkStack
from stacks.observability import ObservabilityStack
from stacks.tenants import TenantsStack


@dataclass
class EnvironmentStacks:
    network: NetworkStack
    cluster: ClusterStack
    data: DataStack
    addons: AddonsStack
    #: None when ``observability.enabled`` is false.
    observability: ObservabilityStack | None = None
    #: None when the file lists no ``tenants``.
    tenants: TenantsStack | None = None


def build_environment(app: App, spec: EnvironmentSpec) -> EnvironmentStacks:
    """network -> cluster -> data -> addons -> observability -> tenants, each depending on the one
    before (deploy order); observability only when ``observability.enabled``, tenants only when
    the file lists tenants."""
    kit = kit_for(spec.cloud)
    network = NetworkStack(app, spec, kit)
    cluster = ClusterStack(app, spec, kit, network.contract)
    cluster.add_dependency(network)
    data = DataStack(app, spec, kit, network.contract, cluster.contract)
    data.add_dependency(cluster)
    addons = AddonsStack(app, spec, kit, network.contract, cluster.contract, data.contract)
    addons.add_dependency(data)
    observability = None
    if spec.observability.enabled:
        observability = ObservabilityStack(app, spec, kit, network.contract, cluster.contract, data.contract)
        observability.add_dependency(addons)
    tenants = None
    if spec.tenants:
        tenants = TenantsStack(app, spec, kit, network.contract, cluster.contract, data.contract)
        tenants.add_dependency(observability or addons)
    return EnvironmentStacks(network=network, cluster=cluster, data=data, addons=addons,
                             observability=observability, tenants=tenants)
