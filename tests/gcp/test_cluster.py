"""GcpCluster: regional private GKE, authorized networks, Workload Identity, KMS, logging, add-ons, outputs."""

import pytest

from tests.helpers import gcp_spec
from tests.helpers import one, ref, synth

REMOTE = "data.terraform_remote_state.cross-stack-reference-input-t-network"


@pytest.fixture(scope="module")
def cluster():
    return synth(gcp_spec())["cluster"]


@pytest.fixture(scope="module")
def gke(cluster):
    return one(cluster, "google_container_cluster")


def test_regional_cluster_over_the_environment_zones(gke):
    assert gke["location"] == "us-central1"
    assert gke["node_locations"] == ["us-central1-a", "us-central1-b", "us-central1-c"]


def test_version_is_the_minimum_and_the_release_channel_upgrades(gke):
    assert gke["min_master_version"] == "1.33" and gke["release_channel"] == {"channel": "REGULAR"}


def test_private_nodes_and_private_endpoint_by_default(gke):
    assert gke["private_cluster_config"] == {
        "enable_private_nodes": True, "enable_private_endpoint": True, "master_ipv4_cidr_block": "172.16.0.0/28",
    }
    assert gke["master_authorized_networks_config"] == {
        "cidr_blocks": [{"cidr_block": "10.0.0.0/16", "display_name": "platform network"}],
        "gcp_public_cidrs_access_enabled": False,
        "private_endpoint_enforcement_enabled": True,
    }


def test_public_endpoint_only_from_the_listed_ranges():
    stack = synth(gcp_spec(name="pub", cluster={"endpoint": "public_and_private", "public_access_cidrs": ["203.0.113.0/24"]}))["cluster"]
    gke = one(stack, "google_container_cluster")
    assert gke["private_cluster_config"]["enable_private_endpoint"] is False
    assert gke["private_cluster_config"]["enable_private_nodes"] is True
    blocks = [b["cidr_block"] for b in gke["master_authorized_networks_config"]["cidr_blocks"]]
    assert blocks == ["10.0.0.0/16", "203.0.113.0/24"]


def test_vpc_native_on_the_network_stacks_subnet_and_ranges(gke):
    assert gke["network"].startswith(f"${{{REMOTE}.outputs.") and "self_link" in gke["network"]
    assert gke["subnetwork"].startswith(f"${{{REMOTE}.outputs.") and "nodes" in gke["subnetwork"]
    assert gke["networking_mode"] == "VPC_NATIVE"
    assert gke["ip_allocation_policy"] == {"cluster_secondary_range_name": "pods", "services_secondary_range_name": "services"}
    assert gke["default_max_pods_per_node"] == 110


def test_dataplane_v2_enforces_network_policy(gke):
    assert gke["datapath_provider"] == "ADVANCED_DATAPATH"
    assert gke["network_policy"] == {"enabled": False}  # Calico off: Dataplane V2 enforces policy


def test_workload_identity_pool(gke):
    assert gke["workload_identity_config"] == {"workload_pool": "proj-1.svc.id.goog"}


def test_secrets_encrypted_with_the_stack_key_after_the_agent_binding(cluster, gke):
    key = one(cluster, "google_kms_crypto_key")
    assert gke["database_encryption"] == {"state": "ENCRYPTED", "key_name": ref(cluster, "google_kms_crypto_key", key)}
    binding = ref(cluster, "google_kms_crypto_key_iam_member", one(cluster, "google_kms_crypto_key_iam_member"))
    assert binding.strip("${}").rsplit(".", 1)[0] in gke["depends_on"]


def test_logs_of_control_plane_and_workloads_and_no_managed_prometheus(gke):
    assert gke["logging_config"] == {"enable_components": ["SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "WORKLOADS"]}
    assert gke["monitoring_config"]["managed_prometheus"] == {"enabled": False}


def test_managed_prometheus_when_asked():
    stack = synth(gcp_spec(name="prom", gcp={"managed_prometheus": True}))["cluster"]
    assert one(stack, "google_container_cluster")["monitoring_config"]["managed_prometheus"] == {"enabled": True}


def test_hardening_switches(gke):
    assert gke["enable_shielded_nodes"] is True and gke["enable_legacy_abac"] is False
    assert gke["master_auth"] == {"client_certificate_config": {"issue_client_certificate": False}}
    assert gke["deletion_protection"] is True
    assert gke["binary_authorization"] == {"evaluation_mode": "PROJECT_SINGLETON_POLICY_ENFORCE"}


def test_csi_drivers_and_secret_manager_addon(gke):
    addons = gke["addons_config"]
    assert addons["gce_persistent_disk_csi_driver_config"] == {"enabled": True}
    assert addons["gcp_filestore_csi_driver_config"] == {"enabled": True}
    assert gke["secret_manager_config"] == {"enabled": True}


def test_gkes_own_load_balancer_controller_http_load_balancing_and_gateway_api(gke):
    assert gke["addons_config"]["http_load_balancing"] == {"disabled": False}
    assert gke["gateway_api_config"] == {"channel": "CHANNEL_STANDARD"}
    assert gke["addons_config"]["horizontal_pod_autoscaling"] == {"disabled": False}


def test_native_autoscaler_balanced_by_default_without_node_auto_provisioning(gke):
    assert gke["cluster_autoscaling"] == {"enabled": False, "autoscaling_profile": "BALANCED"}


def test_autoscaling_profile_follows_the_file():
    stack = synth(gcp_spec(name="packed", addons={"autoscaling_profile": "OPTIMIZE_UTILIZATION"}))["cluster"]
    assert one(stack, "google_container_cluster")["cluster_autoscaling"] == {
        "enabled": False, "autoscaling_profile": "OPTIMIZE_UTILIZATION",
    }


@pytest.mark.parametrize("flags, filestore, secret_manager", [
    ({"file_storage": False}, False, True),
    ({"secrets_store": False}, True, False),
    ({"file_storage": False, "secrets_store": False, "block_storage": False}, False, False),
])
def test_filestore_and_secret_manager_addons_follow_the_file(flags, filestore, secret_manager):
    name = "flags-" + "-".join(sorted(k.split("_")[0] for k in flags))
    gke = one(synth(gcp_spec(name=name, addons=flags))["cluster"], "google_container_cluster")
    assert gke["addons_config"]["gcp_filestore_csi_driver_config"] == {"enabled": filestore}
    assert gke["secret_manager_config"] == {"enabled": secret_manager}
    # GKE's own default class (standard-rwo) needs the PD driver, whatever block_storage says.
    assert gke["addons_config"]["gce_persistent_disk_csi_driver_config"] == {"enabled": True}


def test_default_pool_removed_and_its_short_life_hardened(cluster, gke):
    assert gke["remove_default_node_pool"] is True and gke["initial_node_count"] == 1
    node = gke["node_config"]
    assert node["service_account"] == ref(cluster, "google_service_account", one(cluster, "google_service_account"), "email")
    assert node["workload_metadata_config"] == {"mode": "GKE_METADATA"}
    assert node["shielded_instance_config"] == {"enable_integrity_monitoring": True, "enable_secure_boot": True}
    assert gke["lifecycle"] == {"ignore_changes": ["node_config"]}


def test_weekend_maintenance_window_by_default(gke):
    # Saturday and Sunday 03:00-11:00 UTC: the first occurrence on a fixed past date, then weekly.
    assert gke["maintenance_policy"] == {"recurring_window": {
        "start_time": "2025-01-11T03:00:00Z", "end_time": "2025-01-11T11:00:00Z", "recurrence": "FREQ=WEEKLY;BYDAY=SA,SU",
    }}


def test_maintenance_window_and_exclusions_from_the_file():
    spec = gcp_spec(name="maint", gcp={
        "maintenance_window": {"days": ["FR", "TU"], "start_time": "22:30", "duration_hours": 7},
        "maintenance_exclusions": [
            {"name": "black-friday", "start_time": "2026-11-26T00:00:00+01:00", "end_time": "2026-12-01T00:00:00Z",
             "scope": "NO_UPGRADES"},
            {"name": "hold-1.34", "start_time": "2026-10-01T00:00:00Z", "end_time": "2027-01-15T00:00:00Z",
             "scope": "NO_MINOR_OR_NODE_UPGRADES"},
        ],
    })
    policy = one(synth(spec)["cluster"], "google_container_cluster")["maintenance_policy"]
    # Tuesday comes first in the week; 22:30 + 7 hours ends the next morning.
    assert policy["recurring_window"] == {
        "start_time": "2025-01-07T22:30:00Z", "end_time": "2025-01-08T05:30:00Z", "recurrence": "FREQ=WEEKLY;BYDAY=TU,FR",
    }
    assert policy["maintenance_exclusion"] == [
        {"exclusion_name": "black-friday", "start_time": "2026-11-25T23:00:00Z", "end_time": "2026-12-01T00:00:00Z",
         "exclusion_options": {"scope": "NO_UPGRADES"}},
        {"exclusion_name": "hold-1.34", "start_time": "2026-10-01T00:00:00Z", "end_time": "2027-01-15T00:00:00Z",
         "exclusion_options": {"scope": "NO_MINOR_OR_NODE_UPGRADES"}},
    ]


def test_deletion_protection_can_be_turned_off():
    stack = synth(gcp_spec(name="unprotected", gcp={"deletion_protection": False}))["cluster"]
    assert one(stack, "google_container_cluster")["deletion_protection"] is False


def test_outputs_follow_the_cluster_contract(cluster, gke):
    out = cluster["output"]
    cid = list(cluster["resource"]["google_container_cluster"])[0]
    assert out["cluster_name"]["value"] == f"${{google_container_cluster.{cid}.name}}"
    assert out["cluster_endpoint"]["value"] == f"https://${{google_container_cluster.{cid}.endpoint}}"
    assert out["cluster_certificate_authority_data"]["value"] == f"${{google_container_cluster.{cid}.master_auth[0].cluster_ca_certificate}}"
    assert out["cluster_oidc_issuer_url"]["value"] == "https://container.googleapis.com/v1/projects/proj-1/locations/us-central1/clusters/tc"
    assert out["workload_identity_pool"]["value"] == "proj-1.svc.id.goog"
    assert out["node_security_group_id"]["value"] == "t-gke-node"
    assert {"cluster_id", "cluster_location", "kms_key_id", "node_service_account_email"} <= set(out)


def test_no_google_groups_for_rbac_unless_the_file_names_the_security_group(gke):
    assert "authenticator_groups_config" not in gke
    named = one(synth(gcp_spec(name="groups", gcp={"rbac_security_group": "gke-security-groups@example.com"}))
                ["cluster"], "google_container_cluster")
    assert named["authenticator_groups_config"] == {"security_group": "gke-security-groups@example.com"}
