"""node-pools-ha: at least 3 nodes per pool, in every zone."""

from cdktf_cdktf_provider_aws.eks_node_group import EksNodeGroup, EksNodeGroupScalingConfig

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
