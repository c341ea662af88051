"""``<env>-observability`` of a ``cloud: kubernetes`` environment, synthesized: the file's
S3-compatible store reaches Mimir, Loki and Tempo in each chart's keys, the six buckets are the
plain ``[<prefix>-]<env>-<bucket>`` names, only the Secret's name is in the JSON, no cloud identity,
the user's namespace labelled (not created), volumes on the file's block StorageClass."""

from __future__ import annotations

import json
import re

import kubernetes_validate
import pytest

from platform_constructs.kubernetes.chart_release import release_values
from platform_constructs.spec.loading import load_environment
from tests.helpers import ROOT, kubernetes_spec, resources, synth

#: The releases by chart name (``helm_release.chart``), so the test names nothing of the code's.
CHARTS = ("mimir-distributed", "loki", "tempo", "alloy", "grafana")
SECRET_ENV = [
    {"name": "AWS_ACCESS_KEY_ID",
     "valueFrom": {"secretKeyRef": {"name": "observability-s3", "key": "AWS_ACCESS_KEY_ID"}}},
    {"name": "AWS_SECRET_ACCESS_KEY",
     "valueFrom": {"secretKeyRef": {"name": "observability-s3", "key": "AWS_SECRET_ACCESS_KEY"}}},
]
SIX = ("mimir-metrics", "mimir-alertmanager", "mimir-ruler", "loki-chunks", "loki-ruler", "tempo-traces")


def observability(**override) -> dict:
    return synth(kubernetes_spec(**override))["observability"]


def chart_values(doc: dict, chart: str) -> dict:
    (body,) = [r for r in resources(doc, "helm_release") if r["chart"] == chart]
    return release_values(body)


def test_five_releases_on_the_kubeconfig_providers_and_no_cloud_resource():
    doc = observability()
    assert sorted(r["chart"] for r in resources(doc, "helm_release")) == sorted(CHARTS)
    assert set(doc["resource"]) == {"helm_release", "kubernetes_labels"}
    assert set(doc["provider"]) == {"kubernetes", "helm"}
    assert "data" not in doc


@pytest.mark.parametrize(("endpoint", "insecure", "host"), [
    ("https://s3.example.internal", False, "s3.example.internal"),
    ("http://minio.minio.svc:9000", True, "minio.minio.svc:9000"),
])
def test_the_files_endpoint_region_and_path_style_reach_each_chart(endpoint, insecure, host):
    storage = {"endpoint": endpoint, "region": "cn-north-4", "path_style": True, "insecure": insecure}
    doc = observability(observability={"storage": storage})
    mimir = chart_values(doc, "mimir-distributed")["mimir"]["structuredConfig"]["common"]["storage"]["s3"]
    assert (mimir["endpoint"], mimir["region"], mimir["bucket_lookup_type"]) == (host, "cn-north-4", "path")
    assert mimir.get("insecure", False) is insecure
    loki = chart_values(doc, "loki")["loki"]["storage"]["s3"]
    assert loki == {"endpoint": host, "region": "cn-north-4", "s3ForcePathStyle": True, "insecure": insecure}
    tempo = chart_values(doc, "tempo")["tempo"]["storage"]["trace"]["s3"]
    assert (tempo["endpoint"], tempo["region"], tempo["forcepathstyle"], tempo["insecure"]) == (
        host, "cn-north-4", True, insecure)


def test_virtual_hosted_style_when_path_style_is_false():
    doc = observability(observability={"storage": {"path_style": False}})
    mimir = chart_values(doc, "mimir-distributed")["mimir"]["structuredConfig"]["common"]["storage"]["s3"]
    assert "bucket_lookup_type" not in mimir  # Mimir's default: auto (virtual-hosted for a DNS name)
    assert chart_values(doc, "loki")["loki"]["storage"]["s3"]["s3ForcePathStyle"] is False
    assert chart_values(doc, "tempo")["tempo"]["storage"]["trace"]["s3"]["forcepathstyle"] is False


def test_the_six_buckets_are_the_plain_environment_names():
    doc = observability(name="onprem-prod", observability={"bucket_prefix": "acme"})
    mimir = chart_values(doc, "mimir-distributed")["mimir"]["structuredConfig"]
    loki = chart_values(doc, "loki")["loki"]["storage"]["bucketNames"]
    tempo = chart_values(doc, "tempo")["tempo"]["storage"]["trace"]["s3"]
    found = {
        "mimir-metrics": mimir["blocks_storage"]["s3"]["bucket_name"],
        "mimir-alertmanager": mimir["alertmanager_storage"]["s3"]["bucket_name"],
        "mimir-ruler": mimir["ruler_storage"]["s3"]["bucket_name"],
        "loki-chunks": loki["chunks"], "loki-ruler": loki["ruler"], "tempo-traces": tempo["bucket"],
    }
    assert found == {b: f"acme-onprem-prod-{b}" for b in SIX}


def test_every_backend_pod_gets_the_secrets_two_keys_and_nothing_else_secret():
    doc = observability()
    assert chart_values(doc, "mimir-distributed")["global"]["extraEnv"] == SECRET_ENV
    assert chart_values(doc, "loki")["singleBinary"]["extraEnv"] == SECRET_ENV
    assert chart_values(doc, "tempo")["tempo"]["extraEnv"] == SECRET_ENV
    for entry in SECRET_ENV:
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "observability"},
               "spec": {"containers": [{"name": "c", "image": "registry.example.com/c:1", "env": [entry]}]}}
        kubernetes_validate.validate(pod, "1.33", strict=True)


def test_no_access_key_in_the_json_only_the_secret_name():
    text = json.dumps(observability())
    assert "observability-s3" in text
    assert not re.search(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b", text)
    assert not re.search(r"(?i)(access_key_id|secret_access_key|accesskeyid|secretaccesskey)\\?\"?\s*[:=]", text)
    assert "kubernetes_secret" not in text


def test_no_cloud_identity_on_any_service_account():
    doc = observability()
    for chart in ("mimir-distributed", "loki", "tempo"):
        assert chart_values(doc, chart)["serviceAccount"]["annotations"] == {}, chart


def test_the_users_namespace_gets_the_pod_security_labels_before_any_release():
    doc = observability()
    assert "kubernetes_namespace_v1" not in doc["resource"]
    ((rid, labels),) = doc["resource"]["kubernetes_labels"].items()
    assert (labels["kind"], labels["metadata"]["name"]) == ("Namespace", "observability")
    assert labels["labels"]["pod-security.kubernetes.io/enforce"] == "baseline"
    for body in resources(doc, "helm_release"):
        assert f"kubernetes_labels.{rid}" in body["depends_on"], body["chart"]


def test_volumes_use_the_files_block_storage_class():
    doc = observability(kubernetes={"storage_classes": {"block": "ceph-rbd"}})
    mimir = chart_values(doc, "mimir-distributed")
    for component in ("alertmanager", "compactor", "ingester", "store_gateway"):
        assert mimir[component]["persistentVolume"]["storageClass"] == "ceph-rbd", component
    assert chart_values(doc, "loki")["singleBinary"]["persistence"]["storageClass"] == "ceph-rbd"
    assert chart_values(doc, "tempo")["persistence"]["storageClassName"] == "ceph-rbd"
    assert chart_values(doc, "grafana")["persistence"]["storageClassName"] == "ceph-rbd"


def test_without_a_block_class_the_clusters_default_class_is_used():
    doc = observability(kubernetes={"storage_classes": {"block": None}})
    mimir = chart_values(doc, "mimir-distributed")
    assert "storageClass" not in mimir["ingester"]["persistentVolume"]
    assert "storageClass" not in chart_values(doc, "loki")["singleBinary"]["persistence"]
    assert "storageClassName" not in chart_values(doc, "tempo")["persistence"]
    assert "storageClassName" not in chart_values(doc, "grafana")["persistence"]


def test_the_shipped_example_synthesizes_with_its_minio_store():
    spec = load_environment(ROOT / "environments" / "onprem-example.yaml")
    doc = synth(spec)["observability"]
    storage = spec.observability.storage
    loki = chart_values(doc, "loki")["loki"]["storage"]["s3"]
    assert f"https://{loki['endpoint']}" == storage.endpoint.rstrip("/")
    assert chart_values(doc, "tempo")["tempo"]["extraEnv"][0]["valueFrom"]["secretKeyRef"]["name"] == \
        storage.credentials_secret
