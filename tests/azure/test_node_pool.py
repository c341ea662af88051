"""AksNodePool: one VM size, zones, autoscaling, spot, OS disk, surge, labels and taints."""

import pytest

from platform_constructs.azure.node_pool import SPOT_TAINT
from tests.helpers import azure_spec
from tests.helpers import resources, synth

POOLS = [
    {"name": "general", "instance_types": ["Standard_D8ds_v5"], "min_size": 3, "max_size": 9, "disk_size_gb": 80,
     "max_unavailable": 2, "labels": {"tier": "general"}},
    {"name": "spot", "instance_types": ["Standard_D4ds_v5"], "capacity": "spot", "min_size": 4, "max_size": 12,
     "desired_size": 5, "taints": [{"key": "capacity", "value": "spot", "effect": "PreferNoSchedule"}]},
]


@pytest.fixture(scope="module")
def pools():
    stack = synth(azure_spec(name="pools", cluster={"node_pools": POOLS}))["cluster"]
    return {p["name"]: p for p in resources(stack, "azurerm_kubernetes_cluster_node_pool")}


def test_user_pools_span_zones_in_the_user_subnet(pools):
    for pool in pools.values():
        assert pool["mode"] == "User" and pool["zones"] == ["1", "2", "3"]
        assert "user-nodes" in pool["vnet_subnet_id"] and pool["orchestrator_version"] == "1.33"


def test_autoscaling_bounds_and_initial_size(pools):
    assert (pools["general"]["min_count"], pools["general"]["max_count"], pools["general"]["node_count"]) == (3, 9, 3)
    assert (pools["spot"]["min_count"], pools["spot"]["max_count"], pools["spot"]["node_count"]) == (4, 12, 5)
    for pool in pools.values():
        assert pool["auto_scaling_enabled"] is True and pool["lifecycle"]["ignore_changes"] == ["node_count"]


def test_vm_size_os_disk_and_host_encryption(pools):
    general = pools["general"]
    assert general["vm_size"] == "Standard_D8ds_v5" and general["os_disk_size_gb"] == 80
    assert general["os_disk_type"] == "Managed" and general["host_encryption_enabled"] is True


def test_on_demand_pool_surges_max_unavailable(pools):
    general = pools["general"]
    assert general["priority"] == "Regular" and general["upgrade_settings"] == {"max_surge": "2"}
    assert "eviction_policy" not in general and "spot_max_price" not in general


def test_spot_pool_is_evicted_by_delete_at_on_demand_price_without_surge(pools):
    spot = pools["spot"]
    assert (spot["priority"], spot["eviction_policy"], spot["spot_max_price"]) == ("Spot", "Delete", -1)
    assert "upgrade_settings" not in spot


def test_labels_and_taints(pools):
    assert pools["general"]["node_labels"] == {"tier": "general"} and "node_taints" not in pools["general"]
    assert pools["spot"]["node_taints"] == ["capacity=spot:PreferNoSchedule", SPOT_TAINT]


def test_host_encryption_can_be_turned_off():
    stack = synth(azure_spec(name="nohost", azure={"enable_host_encryption": False}))["cluster"]
    assert all(p["host_encryption_enabled"] is False for p in resources(stack, "azurerm_kubernetes_cluster_node_pool"))
