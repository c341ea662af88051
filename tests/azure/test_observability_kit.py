"""AzureKit.observability: the storage, then the neutral releases on it, in ``<env>-observability``."""

import json

import pytest

from platform_constructs.azure.kit import AzureKit, aks_zone_labels
from platform_constructs.azure.observability_account import storage_account_name
from tests.helpers import SUBSCRIPTION, azure_spec, one, resources, synth


@pytest.fixture(scope="module")
def stack():
    return synth(azure_spec(name="obskit", observability={"size": "medium"}))["observability"]


def test_kit_has_the_observability_layer():
    assert callable(getattr(AzureKit(), "observability", None))


def test_storage_and_releases_in_one_stack(stack):
    account = one(stack, "azurerm_storage_account")
    assert account["name"] == storage_account_name("obskit", SUBSCRIPTION)
    assert stack["output"]["observability_storage_account"]["value"] == account["name"]
    assert {r["name"] for r in resources(stack, "helm_release")} >= {"mimir", "loki", "tempo"}


def test_backends_wait_for_identities_grants_and_the_private_endpoint(stack):
    backends = [r for r in resources(stack, "helm_release") if r["name"] in ("mimir", "loki", "tempo")]
    for release in backends:
        kinds = {d.split(".")[0] for d in release["depends_on"]}
        assert {"azurerm_private_endpoint", "azurerm_role_assignment",
                "azurerm_federated_identity_credential"} <= kinds, release["name"]


def test_releases_get_the_aks_zone_labels_not_bare_zone_numbers(stack):
    spec = azure_spec()
    assert aks_zone_labels(spec) == ["westeurope-1", "westeurope-2", "westeurope-3"]
    text = json.dumps(resources(stack, "helm_release"))
    assert "westeurope-1" in text


def test_no_storage_keys_anywhere_in_the_stack(stack):
    text = json.dumps(stack).lower()
    for word in ("accountkey", "account_key", "connectionstring", "connection_string", "client_secret"):
        assert word not in text, word


def test_one_blob_dns_zone_per_resource_group_the_data_layers():
    from tests.helpers import azure_spec, resources, synth
    stacks = synth(azure_spec())
    zones = {layer: [z["name"] for z in resources(doc, "azurerm_private_dns_zone")] for layer, doc in stacks.items()}
    assert zones["data"].count("privatelink.blob.core.windows.net") == 1
    assert "privatelink.blob.core.windows.net" not in zones["observability"]
    endpoint = next(e for e in resources(stacks["observability"], "azurerm_private_endpoint")
                    if e["private_service_connection"]["subresource_names"] == ["blob"])
    assert "terraform_remote_state" in endpoint["private_dns_zone_group"]["private_dns_zone_ids"][0]
    # Without data buckets the observability account brings its own zone.
    alone = synth(azure_spec(data={"buckets": []}))
    assert [z["name"] for z in resources(alone["observability"], "azurerm_private_dns_zone")] == [
        "privatelink.blob.core.windows.net"]
