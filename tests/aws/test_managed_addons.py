"""EksManagedAddons: the four core add-ons, pinned per minor, ordered around the node groups,
kept on removal where they carry networking, vpc-cni on its own IRSA role, and switchable."""

import json

import pytest

from platform_constructs.aws.managed_addons import EKS_ADDONS, PRESERVED
from platform_constructs.versions import EKS_ADDON_VERSIONS, KUBERNETES_MINORS
from tests.helpers import make_spec, one, ref, resources, synth


def addons_of(stack) -> dict[str, dict]:
    return {a["addon_name"]: a for a in resources(stack, "aws_eks_addon")}


@pytest.fixture(scope="module")
def stack():
    return synth(make_spec())["cluster"]


def test_core_addons_are_installed_around_the_node_groups(stack):
    addons = addons_of(stack)
    assert set(addons) == {"vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent"} == set(EKS_ADDONS)
    node_group = resources(stack, "aws_eks_node_group")[0]
    assert any("aws_eks_addon" in d and "vpc-cni" in d for d in node_group["depends_on"])
    assert any("aws_eks_node_group" in d for d in addons["coredns"]["depends_on"])


def test_every_aws_minor_pins_every_addon_the_kit_installs():
    assert set(EKS_ADDON_VERSIONS) == set(KUBERNETES_MINORS["aws"])
    for minor in KUBERNETES_MINORS["aws"]:
        assert set(EKS_ADDON_VERSIONS[minor]) == set(EKS_ADDONS), minor
        for name, version in EKS_ADDON_VERSIONS[minor].items():
            assert version.startswith("v") and "-eksbuild." in version, (minor, name, version)
        assert EKS_ADDON_VERSIONS[minor]["kube-proxy"].startswith(f"v{minor}."), minor  # kube-proxy follows the minor


@pytest.mark.parametrize("minor", KUBERNETES_MINORS["aws"])
def test_each_addon_gets_the_version_pinned_for_the_clusters_minor(minor):
    stack = synth(make_spec(name=f"v{minor.replace('.', '')}", cluster={"kubernetes_version": minor}))["cluster"]
    assert {n: a["addon_version"] for n, a in addons_of(stack).items()} == EKS_ADDON_VERSIONS[minor]


def test_networking_and_dns_survive_removing_their_resource(stack):
    addons = addons_of(stack)
    assert PRESERVED == {"vpc-cni", "kube-proxy", "coredns"}
    assert {n: a["preserve"] for n, a in addons.items()} == {
        "vpc-cni": True, "kube-proxy": True, "coredns": True, "eks-pod-identity-agent": False,
    }


def test_conflicts_are_overwritten_on_create_and_update(stack):
    for name, addon in addons_of(stack).items():
        assert (addon["resolve_conflicts_on_create"], addon["resolve_conflicts_on_update"]) == ("OVERWRITE", "OVERWRITE"), name
        assert "resolve_conflicts" not in addon, name  # the deprecated field stays unset


def test_vpc_cni_runs_on_its_own_irsa_role_for_aws_node(stack):
    addons = addons_of(stack)
    role = next(r for r in resources(stack, "aws_iam_role") if r["name"] == "tc-vpc-cni")
    assert addons["vpc-cni"]["service_account_role_arn"] == ref(stack, "aws_iam_role", role, "arn")
    assert all("service_account_role_arn" not in a for n, a in addons.items() if n != "vpc-cni")

    statement = json.loads(role["assume_role_policy"])["Statement"]
    oidc = one(stack, "aws_iam_openid_connect_provider")
    eks_id = next(iter(stack["resource"]["aws_eks_cluster"]))
    [(local_name, local_value)] = stack["locals"].items()
    assert local_value == f'${{replace(aws_eks_cluster.{eks_id}.identity[0].oidc[0].issuer, "https://", "")}}'
    issuer = f"${{local.{local_name}}}"
    assert statement == [{
        "Effect": "Allow",
        "Principal": {"Federated": ref(stack, "aws_iam_openid_connect_provider", oidc, "arn")},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {
            f"{issuer}:sub": "system:serviceaccount:kube-system:aws-node",
            f"{issuer}:aud": "sts.amazonaws.com",
        }},
    }]
    cni = [a for a in resources(stack, "aws_iam_role_policy_attachment") if a["policy_arn"].endswith("/AmazonEKS_CNI_Policy")]
    assert [a["role"] for a in cni] == [ref(stack, "aws_iam_role", role, "name")]
    # the add-on (and so aws-node) starts only once the role holds its permissions
    attachment_id = next(k for k, a in stack["resource"]["aws_iam_role_policy_attachment"].items() if a is cni[0])
    assert f"aws_iam_role_policy_attachment.{attachment_id}" in addons["vpc-cni"]["depends_on"]


def test_managed_addons_can_be_switched_off():
    stack = synth(make_spec(name="noaddons", aws={"managed_addons": False, "workload_identity": "irsa"}))["cluster"]
    assert resources(stack, "aws_eks_addon") == []
    assert "tc-vpc-cni" not in {r["name"] for r in resources(stack, "aws_iam_role")}


def test_vpc_cni_runs_its_network_policy_agent(stack):
    """The tenants' isolation is NetworkPolicies: EKS enforces them only with the vpc-cni add-on's
    ``enableNetworkPolicy`` (a string "true" in the add-on's schema, not a boolean)."""
    addons = addons_of(stack)
    assert json.loads(addons["vpc-cni"]["configuration_values"]) == {"enableNetworkPolicy": "true"}
    assert [n for n, a in addons.items() if "configuration_values" in a] == ["vpc-cni"]


def test_configuration_of_an_addon_the_kit_does_not_install_is_refused():
    from cdktf import App, TerraformStack

    from platform_constructs.aws.managed_addons import EksManagedAddons

    with pytest.raises(ValueError, match="configuration names add-ons the kit does not install: calico"):
        EksManagedAddons(TerraformStack(App(), "s"), "addons", cluster_name="c", kubernetes_version="1.33",
                         names=("vpc-cni",), configuration={"calico": {"x": "y"}})
