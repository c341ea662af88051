"""Both shipped Azure environments synthesize and keep the platform's invariants."""

import json

import pytest

from platform_constructs.spec import load_environment
from tests.helpers import LAYERS, one, resources, ROOT, synth

AZURE_FILES = [ROOT / "environments" / f for f in ("azure-dev.yaml", "azure-prod.yaml")]


def test_both_azure_environments_ship():
    for path in AZURE_FILES:
        spec = load_environment(path)
        assert spec.cloud == "azure" and spec.name == path.stem


def test_prod_keeps_state_in_azure_storage_with_entra_id():
    spec = load_environment(ROOT / "environments" / "azure-prod.yaml")
    assert spec.backend.type == "azurerm"
    backend = synth(spec)["network"]["terraform"]["backend"]["azurerm"]
    assert backend["use_azuread_auth"] is True and backend["key"] == "platform/azure-prod-network.tfstate"


@pytest.mark.parametrize("path", AZURE_FILES, ids=lambda p: p.stem)
def test_azure_environment_synthesizes_with_platform_invariants(path):
    spec = load_environment(path)
    stacks = synth(spec)
    assert set(stacks) == set(LAYERS)
    network, cluster = stacks["network"], stacks["cluster"]
    assert "0.0.0.0/0" not in json.dumps(network) + json.dumps(cluster)

    # The internet reaches HTTPS on the Application Gateway's listeners, nothing else.
    for rule in resources(network, "azurerm_network_security_rule"):
        if rule["direction"] == "Inbound" and rule["access"] == "Allow" and rule["source_address_prefix"] in ("*", "Internet"):
            assert (rule["protocol"], rule["destination_port_range"]) == ("Tcp", "443")

    aks = one(cluster, "azurerm_kubernetes_cluster")
    assert tuple(int(p) for p in aks["kubernetes_version"].split(".")) >= (1, 33)
    assert aks["private_cluster_enabled"] is True
    assert aks["local_account_disabled"] is True
    assert aks["oidc_issuer_enabled"] is True and aks["workload_identity_enabled"] is True
    assert aks["azure_active_directory_role_based_access_control"]["azure_rbac_enabled"] is True
    assert aks["network_profile"]["network_policy"] == "cilium"
    assert aks["disk_encryption_set_id"] and aks["key_management_service"]["key_vault_network_access"] == "Private"
    pools = [aks["default_node_pool"], *resources(cluster, "azurerm_kubernetes_cluster_node_pool")]
    assert len(pools) == 1 + len(spec.cluster.node_pools)
    for pool in pools:
        assert pool["min_count"] >= 3 and pool["auto_scaling_enabled"] is True
        assert pool["zones"] == ["1", "2", "3"]
    (setting,) = [s for s in resources(cluster, "azurerm_monitor_diagnostic_setting")
                  if s["target_resource_id"].startswith("${azurerm_kubernetes_cluster.")]
    categories = {log["category"] for log in setting["enabled_log"]}
    assert {"kube-audit", "kube-audit-admin", "guard"} <= categories and len(categories) == 7
    assert aks["microsoft_defender"]["log_analytics_workspace_id"].startswith("${azurerm_log_analytics_workspace.")
    assert aks["kubelet_identity"]["user_assigned_identity_id"].startswith("${azurerm_user_assigned_identity.")
    assert one(cluster, "azurerm_key_vault")["purge_protection_enabled"] is True
