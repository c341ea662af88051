"""EksNodePool: launch template hardening, scaling, capacity, labels, taints, autoscaler tags."""

import pytest

from platform_constructs.aws.node_group import ami_type_for
from tests.helpers import make_spec, ref, resources, synth

POOLS = [
    {"name": "general", "instance_types": ["m6i.large"], "min_size": 3, "max_size": 9, "disk_size_gb": 80, "max_unavailable": 2},
    {"name": "spot", "instance_types": ["m7g.large", "c7g.large"], "capacity": "spot", "min_size": 4, "max_size": 12,
     "desired_size": 5, "labels": {"capacity": "spot"}, "taints": [{"key": "capacity", "value": "spot", "effect": "NoSchedule"}]},
    {"name": "batch", "instance_types": ["m6i.2xlarge"], "min_size": 3, "max_size": 6, "disk_size_gb": 250},
]
#: Root volume per pool: explicit sizes, and the spec default (100 GiB) for ``spot``.
DISK_GB = {"general": 80, "spot": 100, "batch": 250}


@pytest.fixture(scope="module")
def cluster():
    return synth(make_spec(name="pools", cluster={"node_pools": POOLS}))["cluster"]


def groups(stack):
    return {g["node_group_name"]: g for g in resources(stack, "aws_eks_node_group")}


def templates(stack):
    return {t["name_prefix"].rstrip("-"): t for t in resources(stack, "aws_launch_template")}


#: IMDSv2 only, and one hop: ordinary pods (one network hop further) never get a token.
IMDS = {"http_endpoint": "enabled", "http_put_response_hop_limit": 1, "http_tokens": "required"}


def test_launch_template_requires_imdsv2_with_hop_limit_1(cluster):
    for lt in templates(cluster).values():
        assert lt["metadata_options"] == IMDS


def test_every_node_group_has_auto_repair_on(cluster):
    assert len(groups(cluster)) == len(DISK_GB)
    for name, g in groups(cluster).items():
        assert g["node_repair_config"] == {"enabled": True}, name


def test_every_pool_has_its_own_hardened_launch_template(cluster):
    lts = templates(cluster)
    assert sorted(lts) == sorted(f"tc-{name}" for name in DISK_GB)
    assert len(set(DISK_GB.values())) == len(DISK_GB)  # distinct sizes: a template cannot pass for another
    g = groups(cluster)
    assert sorted(g) == sorted(DISK_GB)
    for name, disk_gb in DISK_GB.items():
        lt = lts[f"tc-{name}"]
        assert lt["block_device_mappings"] == [{
            "device_name": "/dev/xvda",
            "ebs": {"delete_on_termination": "true", "encrypted": "true", "volume_size": disk_gb, "volume_type": "gp3"},
        }], name
        assert lt["metadata_options"] == IMDS, name
        assert g[name]["launch_template"] == {
            "id": ref(cluster, "aws_launch_template", lt, "id"),
            "version": ref(cluster, "aws_launch_template", lt, "latest_version"),
        }, name


def test_scaling_capacity_and_instance_types(cluster):
    g = groups(cluster)
    assert g["general"]["scaling_config"] == {"desired_size": 3, "max_size": 9, "min_size": 3}
    assert g["general"]["capacity_type"] == "ON_DEMAND" and g["general"]["instance_types"] == ["m6i.large"]
    assert g["general"]["update_config"] == {"max_unavailable": 2}
    assert g["spot"]["scaling_config"] == {"desired_size": 5, "max_size": 12, "min_size": 4}
    assert g["spot"]["capacity_type"] == "SPOT" and g["spot"]["instance_types"] == ["m7g.large", "c7g.large"]
    assert g["general"]["ami_type"] == "AL2023_x86_64_STANDARD" and g["spot"]["ami_type"] == "AL2023_ARM_64_STANDARD"


def test_nodes_live_in_every_private_subnet(cluster):
    for g in groups(cluster).values():
        assert len(g["subnet_ids"]) == 3 and all("private" in s for s in g["subnet_ids"])


def test_labels_and_taints(cluster):
    spot = groups(cluster)["spot"]
    assert spot["labels"] == {"capacity": "spot"}
    assert spot["taint"] == [{"effect": "NO_SCHEDULE", "key": "capacity", "value": "spot"}]
    assert "taint" not in groups(cluster)["general"]


def test_autoscaler_discovery_tags_and_desired_size_left_to_it(cluster):
    for g in groups(cluster).values():
        assert g["tags"] == {"k8s.io/cluster-autoscaler/enabled": "true", "k8s.io/cluster-autoscaler/tc": "owned"}
        assert g["lifecycle"]["ignore_changes"] == ["scaling_config[0].desired_size"]


def test_node_group_uses_the_latest_template_version(cluster):
    lt_ids = set(cluster["resource"]["aws_launch_template"])
    for g in groups(cluster).values():
        lt_id = g["launch_template"]["id"].split(".")[1]
        assert lt_id in lt_ids and g["launch_template"]["version"].endswith(f"{lt_id}.latest_version}}")


def test_mixed_architectures_are_refused():
    with pytest.raises(ValueError, match="mix ARM and x86"):
        ami_type_for(["m7g.large", "m6i.large"])
