"""IrsaRole: a role only one service account of one cluster can assume, with managed policies."""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformStack, Token
from cdktf_cdktf_provider_aws.provider import AwsProvider

from platform_constructs.aws.irsa_role import IrsaRole, issuer_host_path

ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
PROVIDER_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    app = App(outdir=str(tmp_path_factory.mktemp("irsa")))
    stack = TerraformStack(app, "irsa")
    AwsProvider(stack, "aws", region="us-east-1")
    role = IrsaRole(stack, "ebs-csi", name="tc-ebs-csi", oidc_provider_arn=PROVIDER_ARN, issuer_url=ISSUER,
                    namespace="kube-system", service_account="ebs-csi-controller-sa",
                    managed_policies=["service-role/AmazonEBSCSIDriverPolicy"])
    app.synth()
    return role, json.loads(Path(app.outdir, "stacks", "irsa", "cdk.tf.json").read_text())


def test_subject_and_service_account_annotation(stack):
    role, _ = stack
    assert role.subject == "system:serviceaccount:kube-system:ebs-csi-controller-sa"
    [(key, value)] = role.annotations.items()
    assert key == "eks.amazonaws.com/role-arn" and Token.is_unresolved(value)  # the role's ARN, known after apply


def test_trust_is_the_one_service_account_and_sts_audience(stack):
    _, doc = stack
    role = next(iter(doc["resource"]["aws_iam_role"].values()))
    assert role["name"] == "tc-ebs-csi"
    issuer = ISSUER.removeprefix("https://")
    assert json.loads(role["assume_role_policy"])["Statement"] == [{
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {
            f"{issuer}:sub": "system:serviceaccount:kube-system:ebs-csi-controller-sa",
            f"{issuer}:aud": "sts.amazonaws.com",
        }},
    }]


def test_managed_policies_are_attached_in_the_stacks_partition(stack):
    _, doc = stack
    [attachment] = doc["resource"]["aws_iam_role_policy_attachment"].values()
    assert attachment["policy_arn"].startswith("arn:${data.aws_partition.")
    assert attachment["policy_arn"].endswith(":iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy")


@pytest.mark.parametrize("url", [ISSUER, ISSUER.removeprefix("https://")])
def test_a_literal_issuer_loses_its_scheme_in_python(url):
    assert issuer_host_path(TerraformStack(App(), "s"), url) == ISSUER.removeprefix("https://")
