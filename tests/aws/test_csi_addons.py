"""EksCsiAddons: the EBS and EFS CSI drivers as pinned EKS add-ons, each controller on its own identity."""

import re

import pytest

from platform_constructs.aws.csi_addons import SERVICE_ACCOUNTS, EksCsiAddons
from platform_constructs.versions import EKS_ADDON_VERSIONS, EKS_CSI_ADDON_VERSIONS, KUBERNETES_MINORS
from tests.aws.test_addons import addons_doc, bound_subjects, role_id
from tests.helpers import make_spec, resources

ROLES = {"aws-ebs-csi-driver": "tc-ebs-csi", "aws-efs-csi-driver": "tc-efs-csi"}


def addon(doc, name):
    return next(a for a in resources(doc, "aws_eks_addon") if a["addon_name"] == name)


def test_every_aws_minor_pins_both_drivers_apart_from_the_cluster_layers_addons():
    assert set(EKS_CSI_ADDON_VERSIONS) == set(KUBERNETES_MINORS["aws"])
    for minor, versions in EKS_CSI_ADDON_VERSIONS.items():
        assert set(versions) == set(SERVICE_ACCOUNTS), minor
        assert all(re.fullmatch(r"v\d+\.\d+\.\d+-eksbuild\.\d+", v) for v in versions.values()), versions
        assert set(versions).isdisjoint(EKS_ADDON_VERSIONS[minor]), minor


@pytest.mark.parametrize("minor", KUBERNETES_MINORS["aws"])
def test_the_add_ons_take_the_version_of_the_clusters_minor(minor):
    doc = addons_doc(make_spec(cluster={"kubernetes_version": minor}))
    for name in SERVICE_ACCOUNTS:
        body = addon(doc, name)
        assert body["addon_version"] == EKS_CSI_ADDON_VERSIONS[minor][name]
        assert body["cluster_name"] == "tc"
        assert body["resolve_conflicts_on_create"] == body["resolve_conflicts_on_update"] == "OVERWRITE"


@pytest.mark.parametrize("name", sorted(SERVICE_ACCOUNTS))
def test_irsa_passes_the_role_to_the_add_on_and_the_role_trusts_its_controller_only(name):
    doc = addons_doc(make_spec(aws={"workload_identity": "irsa"}))
    body = addon(doc, name)
    rid = role_id(doc, ROLES[name])
    assert body["service_account_role_arn"] == f"${{aws_iam_role.{rid}.arn}}"
    assert bound_subjects(doc, ROLES[name]) == {SERVICE_ACCOUNTS[name].subject}
    assert f"aws_iam_role.{rid}" in body["depends_on"]
    assert "aws_eks_pod_identity_association" not in doc["resource"]


@pytest.mark.parametrize("name", sorted(SERVICE_ACCOUNTS))
def test_pod_identity_binds_the_controller_by_association_before_the_add_on(name):
    doc = addons_doc(make_spec(aws={"workload_identity": "pod_identity"}))
    body = addon(doc, name)
    assert "service_account_role_arn" not in body
    assert bound_subjects(doc, ROLES[name]) == {SERVICE_ACCOUNTS[name].subject}
    assert any(d.startswith("aws_eks_pod_identity_association.") for d in body["depends_on"])


def test_the_ebs_role_may_use_the_clusters_key_and_the_managed_policies_are_attached():
    doc = addons_doc()
    attached = {a["policy_arn"].rsplit("/", 1)[-1] for a in resources(doc, "aws_iam_role_policy_attachment")}
    assert attached == {"AmazonEBSCSIDriverPolicy", "AmazonEFSCSIDriverPolicy"}
    ebs = next(p for p in resources(doc, "aws_iam_role_policy") if p["name"] == "tc-ebs-csi")
    assert "arn:aws:kms:us-east-1:111122223333:key/" in ebs["policy"] and "kms:CreateGrant" in ebs["policy"]


def test_unknown_minor_and_a_stray_identity_are_refused_together():
    class Stray:
        service_account = SERVICE_ACCOUNTS["aws-efs-csi-driver"]
        mode, arn = "irsa", "arn"

    with pytest.raises(ValueError, match=r"Kubernetes '1\.20' has no CSI add-on versions.*aws-ebs-csi-driver's identity "
                                         r"binds kube-system/efs-csi-controller-sa"):
        EksCsiAddons(None, "csi", cluster_name="tc", kubernetes_version="1.20", ebs=Stray())
