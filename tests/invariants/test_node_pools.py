"""node-pools-ha: at least 3 nodes per pool, at least one per zone, in every zone."""

import pytest
from cdktf_cdktf_provider_aws.eks_node_group import EksNodeGroup, EksNodeGroupScalingConfig

from platform_constructs.invariants import rules
from tests.helpers import make_spec
from tests.invariants.helpers import messages, stack_doc


def node_group(stack, min_size, subnets):
    EksNodeGroup(stack, "ng", cluster_name="c", node_role_arn="arn:role", subnet_ids=subnets,
                 scaling_config=EksNodeGroupScalingConfig(min_size=min_size, max_size=6, desired_size=max(min_size, 1)))


def test_node_pool_below_three_or_in_too_few_zones():
    assert messages("node-pools-ha", stack_doc(lambda s: node_group(s, 2, ["a", "b", "c"]))) == [
        "node pool minimum 2 is below 3: set min_size >= 3"]
    assert messages("node-pools-ha", stack_doc(lambda s: node_group(s, 3, ["a", "b"]))) == [
        "node pool spans 2 subnets but the environment lists 3 zones: give it a private subnet in every zone"]
    assert messages("node-pools-ha", stack_doc(lambda s: node_group(s, 3, ["a", "b", "c"]))) == []


# --------------------------------------------------------------------------- the minimum against the zones

FOUR_ZONES = make_spec(zones=["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"],
                       cluster={"node_pools": [{"name": "general", "instance_types": ["m6i.large"], "min_size": 4,
                                                "max_size": 6}]})
RULE = next(r for r in rules() if r.id == "node-pools-ha")


def pool_doc(rtype: str, low: int) -> dict:
    """One node pool of ``rtype`` in every zone of :data:`FOUR_ZONES` whose minimum is ``low`` nodes in all."""
    body = {
        "aws_eks_node_group": {"subnet_ids": ["a", "b", "c", "d"], "scaling_config": {"min_size": low, "max_size": 9}},
        "google_container_node_pool": {"node_locations": FOUR_ZONES.zones,
                                       "autoscaling": {"total_min_node_count": low, "total_max_node_count": 9}},
        "azurerm_kubernetes_cluster_node_pool": {"zones": ["1", "2", "3"], "auto_scaling_enabled": True,
                                                 "min_count": low, "max_count": 9},
    }[rtype]
    return {"resource": {rtype: {"pool": body}}}


@pytest.mark.parametrize("rtype, zones", [("aws_eks_node_group", 4), ("google_container_node_pool", 4),
                                          ("azurerm_kubernetes_cluster_node_pool", 3)])
def test_a_minimum_below_the_number_of_zones_is_refused(rtype, zones):
    """3 nodes meet the ">= 3" rule, yet leave one of 4 zones without a node (Azure: 3 zones at most)."""
    def found(low):
        return [v.message for v in RULE.check("probe", pool_doc(rtype, low), FOUR_ZONES)]

    if zones == 4:
        assert found(3) == ["node pool minimum 3 cannot cover 4 zones: set min_size >= 4"]
    assert found(zones) == []
    assert found(2) == ["node pool minimum 2 is below 3: set min_size >= 3"]


def test_gke_per_zone_minimum_counts_every_location():
    doc = {"resource": {"google_container_node_pool": {"pool": {
        "node_locations": FOUR_ZONES.zones, "autoscaling": {"min_node_count": 0, "max_node_count": 3}}}}}
    assert [v.message for v in RULE.check("probe", doc, FOUR_ZONES)] == ["node pool minimum 0 is below 3: set min_size >= 3"]
    doc["resource"]["google_container_node_pool"]["pool"]["autoscaling"]["min_node_count"] = 1
    assert [v.message for v in RULE.check("probe", doc, FOUR_ZONES)] == []
