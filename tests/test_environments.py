"""Every shipped environment loads, synthesizes, and keeps the platform's invariants."""

import ipaddress

import pytest

from platform_constructs.spec import load_environment
from tests.helpers import KUBERNETES_LAYERS, LAYERS, resources, ROOT, synth

ENV_FILES = sorted((ROOT / "environments").glob("*.yaml"))
AWS_FILES = [p for p in ENV_FILES if load_environment(p).cloud == "aws"]
#: ``cloud: kubernetes``: an existing cluster, only the in-cluster stacks.
KUBERNETES_FILES = [p for p in ENV_FILES if load_environment(p).cloud == "kubernetes"]


def test_the_foundation_environments_ship():
    names = {p.stem for p in ENV_FILES}
    assert {"aws-dev", "aws-prod", "onprem-example"} <= names


@pytest.mark.parametrize("path", ENV_FILES, ids=lambda p: p.stem)
def test_file_name_matches_environment_name(path):
    assert load_environment(path).name == path.stem


@pytest.mark.parametrize("path", AWS_FILES, ids=lambda p: p.stem)
def test_aws_environment_synthesizes_with_platform_invariants(path):
    spec = load_environment(path)
    stacks = synth(spec)
    assert set(stacks) == set(LAYERS)
    network, cluster = stacks["network"], stacks["cluster"]

    subnets = resources(network, "aws_subnet")
    assert len(subnets) == 2 * len(spec.zones)
    assert {s["availability_zone"] for s in subnets} == set(spec.zones)
    nets = [ipaddress.IPv4Network(s["cidr_block"]) for s in subnets]
    assert all(n.subnet_of(ipaddress.IPv4Network(spec.network.cidr)) for n in nets)
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1:])
    assert len(resources(network, "aws_flow_log")) == 1

    eks = resources(cluster, "aws_eks_cluster")[0]
    assert eks["encryption_config"]["resources"] == ["secrets"]
    assert len(eks["enabled_cluster_log_types"]) == 5
    assert eks["vpc_config"]["endpoint_private_access"] is True
    if eks["vpc_config"]["endpoint_public_access"]:
        assert "0.0.0.0/0" not in eks["vpc_config"]["public_access_cidrs"]
    assert tuple(int(p) for p in eks["version"].split(".")) >= (1, 33)
    for group in resources(cluster, "aws_eks_node_group"):
        assert group["scaling_config"]["min_size"] >= 3
        assert len(group["subnet_ids"]) == len(spec.zones)
    for lt in resources(cluster, "aws_launch_template"):
        assert lt["metadata_options"]["http_tokens"] == "required"
        assert all(m["ebs"]["encrypted"] == "true" for m in lt["block_device_mappings"])
    for group in resources(network, "aws_cloudwatch_log_group") + resources(cluster, "aws_cloudwatch_log_group"):
        assert group.get("kms_key_id") and group.get("retention_in_days")


@pytest.mark.parametrize("path", KUBERNETES_FILES, ids=lambda p: p.stem)
def test_kubernetes_environment_synthesizes_only_the_in_cluster_stacks_without_a_cloud_provider(path):
    spec = load_environment(path)
    stacks = synth(spec)
    assert set(stacks) == set(KUBERNETES_LAYERS)
    for layer, doc in stacks.items():
        assert set(doc["terraform"]["required_providers"]) == {"kubernetes", "helm"}, layer
        assert doc["provider"]["kubernetes"] == [{"config_path": spec.kubernetes.kubeconfig,
                                                  "config_context": spec.kubernetes.context}], layer
