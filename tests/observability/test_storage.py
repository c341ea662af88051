"""The six buckets: names, who uses which, lifecycle numbers, and the storage hand-over's checks."""

import pytest

from platform_constructs.observability.storage import (
    BUCKETS, COMPONENT_BUCKETS, EXPIRY_MARGIN_DAYS, SERVICE_ACCOUNTS, ObjectStore, ObservabilityStorage,
    bucket_names, expiration_days,
)
from platform_constructs.spec.observability import ObservabilitySpec, RetentionDays
from platform_constructs.workload_identity import ServiceAccount, WorkloadIdentity


def test_the_seeds_six_buckets_each_belong_to_one_component():
    assert set(BUCKETS) == {"mimir-metrics", "mimir-alertmanager", "mimir-ruler", "loki-chunks", "loki-ruler",
                            "tempo-traces"}
    owned = [b for buckets in COMPONENT_BUCKETS.values() for b in buckets]
    assert sorted(owned) == sorted(BUCKETS)
    assert all(b.startswith(component) for component, buckets in COMPONENT_BUCKETS.items() for b in buckets)


def test_service_accounts_live_in_the_observability_namespace():
    assert {c: str(sa) for c, sa in SERVICE_ACCOUNTS.items()} == {
        "mimir": "observability/mimir", "loki": "observability/loki", "tempo": "observability/tempo"}


def test_names_carry_prefix_environment_unique_part_and_seed_name():
    names = bucket_names("prod", ObservabilitySpec(bucket_prefix="acme"), "123456789012")
    assert names == {b: f"acme-prod-123456789012-{b}" for b in BUCKETS}
    assert bucket_names("prod", ObservabilitySpec(), "a1b2c3d4")["loki-ruler"] == "prod-a1b2c3d4-loki-ruler"


def test_long_heads_are_shortened_deterministically_to_63_characters():
    obs = ObservabilitySpec(bucket_prefix="a" * 20)
    env = "e" * 40
    names = bucket_names(env, obs, "${data.aws_caller_identity.current.account_id}", unique_length=12)
    again = bucket_names(env, obs, "${data.aws_caller_identity.current.account_id}", unique_length=12)
    assert names == again
    resolved = {b: n.replace("${data.aws_caller_identity.current.account_id}", "1" * 12) for b, n in names.items()}
    assert max(len(n) for n in resolved.values()) == 63
    assert all(n.endswith(f"-{b}") for b, n in resolved.items())
    other = bucket_names("e" * 39 + "f", obs, "x" * 12)
    assert other["mimir-metrics"] != bucket_names(env, obs, "x" * 12)["mimir-metrics"]


def test_expiry_is_retention_plus_margin_and_state_buckets_never_expire():
    days = RetentionDays(metrics=400, logs=30, traces=14)
    assert {b: expiration_days(b, days) for b in BUCKETS} == {
        "mimir-metrics": 400 + EXPIRY_MARGIN_DAYS, "mimir-alertmanager": None, "mimir-ruler": None,
        "loki-chunks": 30 + EXPIRY_MARGIN_DAYS, "loki-ruler": None, "tempo-traces": 14 + EXPIRY_MARGIN_DAYS}
    with pytest.raises(ValueError, match="'logs' is not one of the observability buckets"):
        expiration_days("logs", days)


def store(**override) -> ObjectStore:
    fields = dict(backend="s3", buckets={b: b for b in BUCKETS}, region="eu-west-1",
                  endpoint="s3.eu-west-1.amazonaws.com")
    return ObjectStore(**{**fields, **override})


def test_an_object_store_names_every_bucket_and_its_backends_settings():
    with pytest.raises(ValueError, match="names no bucket for tempo-traces"):
        store(buckets={b: b for b in BUCKETS if b != "tempo-traces"})
    with pytest.raises(ValueError, match="an s3 object store needs region and endpoint"):
        store(region=None)
    with pytest.raises(ValueError, match="an azure object store needs account_name"):
        store(backend="azure")
    with pytest.raises(ValueError, match="backend 'minio' is not one of"):
        store(backend="minio")
    assert store(backend="gcs", region=None, endpoint=None).backend == "gcs"


def identity(component: str, namespace: str = "observability") -> WorkloadIdentity:
    return WorkloadIdentity(service_account=ServiceAccount(namespace, component), principal=f"p-{component}")


def test_storage_needs_one_identity_per_component_bound_to_its_service_account():
    identities = {c: identity(c) for c in COMPONENT_BUCKETS}
    assert ObservabilityStorage(store(), identities).identities == identities
    with pytest.raises(ValueError, match="no identity for tempo"):
        ObservabilityStorage(store(), {c: identity(c) for c in ("mimir", "loki")})
    with pytest.raises(ValueError, match="identities of loki bind another service account"):
        ObservabilityStorage(store(), {**identities, "loki": identity("loki", "default")})
