"""NamespaceAccess and cluster_user_access: Entra ID groups bound to one namespace through Azure RBAC."""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformStack, TerraformVariable
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures

from platform_constructs.azure.tenant_access import NamespaceAccess, cluster_user_access, namespace_scope
from tests.helpers import resources

ADMIN = "22222222-2222-2222-2222-222222222222"
DEV_1 = "33333333-3333-3333-3333-333333333333"
DEV_2 = "44444444-4444-4444-4444-444444444444"


def synth_probe(outdir: str, build) -> dict:
    app = App(outdir=outdir)
    stack = TerraformStack(app, "probe")
    AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()])
    cluster_id = TerraformVariable(stack, "cluster_id", type="string").string_value
    build(stack, cluster_id)
    app.synth()
    return json.loads(Path(outdir, "stacks", "probe", "cdk.tf.json").read_text())


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    def build(stack, cluster_id):
        NamespaceAccess(stack, "team-a", cluster_id=cluster_id, namespace="team-a", admins=[ADMIN],
                        developers=[DEV_1, DEV_2])
        NamespaceAccess(stack, "team-b", cluster_id=cluster_id, namespace="team-b", admins=[DEV_1])
        cluster_user_access(stack, cluster_id=cluster_id, groups=[ADMIN, DEV_1, DEV_2, DEV_1])
    return synth_probe(str(tmp_path_factory.mktemp("tenant-access")), build)


def assignments(doc, role: str) -> list[dict]:
    return [a for a in resources(doc, "azurerm_role_assignment") if a["role_definition_name"] == role]


def test_admins_get_rbac_admin_and_developers_rbac_writer_on_their_namespace_only(doc):
    admins = assignments(doc, "Azure Kubernetes Service RBAC Admin")
    writers = assignments(doc, "Azure Kubernetes Service RBAC Writer")
    assert sorted((a["principal_id"], a["scope"]) for a in admins) == [
        (ADMIN, "${var.cluster_id}/namespaces/team-a"), (DEV_1, "${var.cluster_id}/namespaces/team-b")]
    assert sorted((a["principal_id"], a["scope"]) for a in writers) == [
        (DEV_1, "${var.cluster_id}/namespaces/team-a"), (DEV_2, "${var.cluster_id}/namespaces/team-a")]
    assert all(a["principal_type"] == "Group" for a in admins + writers)


def test_no_namespace_role_reaches_the_whole_cluster(doc):
    for role in ("Azure Kubernetes Service RBAC Admin", "Azure Kubernetes Service RBAC Writer"):
        assert all("/namespaces/" in a["scope"] for a in assignments(doc, role)), role
    assert not [a for a in resources(doc, "azurerm_role_assignment")
                if a["role_definition_name"] in ("Azure Kubernetes Service RBAC Cluster Admin",
                                                 "Azure Kubernetes Service Cluster Admin Role")]


def test_cluster_user_role_once_per_distinct_group_on_the_cluster(doc):
    users = assignments(doc, "Azure Kubernetes Service Cluster User Role")
    assert sorted(a["principal_id"] for a in users) == sorted([ADMIN, DEV_1, DEV_2])
    assert {a["scope"] for a in users} == {"${var.cluster_id}"}
    assert all(a["principal_type"] == "Group" for a in users)


def test_construct_ids_carry_the_group_so_removing_one_touches_only_its_own(doc):
    ids = sorted(doc["resource"]["azurerm_role_assignment"])
    assert any(f"team-a_developer-{DEV_2}" in i for i in ids)
    assert any(f"cluster-user-{DEV_1}" in i for i in ids)


def test_namespace_scope():
    assert namespace_scope("/subscriptions/s/rg/aks/c", "team-a") == "/subscriptions/s/rg/aks/c/namespaces/team-a"


@pytest.mark.parametrize("admins, developers, words", [
    (["team-a-admins"], [], "'team-a-admins' is not an Entra ID group object id"),
    ([ADMIN.replace("2", "A")], [], "lowercase GUID"),
    ([ADMIN, ADMIN], [], "name a group twice"),
    ([ADMIN], [ADMIN], "both admin and developer"),
])
def test_bad_groups_are_refused_naming_the_value(admins, developers, words):
    stack = TerraformStack(App(), "bad")
    with pytest.raises(ValueError, match=words):
        NamespaceAccess(stack, "access", cluster_id="c", namespace="team-a", admins=admins, developers=developers)
