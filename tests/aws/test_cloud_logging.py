"""AwsCloudLogging: the amazon-cloudwatch-observability add-on on its own identity, after its encrypted
Container Insights log groups; and its version table."""

import json
import re

import pytest

from platform_constructs.aws.cloud_logging import (
    CLOUDWATCH_ADDON, SERVICE_ACCOUNT, AwsCloudLogging, log_group_names,
)
from platform_constructs.versions import EKS_OBSERVABILITY_ADDON_VERSIONS, KUBERNETES_MINORS
from tests.aws.test_addons import CLUSTER, ISSUER, KEY
from tests.aws.test_observability_storage import aws_probe
from tests.helpers import one, ref, resources

GROUPS = {f"/aws/containerinsights/tc/{kind}" for kind in ("application", "dataplane", "host", "performance")}


def logging_doc(**props) -> dict:
    props = {"cluster": CLUSTER, "cluster_name": "tc", "kubernetes_version": "1.35", "mode": "pod_identity",
             "kms_key_arn": KEY, **props}
    return aws_probe(lambda stack: AwsCloudLogging(stack, "cloud-logging", **props))


@pytest.fixture(scope="module")
def pod_identity():
    return logging_doc()


@pytest.fixture(scope="module")
def irsa():
    return logging_doc(mode="irsa")


def test_every_aws_minor_pins_a_build():
    assert set(EKS_OBSERVABILITY_ADDON_VERSIONS) == set(KUBERNETES_MINORS["aws"])
    for minor, version in EKS_OBSERVABILITY_ADDON_VERSIONS.items():
        assert re.fullmatch(r"v\d+\.\d+\.\d+-eksbuild\.\d+", version), (minor, version)


def test_the_pinned_build_for_the_clusters_minor(pod_identity):
    addon = one(pod_identity, "aws_eks_addon")
    assert addon["addon_name"] == CLOUDWATCH_ADDON == "amazon-cloudwatch-observability"
    assert addon["addon_version"] == EKS_OBSERVABILITY_ADDON_VERSIONS["1.35"]
    assert addon["cluster_name"] == CLUSTER.cluster_name
    assert addon["resolve_conflicts_on_create"] == addon["resolve_conflicts_on_update"] == "OVERWRITE"


def test_log_groups_precreated_encrypted_with_retention(pod_identity):
    groups = resources(pod_identity, "aws_cloudwatch_log_group")
    assert {g["name"] for g in groups} == GROUPS == set(log_group_names("tc").values())
    assert all(g["kms_key_id"] == KEY and g["retention_in_days"] == 30 for g in groups)
    depends = one(pod_identity, "aws_eks_addon")["depends_on"]
    assert {f"aws_cloudwatch_log_group.{k}" for k in pod_identity["resource"]["aws_cloudwatch_log_group"]} <= set(depends)


def test_retention_follows_the_argument():
    assert {g["retention_in_days"] for g in resources(logging_doc(retention_days=14), "aws_cloudwatch_log_group")} == {14}


def test_pod_identity_binds_the_agents_service_account(pod_identity):
    association = one(pod_identity, "aws_eks_pod_identity_association")
    assert (association["namespace"], association["service_account"]) == ("amazon-cloudwatch", "cloudwatch-agent")
    assert SERVICE_ACCOUNT.subject == "system:serviceaccount:amazon-cloudwatch:cloudwatch-agent"
    role = one(pod_identity, "aws_iam_role")
    assert role["name"] == "tc-cloudwatch-agent"
    assert association["role_arn"] == ref(pod_identity, "aws_iam_role", role, "arn")
    addon = one(pod_identity, "aws_eks_addon")
    assert "service_account_role_arn" not in addon
    assert any(d.startswith("aws_eks_pod_identity_association.") for d in addon["depends_on"])


def test_irsa_hands_the_role_to_the_addon(irsa):
    role = one(irsa, "aws_iam_role")
    addon = one(irsa, "aws_eks_addon")
    assert addon["service_account_role_arn"] == ref(irsa, "aws_iam_role", role, "arn")
    assert resources(irsa, "aws_eks_pod_identity_association") == []
    [statement] = json.loads(role["assume_role_policy"])["Statement"]
    issuer = ISSUER.removeprefix("https://")
    assert statement["Condition"]["StringEquals"][f"{issuer}:sub"] == SERVICE_ACCOUNT.subject
    assert any(d.startswith("aws_iam_role.") for d in addon["depends_on"])


@pytest.mark.parametrize("doc", ["pod_identity", "irsa"])
def test_the_agent_gets_cloudwatch_agent_server_policy_only(doc, request):
    doc = request.getfixturevalue(doc)
    attachment = one(doc, "aws_iam_role_policy_attachment")
    assert attachment["policy_arn"].endswith(":iam::aws:policy/CloudWatchAgentServerPolicy")
    assert resources(doc, "aws_iam_role_policy") == []


def test_problems_are_collected_and_name_the_fix():
    with pytest.raises(ValueError) as raised:
        logging_doc(kubernetes_version="1.30", mode="both", retention_days=10, kms_key_arn="", cluster_name="")
    message = str(raised.value)
    for part in ("cluster_name ''", "Kubernetes '1.30' has no amazon-cloudwatch-observability version",
                 "EKS_OBSERVABILITY_ADDON_VERSIONS", "mode 'both'", "retention_days 10", "kms_key_arn is required"):
        assert part in message, part
