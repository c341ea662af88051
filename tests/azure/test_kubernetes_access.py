"""AksClusterAccess: the addons stack's kubernetes and helm providers reach AKS by its literal name, through kubelogin."""

import json

import pytest

from platform_constructs.azure.kubernetes_access import AKS_SERVER_ID
from tests.helpers import azure_spec, synth


@pytest.fixture(scope="module")
def addons():
    return synth(azure_spec())["addons"]


def _only(stack, kind):
    (logical_id, body), = stack["data"][kind].items()
    return logical_id, body


def test_cluster_read_by_its_literal_name_and_resource_group(addons):
    _, cluster = _only(addons, "azurerm_kubernetes_cluster")
    assert (cluster["name"], cluster["resource_group_name"]) == ("tc", "t-rg")


def test_both_providers_use_the_data_source_and_kubelogin(addons):
    cluster_id, _ = _only(addons, "azurerm_kubernetes_cluster")
    config_id, _ = _only(addons, "azurerm_client_config")
    kube_config = f"data.azurerm_kubernetes_cluster.{cluster_id}.kube_config[0]"
    plugin = {
        "api_version": "client.authentication.k8s.io/v1beta1",
        "command": "kubelogin",
        "args": ["get-token", "--login", "azurecli", "--server-id", AKS_SERVER_ID,
                 "--tenant-id", f"${{data.azurerm_client_config.{config_id}.tenant_id}}"],
    }
    endpoint = {
        "host": f"${{{kube_config}.host}}",
        "cluster_ca_certificate": f"${{base64decode({kube_config}.cluster_ca_certificate)}}",
    }
    (kubernetes,) = addons["provider"]["kubernetes"]
    (helm,) = addons["provider"]["helm"]
    assert kubernetes == {**endpoint, "exec": [plugin]}
    assert helm == {"kubernetes": {**endpoint, "exec": plugin}}
    assert AKS_SERVER_ID == "6dae42f8-4368-4678-94ff-3960e28e3630"


def test_login_mode_is_left_to_the_runners_environment(addons):
    # kubelogin reads AAD_LOGIN_METHOD after its flags: nothing in the provider block may pin it.
    blocks = json.dumps({k: addons["provider"][k] for k in ("kubernetes", "helm")})
    assert "AAD_LOGIN_METHOD" not in blocks and '"env"' not in blocks


def test_no_cross_stack_value_kubeconfig_admin_credentials_or_token_in_a_provider_block(addons):
    blocks = json.dumps({k: addons["provider"][k] for k in ("kubernetes", "helm")})
    assert "terraform_remote_state" not in blocks
    for word in ("config_path", "config_context", "kube_admin_config", "client_key", "client_certificate",
                 "password", "\"token\":", "client_secret"):
        assert word not in blocks, word


def test_the_cluster_follows_the_file():
    spec = azure_spec(name="other", cluster={"name": "platform"}, azure={"resource_group_name": "shared-rg"})
    _, cluster = _only(synth(spec)["addons"], "azurerm_kubernetes_cluster")
    assert (cluster["name"], cluster["resource_group_name"]) == ("platform", "shared-rg")


def test_only_the_addons_stack_talks_to_the_cluster():
    stacks = synth(azure_spec())
    for layer in ("network", "cluster", "data"):
        assert set(stacks[layer]["provider"]) == {"azurerm"}, layer
        assert "azurerm_kubernetes_cluster" not in stacks[layer].get("data", {}), layer
