"""All stacks of one environment, in deploy order."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import App

from platform_constructs.kits import kit_for
from platform_constructs.spec import EnvironmentSpec
from stacks.cluster import ClusterStack
from stacks.network import NetworkStack


@dataclass
class EnvironmentStacks:
    network: NetworkStack
    cluster: ClusterStack


def build_environment(app: App, spec: EnvironmentSpec) -> EnvironmentStacks:
    kit = kit_for(spec.cloud)
    network = NetworkStack(app, spec, kit)
    cluster = ClusterStack(app, spec, kit, network.contract)
    cluster.add_dependency(network)
    return EnvironmentStacks(network=network, cluster=cluster)
