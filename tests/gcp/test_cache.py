"""GcpCache: Memorystore for Valkey, multi-zone with replicas, PSC only, TLS, IAM auth, CMEK, primary endpoint out."""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_google.provider import GoogleProvider

from platform_constructs.gcp.cache import GcpCache, network_id, subnetwork_id
from tests.helpers import one

NETWORK = network_id("p-1", "env")
SUBNET = subnetwork_id("p-1", "us-central1", "env-nodes")
PROPS = dict(instance_id="env-cache", project="p-1", region="us-central1", network=NETWORK, subnetwork=SUBNET,
             node_type="HIGHMEM_MEDIUM", kms_key_id="k")


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    out = tmp_path_factory.mktemp("cache")
    app = App(outdir=str(out))
    stack = TerraformStack(app, "probe")
    GoogleProvider(stack, "google", project="p-1", region="us-central1")
    cache = GcpCache(stack, "c", replicas=2, maintenance_day="SU", maintenance_hour=4, **PROPS)
    TerraformOutput(stack, "endpoint", value={"host": cache.endpoint, "port": cache.port})
    app.synth()
    return json.loads(Path(out, "stacks", "probe", "cdk.tf.json").read_text())


def test_ids_from_literal_names():
    assert NETWORK == "projects/p-1/global/networks/env"
    assert SUBNET == "projects/p-1/regions/us-central1/subnetworks/env-nodes"


def test_valkey_one_shard_replicas_across_zones(doc):
    instance = one(doc, "google_memorystore_instance")
    assert instance == {**instance, "instance_id": "env-cache", "project": "p-1", "location": "us-central1",
                        "mode": "CLUSTER_DISABLED", "shard_count": 1, "replica_count": 2,
                        "node_type": "HIGHMEM_MEDIUM", "engine_version": "VALKEY_8_0",
                        "zone_distribution_config": {"mode": "MULTI_ZONE"}}


def test_encrypted_in_transit_and_at_rest_with_iam_auth(doc):
    instance = one(doc, "google_memorystore_instance")
    assert instance["transit_encryption_mode"] == "SERVER_AUTHENTICATION"
    assert instance["authorization_mode"] == "IAM_AUTH"
    assert instance["kms_key"] == "k"


def test_private_service_connect_on_the_environments_network(doc):
    policy = one(doc, "google_network_connectivity_service_connection_policy")
    assert policy == {**policy, "name": "env-cache-psc", "location": "us-central1", "service_class": "gcp-memorystore",
                      "network": NETWORK, "psc_config": {"subnetworks": [SUBNET]}, "project": "p-1"}
    instance = one(doc, "google_memorystore_instance")
    assert instance["desired_auto_created_endpoints"] == [{"network": NETWORK, "project_id": "p-1"}]
    (policy_id,) = doc["resource"]["google_network_connectivity_service_connection_policy"]
    assert f"google_network_connectivity_service_connection_policy.{policy_id}" in instance["depends_on"]


def test_backups_maintenance_and_protection(doc):
    instance = one(doc, "google_memorystore_instance")
    assert instance["automated_backup_config"] == {"fixed_frequency_schedule": {"start_time": {"hours": 4}},
                                                   "retention": "604800s"}
    assert instance["maintenance_policy"] == {"weekly_maintenance_window": [
        {"day": "SUNDAY", "start_time": {"hours": 4, "minutes": 0, "seconds": 0, "nanos": 0}}]}
    assert instance["deletion_protection_enabled"] is True and instance["lifecycle"] == {"prevent_destroy": True}


def test_the_endpoint_is_the_primary_psc_connection(doc):
    (name, expression), = doc["locals"].items()
    (instance_id,) = doc["resource"]["google_memorystore_instance"]
    assert expression == (
        f"${{one([for c in flatten(google_memorystore_instance.{instance_id}.endpoints[*].connections[*]"
        '.psc_auto_connection) : c if c.connection_type == "CONNECTION_TYPE_PRIMARY"])}')
    assert doc["output"]["endpoint"]["value"] == {"host": f"${{local.{name}.ip_address}}",
                                                  "port": f"${{local.{name}.port}}"}


@pytest.mark.parametrize("props, problem", [
    ({"instance_id": "ab"}, "cache instance id 'ab' must be 4-63"),
    ({"node_type": "cache.t4g.medium"}, "not a Memorystore for Valkey node type"),
    ({"replicas": 0}, "cache replicas 0 must be 1-5"),
    ({"maintenance_day": "SAT"}, "cache maintenance day 'SAT'"),
    ({"maintenance_hour": 24}, "cache maintenance hour 24 must be 0-23"),
])
def test_invalid_props_are_refused(props, problem):
    with pytest.raises(ValueError, match=problem):
        GcpCache(TerraformStack(App(), "s"), "c", **{**PROPS, **props})
