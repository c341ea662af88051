"""ServiceRole: trust one service, attach AWS-managed policies by partition-aware ARN."""

import json

import pytest

from tests.helpers import make_spec, resources, synth

CLUSTER_ROLE = ["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"]
NODE_ROLE = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore"]


def attached(stack, role: str) -> list[str]:
    """AWS-managed policy names attached to the role named ``role``."""
    role_id = next(k for k, r in stack["resource"]["aws_iam_role"].items() if r["name"] == role)
    return sorted(a["policy_arn"].rsplit("/", 1)[1] for a in resources(stack, "aws_iam_role_policy_attachment")
                  if a["role"] == f"${{aws_iam_role.{role_id}.name}}")


def test_cluster_and_node_roles_trust_their_services():
    stack = synth(make_spec())["cluster"]
    roles = {r["name"]: json.loads(r["assume_role_policy"]) for r in resources(stack, "aws_iam_role")}
    assert roles["tc-cluster"]["Statement"][0]["Principal"] == {"Service": "eks.amazonaws.com"}
    assert roles["tc-node"]["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert all(a["policy_arn"].startswith("arn:${data.aws_partition.") for a in resources(stack, "aws_iam_role_policy_attachment"))


@pytest.mark.parametrize("managed_addons, node_policies", [
    # the managed vpc-cni add-on has its own IRSA role: the node role no longer carries the CNI policy
    (True, NODE_ROLE),
    # EKS's self-managed aws-node has no role of its own: it runs on the node role
    (False, NODE_ROLE + ["AmazonEKS_CNI_Policy"]),
])
def test_node_role_carries_the_cni_policy_only_without_managed_addons(managed_addons, node_policies):
    stack = synth(make_spec(name=f"roles{int(managed_addons)}", aws={"managed_addons": managed_addons, "workload_identity": "irsa"}))["cluster"]
    assert attached(stack, "tc-cluster") == sorted(CLUSTER_ROLE)
    assert attached(stack, "tc-node") == sorted(node_policies)
