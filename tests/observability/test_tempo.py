"""Tempo: single binary, trace bucket per backend, OTLP on, WAL persisted, retention, identity."""

import pytest

from platform_constructs.observability.endpoints import TEMPO_RELEASE
from platform_constructs.observability.storage import SERVICE_ACCOUNTS
from platform_constructs.observability.tempo import SERVICE_ACCOUNT
from tests.observability.test_releases import (
    ACCOUNT, BACKENDS, ENDPOINT, REGION, annotations, chart_values, expected_bucket, missing_paths, pod_labels,
    release_of, releases_doc,
)

#: The trace backends' blocks (Tempo's own keys; values.yaml shows s3 only in a comment) and the pod
#: security context (a Kubernetes PodSecurityContext passed as it is).
PASSTHROUGH = {"tempo.storage.trace", "securityContext"}


def tempo(backend="s3", **spec):
    return release_of(releases_doc(backend, **spec), TEMPO_RELEASE)


@pytest.mark.parametrize("backend", BACKENDS)
def test_traces_go_to_the_tempo_bucket(backend):
    _, values = tempo(backend)
    trace = values["tempo"]["storage"]["trace"]
    assert trace["backend"] == backend
    assert trace["local"] is None
    bucket = expected_bucket(backend, "tempo-traces")
    if backend == "s3":
        assert trace["s3"] == {"bucket": bucket, "endpoint": ENDPOINT, "region": REGION, "forcepathstyle": False,
                               "insecure": False}
    elif backend == "gcs":
        assert trace["gcs"] == {"bucket_name": bucket}
    else:
        assert trace["azure"] == {"container_name": bucket, "storage_account_name": ACCOUNT,
                                  "use_federated_token": True}
    assert values["podLabels"] == pod_labels(backend)


def test_otlp_receivers_on_and_the_wal_persisted():
    _, values = tempo()
    protocols = values["tempo"]["receivers"]["otlp"]["protocols"]
    assert protocols == {"grpc": {"endpoint": "0.0.0.0:4317"}, "http": {"endpoint": "0.0.0.0:4318"}}
    assert values["persistence"]["enabled"] is True
    assert values["replicas"] == 1


def test_block_retention_is_the_traces_days_in_hours():
    _, values = tempo()
    assert values["tempo"]["retention"] == "336h"
    _, values = tempo(retention_days={"traces": 3})
    assert values["tempo"]["retention"] == "72h"


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_service_account_is_the_one_its_identity_binds(backend):
    _, values = tempo(backend)
    assert SERVICE_ACCOUNT == SERVICE_ACCOUNTS["tempo"]
    assert values["serviceAccount"] == {"create": True, "name": SERVICE_ACCOUNT.name,
                                        "annotations": annotations(backend, "tempo")}
    chart = chart_values("tempo")
    if chart is None:
        pytest.skip("../shared/charts/tempo-2.2.4 is not beside this checkout")
    assert "name" in chart["serviceAccount"] and "annotations" in chart["serviceAccount"]


def test_every_value_set_is_a_key_of_the_charts_values():
    chart = chart_values("tempo")
    if chart is None:
        pytest.skip("../shared/charts/tempo-2.2.4 is not beside this checkout")
    for size in ("small", "medium"):
        _, values = tempo(size=size)
        assert missing_paths(values, chart, PASSTHROUGH) == []


def test_sizes_grow_the_pod_not_the_replicas():
    _, small = tempo(size="small")
    _, medium = tempo(size="medium")
    assert small["replicas"] == medium["replicas"] == 1
    assert (small["persistence"]["size"], medium["persistence"]["size"]) == ("10Gi", "50Gi")
    assert medium["tempo"]["resources"]["limits"]["memory"] == "8Gi"
