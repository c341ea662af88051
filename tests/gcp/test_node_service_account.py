"""NodeServiceAccount: a dedicated node identity with exactly the least-privilege roles."""

import pytest

from platform_constructs.gcp.node_service_account import account_id_for
from tests.helpers import gcp_spec
from tests.helpers import one, ref, resources, synth


@pytest.fixture(scope="module")
def cluster():
    return synth(gcp_spec())["cluster"]


def test_dedicated_account_per_cluster(cluster):
    account = one(cluster, "google_service_account")
    assert account["account_id"] == "tc-nodes" and account["project"] == "proj-1"


def test_exactly_the_five_node_roles(cluster):
    email = ref(cluster, "google_service_account", one(cluster, "google_service_account"), "email")
    grants = resources(cluster, "google_project_iam_member")
    assert sorted(g["role"] for g in grants) == [
        "roles/artifactregistry.reader", "roles/logging.logWriter", "roles/monitoring.metricWriter",
        "roles/monitoring.viewer", "roles/stackdriver.resourceMetadata.writer",
    ]
    assert all(g["member"] == f"serviceAccount:{email}" and g["project"] == "proj-1" for g in grants)


@pytest.mark.parametrize("name", ["tc", "a-very-long-cluster-name-of-38-chars-x", "twenty-three-characters-"])
def test_account_ids_fit_the_30_character_limit(name):
    account_id = account_id_for(name)
    assert 6 <= len(account_id) <= 30 and "--" not in account_id and account_id.endswith("-nodes")
