"""ServiceRole: trust one service, attach AWS-managed policies by partition-aware ARN."""

import json

from tests.helpers import make_spec, resources, synth


def test_cluster_and_node_roles_trust_their_services_and_get_their_policies():
    stack = synth(make_spec())["cluster"]
    roles = {r["name"]: json.loads(r["assume_role_policy"]) for r in resources(stack, "aws_iam_role")}
    assert roles["tc-cluster"]["Statement"][0]["Principal"] == {"Service": "eks.amazonaws.com"}
    assert roles["tc-node"]["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    attached = sorted(a["policy_arn"].rsplit("/", 1)[1] for a in resources(stack, "aws_iam_role_policy_attachment"))
    assert attached == sorted([
        "AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController", "AmazonEKSWorkerNodePolicy",
        "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore",
    ])
    assert all(a["policy_arn"].startswith("arn:${data.aws_partition.") for a in resources(stack, "aws_iam_role_policy_attachment"))
