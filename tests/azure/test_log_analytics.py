"""LogWorkspace: retention, no shared keys, control-plane logs and Container Insights."""

import pytest

from platform_constructs.azure.log_analytics import AKS_CONTROL_PLANE_LOGS
from tests.helpers import azure_spec
from tests.helpers import one, ref, resources, synth


@pytest.fixture(scope="module")
def cluster():
    return synth(azure_spec(cluster={"log_retention_days": 90}))["cluster"]


def test_workspace_retention_from_the_file(cluster):
    ws = one(cluster, "azurerm_log_analytics_workspace")
    assert ws["retention_in_days"] == 90 and ws["sku"] == "PerGB2018"
    assert ws["local_authentication_enabled"] is False


def test_diagnostic_setting_sends_the_control_plane_logs(cluster):
    aks = one(cluster, "azurerm_kubernetes_cluster")
    # The Application Gateway's logs have a setting of their own (tests/azure/test_app_gateway.py).
    (setting,) = [s for s in resources(cluster, "azurerm_monitor_diagnostic_setting")
                  if s["target_resource_id"] == ref(cluster, "azurerm_kubernetes_cluster", aks)]
    ws = ref(cluster, "azurerm_log_analytics_workspace", one(cluster, "azurerm_log_analytics_workspace"))
    assert setting["log_analytics_workspace_id"] == ws and setting["log_analytics_destination_type"] == "Dedicated"
    assert [log["category"] for log in setting["enabled_log"]] == list(AKS_CONTROL_PLANE_LOGS)
    assert set(AKS_CONTROL_PLANE_LOGS) == {"kube-apiserver", "kube-audit", "kube-audit-admin", "kube-controller-manager",
                                           "kube-scheduler", "cluster-autoscaler", "guard"}


def test_container_insights_uses_managed_identity(cluster):
    aks = one(cluster, "azurerm_kubernetes_cluster")
    ws = ref(cluster, "azurerm_log_analytics_workspace", one(cluster, "azurerm_log_analytics_workspace"))
    assert aks["oms_agent"] == {"log_analytics_workspace_id": ws, "msi_auth_for_monitoring_enabled": True}
