"""The neutral releases on an S3-compatible store the user brings (``cloud: kubernetes``): endpoint,
region, path style, http and the credentials Secret reach Mimir, Loki and Tempo in the keys each
chart reads, and no access key is anywhere in the synthesized JSON.

Where each key comes from (the charts', not this project's):

- Mimir (mimir-distributed 6.1.0, grafana/mimir ``operations/helm/charts/mimir-distributed``):
  ``mimir.structuredConfig`` is Mimir's own config; ``common.storage.s3`` takes ``endpoint``
  (host[:port], no scheme), ``region``, ``insecure`` (http) and ``bucket_lookup_type`` (``auto``,
  ``virtual-hosted`` or ``path``). Every container's env is built by the chart's
  ``mimir.lib.containerEnv`` from ``global.extraEnv`` (templates/_helpers.tpl).
- Loki (18.11.0, ../shared/charts/loki-18.11.0/values.yaml): ``loki.storage.s3.{endpoint, region,
  s3ForcePathStyle, insecure}``; the single binary's env is
  ``concat global.extraEnv defaults.extraEnv singleBinary.extraEnv`` (templates/_pod.tpl).
- Tempo (2.2.4, ../shared/charts/tempo-2.2.4/values.yaml): ``tempo.storage.trace`` is Tempo's
  storage config (``s3.{bucket, endpoint, region, forcepathstyle, insecure}``); the container's env
  is ``tempo.extraEnv`` (templates/statefulset.yaml).
"""

import json
import re

import kubernetes_validate
import pytest

from platform_constructs.kubernetes.chart_release import release_values
from platform_constructs.observability.endpoints import LOKI_RELEASE, MIMIR_RELEASE, TEMPO_RELEASE
from platform_constructs.observability.releases import ObservabilityReleases
from platform_constructs.observability.storage import (
    BUCKETS, ObjectStore, ObservabilityStorage, plain_bucket_names,
)
from platform_constructs.spec.observability import ObservabilitySpec
from platform_constructs.workload_identity import ServiceAccount, WorkloadIdentity
from tests.helpers import in_cluster_probe, resources
from platform_constructs.versions import CHARTS
from tests.observability.test_releases import SHARED_CHARTS, chart_values, missing_paths, walk_keys

HOST = "minio.storage.svc:9000"
REGION = "eu-central-1"
SECRET = "observability-s3"
#: The Secret's keys, as issue 18 names them (and every S3 SDK reads from the environment).
KEY_ID, SECRET_KEY = "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"
#: What every component's container must receive: both keys from the named Secret, not optional.
EXPECTED_ENV = [
    {"name": KEY_ID, "valueFrom": {"secretKeyRef": {"name": SECRET, "key": KEY_ID}}},
    {"name": SECRET_KEY, "valueFrom": {"secretKeyRef": {"name": SECRET, "key": SECRET_KEY}}},
]
#: Config keys that would hold a static credential in any of the three charts or configs.
CREDENTIAL_CONFIG_KEYS = {"access_key_id", "secret_access_key", "accesskeyid", "secretaccesskey", "access_key",
                          "secret_key", "session_token", "sessiontoken"}
#: An AWS-style access key id, and a 40-character secret key.
ACCESS_KEY_ID = re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b")
SECRET_ACCESS_KEY = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")

_CACHE: dict = {}


def buckets() -> dict[str, str]:
    return {b: f"onprem-prod-{b}" for b in BUCKETS}


def store(*, path_style=True, insecure=False, secret=SECRET) -> ObjectStore:
    return ObjectStore("s3", buckets(), region=REGION, endpoint=HOST, path_style=path_style, insecure=insecure,
                       credentials_secret=secret)


def doc_for(storage_class=None, **store_fields) -> dict:
    key = json.dumps([storage_class, store_fields], sort_keys=True)
    if key not in _CACHE:
        def build(stack):
            ObservabilityReleases(stack, "obs", spec=ObservabilitySpec(),
                                  storage=ObservabilityStorage(store(**store_fields)), zones=[],
                                  namespace_exists=True, storage_class=storage_class)
        _CACHE[key] = in_cluster_probe(build)
    return _CACHE[key]


def values_of(name: str, storage_class=None, **store_fields) -> dict:
    (body,) = [r for r in resources(doc_for(storage_class, **store_fields), "helm_release") if r["name"] == name]
    return release_values(body)


# --- Mimir -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path_style", "insecure"), [(True, False), (False, False), (True, True)])
def test_mimir_common_storage_takes_host_region_lookup_type_and_scheme(path_style, insecure):
    common = values_of(MIMIR_RELEASE, path_style=path_style, insecure=insecure)["mimir"]["structuredConfig"]["common"]
    s3 = common["storage"]["s3"]
    assert common["storage"]["backend"] == "s3"
    assert (s3["endpoint"], s3["region"]) == (HOST, REGION)
    # Mimir's default lookup (auto) picks virtual-hosted for a DNS-like endpoint: path style must be said.
    assert s3.get("bucket_lookup_type", "auto") == ("path" if path_style else "auto")
    assert s3.get("insecure", False) is insecure


def test_mimir_buckets_stay_per_section_and_no_key_is_in_its_config():
    config = values_of(MIMIR_RELEASE)["mimir"]["structuredConfig"]
    assert config["blocks_storage"]["s3"] == {"bucket_name": "onprem-prod-mimir-metrics"}
    assert config["ruler_storage"]["s3"] == {"bucket_name": "onprem-prod-mimir-ruler"}
    assert config["alertmanager_storage"]["s3"] == {"bucket_name": "onprem-prod-mimir-alertmanager"}
    assert not {key.lower() for _, key in walk_keys(config)} & CREDENTIAL_CONFIG_KEYS


def test_mimir_every_pod_reads_both_keys_from_the_secret():
    values = values_of(MIMIR_RELEASE)
    assert values["global"]["extraEnv"] == EXPECTED_ENV
    # No component overrides the global env with its own (the chart lets a component's ``env`` win).
    overriding = [c for c, v in values.items() if isinstance(v, dict) and c != "global" and ("env" in v or "extraEnv" in v)]
    assert overriding == []


# --- Loki ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path_style", "insecure"), [(True, False), (False, True)])
def test_loki_s3_takes_host_region_path_style_and_scheme(path_style, insecure):
    storage = values_of(LOKI_RELEASE, path_style=path_style, insecure=insecure)["loki"]["storage"]
    assert storage["type"] == "s3"
    assert storage["s3"] == {"endpoint": HOST, "region": REGION, "s3ForcePathStyle": path_style, "insecure": insecure}
    assert storage["bucketNames"] == {"chunks": "onprem-prod-loki-chunks", "ruler": "onprem-prod-loki-ruler"}


def test_loki_single_binary_reads_both_keys_from_the_secret():
    values = values_of(LOKI_RELEASE)
    assert values["singleBinary"]["extraEnv"] == EXPECTED_ENV
    assert "accessKeyId" not in values["loki"]["storage"]["s3"]
    assert "secretAccessKey" not in values["loki"]["storage"]["s3"]


# --- Tempo -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path_style", "insecure"), [(True, False), (False, True)])
def test_tempo_trace_storage_takes_host_region_path_style_and_scheme(path_style, insecure):
    trace = values_of(TEMPO_RELEASE, path_style=path_style, insecure=insecure)["tempo"]["storage"]["trace"]
    assert trace["backend"] == "s3"
    assert trace["s3"] == {"bucket": "onprem-prod-tempo-traces", "endpoint": HOST, "region": REGION,
                           "forcepathstyle": path_style, "insecure": insecure}


def test_tempo_container_reads_both_keys_from_the_secret():
    assert values_of(TEMPO_RELEASE)["tempo"]["extraEnv"] == EXPECTED_ENV


# --- the charts' own keys ----------------------------------------------------------------------------

@pytest.mark.parametrize(("chart", "release", "paths"), [
    ("loki", LOKI_RELEASE, [("loki", "storage", "s3", "s3ForcePathStyle"), ("loki", "storage", "s3", "insecure"),
                            ("loki", "storage", "s3", "endpoint"), ("loki", "storage", "s3", "region"),
                            ("singleBinary", "extraEnv")]),
    ("tempo", TEMPO_RELEASE, [("tempo", "extraEnv"), ("tempo", "storage", "trace")]),
])
def test_every_key_we_set_is_one_the_chart_declares(chart, release, paths):
    theirs = chart_values(chart)
    if theirs is None:
        pytest.skip(f"../shared/charts/{chart} is not beside this checkout")
    for path in paths:
        node = theirs
        for key in path:
            assert isinstance(node, dict) and key in node, f"{chart} values.yaml has no {'.'.join(path)}"
            node = node[key]
    ours = values_of(release)
    # Loki's and Tempo's own config sections and Kubernetes objects the charts copy as they are.
    passthrough = {"loki.limits_config", "loki.storage.bucketNames", "loki.commonConfig", "tempo.storage",
                   "tempo.receivers", "securityContext"}
    assert missing_paths(ours, theirs, passthrough) == []


def test_a_storage_class_lands_in_each_charts_volume_key():
    mimir = values_of(MIMIR_RELEASE, storage_class="ceph-rbd")
    stateful = [c for c, v in mimir.items() if isinstance(v, dict) and "persistentVolume" in v]
    assert sorted(stateful) == ["alertmanager", "compactor", "ingester", "store_gateway"]
    assert {mimir[c]["persistentVolume"]["storageClass"] for c in stateful} == {"ceph-rbd"}
    loki = values_of(LOKI_RELEASE, storage_class="ceph-rbd")
    assert loki["singleBinary"]["persistence"]["storageClass"] == "ceph-rbd"
    if chart_values("loki") is None:
        pytest.skip("../shared/charts is not beside this checkout: the charts' own keys are not compared")
    # Loki's values.yaml declares singleBinary.persistence.storageClass (null by default).
    declared = chart_values("loki")["singleBinary"]["persistence"]
    assert "storageClass" in declared and declared["storageClass"] is None
    # Tempo and Grafana document ``persistence.storageClassName`` (commented out in their values.yaml).
    assert values_of(TEMPO_RELEASE, storage_class="ceph-rbd")["persistence"]["storageClassName"] == "ceph-rbd"
    for chart in ("tempo", "grafana"):
        text = (SHARED_CHARTS / f"{CHARTS[chart].name}-{CHARTS[chart].version}" / "values.yaml").read_text()
        assert re.search(r"^persistence:\n(?:  .*\n|\n)*?  # storageClassName: ", text, re.M), chart


def test_the_env_entries_are_valid_kubernetes_env_vars():
    for release, path in ((MIMIR_RELEASE, ("global", "extraEnv")), (LOKI_RELEASE, ("singleBinary", "extraEnv")),
                          (TEMPO_RELEASE, ("tempo", "extraEnv"))):
        env = values_of(release)
        for key in path:
            env = env[key]
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "probe", "namespace": "observability"},
               "spec": {"containers": [{"name": "probe", "image": "registry.example.com/probe:1", "env": env}]}}
        kubernetes_validate.validate(pod, "1.33", strict=True)


# --- nothing secret, no cloud identity ----------------------------------------------------------------

@pytest.mark.parametrize("insecure", [False, True])
def test_no_access_key_anywhere_in_the_json_only_the_secret_name(insecure):
    doc = doc_for(insecure=insecure)
    text = json.dumps(doc)
    assert not ACCESS_KEY_ID.search(text)
    assert not SECRET_ACCESS_KEY.search(text), SECRET_ACCESS_KEY.search(text)
    # Terraform never reads the Secret (a data source would copy the key into the state).
    assert "kubernetes_secret" not in json.dumps(sorted(doc.get("data", {}))) + json.dumps(sorted(doc["resource"]))
    for body in resources(doc, "helm_release"):
        values = release_values(body)
        keys = {key.lower() for _, key in walk_keys(values)}
        assert not keys & CREDENTIAL_CONFIG_KEYS, body["name"]
        assert "set_sensitive" not in body and "set" not in body
        if body["name"] in (MIMIR_RELEASE, LOKI_RELEASE, TEMPO_RELEASE):
            assert SECRET in json.dumps(values), body["name"]
            # Neither expand-env references nor anything else for Terraform to interpolate.
            assert "${AWS_" not in body["values"][0]


def test_service_accounts_carry_no_cloud_identity():
    for release in (MIMIR_RELEASE, LOKI_RELEASE, TEMPO_RELEASE):
        values = values_of(release)
        assert values["serviceAccount"]["annotations"] == {}, release
    assert values_of(MIMIR_RELEASE)["global"]["podLabels"] == {}
    assert values_of(LOKI_RELEASE)["singleBinary"]["podLabels"] == {}
    assert values_of(TEMPO_RELEASE)["podLabels"] == {}


def test_the_users_namespace_is_labelled_not_created_and_the_backends_wait_for_the_labels():
    doc = doc_for()
    assert "kubernetes_namespace_v1" not in doc["resource"]
    ((labels_id, labels),) = doc["resource"]["kubernetes_labels"].items()
    assert (labels["api_version"], labels["kind"], labels["metadata"]["name"]) == ("v1", "Namespace", "observability")
    assert labels["labels"]["pod-security.kubernetes.io/enforce"] == "baseline"
    assert labels["labels"]["pod-security.kubernetes.io/warn"] == "restricted"
    assert labels["force"] is True
    for body in resources(doc, "helm_release"):
        assert f"kubernetes_labels.{labels_id}" in body["depends_on"], body["name"]


# --- the store's own rules -----------------------------------------------------------------------------

def test_an_endpoint_with_a_scheme_is_refused_the_charts_add_it():
    with pytest.raises(ValueError, match="host\\[:port\\]"):
        ObjectStore("s3", buckets(), region=REGION, endpoint=f"https://{HOST}", credentials_secret=SECRET)


@pytest.mark.parametrize("backend", ["gcs", "azure"])
def test_a_credentials_secret_is_for_s3_only(backend):
    with pytest.raises(ValueError, match="credentials_secret is for an s3 store"):
        ObjectStore(backend, buckets(), account_name="acct", credentials_secret=SECRET)


def test_a_store_without_identities_needs_the_secret():
    with pytest.raises(ValueError, match="no identity for mimir, loki, tempo"):
        ObservabilityStorage(store(secret=None))
    assert ObservabilityStorage(store()).identities == {}


def test_an_identity_still_must_bind_the_components_account():
    wrong = WorkloadIdentity(ServiceAccount("observability", "other"), principal="p")
    with pytest.raises(ValueError, match="mimir"):
        ObservabilityStorage(store(), {"mimir": wrong})


# --- bucket names on a store the user brings ------------------------------------------------------------

def test_plain_bucket_names_are_env_and_seed_name_with_the_prefix():
    assert plain_bucket_names("onprem-prod", ObservabilitySpec()) == buckets()
    named = plain_bucket_names("onprem-prod", ObservabilitySpec(bucket_prefix="acme"))
    assert named["tempo-traces"] == "acme-onprem-prod-tempo-traces"


def test_plain_bucket_names_stay_within_63_characters_and_distinct():
    env = "e" * 40
    named = plain_bucket_names(env, ObservabilitySpec(bucket_prefix="p" * 20))
    assert all(len(n) <= 63 and re.fullmatch(r"[a-z0-9][a-z0-9-]*[a-z0-9]", n) for n in named.values())
    assert len(set(named.values())) == len(BUCKETS)
    assert all(n.endswith(f"-{b}") for b, n in named.items())
    # Two long environments sharing a head still differ (the shortened head carries a hash of the whole).
    other = plain_bucket_names(env[:-1] + "f", ObservabilitySpec(bucket_prefix="p" * 20))
    assert named["mimir-metrics"] != other["mimir-metrics"]

