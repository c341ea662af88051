"""ClusterAutoscaler: AWS auto-discovery of this cluster's node groups, image of the cluster's minor, own identity."""

import json
from pathlib import Path

import pytest
import yaml

from platform_constructs.aws.addon_policies import CLUSTER_AUTOSCALER_ENABLED_TAG, cluster_autoscaler_owned_tag
from platform_constructs.aws.cluster_autoscaler import SERVICE_ACCOUNT, ClusterAutoscaler, cluster_autoscaler_values
from platform_constructs.versions import CLUSTER_AUTOSCALER_IMAGE_TAGS, KUBERNETES_MINORS
from platform_constructs.workload_identity import ServiceAccount, WorkloadIdentity
from tests.aws.test_addons import addons_doc, annotations_point_at, bound_subjects, release_of
from tests.helpers import make_spec, resources, synth

CHART = "cluster-autoscaler"
ROLE = "tc-cluster-autoscaler"
CHART_VALUES = Path(__file__).resolve().parents[3] / "shared" / "charts" / "cluster-autoscaler-9.59.0" / "values.yaml"
IDENTITY = WorkloadIdentity(service_account=SERVICE_ACCOUNT, principal="arn:aws:iam::111122223333:role/x")


@pytest.mark.parametrize("mode", ["pod_identity", "irsa"])
def test_the_charts_service_account_is_exactly_the_subject_the_identity_binds(mode):
    doc = addons_doc(make_spec(aws={"workload_identity": mode}))
    body, values = release_of(doc, CHART)
    # templates/serviceaccount.yaml: created when rbac.create and rbac.serviceAccount.create, named
    # rbac.serviceAccount.name (cluster-autoscaler.serviceAccountName), in the release's namespace.
    account = values["rbac"]["serviceAccount"]
    assert values["rbac"]["create"] is True and account["create"] is True
    subject = f"system:serviceaccount:{body['namespace']}:{account['name']}"
    assert bound_subjects(doc, ROLE) == {subject} == {SERVICE_ACCOUNT.subject}
    assert annotations_point_at(doc, account["annotations"], ROLE, mode)


def test_aws_auto_discovery_with_region_explicit():
    _, values = release_of(addons_doc(make_spec(region="eu-west-1", zones=["eu-west-1a", "eu-west-1b"])), CHART)
    assert values["cloudProvider"] == "aws" and values["awsRegion"] == "eu-west-1"
    assert values["autoDiscovery"] == {"clusterName": "tc"}
    assert values["extraArgs"] == {"balance-similar-node-groups": True, "expander": "least-waste",
                                   "skip-nodes-with-system-pods": False}


@pytest.mark.parametrize("minor", KUBERNETES_MINORS["aws"])
def test_the_image_matches_the_clusters_minor(minor):
    tag = cluster_autoscaler_values(cluster_name="tc", region="us-east-1", kubernetes_version=minor,
                                    identity=IDENTITY)["image"]["tag"]
    assert tag == CLUSTER_AUTOSCALER_IMAGE_TAGS[minor] and tag.startswith(f"v{minor}.")


def test_the_release_uses_the_image_of_the_spec_minor():
    _, values = release_of(addons_doc(make_spec(cluster={"kubernetes_version": "1.35"})), CHART)
    assert values["image"] == {"tag": CLUSTER_AUTOSCALER_IMAGE_TAGS["1.35"]}


def test_the_policy_may_scale_only_groups_with_the_tags_the_node_groups_carry():
    doc = addons_doc()
    policy = json.loads(next(p for p in doc["resource"]["aws_iam_role_policy"].values() if p["name"] == ROLE)["policy"])
    [mutating] = [s for s in policy["Statement"] if "autoscaling:SetDesiredCapacity" in s["Action"]]
    tags = {key.removeprefix("aws:ResourceTag/"): value for key, value in mutating["Condition"]["StringEquals"].items()}
    assert tags == {CLUSTER_AUTOSCALER_ENABLED_TAG: "true", cluster_autoscaler_owned_tag("tc"): "owned"}
    # The cluster layer's node groups carry the same tags (EKS puts them on each group's ASG as well).
    for group in resources(synth(make_spec())["cluster"], "aws_eks_node_group"):
        assert tags.items() <= group["tags"].items(), group["node_group_name"]


@pytest.mark.skipif(not CHART_VALUES.is_file(), reason="../shared/charts is not beside this checkout")
def test_the_charts_default_discovery_tags_are_the_policys_tag_keys():
    defaults = yaml.safe_load(CHART_VALUES.read_text())["autoDiscovery"]["tags"]
    rendered = [t.replace("{{ .Values.autoDiscovery.clusterName }}", "tc") for t in defaults]
    assert rendered == [CLUSTER_AUTOSCALER_ENABLED_TAG, cluster_autoscaler_owned_tag("tc")]


def test_unknown_minor_and_stray_identity_are_refused():
    with pytest.raises(ValueError, match="Kubernetes '1.20' has no cluster-autoscaler image"):
        cluster_autoscaler_values(cluster_name="tc", region="us-east-1", kubernetes_version="1.20", identity=IDENTITY)
    stray = WorkloadIdentity(service_account=ServiceAccount("kube-system", "autoscaler"), principal="arn")
    with pytest.raises(ValueError, match="runs as kube-system/cluster-autoscaler.*binds kube-system/autoscaler"):
        ClusterAutoscaler(None, "x", cluster_name="tc", region="us-east-1", kubernetes_version="1.33", identity=stray)
