"""Typed contracts: each kit returns its own cloud's contract classes, every field filled, no string-keyed extras."""

import dataclasses

import pytest

from platform_constructs import contracts
from platform_tools.synth import build_app
from tests.helpers import azure_spec, gcp_spec, make_spec

CASES = {
    "aws": (make_spec, "NetworkContract", "AwsClusterContract"),
    "gcp": (gcp_spec, "GcpNetworkContract", "GcpClusterContract"),
    "azure": (azure_spec, "AzureNetworkContract", "AzureClusterContract"),
}


def test_the_neutral_contracts_carry_no_cloud_values():
    for cls in (contracts.NetworkContract, contracts.ClusterContract):
        names = {f.name for f in dataclasses.fields(cls)}
        assert "extras" not in names and not any("security_group" in n or "tag" in n for n in names)


@pytest.mark.parametrize("cloud", sorted(CASES))
def test_each_kit_returns_its_typed_contracts_with_every_field_set(cloud, tmp_path):
    factory, network_cls, cluster_cls = CASES[cloud]
    app = build_app([factory()], str(tmp_path))
    stacks = {c.node.id: c for c in app.node.children}
    network, cluster = stacks["t-network"].contract, stacks["t-cluster"].contract
    assert (type(network).__name__, type(cluster).__name__) == (network_cls, cluster_cls)
    assert isinstance(network, contracts.NetworkContract) and isinstance(cluster, contracts.ClusterContract)
    for contract in (network, cluster):
        for f in dataclasses.fields(contract):
            value = getattr(contract, f.name)
            assert value is not None or f.default is None, f"{type(contract).__name__}.{f.name} is unset"
