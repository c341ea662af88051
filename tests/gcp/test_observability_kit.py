"""GcpKit.observability: the storage construct, then the neutral releases on what it made."""

import json
import re
import sys
import types
from pathlib import Path

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_google.provider import GoogleProvider

from platform_constructs.gcp.contracts import GcpDataContract
from platform_constructs.gcp.kit import GcpKit
from platform_constructs.gcp.observability_storage import access_log_bucket_name, gcs_bucket_names
from platform_constructs.observability.storage import COMPONENT_BUCKETS
from platform_constructs.observability.storage import ObservabilityStorage
from tests.gcp.test_workload_identity import CLUSTER
from tests.helpers import gcp_spec

MIRROR = "oci://registry.example.com/charts"


@pytest.fixture
def recorded(monkeypatch, tmp_path):
    """The kit run against a stand-in ``ObservabilityReleases`` that records what it is given."""
    calls = []

    class Recorder:
        def __init__(self, scope, id, **props):
            calls.append({"id": id, **props})

    monkeypatch.setitem(sys.modules, "platform_constructs.observability.releases",
                        types.SimpleNamespace(ObservabilityReleases=Recorder))
    spec = gcp_spec(addons={"chart_repository": MIRROR})
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "probe")
    GoogleProvider(stack, "google", project="proj-1", region="us-central1")
    GcpKit().observability(stack, spec, None, CLUSTER, GcpDataContract())
    app.synth()
    return spec, calls, json.loads(Path(tmp_path, "stacks", "probe", "cdk.tf.json").read_text())


def test_the_releases_get_the_storage_the_zones_and_the_mirror(recorded):
    spec, calls, _ = recorded
    [call] = calls
    assert call["spec"] == spec.observability and call["zones"] == spec.zones == ["us-central1-a", "us-central1-b",
                                                                                   "us-central1-c"]
    assert call["chart_repository"] == MIRROR
    storage = call["storage"]
    assert isinstance(storage, ObservabilityStorage) and storage.store.backend == "gcs"
    assert storage.store.buckets == gcs_bucket_names(spec) and sorted(storage.identities) == ["loki", "mimir", "tempo"]
    assert storage.depends_on  # the bindings and bucket grants


def test_the_bucket_names_are_an_output(recorded):
    spec, _, doc = recorded
    assert doc["output"]["observability_buckets"]["value"] == gcs_bucket_names(spec)


def test_the_kit_builds_the_storage(recorded):
    _, _, doc = recorded
    assert len(doc["resource"]["google_storage_bucket"]) == 7
    assert len(doc["resource"]["google_service_account"]) == 3


@pytest.fixture(scope="module")
def gcp_dev():
    pytest.importorskip("platform_constructs.observability.releases",
                        reason="ObservabilityReleases (the neutral releases) is not in this tree yet")
    from platform_constructs.spec import load_environment
    from tests.helpers import ROOT, synth

    spec = load_environment(ROOT / "environments" / "gcp-dev.yaml")
    return spec, synth(spec)["observability"]


def test_gcp_dev_has_the_seven_buckets(gcp_dev):
    spec, stack = gcp_dev
    names = gcs_bucket_names(spec)
    assert sorted(b["name"] for b in stack["resource"]["google_storage_bucket"].values()) == sorted(
        [*names.values(), access_log_bucket_name(spec)])


@pytest.mark.parametrize("component", sorted(COMPONENT_BUCKETS))
def test_each_release_names_its_own_buckets_and_google_account_only(gcp_dev, component):
    from platform_constructs.kubernetes.chart_release import release_values

    spec, stack = gcp_dev
    [release] = [r for r in stack["resource"]["helm_release"].values() if r["name"] == component]
    values = json.dumps(release_values(release))
    names = gcs_bucket_names(spec)
    for seed, name in names.items():
        assert (name in values) == (seed in COMPONENT_BUCKETS[component]), (component, seed)
    [(account_id, _)] = [(k, a) for k, a in stack["resource"]["google_service_account"].items()
                         if a["account_id"] == f"{spec.cluster.name}-{component}"]
    emails = set(re.findall(r"google_service_account\.([^.]+)\.email", values))
    assert emails == {account_id}
    binding = [k for k, b in stack["resource"]["google_service_account_iam_member"].items()
               if b["member"].endswith(f"[observability/{component}]")]
    assert f"google_service_account_iam_member.{binding[0]}" in release["depends_on"]
