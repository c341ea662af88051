"""KubeletIdentity: the nodes' own user-assigned identity, assignable by the control plane before the cluster exists."""

import pytest

from platform_constructs.azure.kubelet_identity import MANAGED_IDENTITY_OPERATOR
from tests.helpers import azure_spec
from tests.helpers import one, ref, resources, synth


@pytest.fixture(scope="module")
def cluster():
    return synth(azure_spec())["cluster"]


def identity_named(cluster, name):
    return next(i for i in resources(cluster, "azurerm_user_assigned_identity") if i["name"] == name)


def test_kubelet_identity_lives_beside_the_cluster(cluster):
    kubelet = identity_named(cluster, "tc-kubelet")
    control_plane = identity_named(cluster, "tc-control-plane")
    assert (kubelet["location"], kubelet["resource_group_name"]) == (control_plane["location"], control_plane["resource_group_name"])
    assert kubelet["tags"]["team"] == "platform"


def test_only_the_control_plane_may_assign_it_and_only_it(cluster):
    kubelet = identity_named(cluster, "tc-kubelet")
    grants = [g for g in resources(cluster, "azurerm_role_assignment")
              if g["scope"] == ref(cluster, "azurerm_user_assigned_identity", kubelet)]
    assert len(grants) == 1 and grants[0]["role_definition_name"] == MANAGED_IDENTITY_OPERATOR == "Managed Identity Operator"
    control_plane = identity_named(cluster, "tc-control-plane")
    assert grants[0]["principal_id"] == ref(cluster, "azurerm_user_assigned_identity", control_plane, "principal_id")


def test_the_cluster_waits_for_the_grant(cluster):
    aks = one(cluster, "azurerm_kubernetes_cluster")
    grant = next(g for g in resources(cluster, "azurerm_role_assignment") if g["role_definition_name"] == MANAGED_IDENTITY_OPERATOR)
    assert ref(cluster, "azurerm_role_assignment", grant).strip("${}").removesuffix(".id") in aks["depends_on"]


def test_the_grant_does_not_depend_on_customer_managed_keys():
    stack = synth(azure_spec(name="nocmk", azure={"enable_customer_managed_keys": False}, addons={"block_storage": False},
                             observability={"enabled": False}, data={"buckets": []}))["cluster"]
    aks = one(stack, "azurerm_kubernetes_cluster")
    assert aks["kubelet_identity"]["user_assigned_identity_id"] == ref(
        stack, "azurerm_user_assigned_identity", identity_named(stack, "tc-kubelet"))
    grant = next(g for g in resources(stack, "azurerm_role_assignment") if g["role_definition_name"] == MANAGED_IDENTITY_OPERATOR)
    assert ref(stack, "azurerm_role_assignment", grant).strip("${}").removesuffix(".id") in aks["depends_on"]
