"""Cluster logs in Cloud Logging (the seed's "Autoscaler / Apps -> Cloud Logging"): GKE ships them itself.

The GCP observability layer adds nothing for cluster logs: the cluster layer turns on GKE's system
and workload logging, and the nodes' service account may write logs. These tests hold that promise
for every shipped GCP environment.
"""

import pytest
import yaml

from platform_constructs.gcp.cluster import LOGGING_COMPONENTS
from platform_constructs.spec import load_environment, parse_environment
from tests.helpers import ROOT, one, resources, synth

GCP_ENVS = [p for p in sorted((ROOT / "environments").glob("*.yaml")) if load_environment(p).cloud == "gcp"]


def test_system_and_workload_logs_are_in_the_components():
    assert {"SYSTEM_COMPONENTS", "WORKLOADS"} <= set(LOGGING_COMPONENTS)


@pytest.fixture(scope="module", params=GCP_ENVS, ids=lambda p: p.stem)
def cluster(request):
    # the cluster layer alone: observability off so this holds whatever the in-cluster layers do
    doc = yaml.safe_load(request.param.read_text())
    return synth(parse_environment({**doc, "observability": {"enabled": False}}, request.param.name))["cluster"]


def test_every_gcp_environment_sends_system_and_workload_logs_to_cloud_logging(cluster):
    gke = one(cluster, "google_container_cluster")
    components = gke["logging_config"]["enable_components"]
    assert "SYSTEM_COMPONENTS" in components and "WORKLOADS" in components
    assert gke.get("logging_service") in (None, "logging.googleapis.com/kubernetes")  # never "none"


def test_the_nodes_may_write_logs(cluster):
    roles = {m["role"] for m in resources(cluster, "google_project_iam_member")}
    assert "roles/logging.logWriter" in roles


def test_shipped_gcp_environments_exist():
    assert {p.stem for p in GCP_ENVS} >= {"gcp-dev", "gcp-prod"}
