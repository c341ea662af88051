"""EksClusterAccess: the addons stack's kubernetes and helm providers from data sources by the literal cluster name."""

import pytest
from cdktf import App, TerraformStack, TerraformVariable

from platform_constructs.aws.contracts import AwsClusterContract
from platform_constructs.aws.kubernetes_access import EksClusterAccess
from tests.aws.test_addons import CLUSTER, addons_doc
from tests.helpers import make_spec


def only(doc, kind, rtype):
    [(logical_id, body)] = doc[kind][rtype].items()
    return logical_id, body


@pytest.fixture(scope="module")
def doc():
    return addons_doc(make_spec(cluster={"name": "payments-eks"}))


def test_data_sources_name_the_cluster_literally(doc):
    _, cluster = only(doc, "data", "aws_eks_cluster")
    _, auth = only(doc, "data", "aws_eks_cluster_auth")
    assert cluster["name"] == auth["name"] == "payments-eks"


def test_both_providers_use_the_endpoint_ca_and_short_lived_token(doc):
    cluster_id, _ = only(doc, "data", "aws_eks_cluster")
    auth_id, _ = only(doc, "data", "aws_eks_cluster_auth")
    expected = {
        "host": f"${{data.aws_eks_cluster.{cluster_id}.endpoint}}",
        "cluster_ca_certificate": f"${{base64decode(data.aws_eks_cluster.{cluster_id}.certificate_authority[0].data)}}",
        "token": f"${{data.aws_eks_cluster_auth.{auth_id}.token}}",
    }
    [kubernetes] = doc["provider"]["kubernetes"]
    [helm] = doc["provider"]["helm"]
    assert kubernetes == expected
    assert helm == {"kubernetes": expected}


def test_no_cross_stack_value_reaches_a_provider_block(tmp_path):
    # Every value of the cluster contract is a reference into another stack (as the cluster stack's would be).
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "other")
    tokens = {name: TerraformVariable(stack, name, type="string").string_value
              for name in ("cluster_name", "endpoint", "certificate_authority_data", "node_security_group_id")}
    cross = AwsClusterContract(**{**CLUSTER.__dict__, **tokens})
    doc = addons_doc(make_spec(addons={"block_storage": False}), cluster=cross)
    assert "terraform_remote_state" in doc["data"]  # the contract did arrive as cross-stack references
    providers = str(doc["provider"]["kubernetes"]) + str(doc["provider"]["helm"])
    assert "var." not in providers and "terraform_remote_state" not in providers
    assert "data.aws_eks_cluster" in providers


def test_a_reference_instead_of_the_literal_name_is_refused(tmp_path):
    stack = TerraformStack(App(outdir=str(tmp_path)), "probe")
    name = TerraformVariable(stack, "name", type="string").string_value
    with pytest.raises(ValueError, match="literal name.*terraform-cdk#2662"):
        EksClusterAccess(stack, "access", cluster_name=name)
    with pytest.raises(ValueError, match="must be the EKS cluster's name"):
        EksClusterAccess(stack, "access2", cluster_name=" ")
