"""azurerm_provider: subscription from the file, features, Entra ID storage auth, pinned version."""

import pytest

from platform_constructs.kits import IN_CLUSTER_LAYERS
from tests.helpers import SUBSCRIPTION, azure_spec
from tests.helpers import synth


@pytest.fixture(scope="module")
def stacks():
    return synth(azure_spec())


def test_provider_uses_the_subscription_and_features(stacks):
    for stack in stacks.values():
        provider = stack["provider"]["azurerm"][0]
        assert provider["subscription_id"] == SUBSCRIPTION
        assert provider["storage_use_azuread"] is True
        features = provider["features"][0]
        assert features["key_vault"][0]["purge_soft_delete_on_destroy"] is False
        assert features["resource_group"][0]["prevent_deletion_if_contains_resources"] is True
        # Storage accounts through Resource Manager only: the observability account has no public network.
        assert features["storage"] == [{"data_plane_available": False}]


def test_only_the_azurerm_provider_pinned_to_4_55_0(stacks):
    pinned = {"azurerm": {"source": "azurerm", "version": "4.55.0"}}
    in_cluster = {"kubernetes": {"source": "kubernetes", "version": "2.38.0"}, "helm": {"source": "helm", "version": "3.1.1"}}
    for layer, stack in stacks.items():
        # The in-cluster stacks also write into the cluster (AksClusterAccess: tests/azure/test_kubernetes_access.py).
        expected = {**pinned, **in_cluster} if layer in IN_CLUSTER_LAYERS else pinned
        assert set(stack["provider"]) == set(expected), layer
        assert stack["terraform"]["required_providers"] == expected, layer


def test_azurerm_backend_uses_entra_id_auth():
    spec = azure_spec(name="remote", backend={"type": "azurerm", "resource_group_name": "tfstate",
                                               "storage_account_name": "tfstateacct"})
    backend = synth(spec)["cluster"]["terraform"]["backend"]["azurerm"]
    assert backend["use_azuread_auth"] is True and backend["key"] == "platform/remote-cluster.tfstate"
