"""ObservabilityReleases: the namespace, the five releases, their order, and no keys anywhere.

Also home of the probe the component test modules use (``releases_doc`` / ``release_of``): the
releases on a fake ObservabilityStorage per backend (s3, gcs, azure) in a probe stack.
"""

import json
from pathlib import Path

import pytest
import yaml
from cdktf import TerraformVariable
from cdktf_cdktf_provider_kubernetes.config_map_v1 import ConfigMapV1, ConfigMapV1Metadata

from platform_constructs.kubernetes.chart_release import release_values
from platform_constructs.observability.endpoints import (
    COLLECTOR_RELEASE, GRAFANA_RELEASE, LOKI_RELEASE, MIMIR_RELEASE, TEMPO_RELEASE,
)
from platform_constructs.observability.releases import NAMESPACE_LABELS, ObservabilityReleases
from platform_constructs.observability.storage import (
    BUCKETS, NAMESPACE, SERVICE_ACCOUNTS, ObjectStore, ObservabilityStorage,
)
from platform_constructs.spec.observability import ObservabilitySpec
from platform_constructs.versions import CHARTS
from platform_constructs.workload_identity import WorkloadIdentity
from tests.helpers import in_cluster_probe, resources

SHARED_CHARTS = Path(__file__).resolve().parents[3] / "shared" / "charts"
ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"]
BACKENDS = ("s3", "gcs", "azure")
REGION = "us-east-1"
ENDPOINT = "s3.us-east-1.amazonaws.com"
ACCOUNT = "tobs0123456789ab"
#: A Terraform token in every S3/GCS bucket name (like the account id read from aws_caller_identity).
UNIQUE_VARIABLE = "unique"
UNIQUE_TOKEN_TEXT = "${var.unique}"
#: Key fragments that would mean a static credential in values (case-insensitive).
SECRET_KEYS = ("access_key", "accesskey", "secret", "accountkey", "account_key", "connectionstring",
               "connection_string", "password", "client_secret", "sas_token")


def annotations(backend: str, component: str) -> dict:
    return {
        "s3": {"eks.amazonaws.com/role-arn": f"arn:aws:iam::111122223333:role/t-observability-{component}"},
        "gcs": {"iam.gke.io/gcp-service-account": f"t-{component}@proj-1.iam.gserviceaccount.com"},
        "azure": {"azure.workload.identity/client-id": f"00000000-0000-0000-0000-00000000000{len(component)}"},
    }[backend]


def pod_labels(backend: str) -> dict:
    return {"azure.workload.identity/use": "true"} if backend == "azure" else {}


def bucket_name(backend: str, bucket: str, unique: str) -> str:
    return bucket if backend == "azure" else f"t-{unique}-{bucket}"


def make_storage(backend: str, unique: str = "111122223333", depends_on: tuple = ()) -> ObservabilityStorage:
    """A fake kit's hand-over: the store of ``backend`` and one identity per component (no cloud)."""
    buckets = {b: bucket_name(backend, b, unique) for b in BUCKETS}
    store = {
        "s3": lambda: ObjectStore("s3", buckets, region=REGION, endpoint=ENDPOINT),
        "gcs": lambda: ObjectStore("gcs", buckets),
        "azure": lambda: ObjectStore("azure", buckets, account_name=ACCOUNT),
    }[backend]()
    identities = {c: WorkloadIdentity(sa, principal=f"{c}-principal", annotations=annotations(backend, c),
                                      pod_labels=pod_labels(backend)) for c, sa in SERVICE_ACCOUNTS.items()}
    return ObservabilityStorage(store, identities, depends_on)


def make_spec(**fields) -> ObservabilitySpec:
    return ObservabilitySpec.model_validate(fields)


_CACHE: dict[str, dict] = {}


def releases_doc(backend: str = "s3", *, zones=tuple(ZONES), chart_repository=None, **spec_fields) -> dict:
    """The synthesized probe: ObservabilityReleases on ``backend`` with a token in the bucket names and
    a stand-in binding resource in ``storage.depends_on``."""
    key = json.dumps([backend, list(zones), chart_repository, spec_fields], sort_keys=True)
    if key not in _CACHE:
        def build(stack):
            unique = TerraformVariable(stack, UNIQUE_VARIABLE, type="string").string_value
            binding = ConfigMapV1(stack, "binding", metadata=ConfigMapV1Metadata(name="stand-in", namespace="default"))
            ObservabilityReleases(stack, "obs", spec=make_spec(**spec_fields),
                                  storage=make_storage(backend, unique, (binding,)), zones=list(zones),
                                  chart_repository=chart_repository)
        _CACHE[key] = in_cluster_probe(build)
    return _CACHE[key]


def release_of(doc: dict, name: str) -> tuple[dict, dict]:
    """The ``helm_release`` named ``name`` and its parsed values."""
    (body,) = [r for r in resources(doc, "helm_release") if r["name"] == name]
    return body, release_values(body)


def logical_id(doc: dict, rtype: str, name: str) -> str:
    for rid, body in doc["resource"][rtype].items():
        if body.get("name") == name or body.get("metadata", {}).get("name") == name:
            return f"{rtype}.{rid}"
    raise KeyError(name)


def walk_keys(value, path=""):
    """Every (dotted path, key) of a nested values document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}".lstrip("."), key
            yield from walk_keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_keys(item, f"{path}[{index}]")


def chart_values(chart: str) -> dict | None:
    """The chart's own values.yaml from ../shared/charts, or None when not copied there."""
    pinned = CHARTS[chart]
    path = SHARED_CHARTS / f"{pinned.name}-{pinned.version}" / "values.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None


def missing_paths(ours, theirs, passthrough: set[str], path: str = "") -> list[str]:
    """Key paths we set that the chart's values.yaml does not have. Stops at free-form maps (the
    chart's value is ``{}``, ``null`` or not a map) and skips ``passthrough`` paths (Kubernetes objects
    or config sections the chart copies as they are, and keys its values.yaml documents only in a
    comment)."""
    out = []
    for key, item in ours.items():
        here = f"{path}.{key}".lstrip(".")
        if not isinstance(theirs, dict) or not theirs:
            return []
        if here in passthrough:
            continue
        if key not in theirs:
            out.append(here)
        elif isinstance(item, dict) and here not in passthrough:
            out.extend(missing_paths(item, theirs[key], passthrough, here))
    return out


# --- the namespace and the releases ------------------------------------------------------------------

def test_the_namespace_enforces_baseline_and_warns_and_audits_restricted():
    (namespace,) = resources(releases_doc(), "kubernetes_namespace_v1")
    assert namespace["metadata"]["name"] == NAMESPACE == "observability"
    labels = namespace["metadata"]["labels"]
    assert labels == NAMESPACE_LABELS
    assert labels["pod-security.kubernetes.io/enforce"] == "baseline"
    assert labels["pod-security.kubernetes.io/warn"] == labels["pod-security.kubernetes.io/audit"] == "restricted"


@pytest.mark.parametrize("backend", BACKENDS)
def test_five_pinned_releases_in_the_observability_namespace(backend):
    doc = releases_doc(backend)
    found = {r["name"]: r for r in resources(doc, "helm_release")}
    assert set(found) == {MIMIR_RELEASE, LOKI_RELEASE, TEMPO_RELEASE, COLLECTOR_RELEASE, GRAFANA_RELEASE}
    charts = {MIMIR_RELEASE: "mimir-distributed", LOKI_RELEASE: "loki", TEMPO_RELEASE: "tempo",
              COLLECTOR_RELEASE: "alloy", GRAFANA_RELEASE: "grafana"}
    for name, body in found.items():
        pinned = CHARTS[charts[name]]
        assert (body["chart"], body["version"], body["repository"]) == (pinned.name, pinned.version, pinned.repository)
        assert body["namespace"] == NAMESPACE
        assert body["create_namespace"] is False


def test_backends_wait_for_the_namespace_and_the_storage_bindings_collector_and_grafana_for_the_backends():
    doc = releases_doc()
    namespace = logical_id(doc, "kubernetes_namespace_v1", NAMESPACE)
    binding = logical_id(doc, "kubernetes_config_map_v1", "stand-in")
    backends = set()
    for name in (MIMIR_RELEASE, LOKI_RELEASE, TEMPO_RELEASE):
        body, _ = release_of(doc, name)
        assert set(body["depends_on"]) == {namespace, binding}
        backends.add(logical_id(doc, "helm_release", name))
    for name in (COLLECTOR_RELEASE, GRAFANA_RELEASE):
        body, _ = release_of(doc, name)
        assert backends <= set(body["depends_on"])


def test_grafana_only_when_the_file_asks():
    names = {r["name"] for r in resources(releases_doc(grafana=False), "helm_release")}
    assert GRAFANA_RELEASE not in names
    assert len(names) == 4


def test_a_mirror_serves_every_release():
    mirror = "oci://registry.internal.example.com/charts"
    for body in resources(releases_doc(chart_repository=mirror), "helm_release"):
        assert body["repository"] == mirror


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("size", ["small", "medium"])
def test_no_access_keys_or_secrets_anywhere_in_any_release(backend, size):
    doc = releases_doc(backend, size=size)
    for body in resources(doc, "helm_release"):
        values = release_values(body)
        for path, key in walk_keys(values):
            lowered = key.lower().replace("-", "_")
            assert not any(fragment in lowered for fragment in SECRET_KEYS), f"{body['name']}: {path}"
        # Nothing sensitive passed beside the values either.
        assert "set_sensitive" not in body and "set" not in body


@pytest.mark.parametrize("backend", ["s3", "gcs"])
def test_bucket_names_may_be_terraform_tokens(backend):
    doc = releases_doc(backend)
    _, values = release_of(doc, LOKI_RELEASE)
    # chart_release writes a token string as ${jsonencode("...")}: Terraform puts a JSON string there.
    assert values["loki"]["storage"]["bucketNames"]["chunks"] == (
        f'${{jsonencode("t-{UNIQUE_TOKEN_TEXT}-loki-chunks")}}')


def test_medium_needs_three_zones():
    with pytest.raises(ValueError, match="spreads Mimir over 3 zones.*lists 2.*use size small"):
        releases_doc(size="medium", zones=("a", "b"))


def test_zones_must_be_names():
    with pytest.raises(ValueError, match="zones must be a list of zone names"):
        in_cluster_probe(lambda s: ObservabilityReleases(s, "obs", spec=make_spec(), storage=make_storage("s3"),
                                                         zones="us-east-1a"))


def expected_bucket(backend: str, bucket: str) -> str:
    """How ``bucket``'s name reads in parsed values: the token interpolation on S3/GCS, plain on Azure."""
    if backend == "azure":
        return bucket
    return f'${{jsonencode("t-{UNIQUE_TOKEN_TEXT}-{bucket}")}}'
