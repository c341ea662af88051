"""GcpData through the kit: the data stack's buckets, registry and cache, one key ring, outputs, the contract."""

import hashlib

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_google.artifact_registry_repository import ArtifactRegistryRepository
from cdktf_cdktf_provider_google.provider import GoogleProvider

from platform_constructs.gcp.contracts import GcpDataContract
from platform_constructs.gcp.data import ACCESS_LOG_BUCKET, GcpData, data_bucket_names, node_service_account_email
from platform_constructs.gcp.kit import GcpKit
from platform_constructs.spec import SpecError
from tests.helpers import gcp_spec, one, ref, resources, synth

HASH = hashlib.sha256(b"proj-1").hexdigest()[:8]
FULL = {"data": {"cache": {"size": "HIGHMEM_MEDIUM", "replicas": 2}, "registry": {"repositories": ["api", "web"]},
                 "bucket_prefix": "acme"}}


@pytest.fixture(scope="module")
def data():
    return synth(gcp_spec(name="full", **FULL))["data"]


def bucket(doc, short, head="acme-full"):
    [found] = [b for b in resources(doc, "google_storage_bucket") if b["name"] == f"{head}-{HASH}-{short}"]
    return found


def key(doc, name):
    [found] = [k for k in resources(doc, "google_kms_crypto_key") if k["name"] == name]
    return found


# --- names and the key ring -------------------------------------------------------------


def test_bucket_names_are_prefix_env_project_hash_and_short_name():
    names = data_bucket_names(gcp_spec(data={"bucket_prefix": "acme"}))
    assert names == {"app": f"acme-t-{HASH}-app", "backup": f"acme-t-{HASH}-backup",
                     ACCESS_LOG_BUCKET: f"acme-t-{HASH}-{ACCESS_LOG_BUCKET}"}
    long = data_bucket_names(gcp_spec(name="a-rather-long-environment-name-for-test1",
                                      data={"bucket_prefix": "acme-platform", "buckets": ["abcdefghijklmnopqr"]}))
    assert all(len(n) <= 63 and n.endswith(f"-{HASH}-{s}") for s, n in long.items())


def test_one_key_ring_holds_the_disk_key_and_one_key_per_service(data):
    ring = one(data, "google_kms_key_ring")
    assert ring["name"] == "full-data"
    keys = resources(data, "google_kms_crypto_key")
    assert sorted(k["name"] for k in keys) == ["artifact-registry", "data-buckets", "memorystore", "pd-volumes"]
    assert all(k["key_ring"] == ref(data, "google_kms_key_ring", ring) and k["lifecycle"] == {"prevent_destroy": True}
               and k["rotation_period"] == "7776000s" for k in keys)


def test_each_key_is_usable_by_its_own_service_agent_only(data):
    (project_id, _), = data["data"]["google_project"].items()
    (agent_id, _), = data["data"]["google_storage_project_service_account"].items()
    number = f"${{data.google_project.{project_id}.number}}"
    members = {b["crypto_key_id"]: b["member"] for b in resources(data, "google_kms_crypto_key_iam_member")}
    assert len(members) == len(resources(data, "google_kms_crypto_key_iam_member")) == 4
    expect = {
        "data-buckets": f"serviceAccount:${{data.google_storage_project_service_account.{agent_id}.email_address}}",
        "artifact-registry": f"serviceAccount:service-{number}@gcp-sa-artifactregistry.iam.gserviceaccount.com",
        "memorystore": f"serviceAccount:service-{number}@gcp-sa-memorystore.iam.gserviceaccount.com",
        "pd-volumes": f"serviceAccount:service-{number}@compute-system.iam.gserviceaccount.com",
    }
    for name, member in expect.items():
        assert members[ref(data, "google_kms_crypto_key", key(data, name))] == member


def test_without_block_storage_the_data_layer_makes_the_ring_itself():
    doc = synth(gcp_spec(name="noblock", addons={"block_storage": False}))["data"]
    ring = one(doc, "google_kms_key_ring")
    assert ring == {**ring, "name": "noblock-data", "location": "us-central1", "project": "proj-1"}
    assert [k["name"] for k in resources(doc, "google_kms_crypto_key")] == ["data-buckets"]
    assert "disk_kms_key_id" not in doc["output"]


def test_nothing_at_all_without_buckets_registry_or_cache():
    doc = synth(gcp_spec(name="empty", addons={"block_storage": False}, data={"buckets": []}))["data"]
    assert doc.get("resource", {}) == {}


# --- buckets ------------------------------------------------------------------------------


def test_app_backup_and_access_log_buckets_on_the_bucket_key(data):
    names = sorted(b["name"] for b in resources(data, "google_storage_bucket"))
    assert names == sorted(f"acme-full-{HASH}-{s}" for s in ("app", "backup", ACCESS_LOG_BUCKET))
    bucket_key = ref(data, "google_kms_crypto_key", key(data, "data-buckets"))
    for body in resources(data, "google_storage_bucket"):
        assert body["encryption"] == {"default_kms_key_name": bucket_key}
        assert body["public_access_prevention"] == "enforced" and body["uniform_bucket_level_access"] is True
        assert body["force_destroy"] is False and body["lifecycle"] == {"prevent_destroy": True}


def test_only_backup_archives_and_logs_go_to_the_access_log_bucket(data):
    log = ref(data, "google_storage_bucket", bucket(data, ACCESS_LOG_BUCKET), "name")
    archive = [{"action": {"type": "SetStorageClass", "storage_class": "ARCHIVE"},
                "condition": {"age": 30, "matches_storage_class": ["STANDARD"]}}]
    for short in ("app", "backup"):
        body = bucket(data, short)
        assert body["logging"] == {"log_bucket": log, "log_object_prefix": body["name"]}
        sets = [r for r in body["lifecycle_rule"] if r["action"]["type"] == "SetStorageClass"]
        assert sets == (archive if short == "backup" else [])
    assert "logging" not in bucket(data, ACCESS_LOG_BUCKET)


def test_only_cloud_storage_log_writer_may_write_the_access_logs(data):
    writer = one(data, "google_storage_bucket_iam_member")
    assert writer["bucket"] == ref(data, "google_storage_bucket", bucket(data, ACCESS_LOG_BUCKET), "name")
    assert (writer["role"], writer["member"]) == ("roles/storage.objectCreator",
                                                  "group:cloud-storage-analytics@google.com")


def test_an_immutable_backup_bucket_holds_a_retention_policy():
    doc = synth(gcp_spec(name="lock", data={"backup_immutable_days": 90, "archive_after_days": 60}))["data"]
    backup = bucket(doc, "backup", head="lock")  # no prefix: the name starts with the env
    assert backup["retention_policy"] == {"retention_period": 90 * 86400, "is_locked": False}
    assert backup["versioning"] == {"enabled": False}  # GCS refuses a retention policy on a versioned bucket
    assert {"action": {"type": "SetStorageClass", "storage_class": "ARCHIVE"},
            "condition": {"age": 60, "matches_storage_class": ["STANDARD"]}} in backup["lifecycle_rule"]
    app = bucket(doc, "app", head="lock")
    assert "retention_policy" not in app and app["versioning"] == {"enabled": True}


# --- registry and cache --------------------------------------------------------------------


def test_the_registry_is_pulled_by_the_node_service_account_only(data):
    member = one(data, "google_artifact_registry_repository_iam_member")
    repo = one(data, "google_artifact_registry_repository")
    assert member["repository"] == ref(data, "google_artifact_registry_repository", repo, "name")
    assert member["role"] == "roles/artifactregistry.reader"
    assert member["member"] == "serviceAccount:tc-nodes@proj-1.iam.gserviceaccount.com"
    assert node_service_account_email(gcp_spec()) == "tc-nodes@proj-1.iam.gserviceaccount.com"
    assert repo["kms_key_name"] == ref(data, "google_kms_crypto_key", key(data, "artifact-registry"))


def test_the_cache_uses_its_key_and_the_environments_network(data):
    instance = one(data, "google_memorystore_instance")
    assert instance["kms_key"] == ref(data, "google_kms_crypto_key", key(data, "memorystore"))
    assert instance["replica_count"] == 2 and instance["node_type"] == "HIGHMEM_MEDIUM"
    assert instance["desired_auto_created_endpoints"] == [{"network": "projects/proj-1/global/networks/full",
                                                           "project_id": "proj-1"}]
    policy = one(data, "google_network_connectivity_service_connection_policy")
    assert policy["psc_config"] == {"subnetworks": ["projects/proj-1/regions/us-central1/subnetworks/full-nodes"]}


def test_outputs_name_buckets_registry_and_cache_never_a_secret(data):
    out = data["output"]
    assert out["data_buckets"]["value"] == {"app": f"acme-full-{HASH}-app", "backup": f"acme-full-{HASH}-backup"}
    assert out["registry_url"]["value"] == "us-central1-docker.pkg.dev/proj-1/full"
    (local,) = data["locals"]
    assert out["cache_endpoint"]["value"] == f"${{local.{local}.ip_address}}"
    assert out["cache_port"]["value"] == f"${{local.{local}.port}}"
    assert not any(o.get("sensitive") for name, o in out.items() if not name.startswith("cross-stack-output"))
    assert "google_secret_manager_secret_version" not in data["resource"]


def test_the_data_stack_reads_no_other_stack(data):
    assert "terraform_remote_state" not in data.get("data", {})


def test_no_registry_or_cache_by_default():
    doc = synth(gcp_spec())["data"]
    for rtype in ("google_artifact_registry_repository", "google_memorystore_instance",
                  "google_network_connectivity_service_connection_policy"):
        assert resources(doc, rtype) == []
    assert not {"registry_url", "cache_endpoint", "cache_port"} & set(doc["output"])


def test_protection_follows_the_file():
    doc = synth(gcp_spec(name="unprot", gcp={"deletion_protection": False}, **FULL))["data"]
    for rtype in ("google_storage_bucket", "google_kms_crypto_key", "google_artifact_registry_repository",
                  "google_memorystore_instance"):
        assert all(b["lifecycle"] == {"prevent_destroy": False} for b in resources(doc, rtype)), rtype
    assert one(doc, "google_memorystore_instance")["deletion_protection_enabled"] is False


# --- the contract and the spec rule ---------------------------------------------------------


def test_the_contract_carries_buckets_registry_and_cache(tmp_path):
    stack = TerraformStack(App(outdir=str(tmp_path)), "probe")
    GoogleProvider(stack, "google", project="proj-1", region="us-central1")
    contract = GcpKit().data(stack, gcp_spec(name="full", **FULL), None, None)
    assert isinstance(contract, GcpDataContract)
    assert contract.buckets == {"app": f"acme-full-{HASH}-app", "backup": f"acme-full-{HASH}-backup"}
    assert contract.registry_url == "us-central1-docker.pkg.dev/proj-1/full"
    # A literal, not a token: the tenants stack grants on it without reading this stack's state.
    repo = [c for c in stack.node.find_all() if isinstance(c, ArtifactRegistryRepository)][0]
    assert contract.registry_repository_id == (f"projects/{repo.project_input}/locations/{repo.location_input}/"
                                               f"repositories/{repo.repository_id_input}")
    assert all(isinstance(v, str) and v for v in (contract.cache_endpoint, contract.cache_port,
                                                 contract.registry_repository_id, contract.cache_instance_id,
                                                 contract.disk_kms_key_id))


def test_gcp_data_refuses_another_clouds_environment():
    from tests.helpers import make_spec
    with pytest.raises(ValueError, match="GcpData needs a GCP environment"):
        GcpData(TerraformStack(App(), "s"), "d", spec=make_spec(), key_ring_name="r")


def test_the_cache_size_must_be_a_memorystore_node_type():
    with pytest.raises(SpecError) as info:
        gcp_spec(data={"cache": {"size": "cache.t4g.medium"}})
    assert info.value.path == "data.cache.size"
    assert "not a Memorystore for Valkey node type" in info.value.message and "HIGHMEM_MEDIUM" in info.value.message


@pytest.mark.parametrize("size", ["SHARED_CORE_NANO", "STANDARD_SMALL", "HIGHMEM_MEDIUM", "HIGHMEM_XLARGE"])
def test_every_memorystore_node_type_is_accepted(size):
    assert gcp_spec(data={"cache": {"size": size}}).data.cache.size == size
