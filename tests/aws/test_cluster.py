"""AwsCluster: private endpoint, all log types, encrypted secrets, bootstrap flags, upgrade policy,
zonal shift, OIDC provider, outputs."""

import json

import pytest

from tests.helpers import AWS_ADMIN, make_spec, one, ref, resources, synth


@pytest.fixture(scope="module")
def cluster():
    return synth(make_spec())["cluster"]


def test_private_endpoint_only_by_default(cluster):
    vpc = one(cluster, "aws_eks_cluster")["vpc_config"]
    assert vpc["endpoint_private_access"] is True and vpc["endpoint_public_access"] is False
    assert "public_access_cidrs" not in vpc


def test_public_endpoint_only_from_the_listed_ranges():
    stack = synth(make_spec(name="pub", cluster={"endpoint": "public_and_private", "public_access_cidrs": ["203.0.113.0/24"]}))["cluster"]
    vpc = one(stack, "aws_eks_cluster")["vpc_config"]
    assert vpc["endpoint_public_access"] is True and vpc["public_access_cidrs"] == ["203.0.113.0/24"]


def test_all_five_control_plane_log_types_into_a_log_group_made_first(cluster):
    eks = one(cluster, "aws_eks_cluster")
    assert eks["enabled_cluster_log_types"] == ["api", "audit", "authenticator", "controllerManager", "scheduler"]
    group = one(cluster, "aws_cloudwatch_log_group")
    assert group["name"] == "/aws/eks/tc/cluster" and group["retention_in_days"] == 30
    assert ref(cluster, "aws_cloudwatch_log_group", group, "id").strip("${}").rsplit(".", 1)[0] in eks["depends_on"]


def test_secrets_are_encrypted_with_the_stack_key(cluster):
    eks = one(cluster, "aws_eks_cluster")
    key_arn = ref(cluster, "aws_kms_key", one(cluster, "aws_kms_key"), "arn")
    assert eks["encryption_config"] == {"provider": {"key_arn": key_arn}, "resources": ["secrets"]}
    kms_policy = [p for p in resources(cluster, "aws_iam_role_policy") if p["name"] == "encrypt-secrets"][0]
    assert json.loads(kms_policy["policy"])["Statement"][0]["Resource"] == key_arn


def test_version_and_authentication_mode_come_from_the_file(cluster):
    eks = one(cluster, "aws_eks_cluster")
    assert eks["version"] == "1.33"
    assert eks["access_config"]["authentication_mode"] == "API_AND_CONFIG_MAP"


@pytest.mark.parametrize("mode", ["API", "API_AND_CONFIG_MAP"])
def test_the_creator_gets_no_hidden_admin_only_the_listed_principals_do(mode):
    stack = synth(make_spec(name=f"mode-{mode.lower().replace('_', '-')}", cluster={"authentication_mode": mode}))["cluster"]
    assert one(stack, "aws_eks_cluster")["access_config"] == {
        "authentication_mode": mode, "bootstrap_cluster_creator_admin_permissions": False,
    }
    assert [e["principal_arn"] for e in resources(stack, "aws_eks_access_entry")] == [AWS_ADMIN]


def test_config_map_mode_emits_no_access_config():
    # EKS refuses bootstrap_cluster_creator_admin_permissions = false in CONFIG_MAP mode
    stack = synth(make_spec(name="cm", cluster={"authentication_mode": "CONFIG_MAP"}))["cluster"]
    assert "access_config" not in one(stack, "aws_eks_cluster")


@pytest.mark.parametrize("managed_addons, bootstrap", [
    (True, False),   # the managed add-ons own networking from the start
    (False, True),   # EKS's self-managed vpc-cni, kube-proxy, coredns are the only ones
])
def test_self_managed_addons_are_bootstrapped_only_without_managed_addons(managed_addons, bootstrap):
    stack = synth(make_spec(name=f"boot{int(managed_addons)}", aws={"managed_addons": managed_addons, "workload_identity": "irsa"}))["cluster"]
    assert one(stack, "aws_eks_cluster")["bootstrap_self_managed_addons"] is bootstrap


def test_create_only_flags_never_replace_a_running_cluster(cluster):
    assert one(cluster, "aws_eks_cluster")["lifecycle"] == {"ignore_changes": [
        "bootstrap_self_managed_addons", "access_config[0].bootstrap_cluster_creator_admin_permissions",
    ]}


def test_standard_support_by_default_and_extended_from_the_file(cluster):
    assert one(cluster, "aws_eks_cluster")["upgrade_policy"] == {"support_type": "STANDARD"}
    extended = synth(make_spec(name="ext", aws={"support_type": "EXTENDED"}))["cluster"]
    assert one(extended, "aws_eks_cluster")["upgrade_policy"] == {"support_type": "EXTENDED"}


def test_zonal_shift_is_on(cluster):
    assert one(cluster, "aws_eks_cluster")["zonal_shift_config"] == {"enabled": True}


def test_cluster_runs_in_the_network_stacks_private_subnets(cluster):
    subnet_ids = one(cluster, "aws_eks_cluster")["vpc_config"]["subnet_ids"]
    assert len(subnet_ids) == 3
    assert all("terraform_remote_state.cross-stack-reference-input-t-network" in s and "private" in s for s in subnet_ids)


def test_oidc_provider_trusts_the_cluster_issuer_for_sts(cluster):
    oidc = one(cluster, "aws_iam_openid_connect_provider")
    eks_id = [k for k in cluster["resource"]["aws_eks_cluster"]][0]
    assert oidc["url"] == f"${{aws_eks_cluster.{eks_id}.identity[0].oidc[0].issuer}}"
    assert oidc["client_id_list"] == ["sts.amazonaws.com"]


def test_outputs_follow_the_cluster_contract(cluster):
    assert set(cluster["output"]) >= {
        "cluster_name", "cluster_endpoint", "cluster_certificate_authority_data", "cluster_oidc_issuer_url",
        "oidc_provider_arn", "node_security_group_id",
    }
    assert "cluster_security_group_id" in cluster["output"]["node_security_group_id"]["value"]
