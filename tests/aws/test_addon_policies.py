"""The AWS addons' IAM grants (platform_constructs/aws/addon_policies.py): valid, least privilege,
conditioned as their publishers document, and accepted by the workload identity's grant check."""

import json
from pathlib import Path

import pytest

from platform_constructs.aws.addon_policies import (
    CLUSTER_AUTOSCALER_ENABLED_TAG,
    EBS_CSI_MANAGED_POLICY,
    EFS_CSI_MANAGED_POLICY,
    LOAD_BALANCER_CONTROLLER_TAG,
    cluster_autoscaler_owned_tag,
    cluster_autoscaler_policy,
    ebs_csi_kms_policy,
    load_balancer_controller_policy,
)
from platform_constructs.workload_identity import AwsGrants

KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DOCUMENTS = {
    "load-balancer-controller": load_balancer_controller_policy(),
    "cluster-autoscaler": cluster_autoscaler_policy("prod-eu"),
    "ebs-csi-kms": ebs_csi_kms_policy(KEY_ARN),
}


def _list(value) -> list:
    return [value] if isinstance(value, str) else list(value)


def _statements_allowing(doc: dict, action: str) -> list[dict]:
    return [s for s in doc["Statement"] if s["Effect"] == "Allow" and action in _list(s["Action"])]


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_is_valid_iam_json(name):
    doc = json.loads(json.dumps(DOCUMENTS[name]))  # plain JSON, no tuples or objects
    assert doc["Version"] == "2012-10-17"
    assert isinstance(doc["Statement"], list) and doc["Statement"]
    for statement in doc["Statement"]:
        assert statement["Effect"] in ("Allow", "Deny")
        assert "Action" in statement and "NotAction" not in statement
        assert "Resource" in statement and "NotResource" not in statement
        actions = _list(statement["Action"])
        assert actions and all(isinstance(a, str) and ":" in a for a in actions)
        assert len(set(actions)) == len(actions)
        assert _list(statement["Resource"])


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_no_statement_allows_everything_or_identity_escalation(name):
    for statement in DOCUMENTS[name]["Statement"]:
        for action in _list(statement["Action"]):
            service, _, verb = action.partition(":")
            assert action != "*" and verb != "*", action
            assert service not in ("sts",), action
            assert not (service == "iam" and "*" in verb), action


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_passes_the_workload_identity_grant_check(name):
    grants = AwsGrants(inline_policy=DOCUMENTS[name])
    assert grants.inline_policy["Statement"] == DOCUMENTS[name]["Statement"]


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_fits_an_iam_policy_size_limit(name):
    # IAM counts a role's inline policies together, whitespace excluded: at most 10,240 characters.
    # (A customer managed policy allows 6,144: the LB controller's document fits that too.)
    compact = json.dumps(DOCUMENTS[name], separators=(",", ":"))
    assert len(compact) <= 6144


def test_documents_are_fresh_copies():
    first = load_balancer_controller_policy()
    first["Statement"][0]["Action"].append("iam:PassRole")
    assert "iam:PassRole" not in load_balancer_controller_policy()["Statement"][0]["Action"]


def test_csi_drivers_use_the_aws_managed_policies():
    assert EBS_CSI_MANAGED_POLICY == "service-role/AmazonEBSCSIDriverPolicy"
    assert EFS_CSI_MANAGED_POLICY == "service-role/AmazonEFSCSIDriverPolicy"
    grants = AwsGrants(managed_policies=(EBS_CSI_MANAGED_POLICY,), inline_policy=ebs_csi_kms_policy(KEY_ARN))
    assert grants.managed_policies == (EBS_CSI_MANAGED_POLICY,)
    AwsGrants(managed_policies=(EFS_CSI_MANAGED_POLICY,))


# --- load balancer controller ---------------------------------------------------------------------

LBC = DOCUMENTS["load-balancer-controller"]


def test_lbc_is_the_published_sixteen_statement_document():
    assert len(LBC["Statement"]) == 16
    assert all(s["Effect"] == "Allow" for s in LBC["Statement"])


@pytest.mark.parametrize("action", [
    "elasticloadbalancing:CreateLoadBalancer",
    "elasticloadbalancing:CreateTargetGroup",
    "elasticloadbalancing:CreateListener",
    "elasticloadbalancing:CreateRule",
    "elasticloadbalancing:RegisterTargets",
    "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:ModifyListenerAttributes",
    "elasticloadbalancing:DescribeTargetHealth",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:CreateSecurityGroup",
    "ec2:DeleteSecurityGroup",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
    "acm:DescribeCertificate",
    "wafv2:AssociateWebACL",
    "iam:CreateServiceLinkedRole",
])
def test_lbc_allows_what_the_controller_calls(action):
    assert _statements_allowing(LBC, action)


def test_lbc_service_linked_role_only_for_elastic_load_balancing():
    (statement,) = _statements_allowing(LBC, "iam:CreateServiceLinkedRole")
    assert _list(statement["Action"]) == ["iam:CreateServiceLinkedRole"]
    assert statement["Condition"] == {"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}}


def test_lbc_creates_only_resources_it_tags_with_its_cluster_tag():
    for action in ("elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"):
        (statement,) = _statements_allowing(LBC, action)
        assert statement["Condition"]["Null"] == {f"aws:RequestTag/{LOAD_BALANCER_CONTROLLER_TAG}": "false"}


@pytest.mark.parametrize("action", [
    "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:DeleteTargetGroup",
    "elasticloadbalancing:ModifyLoadBalancerAttributes",
    "elasticloadbalancing:ModifyTargetGroup",
    "elasticloadbalancing:ModifyTargetGroupAttributes",
    "elasticloadbalancing:SetSecurityGroups",
    "elasticloadbalancing:SetSubnets",
    "elasticloadbalancing:SetIpAddressType",
    "ec2:DeleteSecurityGroup",
])
def test_lbc_changes_only_resources_carrying_its_cluster_tag(action):
    statements = _statements_allowing(LBC, action)
    assert statements
    for statement in statements:
        assert statement["Condition"]["Null"][f"aws:ResourceTag/{LOAD_BALANCER_CONTROLLER_TAG}"] == "false"


def test_lbc_tagging_is_limited_to_its_own_resources():
    for statement in _statements_allowing(LBC, "elasticloadbalancing:RemoveTags"):
        resources = _list(statement["Resource"])
        assert "*" not in resources
        assert all(r.startswith("arn:aws:elasticloadbalancing:") for r in resources)
    for statement in _statements_allowing(LBC, "ec2:DeleteTags"):
        assert statement["Resource"] == "arn:aws:ec2:*:*:security-group/*"
        assert statement["Condition"]["Null"][f"aws:ResourceTag/{LOAD_BALANCER_CONTROLLER_TAG}"] == "false"


def test_lbc_partition_reaches_every_arn():
    doc = load_balancer_controller_policy("aws-us-gov")
    arns = [r for s in doc["Statement"] for r in _list(s["Resource"]) if r.startswith("arn:")]
    assert arns and all(r.startswith("arn:aws-us-gov:") for r in arns)


@pytest.mark.parametrize("bad", ["", "aws*", 3])
def test_lbc_refuses_a_bad_partition(bad):
    with pytest.raises(ValueError):
        load_balancer_controller_policy(bad)


# --- cluster autoscaler ---------------------------------------------------------------------------

def test_autoscaler_mutating_actions_need_both_of_this_clusters_tags():
    doc = cluster_autoscaler_policy("prod-eu")
    for action in ("autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"):
        (statement,) = _statements_allowing(doc, action)
        assert statement["Condition"] == {"StringEquals": {
            "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
            "aws:ResourceTag/k8s.io/cluster-autoscaler/prod-eu": "owned",
        }}


def test_autoscaler_condition_follows_the_cluster_name():
    doc = cluster_autoscaler_policy("staging")
    (statement,) = _statements_allowing(doc, "autoscaling:SetDesiredCapacity")
    assert f"aws:ResourceTag/{cluster_autoscaler_owned_tag('staging')}" in statement["Condition"]["StringEquals"]
    assert not any("prod-eu" in k for k in statement["Condition"]["StringEquals"])


def test_autoscaler_unconditioned_statement_only_reads():
    doc = cluster_autoscaler_policy("prod-eu")
    for statement in doc["Statement"]:
        if "Condition" in statement:
            continue
        for action in _list(statement["Action"]):
            verb = action.split(":", 1)[1]
            assert verb.startswith(("Describe", "Get")), action
    reads = {a for s in doc["Statement"] for a in _list(s["Action"])}
    assert {"autoscaling:DescribeAutoScalingGroups", "ec2:DescribeLaunchTemplateVersions",
            "eks:DescribeNodegroup"} <= reads


def test_autoscaler_tags_match_what_the_node_groups_carry():
    # platform_constructs/aws/node_group.py tags node groups with the same two keys and values
    # (EKS puts them on the managed node group's Auto Scaling group itself).
    source = (Path(__file__).resolve().parents[2] / "platform_constructs" / "aws" / "node_group.py").read_text(encoding="utf-8")
    assert f'"{CLUSTER_AUTOSCALER_ENABLED_TAG}": "true"' in source
    assert 'f"k8s.io/cluster-autoscaler/{cluster_name}": "owned"' in source


@pytest.mark.parametrize("bad", ["", "prod*", None])
def test_autoscaler_refuses_a_bad_cluster_name(bad):
    with pytest.raises(ValueError):
        cluster_autoscaler_policy(bad)


# --- EBS CSI with a customer key ------------------------------------------------------------------

def test_ebs_kms_grants_only_for_aws_resources_on_the_one_key():
    doc = ebs_csi_kms_policy(KEY_ARN)
    grant, use = doc["Statement"]
    assert sorted(grant["Action"]) == ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
    assert grant["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}
    assert sorted(use["Action"]) == sorted(
        ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"])
    assert grant["Resource"] == use["Resource"] == [KEY_ARN]


@pytest.mark.parametrize("bad", ["", "*", " ", None])
def test_ebs_kms_refuses_a_missing_or_wildcard_key(bad):
    with pytest.raises(ValueError):
        ebs_csi_kms_policy(bad)
