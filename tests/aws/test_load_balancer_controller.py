"""AwsLoadBalancerController: explicit cluster, region and VPC; the chart's service account is the identity's subject."""

import pytest

from platform_constructs.aws.load_balancer_controller import SERVICE_ACCOUNT, AwsLoadBalancerController
from platform_constructs.workload_identity import ServiceAccount, WorkloadIdentity
from tests.aws.test_addons import NETWORK, addons_doc, annotations_point_at, bound_subjects, release_of
from tests.helpers import make_spec

CHART = "aws-load-balancer-controller"
ROLE = "tc-load-balancer-controller"


@pytest.mark.parametrize("mode", ["pod_identity", "irsa"])
def test_the_charts_service_account_is_exactly_the_subject_the_identity_binds(mode):
    doc = addons_doc(make_spec(aws={"workload_identity": mode}))
    body, values = release_of(doc, CHART)
    # templates/serviceaccount.yaml: name = serviceAccount.name (create: true), namespace = the release's.
    assert values["serviceAccount"]["create"] is True
    subject = f"system:serviceaccount:{body['namespace']}:{values['serviceAccount']['name']}"
    assert bound_subjects(doc, ROLE) == {subject} == {SERVICE_ACCOUNT.subject}
    assert annotations_point_at(doc, values["serviceAccount"]["annotations"], ROLE, mode)


def test_cluster_region_and_vpc_are_explicit():
    _, values = release_of(addons_doc(make_spec(region="eu-west-1", zones=["eu-west-1a", "eu-west-1b"])), CHART)
    assert (values["clusterName"], values["region"], values["vpcId"]) == ("tc", "eu-west-1", NETWORK.network_id)


def test_two_replicas_with_a_disruption_budget():
    _, values = release_of(addons_doc(), CHART)
    assert values["replicaCount"] == 2 and values["podDisruptionBudget"] == {"maxUnavailable": 1}


def test_the_release_waits_for_the_identity():
    doc = addons_doc()
    body, _ = release_of(doc, CHART)
    deps = " ".join(body["depends_on"])
    assert "aws_eks_pod_identity_association" in deps and "aws_iam_role_policy" in deps


def test_the_role_holds_the_published_policy():
    doc = addons_doc()
    policy = next(p for p in doc["resource"]["aws_iam_role_policy"].values() if p["name"] == ROLE)
    assert "elasticloadbalancing:CreateLoadBalancer" in policy["policy"]
    assert "elbv2.k8s.aws/cluster" in policy["policy"]


def test_an_identity_of_another_service_account_is_refused():
    stray = WorkloadIdentity(service_account=ServiceAccount("default", "lbc"), principal="arn:aws:iam::1:role/x")
    with pytest.raises(ValueError, match="runs as kube-system/aws-load-balancer-controller.*binds default/lbc"):
        AwsLoadBalancerController(None, "x", cluster_name="tc", region="us-east-1", vpc_id="vpc-1", identity=stray)
