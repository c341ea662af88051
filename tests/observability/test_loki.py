"""Loki: Monolithic, schema, both buckets per backend, region, federated token, retention, identity."""

import pytest

from platform_constructs.observability.endpoints import LOKI_RELEASE
from platform_constructs.observability.loki import SERVICE_ACCOUNT
from platform_constructs.observability.storage import SERVICE_ACCOUNTS
from tests.observability.test_releases import (
    ACCOUNT, BACKENDS, ENDPOINT, REGION, annotations, chart_values, expected_bucket, missing_paths, pod_labels,
    release_of, releases_doc,
)

#: Config sections the chart copies into Loki's config as they are (Loki's own keys, not the chart's), and
#: ``bucketNames``, which values.yaml documents only in a comment ("Please provide these values").
PASSTHROUGH = {"loki.limits_config", "loki.storage.bucketNames", "loki.commonConfig"}


def loki(backend="s3", **spec):
    return release_of(releases_doc(backend, **spec), LOKI_RELEASE)


def test_monolithic_with_the_scalable_targets_at_zero():
    _, values = loki()
    assert values["deploymentMode"] == "Monolithic"
    assert values["singleBinary"]["replicas"] == 1
    assert (values["read"], values["write"], values["backend"]) == ({"replicas": 0},) * 3
    assert values["minio"] == {"enabled": False}


@pytest.mark.parametrize("backend", BACKENDS)
def test_tsdb_v13_schema_on_the_backend_and_both_buckets(backend):
    _, values = loki(backend)
    (period,) = values["loki"]["schemaConfig"]["configs"]
    assert (period["store"], period["schema"], period["object_store"]) == ("tsdb", "v13", backend)
    storage = values["loki"]["storage"]
    assert storage["type"] == backend
    assert storage["bucketNames"] == {"chunks": expected_bucket(backend, "loki-chunks"),
                                      "ruler": expected_bucket(backend, "loki-ruler")}


def test_s3_region_set_explicitly_with_the_endpoint():
    _, values = loki("s3")
    s3 = values["loki"]["storage"]["s3"]
    assert (s3["region"], s3["endpoint"], s3["s3ForcePathStyle"]) == (REGION, ENDPOINT, False)


def test_azure_federated_token_and_the_webhook_label():
    _, values = loki("azure")
    assert values["loki"]["storage"]["azure"] == {"accountName": ACCOUNT, "useFederatedToken": True,
                                                  "useManagedIdentity": False}
    assert values["singleBinary"]["podLabels"] == pod_labels("azure")


def test_retention_through_the_compactor():
    _, values = loki(retention_days={"logs": 14})
    assert values["loki"]["compactor"] == {"retention_enabled": True, "delete_request_store": "s3"}
    assert values["loki"]["limits_config"]["retention_period"] == "336h"
    assert values["loki"]["auth_enabled"] is False


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_service_account_is_the_one_its_identity_binds(backend):
    _, values = loki(backend)
    assert SERVICE_ACCOUNT == SERVICE_ACCOUNTS["loki"]
    assert values["serviceAccount"] == {"create": True, "name": SERVICE_ACCOUNT.name,
                                        "annotations": annotations(backend, "loki")}
    chart = chart_values("loki")
    if chart is None:
        pytest.skip("../shared/charts/loki-18.11.0 is not beside this checkout")
    assert "name" in chart["serviceAccount"] and "annotations" in chart["serviceAccount"]


def test_every_value_set_is_a_key_of_the_charts_values():
    chart = chart_values("loki")
    if chart is None:
        pytest.skip("../shared/charts/loki-18.11.0 is not beside this checkout")
    for size in ("small", "medium"):
        _, values = loki(size=size)
        assert missing_paths(values, chart, PASSTHROUGH) == []


def test_medium_three_replicas_one_per_zone_with_caches():
    _, values = loki(size="medium")
    assert values["singleBinary"]["replicas"] == 3
    assert values["loki"]["commonConfig"]["replication_factor"] == 3
    (spread,) = values["singleBinary"]["topologySpreadConstraints"]
    assert spread["topologyKey"] == "topology.kubernetes.io/zone"
    assert values["chunksCache"]["enabled"] and values["resultsCache"]["enabled"]
    _, small = loki(size="small")
    assert small["loki"]["commonConfig"]["replication_factor"] == 1
    assert not small["chunksCache"]["enabled"] and not small["resultsCache"]["enabled"]
