"""AzureCluster: private AKS, identity and its grants, Entra ID RBAC, overlay + Cilium, system pool, outputs."""

import pytest

from tests.helpers import ADMIN_GROUP, SUBSCRIPTION, azure_spec
from tests.helpers import one, ref, resources, synth


RESOURCE_GROUP = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/t-rg"


@pytest.fixture(scope="module")
def cluster():
    return synth(azure_spec())["cluster"]


@pytest.fixture(scope="module")
def aks(cluster):
    return one(cluster, "azurerm_kubernetes_cluster")


def test_version_tier_and_private_cluster_with_vnet_integration(aks):
    assert aks["kubernetes_version"] == "1.33" and aks["sku_tier"] == "Standard"
    assert aks["private_cluster_enabled"] is True
    profile = aks["api_server_access_profile"]
    assert profile["virtual_network_integration_enabled"] is True and "api-server" in profile["subnet_id"]
    assert "authorized_ip_ranges" not in profile


def test_public_endpoint_only_from_listed_ranges():
    spec = azure_spec(name="public", cluster={"endpoint": "public_and_private", "public_access_cidrs": ["203.0.113.0/24"]})
    aks = one(synth(spec)["cluster"], "azurerm_kubernetes_cluster")
    assert aks["private_cluster_enabled"] is False
    assert aks["api_server_access_profile"]["authorized_ip_ranges"] == ["203.0.113.0/24"]


def identity_named(cluster, name):
    return next(i for i in resources(cluster, "azurerm_user_assigned_identity") if i["name"] == name)


def test_user_assigned_identity_with_network_contributor_before_the_cluster(cluster, aks):
    identity = identity_named(cluster, "tc-control-plane")
    assert aks["identity"] == {"type": "UserAssigned", "identity_ids": [ref(cluster, "azurerm_user_assigned_identity", identity)]}
    principal = ref(cluster, "azurerm_user_assigned_identity", identity, "principal_id")
    grants = [g for g in resources(cluster, "azurerm_role_assignment") if g["principal_id"] == principal]
    roles = {g["role_definition_name"] for g in grants}
    assert roles == {"Network Contributor", "Key Vault Crypto User", "Key Vault Contributor", "Reader",
                     "Managed Identity Operator"}
    network = [g["scope"] for g in grants if g["role_definition_name"] == "Network Contributor"]
    # The VNet (nodes, load balancers) and, for the Azure Files driver's private endpoints, the resource group.
    assert len(network) == 2 and any("virtual_network" in scope for scope in network)
    assert RESOURCE_GROUP in network
    for grant in grants:
        assert ref(cluster, "azurerm_role_assignment", grant).strip("${}").removesuffix(".id") in aks["depends_on"]


def test_workload_identity_entra_rbac_and_no_local_accounts(aks):
    assert aks["oidc_issuer_enabled"] is True and aks["workload_identity_enabled"] is True
    assert aks["local_account_disabled"] is True and aks["role_based_access_control_enabled"] is True
    assert aks["azure_active_directory_role_based_access_control"] == {
        "azure_rbac_enabled": True, "admin_group_object_ids": [ADMIN_GROUP]}


def test_cni_overlay_with_cilium_and_nat_egress(aks):
    assert aks["network_profile"] == {
        "network_plugin": "azure", "network_plugin_mode": "overlay", "network_data_plane": "cilium",
        "network_policy": "cilium", "pod_cidr": "10.244.0.0/16", "service_cidr": "172.16.0.0/16",
        "dns_service_ip": "172.16.0.10", "load_balancer_sku": "standard", "outbound_type": "userAssignedNATGateway",
    }


def test_system_pool_runs_critical_addons_across_zones(aks):
    pool = aks["default_node_pool"]
    assert pool["name"] == "system" and pool["only_critical_addons_enabled"] is True
    assert pool["vm_size"] == "Standard_D4ds_v5" and pool["zones"] == ["1", "2", "3"]
    assert (pool["auto_scaling_enabled"], pool["min_count"], pool["max_count"]) == (True, 3, 5)
    assert pool["host_encryption_enabled"] is True and "system-nodes" in pool["vnet_subnet_id"]
    assert aks["lifecycle"]["ignore_changes"] == ["default_node_pool[0].node_count"]


def test_secrets_provider_rotation_policy_and_upgrades(aks):
    assert aks["key_vault_secrets_provider"]["secret_rotation_enabled"] is True
    assert aks["azure_policy_enabled"] is True
    assert aks["automatic_upgrade_channel"] == "patch" and aks["node_os_upgrade_channel"] == "NodeImage"
    window = {"frequency": "Weekly", "interval": 1, "day_of_week": "Sunday", "start_time": "02:00",
              "utc_offset": "+00:00", "duration": 4}
    assert aks["maintenance_window_auto_upgrade"] == window and aks["maintenance_window_node_os"] == window


def test_upgrade_and_maintenance_settings_come_from_the_file():
    spec = azure_spec(name="upgrades", azure={"automatic_upgrade_channel": "none", "node_os_upgrade_channel": "SecurityPatch",
                                               "maintenance_day": "Wednesday", "maintenance_start_hour": 22,
                                               "maintenance_duration_hours": 6})
    aks = one(synth(spec)["cluster"], "azurerm_kubernetes_cluster")
    assert "automatic_upgrade_channel" not in aks and aks["node_os_upgrade_channel"] == "SecurityPatch"
    assert aks["maintenance_window_node_os"]["start_time"] == "22:00"
    assert aks["maintenance_window_auto_upgrade"]["day_of_week"] == "Wednesday"
    assert aks["maintenance_window_auto_upgrade"]["duration"] == 6


def test_kubelet_runs_as_its_own_identity_the_control_plane_may_assign(cluster, aks):
    kubelet = identity_named(cluster, "tc-kubelet")
    assert aks["kubelet_identity"] == {
        "client_id": ref(cluster, "azurerm_user_assigned_identity", kubelet, "client_id"),
        "object_id": ref(cluster, "azurerm_user_assigned_identity", kubelet, "principal_id"),
        "user_assigned_identity_id": ref(cluster, "azurerm_user_assigned_identity", kubelet),
    }
    # The Managed Identity Operator grant that lets the control plane assign it: tests/azure/test_kubelet_identity.py


def test_defender_for_containers_reports_into_the_cluster_workspace(cluster, aks):
    workspace = ref(cluster, "azurerm_log_analytics_workspace", one(cluster, "azurerm_log_analytics_workspace"))
    assert aks["microsoft_defender"] == {"log_analytics_workspace_id": workspace}


def test_defender_can_be_turned_off():
    aks = one(synth(azure_spec(name="nodefender", azure={"enable_defender": False}))["cluster"], "azurerm_kubernetes_cluster")
    assert "microsoft_defender" not in aks


def test_outputs_follow_the_cluster_contract(cluster, aks):
    outputs = cluster["output"]
    for name in ("cluster_name", "cluster_endpoint", "cluster_certificate_authority_data", "cluster_oidc_issuer_url",
                 "node_security_group_id", "cluster_id", "kubelet_identity_object_id", "log_analytics_workspace_id"):
        assert name in outputs, name
    assert outputs["cluster_certificate_authority_data"]["sensitive"] is True
    assert "kube_config" in outputs["cluster_certificate_authority_data"]["value"]
    assert outputs["cluster_endpoint"]["value"].startswith("https://${azurerm_kubernetes_cluster.")
    assert "private_fqdn" in outputs["cluster_endpoint"]["value"]
    assert "oidc_issuer_url" in outputs["cluster_oidc_issuer_url"]["value"]
    # The kubelet's ids come from its own identity, known before the cluster exists (the registry grants AcrPull to it).
    kubelet = identity_named(cluster, "tc-kubelet")
    assert outputs["kubelet_identity_object_id"]["value"] == ref(cluster, "azurerm_user_assigned_identity", kubelet, "principal_id")
    assert outputs["kubelet_identity_client_id"]["value"] == ref(cluster, "azurerm_user_assigned_identity", kubelet, "client_id")


def test_autoscaler_profile_defaults(aks):
    assert aks["auto_scaler_profile"] == {
        "expander": "least-waste", "balance_similar_node_groups": True, "scale_down_unneeded": "10m",
        "scale_down_utilization_threshold": "0.5", "skip_nodes_with_local_storage": False,
    }


def test_autoscaler_profile_comes_from_the_file():
    spec = azure_spec(name="scaler", addons={"autoscaler_profile": {
        "expander": "priority", "balance_similar_node_groups": False, "scale_down_unneeded": "30m",
        "scale_down_utilization_threshold": 0.65, "skip_nodes_with_local_storage": True}})
    aks = one(synth(spec)["cluster"], "azurerm_kubernetes_cluster")
    assert aks["auto_scaler_profile"] == {
        "expander": "priority", "balance_similar_node_groups": False, "scale_down_unneeded": "30m",
        "scale_down_utilization_threshold": "0.65", "skip_nodes_with_local_storage": True,
    }


def test_disk_and_file_csi_drivers_on_blob_off(aks):
    assert aks["storage_profile"] == {"disk_driver_enabled": True, "snapshot_controller_enabled": True,
                                      "file_driver_enabled": True, "blob_driver_enabled": False}


def test_storage_and_secrets_follow_the_addons_switches():
    spec = azure_spec(name="bare", addons={"block_storage": False, "file_storage": False, "secrets_store": False})
    cluster = synth(spec)["cluster"]
    aks = one(cluster, "azurerm_kubernetes_cluster")
    assert aks["storage_profile"] == {"disk_driver_enabled": False, "snapshot_controller_enabled": False,
                                      "file_driver_enabled": False, "blob_driver_enabled": False}
    assert "key_vault_secrets_provider" not in aks
    # No Azure Files private endpoints to create: the control plane keeps Network Contributor on the VNet only.
    principal = ref(cluster, "azurerm_user_assigned_identity", identity_named(cluster, "tc-control-plane"), "principal_id")
    network = [g["scope"] for g in resources(cluster, "azurerm_role_assignment")
               if g["role_definition_name"] == "Network Contributor" and g["principal_id"] == principal]
    assert len(network) == 1 and "virtual_network" in network[0]


def test_files_private_endpoint_grant_precedes_the_cluster(cluster, aks):
    (grant,) = [g for g in resources(cluster, "azurerm_role_assignment")
                if g["scope"] == RESOURCE_GROUP and g["role_definition_name"] == "Network Contributor"]
    identity = identity_named(cluster, "tc-control-plane")
    assert grant["principal_id"] == ref(cluster, "azurerm_user_assigned_identity", identity, "principal_id")
    assert ref(cluster, "azurerm_role_assignment", grant).strip("${}").removesuffix(".id") in aks["depends_on"]
