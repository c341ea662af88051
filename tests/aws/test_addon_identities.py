"""AwsAddonIdentities: the addons layer's AWS resources alone, one identity per component, in the kit's mode."""

import json
import tempfile
from pathlib import Path

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider

from platform_constructs.aws.addon_identities import SERVICE_ACCOUNTS, AwsAddonIdentities
from platform_constructs.aws.kit import AwsKit
from platform_constructs.workload_identity import ServiceAccount
from tests.aws.test_addons import CLUSTER, ISSUER, KEY, bound_subjects
from tests.helpers import make_spec, resources


def identities_doc(**props) -> dict:
    with tempfile.TemporaryDirectory() as out:
        app = App(outdir=out)
        stack = TerraformStack(app, "probe")
        AwsProvider(stack, "aws", region="us-east-1")
        AwsAddonIdentities(stack, "identities", **{"cluster": CLUSTER, "cluster_name": "tc", "kms_key_arn": KEY, **props})
        app.synth()
        return json.loads(Path(out, "stacks/probe/cdk.tf.json").read_text())


@pytest.fixture(scope="module")
def irsa():
    return identities_doc(mode="irsa")


def test_only_cloud_resources(irsa):
    assert set(irsa["resource"]) == {"aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment"}
    assert set(irsa["data"]) == {"aws_partition"}


@pytest.mark.parametrize("mode", ["irsa", "pod_identity"])
def test_each_role_binds_exactly_its_components_service_account(irsa, mode):
    doc = irsa if mode == "irsa" else identities_doc(mode=mode)
    for component, account in SERVICE_ACCOUNTS.items():
        assert bound_subjects(doc, f"tc-{component}") == {account.subject}, component


def test_irsa_trusts_the_clusters_oidc_provider_with_the_sts_audience(irsa):
    issuer = ISSUER.removeprefix("https://")
    for role in resources(irsa, "aws_iam_role"):
        [statement] = json.loads(role["assume_role_policy"])["Statement"]
        assert statement["Principal"] == {"Federated": CLUSTER.workload_identity_provider}
        assert statement["Condition"]["StringEquals"][f"{issuer}:aud"] == "sts.amazonaws.com"


def test_pod_identity_associates_each_role_with_the_cluster():
    doc = identities_doc(mode="pod_identity")
    associations = resources(doc, "aws_eks_pod_identity_association")
    assert sorted((a["namespace"], a["service_account"]) for a in associations) == sorted(
        (a.namespace, a.name) for a in SERVICE_ACCOUNTS.values())
    assert all(a["cluster_name"] == "tc" for a in associations)


def test_each_component_holds_its_own_grants(irsa):
    inline = {p["name"]: p["policy"] for p in resources(irsa, "aws_iam_role_policy")}
    assert sorted(inline) == ["tc-cluster-autoscaler", "tc-ebs-csi", "tc-load-balancer-controller"]
    assert "kms:Decrypt" in inline["tc-ebs-csi"] and KEY in inline["tc-ebs-csi"]
    assert "k8s.io/cluster-autoscaler/tc" in inline["tc-cluster-autoscaler"]
    assert "autoscaling" not in inline["tc-load-balancer-controller"]


def test_components_that_are_off_get_no_identity():
    doc = identities_doc(mode="irsa", ebs_csi=False, cluster_autoscaler=False, kms_key_arn=None)
    assert sorted(r["name"] for r in resources(doc, "aws_iam_role")) == ["tc-efs-csi", "tc-load-balancer-controller"]


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValueError, match="mode 'kiam' is not one of pod_identity, irsa; ebs_csi needs kms_key_arn"):
        AwsAddonIdentities(None, "x", cluster=CLUSTER, cluster_name="tc", mode="kiam", kms_key_arn=None)


@pytest.mark.parametrize("mode", ["irsa", "pod_identity"])
def test_the_kits_workload_identity_follows_the_environments_mode(mode):
    with tempfile.TemporaryDirectory() as out:
        app = App(outdir=out)
        stack = TerraformStack(app, "probe")
        AwsProvider(stack, "aws", region="us-east-1")
        identity = AwsKit().workload_identity(stack, make_spec(aws={"workload_identity": mode}), CLUSTER, name="app",
                                              layer="addons", service_account=ServiceAccount("apps", "web"))
        app.synth()
        doc = json.loads(Path(out, "stacks/probe/cdk.tf.json").read_text())
    assert ("aws_eks_pod_identity_association" in doc["resource"]) == (mode == "pod_identity")
    assert (list(identity.annotations) == ["eks.amazonaws.com/role-arn"]) == (mode == "irsa")
