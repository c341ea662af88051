"""Cloud logging for cluster logs on Azure: AKS Container Insights into the cluster's Log Analytics workspace."""

import pytest

from tests.helpers import azure_spec, one, ref, synth


@pytest.fixture(scope="module")
def cluster():
    # The cluster layer alone carries it: the observability layer adds nothing for cluster logs.
    return synth(azure_spec(name="obslog", observability={"enabled": False}))["cluster"]


def test_container_insights_sends_to_the_clusters_workspace_with_managed_identity(cluster):
    aks = one(cluster, "azurerm_kubernetes_cluster")
    workspace = one(cluster, "azurerm_log_analytics_workspace")
    assert aks["oms_agent"] == {
        "log_analytics_workspace_id": ref(cluster, "azurerm_log_analytics_workspace", workspace),
        "msi_auth_for_monitoring_enabled": True,
    }


def test_the_workspace_takes_no_shared_keys_and_keeps_logs_for_the_files_retention(cluster):
    workspace = one(cluster, "azurerm_log_analytics_workspace")
    assert workspace["local_authentication_enabled"] is False
    assert workspace["retention_in_days"] == azure_spec().cluster.log_retention_days
