"""The shipped GCP environments load, synthesize, and keep the platform's invariants."""

import ipaddress

import pytest

from platform_constructs.spec import load_environment
from tests.helpers import LAYERS, resources, ROOT, synth

GCP_FILES = [p for p in sorted((ROOT / "environments").glob("*.yaml")) if load_environment(p).cloud == "gcp"]


def test_the_gcp_environments_ship():
    assert {p.stem for p in GCP_FILES} == {"gcp-dev", "gcp-prod"}


def test_prod_keeps_state_in_gcs():
    spec = load_environment(ROOT / "environments/gcp-prod.yaml")
    assert spec.backend.type == "gcs"
    stacks = synth(spec)
    for layer, stack in stacks.items():
        assert stack["terraform"]["backend"]["gcs"] == {"bucket": spec.backend.bucket, "prefix": f"platform/gcp-prod-{layer}"}


@pytest.mark.parametrize("path", GCP_FILES, ids=lambda p: p.stem)
def test_gcp_environment_synthesizes_with_platform_invariants(path):
    spec = load_environment(path)
    stacks = synth(spec)
    assert set(stacks) == set(LAYERS)
    network, cluster = stacks["network"], stacks["cluster"]

    vpc_cidr = ipaddress.IPv4Network(spec.network.cidr)
    for subnet in resources(network, "google_compute_subnetwork"):
        assert ipaddress.IPv4Network(subnet["ip_cidr_range"]).subnet_of(vpc_cidr)
        if subnet.get("purpose") != "REGIONAL_MANAGED_PROXY":
            assert subnet["private_ip_google_access"] is True and subnet["log_config"]
    for rule in resources(network, "google_compute_firewall"):
        assert all(ipaddress.IPv4Network(r).prefixlen > 0 for r in rule["source_ranges"]), rule["name"]
    assert len(resources(network, "google_compute_router_nat")) == 1

    (gke,) = resources(cluster, "google_container_cluster")
    assert gke["private_cluster_config"]["enable_private_nodes"] is True
    assert gke["private_cluster_config"]["enable_private_endpoint"] is (spec.cluster.endpoint == "private")
    blocks = [b["cidr_block"] for b in gke["master_authorized_networks_config"]["cidr_blocks"]]
    assert blocks and all(ipaddress.IPv4Network(b).prefixlen > 0 for b in blocks)
    assert gke["master_authorized_networks_config"]["gcp_public_cidrs_access_enabled"] is False
    assert tuple(int(p) for p in gke["min_master_version"].split(".")) >= (1, 33)
    assert gke["workload_identity_config"]["workload_pool"] == f"{spec.gcp.project}.svc.id.goog"
    assert gke["database_encryption"]["state"] == "ENCRYPTED" and "google_kms_crypto_key" in gke["database_encryption"]["key_name"]
    assert len(resources(cluster, "google_kms_crypto_key_iam_member")) == 1
    assert gke["remove_default_node_pool"] is True and gke["datapath_provider"] == "ADVANCED_DATAPATH"
    assert len(gke["logging_config"]["enable_components"]) == 5
    pools = resources(cluster, "google_container_node_pool")
    assert len(pools) == len(spec.cluster.node_pools)
    for pool in pools:
        assert pool["autoscaling"]["total_min_node_count"] >= 3
        assert pool["node_locations"] == spec.zones
        assert pool["node_config"]["workload_metadata_config"] == {"mode": "GKE_METADATA"}
        assert pool["node_config"]["shielded_instance_config"]["enable_secure_boot"] is True
