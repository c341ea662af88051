"""GcpCiAgent: runners as the KSA Workload Identity binds, writer on the data layer's repository only,
the token read by External Secrets through a binding on that one secret."""

import pytest
import yaml

from platform_constructs.kubernetes.chart_release import release_values
from tests.helpers import gcp_spec, resources, synth

GITHUB = {"kind": "github", "url": "https://github.com/acme/app", "secret_name": "ci-runner-token"}
GITLAB = {"kind": "gitlab", "url": "https://gitlab.com", "secret_name": "gitlab-runner-token"}
DATA = {"registry": {"repositories": ["api"]}}


@pytest.fixture(scope="module")
def github():
    return synth(gcp_spec(name="gci", addons={"ci_agent": GITHUB}, data=DATA))["addons"]


def release(addons, chart):
    (body,) = [b for b in resources(addons, "helm_release") if b["chart"] == chart]
    return body, release_values(body)


def wi_members(addons, account_id):
    (logical,) = [k for k, v in addons["resource"]["google_service_account"].items() if v["account_id"] == account_id]
    return [b["member"] for b in resources(addons, "google_service_account_iam_member")
            if b["service_account_id"] == f"${{google_service_account.{logical}.name}}"
            and b["role"] == "roles/iam.workloadIdentityUser"], logical


def test_github_runners_run_as_the_service_account_workload_identity_binds(github):
    body, values = release(github, "gha-runner-scale-set")
    members, _ = wi_members(github, "tc-ci-runner")
    sa = values["template"]["spec"]["serviceAccountName"]
    assert members == [f"serviceAccount:proj-1.svc.id.goog[{body['namespace']}/{sa}]"]
    (account,) = resources(github, "kubernetes_service_account_v1")
    assert account["metadata"]["name"] == sa
    assert "iam.gke.io/gcp-service-account" in account["metadata"]["annotations"]


def test_the_runner_account_writes_only_the_data_layers_repository(github):
    _, logical = wi_members(github, "tc-ci-runner")
    grants = [g for g in resources(github, "google_artifact_registry_repository_iam_member")
              if g["member"] == f"${{google_service_account.{logical}.member}}"]
    assert [g["role"] for g in grants] == ["roles/artifactregistry.writer"]
    # The data layer's repository (a name known at synth: projects/<p>/locations/<region>/repositories/<env>).
    assert grants[0]["repository"] == "projects/proj-1/locations/us-central1/repositories/gci"
    assert not [g for g in resources(github, "google_project_iam_member")
                if g["member"] == f"${{google_service_account.{logical}.member}}"]


def test_external_secrets_reads_only_the_named_secret(github):
    body, values = release(github, "external-secrets")
    members, logical = wi_members(github, "tc-external-secrets")
    assert members == [f"serviceAccount:proj-1.svc.id.goog[{body['namespace']}/{values['serviceAccount']['name']}]"]
    (grant,) = resources(github, "google_secret_manager_secret_iam_member")
    assert (grant["secret_id"], grant["role"]) == ("ci-runner-token", "roles/secretmanager.secretAccessor")
    assert grant["member"] == f"${{google_service_account.{logical}.member}}"
    (objects,) = [b for b in resources(github, "helm_release") if b["name"] == "ci-agent-secrets"]
    store, external = yaml.safe_load(objects["values"][0])["objects"]
    assert store["spec"]["provider"] == {"gcpsm": {"projectID": "proj-1"}}
    assert external["spec"]["data"][0]["remoteRef"] == {"key": "ci-runner-token"}


def test_gitlab_job_pods_run_as_the_bound_service_account():
    addons = synth(gcp_spec(name="gcl", addons={"ci_agent": GITLAB}, data=DATA))["addons"]
    body, values = release(addons, "gitlab-runner")
    members, _ = wi_members(addons, "tc-ci-runner")
    assert 'service_account = "ci-runner"' in values["runners"]["config"]
    assert members == [f"serviceAccount:proj-1.svc.id.goog[{body['namespace']}/ci-runner]"]
    assert values["runners"]["secret"] == "ci-agent-registration" and values["gitlabUrl"] == "https://gitlab.com"


def test_without_a_registry_the_runner_gets_no_push_right():
    addons = synth(gcp_spec(name="gnr", addons={"ci_agent": GITHUB}))["addons"]
    assert not resources(addons, "google_artifact_registry_repository_iam_member")
    assert wi_members(addons, "tc-ci-runner")[0]
