"""MetricsServer: the pinned chart in kube-system, two replicas and a budget, no cloud identity."""

from platform_constructs.aws.metrics_server import SERVICE_ACCOUNT
from platform_constructs.versions import CHARTS
from tests.aws.test_addons import addons_doc, release_of
from tests.helpers import make_spec

CHART = "metrics-server"


def test_the_pinned_chart_in_kube_system():
    body, _ = release_of(addons_doc(), CHART)
    assert (body["name"], body["version"], body["namespace"]) == (CHART, CHARTS[CHART].version, "kube-system")


def test_two_replicas_and_a_budget_keeping_one():
    _, values = release_of(addons_doc(), CHART)
    assert values["replicas"] == 2
    assert values["podDisruptionBudget"] == {"enabled": True, "minAvailable": 1}


def test_its_service_account_gets_no_cloud_identity():
    doc = addons_doc(make_spec(aws={"workload_identity": "irsa"}))
    body, values = release_of(doc, CHART)
    assert values["serviceAccount"] == {"create": True, "name": SERVICE_ACCOUNT.name}
    assert body["namespace"] == SERVICE_ACCOUNT.namespace
    assert SERVICE_ACCOUNT.subject not in str(doc["resource"]["aws_iam_role"])
    assert "depends_on" not in body
