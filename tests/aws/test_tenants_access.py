"""TenantAccessEntries: one access entry per IAM principal across the tenants, its admin/edit access
policies scoped to exactly the namespaces it was given, ids that survive other tenants changing."""

import pytest

from platform_constructs.aws.tenant_access import namespace_grants, principal_key
from tests.helpers import make_spec, resources, synth

QUOTA = {"cpu": "4", "memory": "8Gi", "pods": 20}
ROLE = "arn:aws:iam::111122223333:role/"
A_ADMINS, SHARED, B_DEVS = f"{ROLE}team-a-admins", f"{ROLE}teams/shared-ops", f"{ROLE}team-b-devs"
TENANTS = [
    {"name": "team-a", "quota": QUOTA, "admins": [A_ADMINS, SHARED], "developers": []},
    {"name": "team-b", "quota": QUOTA, "admins": [SHARED], "developers": [B_DEVS]},
    {"name": "team-c", "quota": QUOTA, "developers": [A_ADMINS]},
    {"name": "team-d", "quota": QUOTA},
]
ADMIN = "AmazonEKSAdminPolicy"
EDIT = "AmazonEKSEditPolicy"


def tenants_stack(tenants):
    return synth(make_spec(tenants=tenants))["tenants"]


def scopes(stack) -> dict[tuple[str, str], list[str]]:
    """(principal, policy name) -> namespaces, read from the JSON (principals through their entries)."""
    entries = stack["resource"]["aws_eks_access_entry"]
    out = {}
    for assoc in resources(stack, "aws_eks_access_policy_association"):
        entry_id = assoc["principal_arn"].removeprefix("${aws_eks_access_entry.").removesuffix(".principal_arn}")
        principal = entries[entry_id]["principal_arn"]
        assert assoc["access_scope"]["type"] == "namespace"
        out[(principal, assoc["policy_arn"].rsplit("/", 1)[1])] = sorted(assoc["access_scope"]["namespaces"])
    return out


@pytest.fixture(scope="module")
def stack():
    return tenants_stack(TENANTS)


def test_one_standard_entry_per_principal_whatever_the_number_of_tenants(stack):
    entries = resources(stack, "aws_eks_access_entry")
    assert sorted(e["principal_arn"] for e in entries) == sorted({A_ADMINS, SHARED, B_DEVS})
    cluster_name = "${data.terraform_remote_state.cross-stack-reference-input-t-cluster.outputs."
    for entry in entries:
        assert entry["type"] == "STANDARD"
        assert entry["cluster_name"].startswith(cluster_name)  # the cluster stack's cluster, by reference
        # the access policies are the whole grant: no Kubernetes group or username to bind elsewhere
        assert "kubernetes_groups" not in entry and "user_name" not in entry


def test_admins_get_admin_and_developers_edit_in_their_namespaces_only(stack):
    assert scopes(stack) == {
        (A_ADMINS, ADMIN): ["team-a"],
        (A_ADMINS, EDIT): ["team-c"],
        (SHARED, ADMIN): ["team-a", "team-b"],
        (B_DEVS, EDIT): ["team-b"],
    }
    partition = "${data.aws_partition."
    for assoc in resources(stack, "aws_eks_access_policy_association"):
        assert assoc["policy_arn"].startswith(f"arn:{partition}")
        assert assoc["policy_arn"].split("}", 1)[1].startswith(":eks::aws:cluster-access-policy/")
        # created after (and through) the principal's entry
        assert assoc["principal_arn"].startswith("${aws_eks_access_entry.")
        assert assoc["cluster_name"] == next(iter({e["cluster_name"] for e in resources(stack, "aws_eks_access_entry")}))
    # nothing cluster-wide: the cluster admin's own entry lives in the cluster stack
    assert all(not a["policy_arn"].endswith("ClusterAdminPolicy") for a in resources(stack, "aws_eks_access_policy_association"))


def test_no_groups_no_entries():
    stack = tenants_stack([{"name": "team-a", "quota": QUOTA}])
    assert resources(stack, "aws_eks_access_entry") == []
    assert resources(stack, "aws_eks_access_policy_association") == []


def test_adding_a_tenant_and_a_principal_keeps_every_other_entrys_logical_id(stack):
    more = [{"name": "team-0", "quota": QUOTA, "admins": [f"{ROLE}team-0"], "developers": [B_DEVS]}, *TENANTS]
    grown = tenants_stack(more)
    before = stack["resource"]["aws_eks_access_entry"]
    after = grown["resource"]["aws_eks_access_entry"]
    assert set(before) < set(after)
    assert all(after[k] == body for k, body in before.items())
    # B_DEVS's edit association now spans team-0 too, under the same logical id
    ids = {k: a["access_scope"]["namespaces"] for k, a in grown["resource"]["aws_eks_access_policy_association"].items()}
    old = {k: a["access_scope"]["namespaces"] for k, a in stack["resource"]["aws_eks_access_policy_association"].items()}
    assert set(old) < set(ids)
    changed = {k for k in old if sorted(old[k]) != sorted(ids[k])}
    assert len(changed) == 1 and sorted(ids[changed.pop()]) == ["team-0", "team-b"]


def test_principal_keys_are_distinct_for_same_named_roles():
    keys = {principal_key(f"{ROLE}a/ops"), principal_key(f"{ROLE}b/ops"), principal_key("arn:aws:iam::999988887777:role/ops")}
    assert len(keys) == 3 and all(k.startswith("ops-") for k in keys)


def test_grants_collect_each_principal_once_in_file_order():
    spec = make_spec(tenants=TENANTS)
    grants = namespace_grants(spec.tenants)
    assert list(grants) == [A_ADMINS, SHARED, B_DEVS]
    assert grants[SHARED] == {ADMIN: ("team-a", "team-b")}
