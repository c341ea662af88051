"""AwsAddons through the kit and AddonsStack: components per ``addons`` switch, the providers, the StorageClasses.

Also home of the probe the other addons-layer test modules use (``addons_doc``): the real AddonsStack
of an AWS spec on fixed cluster, network and data contracts, synthesized to JSON.
"""

import json
import tempfile
from pathlib import Path

import kubernetes_validate
import pytest

from platform_constructs.aws.contracts import AwsClusterContract, AwsDataContract
from platform_constructs.aws.kit import AwsKit
from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract
from platform_constructs.kubernetes.chart_release import release_values
from platform_constructs.versions import CHARTS
from stacks.addons import AddonsStack
from tests.helpers import make_spec, resources

ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
PROVIDER_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
KEY = "arn:aws:kms:us-east-1:111122223333:key/0f0e0d0c-0b0a-0908-0706-050403020100"
FILE_SYSTEM = "fs-0123456789abcdef0"
NETWORK = NetworkContract(network_id="vpc-0123456789abcdef0",
                          private_subnet_ids_by_zone={"us-east-1a": "subnet-a", "us-east-1b": "subnet-b"},
                          public_subnet_ids_by_zone={})
CLUSTER = AwsClusterContract(
    cluster_name="tc", endpoint="https://tc.example", certificate_authority_data="Q0E=", oidc_issuer_url=ISSUER,
    workload_identity_provider=PROVIDER_ARN, node_security_group_id="sg-0123456789abcdef0", kms_key_arn=KEY,
    node_role_arn="arn:aws:iam::111122223333:role/tc-node",
)
DATA = AwsDataContract(file_system_id=FILE_SYSTEM)
CLASS = "kubernetes_storage_class_v1"
#: chart -> switch of ``addons`` that installs it.
CHART_SWITCHES = {
    "aws-load-balancer-controller": "load_balancer_controller",
    "cluster-autoscaler": "cluster_autoscaler",
    "metrics-server": "metrics_server",
    "secrets-store-csi-driver": "secrets_store",
    "secrets-store-csi-driver-provider-aws": "secrets_store",
}

_CACHE: dict[str, dict] = {}


def addons_doc(spec=None, *, network=NETWORK, cluster=CLUSTER, data=DATA) -> dict:
    """The synthesized ``<env>-addons`` stack of ``spec`` (default: make_spec()) on the given contracts."""
    spec = spec or make_spec()
    key = spec.model_dump_json() + repr((network, cluster, data))
    if key not in _CACHE:
        with tempfile.TemporaryDirectory() as out:
            from cdktf import App

            app = App(outdir=out)
            AddonsStack(app, spec, AwsKit(), network, cluster, data)
            app.synth()
            _CACHE[key] = json.loads(Path(out, "stacks", spec.stack_name("addons"), "cdk.tf.json").read_text())
    return _CACHE[key]


def releases(doc: dict) -> dict[str, dict]:
    """chart name -> its helm_release body."""
    found = {body["chart"]: body for body in resources(doc, "helm_release")}
    assert len(found) == len(resources(doc, "helm_release")), "one release per chart"
    return found


def release_of(doc: dict, chart: str) -> tuple[dict, dict]:
    body = releases(doc)[chart]
    return body, release_values(body)


def storage_classes(doc: dict) -> dict[str, dict]:
    return {body["metadata"]["name"]: body for body in resources(doc, CLASS)}


def manifest(body: dict) -> dict:
    """The StorageClass a kubernetes_storage_class_v1 body creates."""
    out = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
           "metadata": {k: v for k, v in body["metadata"].items() if v is not None},
           "provisioner": body["storage_provisioner"], "parameters": body.get("parameters") or {},
           "reclaimPolicy": body["reclaim_policy"], "volumeBindingMode": body["volume_binding_mode"],
           "allowVolumeExpansion": body["allow_volume_expansion"]}
    if body.get("mount_options"):
        out["mountOptions"] = body["mount_options"]
    return out


@pytest.fixture(scope="module")
def doc():
    return addons_doc()


def test_every_component_is_on_by_default(doc):
    assert sorted(releases(doc)) == sorted(CHART_SWITCHES)
    assert sorted(a["addon_name"] for a in resources(doc, "aws_eks_addon")) == ["aws-ebs-csi-driver", "aws-efs-csi-driver"]
    assert sorted(storage_classes(doc)) == ["ebs-gp3", "efs-ap"]


@pytest.mark.parametrize("switch", sorted(set(CHART_SWITCHES.values())))
def test_each_chart_switch_removes_its_charts_only(doc, switch):
    off = addons_doc(make_spec(addons={switch: False}))
    gone = {chart for chart, s in CHART_SWITCHES.items() if s == switch}
    assert sorted(releases(off)) == sorted(set(releases(doc)) - gone)
    assert len(resources(off, "aws_eks_addon")) == 2


def test_an_identity_per_aws_calling_component_and_none_for_the_others(doc):
    roles = sorted(r["name"] for r in resources(doc, "aws_iam_role"))
    assert roles == ["tc-cluster-autoscaler", "tc-ebs-csi", "tc-efs-csi", "tc-load-balancer-controller"]
    off = addons_doc(make_spec(addons={"load_balancer_controller": False, "cluster_autoscaler": False,
                                       "block_storage": False, "file_storage": False}), data=AwsDataContract())
    assert resources(off, "aws_iam_role") == [] and resources(off, "aws_eks_addon") == []
    assert sorted(releases(off)) == ["metrics-server", "secrets-store-csi-driver", "secrets-store-csi-driver-provider-aws"]


def test_gp3_is_the_one_default_class_encrypted_with_the_clusters_key(doc):
    gp3 = storage_classes(doc)["ebs-gp3"]
    assert gp3["metadata"]["annotations"] == {"storageclass.kubernetes.io/is-default-class": "true"}
    assert gp3["storage_provisioner"] == "ebs.csi.aws.com"
    assert gp3["parameters"] == {"type": "gp3", "encrypted": "true", "kmsKeyId": KEY, "csi.storage.k8s.io/fstype": "ext4"}
    assert gp3["volume_binding_mode"] == "WaitForFirstConsumer" and gp3["allow_volume_expansion"] is True
    assert gp3["reclaim_policy"] == "Delete"
    assert [n for n, b in storage_classes(doc).items() if (b["metadata"].get("annotations") or {})] == ["ebs-gp3"]


def test_efs_class_provisions_access_points_on_the_data_layers_file_system(doc):
    efs = storage_classes(doc)["efs-ap"]
    assert efs["storage_provisioner"] == "efs.csi.aws.com"
    assert efs["parameters"]["provisioningMode"] == "efs-ap"
    assert efs["parameters"]["fileSystemId"] == FILE_SYSTEM
    assert efs["reclaim_policy"] == "Retain" and efs["volume_binding_mode"] == "WaitForFirstConsumer"


def test_every_class_validates_against_the_kubernetes_1_33_schema(doc):
    for name, body in storage_classes(doc).items():
        assert kubernetes_validate.validate(manifest(body), "1.33", strict=True) == "1.33", name


def test_storage_switches_remove_driver_identity_and_class():
    no_block = addons_doc(make_spec(addons={"block_storage": False}))
    assert sorted(storage_classes(no_block)) == ["efs-ap"]
    assert [a["addon_name"] for a in resources(no_block, "aws_eks_addon")] == ["aws-efs-csi-driver"]
    assert "tc-ebs-csi" not in {r["name"] for r in resources(no_block, "aws_iam_role")}
    no_file = addons_doc(make_spec(addons={"file_storage": False}), data=AwsDataContract())
    assert sorted(storage_classes(no_file)) == ["ebs-gp3"]
    assert [a["addon_name"] for a in resources(no_file, "aws_eks_addon")] == ["aws-ebs-csi-driver"]
    assert "tc-efs-csi" not in {r["name"] for r in resources(no_file, "aws_iam_role")}


def test_with_a_chart_repository_every_chart_comes_from_the_mirror():
    mirror = "oci://registry.internal.example.com/helm-charts"
    doc = addons_doc(make_spec(addons={"chart_repository": mirror}))
    for chart, body in releases(doc).items():
        assert (body["repository"], body["chart"], body["version"]) == (mirror, chart, CHARTS[chart].version)


def test_charts_come_from_their_pinned_repositories_by_default(doc):
    for chart, body in releases(doc).items():
        assert (body["repository"], body["version"]) == (CHARTS[chart].repository, CHARTS[chart].version)
        assert body["namespace"] == "kube-system"


def test_file_storage_without_a_file_system_is_refused_with_the_fix():
    with pytest.raises(ValueError, match="file_storage is on but the data layer has no file system"):
        addons_doc(make_spec(), data=AwsDataContract())


def test_contracts_of_another_kind_are_refused():
    plain = ClusterContract(cluster_name="tc", endpoint="https://x", certificate_authority_data="",
                            oidc_issuer_url=ISSUER, workload_identity_provider=PROVIDER_ARN)
    with pytest.raises(ValueError, match="needs an AwsClusterContract.*needs an AwsDataContract"):
        addons_doc(make_spec(), cluster=plain, data=DataContract())


def test_no_secret_and_no_kubeconfig_in_the_stack(doc):
    text = json.dumps(doc)
    for needle in ("config_path", "kubeconfig", "client_key", "password", "aws_access_key"):
        assert needle not in text, needle


def role_id(doc: dict, role_name: str) -> str:
    return next(k for k, r in doc["resource"]["aws_iam_role"].items() if r["name"] == role_name)


def bound_subjects(doc: dict, role_name: str) -> set[str]:
    """Every service-account subject that can use IAM role ``role_name``: its IRSA trust's ``sub``, its
    Pod Identity trust's session tags, and each Pod Identity association naming it."""
    rid = role_id(doc, role_name)
    subjects = set()
    for statement in json.loads(doc["resource"]["aws_iam_role"][rid]["assume_role_policy"])["Statement"]:
        equals = statement.get("Condition", {}).get("StringEquals", {})
        subjects |= {value for key, value in equals.items() if key.endswith(":sub")}
        if "aws:RequestTag/kubernetes-namespace" in equals:
            subjects.add(f"system:serviceaccount:{equals['aws:RequestTag/kubernetes-namespace']}:"
                         f"{equals['aws:RequestTag/kubernetes-service-account']}")
    for association in doc["resource"].get("aws_eks_pod_identity_association", {}).values():
        if association["role_arn"] == f"${{aws_iam_role.{rid}.arn}}":
            subjects.add(f"system:serviceaccount:{association['namespace']}:{association['service_account']}")
    return subjects


def annotations_point_at(doc: dict, annotations: dict, role_name: str, mode: str) -> bool:
    """IRSA: the chart's service account carries exactly the role's ARN; Pod Identity: no annotation."""
    if mode == "pod_identity":
        return annotations == {}
    return (list(annotations) == ["eks.amazonaws.com/role-arn"]
            and f"aws_iam_role.{role_id(doc, role_name)}.arn" in annotations["eks.amazonaws.com/role-arn"])
