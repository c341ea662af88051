"""Mimir: classic architecture, three buckets per backend, identity, retention, sizes."""

import pytest

from platform_constructs.observability.endpoints import MIMIR_RELEASE
from platform_constructs.observability.mimir import CLASSIC_ARCHITECTURE, COMPONENTS, SERVICE_ACCOUNT, ZONE_AWARE
from platform_constructs.observability.storage import SERVICE_ACCOUNTS
from tests.observability.test_releases import (
    ACCOUNT, BACKENDS, ENDPOINT, REGION, ZONES, annotations, expected_bucket, pod_labels, release_of, releases_doc,
)


def mimir(backend="s3", **spec):
    return release_of(releases_doc(backend, **spec), MIMIR_RELEASE)


def test_classic_architecture_as_the_chart_ships_it():
    _, values = mimir()
    assert values["kafka"] == {"enabled": False}
    structured = values["mimir"]["structuredConfig"]
    assert structured["ingest_storage"] == {"enabled": False, "kafka": {
        "address": None, "topic": None, "auto_create_topic_default_partitions": None}}
    assert structured["distributor"] == {"remote_timeout": None}
    assert structured["ingester"]["push_grpc_method_enabled"] is None
    assert CLASSIC_ARCHITECTURE["kafka"] == {"enabled": False}


@pytest.mark.parametrize("backend", BACKENDS)
def test_blocks_ruler_and_alertmanager_each_on_its_own_bucket(backend):
    _, values = mimir(backend)
    structured = values["mimir"]["structuredConfig"]
    key, field = ("azure", "container_name") if backend == "azure" else (backend, "bucket_name")
    names = {section: structured[section][key][field]
             for section in ("blocks_storage", "ruler_storage", "alertmanager_storage")}
    assert names == {"blocks_storage": expected_bucket(backend, "mimir-metrics"),
                     "ruler_storage": expected_bucket(backend, "mimir-ruler"),
                     "alertmanager_storage": expected_bucket(backend, "mimir-alertmanager")}
    assert len(set(names.values())) == 3
    assert structured["common"]["storage"]["backend"] == backend


def test_s3_region_and_endpoint_no_keys():
    _, values = mimir("s3")
    assert values["mimir"]["structuredConfig"]["common"]["storage"]["s3"] == {"endpoint": ENDPOINT, "region": REGION}


def test_azure_account_without_a_client_id_and_the_webhook_label_on_every_pod():
    _, values = mimir("azure")
    azure = values["mimir"]["structuredConfig"]["common"]["storage"]["azure"]
    assert azure == {"account_name": ACCOUNT}  # no user_assigned_id: grafana/mimir#7447
    assert values["global"]["podLabels"] == pod_labels("azure") == {"azure.workload.identity/use": "true"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_one_service_account_the_identity_binds_for_every_component(backend):
    _, values = mimir(backend)
    assert SERVICE_ACCOUNT == SERVICE_ACCOUNTS["mimir"]
    assert values["serviceAccount"] == {"create": True, "name": SERVICE_ACCOUNT.name,
                                        "annotations": annotations(backend, "mimir")}
    # The ruler and Alertmanager would otherwise get accounts of their own (<name>-ruler, ...).
    assert values["ruler"]["serviceAccount"] == {"create": False}
    assert values["alertmanager"]["serviceAccount"] == {"create": False}


def test_single_tenant_and_retention_in_hours():
    _, values = mimir(retention_days={"metrics": 30})
    structured = values["mimir"]["structuredConfig"]
    assert structured["multitenancy_enabled"] is False
    assert structured["limits"]["compactor_blocks_retention_period"] == "720h"
    _, default = mimir()
    assert default["mimir"]["structuredConfig"]["limits"]["compactor_blocks_retention_period"] == "9600h"


def test_minio_off():
    _, values = mimir()
    assert values["minio"] == {"enabled": False}


def test_small_is_one_replica_each_single_zone_replication_factor_one():
    _, values = mimir(size="small")
    assert all(values[c]["replicas"] == 1 for c in COMPONENTS)
    assert all(values[c]["zoneAwareReplication"] == {"enabled": False} for c in ZONE_AWARE)
    assert values["rollout_operator"] == {"enabled": False}
    structured = values["mimir"]["structuredConfig"]
    assert structured["ingester"]["ring"]["replication_factor"] == 1
    assert structured["store_gateway"]["sharding_ring"]["replication_factor"] == 1
    assert structured["alertmanager"]["sharding_ring"]["replication_factor"] == 1


def test_medium_is_zone_aware_across_the_three_zones():
    _, values = mimir(size="medium")
    for component in ZONE_AWARE:
        zone_aware = values[component]["zoneAwareReplication"]
        assert zone_aware["enabled"] is True
        assert [z["name"] for z in zone_aware["zones"]] == ["zone-a", "zone-b", "zone-c"]
        assert [z["nodeSelector"]["topology.kubernetes.io/zone"] for z in zone_aware["zones"]] == ZONES
        assert values[component]["replicas"] == 3
    assert values["rollout_operator"] == {"enabled": True}
    # replication factor 3 (Mimir's default) stays: no override.
    assert "ring" not in values["mimir"]["structuredConfig"]["ingester"]
    assert values["ingester"]["resources"]["requests"] == {"cpu": "3500m", "memory": "8Gi"}
