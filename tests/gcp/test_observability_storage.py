"""GcpObservabilityStorage: six CMEK buckets plus an access-log bucket, one identity per component on its own buckets."""

import hashlib
import json
from pathlib import Path

import pytest
from cdktf import App, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_google.provider import GoogleProvider

from platform_constructs.gcp.observability_storage import (
    ACCESS_LOG_DAYS, COMPONENT_ROLES, GcpObservabilityStorage, access_log_bucket_name, gcs_bucket_names, project_hash,
)
from platform_constructs.observability.storage import BUCKETS, COMPONENT_BUCKETS, SERVICE_ACCOUNTS
from tests.gcp.test_workload_identity import CLUSTER
from tests.helpers import gcp_spec, one, ref, resources

HASH = hashlib.sha256(b"proj-1").hexdigest()[:8]


def synth_storage(tmp_path, spec):
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "probe")
    GoogleProvider(stack, "google", project="proj-1", region="us-central1")
    storage = GcpObservabilityStorage(stack, "storage", spec=spec, cluster=CLUSTER)
    TerraformOutput(stack, "identities", value={
        component: {"annotations": identity.annotations, "principal": identity.principal}
        for component, identity in storage.storage.identities.items()
    })
    app.synth()
    return storage, json.loads(Path(tmp_path, "stacks", "probe", "cdk.tf.json").read_text())


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    return synth_storage(tmp_path_factory.mktemp("observability-storage"), gcp_spec())


def bucket(doc, name):
    [found] = [b for b in resources(doc, "google_storage_bucket") if b["name"] == name]
    return found


def bucket_ref(doc, name, attr="name"):
    return ref(doc, "google_storage_bucket", bucket(doc, name), attr)


def account(doc, account_id):
    [found] = [a for a in resources(doc, "google_service_account") if a["account_id"] == account_id]
    return found


# --- names -----------------------------------------------------------------------------


def test_names_are_env_project_hash_and_the_seed_name():
    assert project_hash("proj-1") == HASH
    assert gcs_bucket_names(gcp_spec()) == {seed: f"t-{HASH}-{seed}" for seed in BUCKETS}
    assert access_log_bucket_name(gcp_spec()) == f"t-{HASH}-access-logs"


def test_the_bucket_prefix_leads_and_long_names_stay_within_63_characters():
    names = gcs_bucket_names(gcp_spec(observability={"bucket_prefix": "acme"}))
    assert names["loki-chunks"] == f"acme-t-{HASH}-loki-chunks"
    long = gcp_spec(name="a-rather-long-environment-name-for-test1", observability={"bucket_prefix": "acme-platform"})
    names = gcs_bucket_names(long)
    assert all(len(n) <= 63 and n.endswith(f"-{HASH}-{seed}") for seed, n in names.items())
    assert len(access_log_bucket_name(long)) <= 63


def test_another_project_gets_other_names():
    assert gcs_bucket_names(gcp_spec(gcp={"project": "proj-2"})) != gcs_bucket_names(gcp_spec())


# --- buckets -----------------------------------------------------------------------------


def test_six_seed_buckets_and_one_access_log_bucket(probe):
    _, doc = probe
    assert sorted(b["name"] for b in resources(doc, "google_storage_bucket")) == sorted(
        [*(f"t-{HASH}-{seed}" for seed in BUCKETS), f"t-{HASH}-access-logs"])


def test_every_bucket_is_encrypted_with_the_key_after_the_agent_may_use_it(probe):
    _, doc = probe
    key = ref(doc, "google_kms_crypto_key", one(doc, "google_kms_crypto_key"))
    grant = ref(doc, "google_kms_crypto_key_iam_member", one(doc, "google_kms_crypto_key_iam_member"))
    assert one(doc, "google_kms_key_ring")["name"] == "t-observability"
    for body in resources(doc, "google_storage_bucket"):
        assert body["encryption"] == {"default_kms_key_name": key}
        assert body["depends_on"] == [grant.removeprefix("${").removesuffix(".id}")]
        assert body["location"] == "us-central1" and body["project"] == "proj-1"
        assert body["versioning"] == {"enabled": True} and body["force_destroy"] is False
        assert body["public_access_prevention"] == "enforced" and body["uniform_bucket_level_access"] is True
        assert body["lifecycle"] == {"prevent_destroy": True}


def test_seed_buckets_log_usage_to_the_access_log_bucket(probe):
    _, doc = probe
    logs = bucket_ref(doc, f"t-{HASH}-access-logs")
    for seed in BUCKETS:
        assert bucket(doc, f"t-{HASH}-{seed}")["logging"] == {"log_bucket": logs, "log_object_prefix": f"t-{HASH}-{seed}"}


def test_only_cloud_storage_log_delivery_may_write_the_access_logs(probe):
    _, doc = probe
    [writer] = [m for m in resources(doc, "google_storage_bucket_iam_member")
                if m["bucket"] == bucket_ref(doc, f"t-{HASH}-access-logs")]
    assert (writer["role"], writer["member"]) == ("roles/storage.objectCreator",
                                                  "group:cloud-storage-analytics@google.com")
    ages = [r["condition"].get("age") for r in bucket(doc, f"t-{HASH}-access-logs")["lifecycle_rule"]
            if r["action"]["type"] == "Delete"]
    assert ACCESS_LOG_DAYS in ages


def expiry(doc, seed):
    rules = bucket(doc, f"t-{HASH}-{seed}")["lifecycle_rule"]
    ages = [r["condition"]["age"] for r in rules
            if r["action"]["type"] == "Delete" and r["condition"].get("with_state") == "LIVE"]
    return ages[0] if ages else None


def test_expiry_is_the_retention_plus_the_margin_and_state_never_expires(probe):
    _, doc = probe
    assert {seed: expiry(doc, seed) for seed in BUCKETS} == {
        "mimir-metrics": 407, "mimir-alertmanager": None, "mimir-ruler": None,
        "loki-chunks": 37, "loki-ruler": None, "tempo-traces": 21,
    }


def test_retention_and_protection_follow_the_file(tmp_path):
    spec = gcp_spec(observability={"retention_days": {"metrics": 30, "logs": 7, "traces": 3}},
                    gcp={"deletion_protection": False, "kms_rotation_days": 30})
    _, doc = synth_storage(tmp_path, spec)
    assert (expiry(doc, "mimir-metrics"), expiry(doc, "loki-chunks"), expiry(doc, "tempo-traces")) == (37, 14, 10)
    assert all(b["lifecycle"] == {"prevent_destroy": False} for b in resources(doc, "google_storage_bucket"))
    key = one(doc, "google_kms_crypto_key")
    assert key["lifecycle"] == {"prevent_destroy": False} and key["rotation_period"] == "2592000s"


# --- identities ----------------------------------------------------------------------------


def test_one_google_account_per_component_bound_to_its_service_account_only(probe):
    _, doc = probe
    assert sorted(a["account_id"] for a in resources(doc, "google_service_account")) == ["tc-loki", "tc-mimir", "tc-tempo"]
    bindings = resources(doc, "google_service_account_iam_member")
    for component in COMPONENT_BUCKETS:
        [binding] = [b for b in bindings
                     if b["service_account_id"] == ref(doc, "google_service_account", account(doc, f"tc-{component}"), "name")]
        assert binding["role"] == "roles/iam.workloadIdentityUser"
        assert binding["member"] == f"serviceAccount:proj-1.svc.id.goog[observability/{component}]"


def test_no_project_roles_no_keys(probe):
    _, doc = probe
    for rtype in ("google_project_iam_member", "google_project_iam_binding", "google_service_account_key",
                  "google_storage_hmac_key", "google_storage_bucket_iam_binding", "google_storage_bucket_iam_policy"):
        assert rtype not in doc["resource"], rtype


def test_each_component_reaches_only_its_own_buckets(probe):
    _, doc = probe
    members = resources(doc, "google_storage_bucket_iam_member")
    for component, seeds in COMPONENT_BUCKETS.items():
        member = ref(doc, "google_service_account", account(doc, f"tc-{component}"), "member")
        granted = sorted((m["bucket"], m["role"]) for m in members if m["member"] == member)
        assert granted == sorted((bucket_ref(doc, f"t-{HASH}-{seed}"), role)
                                 for seed in seeds for role in COMPONENT_ROLES[component])


def test_roles_are_object_user_and_tempo_may_read_its_bucket():
    assert COMPONENT_ROLES == {
        "mimir": ("roles/storage.objectUser",), "loki": ("roles/storage.objectUser",),
        "tempo": ("roles/storage.objectUser", "roles/storage.legacyBucketReader"),
    }


# --- what the releases get ---------------------------------------------------------------------


def test_the_store_is_gcs_with_the_literal_bucket_names(probe):
    storage, _ = probe
    store = storage.storage.store
    assert store.backend == "gcs" and store.buckets == gcs_bucket_names(gcp_spec())
    assert (store.region, store.endpoint, store.account_name) == (None, None, None)


def test_identities_annotate_their_service_accounts_with_the_google_account(probe):
    storage, doc = probe
    for component, identity in storage.storage.identities.items():
        assert identity.service_account == SERVICE_ACCOUNTS[component] and identity.pod_labels == {}
        email = ref(doc, "google_service_account", account(doc, f"tc-{component}"), "email")
        assert doc["output"]["identities"]["value"][component] == {
            "annotations": {"iam.gke.io/gcp-service-account": email}, "principal": email,
        }


def test_releases_wait_for_every_binding_and_bucket_grant(probe):
    storage, _ = probe
    expected = [r for c in COMPONENT_BUCKETS for r in (storage.identities[c].binding, *storage.grants[c])]
    assert list(storage.storage.depends_on) == expected
    assert len(expected) == 3 + 3 + 2 + 2  # three bindings, mimir 3, loki 2, tempo 1 x 2 roles


def test_an_environment_without_gcp_is_refused():
    from tests.helpers import make_spec
    with pytest.raises(ValueError, match="needs a GCP environment .* t is on aws"):
        GcpObservabilityStorage(TerraformStack(App(), "s"), "o", spec=make_spec(), cluster=CLUSTER)
