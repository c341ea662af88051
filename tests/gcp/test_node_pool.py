"""GkeNodePool: one machine type, autoscaling across zones, spot, disks, surge upgrades, labels, taints, hardening."""

import pytest

from tests.helpers import gcp_spec
from tests.helpers import one, ref, resources, synth

POOLS = [
    {"name": "general", "instance_types": ["e2-standard-4"], "min_size": 3, "max_size": 9, "disk_size_gb": 80, "max_unavailable": 2},
    {"name": "spot", "instance_types": ["n2d-standard-4"], "capacity": "spot", "min_size": 4, "max_size": 12,
     "desired_size": 5, "labels": {"capacity": "spot"},
     "taints": [{"key": "capacity", "value": "spot", "effect": "NoSchedule"}, {"key": "a", "effect": "PreferNoSchedule"},
                {"key": "b", "value": "x", "effect": "NoExecute"}]},
]


@pytest.fixture(scope="module")
def cluster():
    return synth(gcp_spec(name="pools", cluster={"node_pools": POOLS}, gcp={"node_disk_type": "pd-ssd"}))["cluster"]


@pytest.fixture(scope="module")
def pools(cluster):
    return {p["name"]: p for p in resources(cluster, "google_container_node_pool")}


def test_one_pool_per_entry_on_the_cluster_in_every_zone(cluster, pools):
    gke = ref(cluster, "google_container_cluster", one(cluster, "google_container_cluster"))
    assert set(pools) == {"general", "spot"}
    for pool in pools.values():
        assert pool["cluster"] == gke and pool["location"] == "us-central1"
        assert pool["node_locations"] == ["us-central1-a", "us-central1-b", "us-central1-c"]


def test_autoscaling_on_total_size_balanced_across_zones(pools):
    assert pools["general"]["autoscaling"] == {"total_min_node_count": 3, "total_max_node_count": 9, "location_policy": "BALANCED"}
    assert pools["spot"]["autoscaling"]["total_min_node_count"] == 4


def test_initial_size_is_spread_per_zone_and_then_left_to_the_autoscaler(pools):
    assert pools["general"]["initial_node_count"] == 1  # 3 nodes over 3 zones
    assert pools["spot"]["initial_node_count"] == 2  # desired 5 over 3 zones, rounded up
    for pool in pools.values():
        assert pool["lifecycle"] == {"ignore_changes": ["initial_node_count", "node_count"]}
        assert "node_count" not in pool


def test_machine_type_capacity_and_disk(pools):
    general, spot = pools["general"]["node_config"], pools["spot"]["node_config"]
    assert (general["machine_type"], general["spot"], general["disk_size_gb"], general["disk_type"]) == ("e2-standard-4", False, 80, "pd-ssd")
    assert (spot["machine_type"], spot["spot"], spot["disk_size_gb"]) == ("n2d-standard-4", True, 100)


def test_surge_upgrades_never_drop_capacity(pools):
    assert pools["general"]["upgrade_settings"] == {"strategy": "SURGE", "max_surge": 2, "max_unavailable": 0}
    assert pools["general"]["management"] == {"auto_repair": True, "auto_upgrade": True}


def test_labels_and_taints_in_gke_spelling(pools):
    spot = pools["spot"]["node_config"]
    assert spot["labels"] == {"capacity": "spot"}
    assert spot["taint"] == [
        {"key": "capacity", "value": "spot", "effect": "NO_SCHEDULE"},
        {"key": "a", "value": "", "effect": "PREFER_NO_SCHEDULE"},
        {"key": "b", "value": "x", "effect": "NO_EXECUTE"},
    ]
    assert "labels" not in pools["general"]["node_config"] and "taint" not in pools["general"]["node_config"]


def test_node_hardening(cluster, pools):
    email = ref(cluster, "google_service_account", one(cluster, "google_service_account"), "email")
    for pool in pools.values():
        node = pool["node_config"]
        assert node["service_account"] == email
        assert node["oauth_scopes"] == ["https://www.googleapis.com/auth/cloud-platform"]
        assert node["workload_metadata_config"] == {"mode": "GKE_METADATA"}
        assert node["shielded_instance_config"] == {"enable_integrity_monitoring": True, "enable_secure_boot": True}
        assert node["metadata"] == {"disable-legacy-endpoints": "true"}
        assert node["image_type"] == "COS_CONTAINERD"
        assert node["tags"] == ["pools-gke-node"]
        assert node["resource_labels"]["environment"] == "pools"
