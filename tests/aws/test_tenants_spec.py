"""AWS's rules on ``tenants``: admins/developers are IAM role ARNs of the region's partition, never a
cluster admin too, only with access entries (not CONFIG_MAP), and only where the managed vpc-cni
enforces NetworkPolicies."""

import pytest

import main
from platform_constructs.spec import SpecError
from tests.helpers import AWS_ADMIN, make_spec

QUOTA = {"cpu": "4", "memory": "8Gi", "pods": 20}


def tenant(name="team-a", **fields):
    return {"name": name, "quota": QUOTA, **fields}


@pytest.mark.parametrize("arn", [
    "arn:aws:iam::111122223333:role/team-a-admins",
    "arn:aws:iam::111122223333:role/teams/platform/team-a+dev@corp",  # a path, and every name character IAM allows
    "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_TeamA_0123456789abcdef",
])
def test_iam_role_arns_are_tenant_groups(arn):
    spec = make_spec(tenants=[tenant(admins=[arn]), tenant("team-b", developers=[arn])])
    assert spec.tenants[0].admins == [arn] and spec.tenant_group_problem(arn) is None


@pytest.mark.parametrize("group", [
    "team-a@example.com",                                  # a Google group
    "11111111-1111-1111-1111-111111111111",                # an Entra ID object id
    "arn:aws:iam::111122223333:user/alice",                # a user, not a role
    "arn:aws:iam::111122223333:group/team-a",              # IAM groups cannot sign in to EKS
    "arn:aws:sts::111122223333:assumed-role/team-a/alice",  # a session, not the role
    "arn:aws:iam::11112222333:role/team-a",                # 11 digits
    "arn:aws:iam::111122223333:role/",                      # no name
    "arn:aws:iam::111122223333:role/" + "x" * 65,          # name longer than IAM allows
])
def test_other_group_ids_are_refused_with_the_path_and_an_example(group):
    with pytest.raises(SpecError) as refused:
        make_spec(tenants=[tenant(developers=[AWS_ADMIN.replace("platform-admins", "devs"), group])])
    assert refused.value.path == "tenants.0.developers.1"
    assert "is not an IAM role ARN like arn:aws:iam::123456789012:role/team-a-admins" in refused.value.message


def test_a_role_of_another_partition_is_refused():
    with pytest.raises(SpecError) as refused:
        make_spec(tenants=[tenant(admins=["arn:aws-cn:iam::111122223333:role/team-a"])])
    assert refused.value.path == "tenants.0.admins.0"
    assert "partition aws-cn, but region us-east-1 is in aws" in refused.value.message
    gov = make_spec(region="us-gov-west-1", zones=["us-gov-west-1a", "us-gov-west-1b"],
                    cluster={"admin_principals": ["arn:aws-us-gov:iam::111122223333:role/admins"]},
                    tenants=[tenant(admins=["arn:aws-us-gov:iam::111122223333:role/team-a"])])
    assert gov.tenants[0].admins == ["arn:aws-us-gov:iam::111122223333:role/team-a"]


@pytest.mark.parametrize("role", ["admins", "developers"])
def test_a_cluster_admin_cannot_also_be_a_tenant_group(role):
    with pytest.raises(SpecError) as refused:
        make_spec(tenants=[tenant(), tenant("team-b", **{role: ["arn:aws:iam::111122223333:role/x", AWS_ADMIN]})])
    assert refused.value.path == f"tenants.1.{role}.1"
    assert "is in cluster.admin_principals" in refused.value.message and "remove it here" in refused.value.message


def test_the_duplicate_is_one_line_naming_file_and_field(tmp_path, capsys):
    bad = tmp_path / "dup.yaml"
    bad.write_text(
        "name: dup\ncloud: aws\nregion: us-east-1\nzones: [us-east-1a, us-east-1b]\nnetwork: {cidr: 10.0.0.0/16}\n"
        "cluster:\n  name: dup\n  kubernetes_version: '1.33'\n"
        f"  admin_principals: ['{AWS_ADMIN}']\n"
        "  node_pools: [{name: g, instance_types: [m6i.large], min_size: 2, max_size: 4}]\n"
        f"tenants:\n  - name: team-a\n    quota: {{cpu: '4', memory: 8Gi, pods: 20}}\n    admins: ['{AWS_ADMIN}']\n")
    assert main.main(["--env-file", str(bad), "--outdir", str(tmp_path / "out")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bad}: tenants.0.admins.0: '{AWS_ADMIN}' is in cluster.admin_principals")


def test_tenant_groups_need_access_entries_not_config_map():
    cm = {"authentication_mode": "CONFIG_MAP", "admin_principals": []}
    with pytest.raises(SpecError) as refused:
        make_spec(cluster=cm, tenants=[tenant(developers=["arn:aws:iam::111122223333:role/devs"])])
    assert refused.value.path == "tenants.0.developers"
    assert "authentication_mode CONFIG_MAP" in refused.value.message
    # a tenant without groups needs no access entry: fine in CONFIG_MAP mode
    assert make_spec(cluster=cm, tenants=[tenant()]).tenants[0].admins == []


def test_tenants_need_the_managed_vpc_cni_to_enforce_network_policies():
    no_addons = {"managed_addons": False, "workload_identity": "irsa"}
    with pytest.raises(SpecError) as refused:
        make_spec(aws=no_addons, tenants=[tenant()])
    assert refused.value.path == "tenants"
    assert "network policy agent" in refused.value.message and "set it to true" in refused.value.message
    assert make_spec(aws=no_addons).tenants == []  # no tenants, nothing to enforce
    # an emulator runs no pods: its file may list tenants with self-managed networking
    emulator = make_spec(aws={**no_addons, "endpoint": "http://127.0.0.1:5000"}, tenants=[tenant()])
    assert [t.name for t in emulator.tenants] == ["team-a"]
