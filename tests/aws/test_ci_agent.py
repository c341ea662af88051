"""AwsCiAgent: runners as the service account their IAM role binds, ECR push on the data layer's
repositories only, the registration token through External Secrets (never in the JSON)."""

import json

import kubernetes_validate
import pytest
import yaml

from platform_constructs.aws.contracts import AwsDataContract
from platform_constructs.integration import ci_agent as values_of
from tests.aws.test_addons import FILE_SYSTEM, addons_doc, annotations_point_at, bound_subjects, release_of, role_id
from tests.helpers import make_spec, resources

REPOS = {"api": "arn:aws:ecr:us-east-1:111122223333:repository/t/api",
         "web": "arn:aws:ecr:us-east-1:111122223333:repository/t/web"}
DATA = AwsDataContract(file_system_id=FILE_SYSTEM, repository_arns=REPOS)
GITHUB = {"kind": "github", "url": "https://github.com/acme", "secret_name": "ci-runner-token"}
GITLAB = {"kind": "gitlab", "url": "https://gitlab.example.com", "secret_name": "gitlab-runner-token"}
RUNNER_ROLE, ESO_ROLE = "tc-ci-runner", "tc-external-secrets"


def doc_for(agent=GITHUB, mode="pod_identity"):
    return addons_doc(make_spec(addons={"ci_agent": agent}, aws={"workload_identity": mode}), data=DATA)


def inline_policy(doc, role):
    policy = next(p for p in doc["resource"]["aws_iam_role_policy"].values() if p["name"] == role)
    return {s["Sid"]: s for s in json.loads(policy["policy"])["Statement"]}


def objects(doc):
    (body,) = [b for b in resources(doc, "helm_release") if b["name"] == "ci-agent-secrets"]
    return body, yaml.safe_load(body["values"][0])["objects"]


@pytest.mark.parametrize("mode", ["pod_identity", "irsa"])
def test_github_runners_run_as_the_service_account_their_role_binds(mode):
    doc = doc_for(GITHUB, mode)
    body, values = release_of(doc, "gha-runner-scale-set")
    runner_sa = values["template"]["spec"]["serviceAccountName"]
    assert bound_subjects(doc, RUNNER_ROLE) == {f"system:serviceaccount:{body['namespace']}:{runner_sa}"}
    (account,) = resources(doc, "kubernetes_service_account_v1")
    assert (account["metadata"]["namespace"], account["metadata"]["name"]) == (body["namespace"], runner_sa)
    assert annotations_point_at(doc, account["metadata"].get("annotations") or {}, RUNNER_ROLE, mode)


def test_gitlab_job_pods_run_as_the_service_account_their_role_binds():
    doc = doc_for(GITLAB)
    body, values = release_of(doc, "gitlab-runner")
    config = values["runners"]["config"]
    sa = next(line.split("=", 1)[1].strip().strip('"') for line in config.splitlines()
              if line.strip().startswith("service_account ="))
    ns = next(line.split("=", 1)[1].strip().strip('"') for line in config.splitlines()
              if line.strip().startswith("namespace ="))
    assert bound_subjects(doc, RUNNER_ROLE) == {f"system:serviceaccount:{ns}:{sa}"}
    assert ns == body["namespace"] and "privileged = false" in config


def test_push_is_allowed_only_on_the_data_layers_repositories():
    found = inline_policy(doc_for(), RUNNER_ROLE)
    push = found["PushToTheEnvironmentsRepositories"]
    assert sorted(push["Resource"]) == sorted(REPOS.values()) and "ecr:PutImage" in push["Action"]
    assert found["Login"] == {"Sid": "Login", "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"],
                              "Resource": ["*"]}


def test_external_secrets_reads_only_the_named_secret_as_its_own_role():
    doc = doc_for()
    (statement,) = inline_policy(doc, ESO_ROLE).values()
    assert statement["Action"] == ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    (resource,) = statement["Resource"]
    assert resource.startswith("arn:${data.aws_partition.") and resource.endswith(":secret:ci-runner-token-??????")
    body, values = release_of(doc, "external-secrets")
    assert bound_subjects(doc, ESO_ROLE) == {
        f"system:serviceaccount:{body['namespace']}:{values['serviceAccount']['name']}"}


def test_the_registration_secret_comes_from_secrets_manager_by_name_only():
    doc = doc_for()
    body, objs = objects(doc)
    store, external = objs
    assert store["spec"]["provider"] == {"aws": {"service": "SecretsManager", "region": "us-east-1"}}
    assert external["spec"]["data"] == [{"secretKey": "token", "remoteRef": {"key": "ci-runner-token"}}]
    _, runners = release_of(doc, "gha-runner-scale-set")
    assert runners["githubConfigSecret"] == external["spec"]["target"]["name"]
    assert "github_token" in external["spec"]["target"]["template"]["data"]
    # The objects' release waits for the operator that defines their kinds; its chart is the project's own.
    assert any("external-secrets" in d for d in body["depends_on"]) and body["chart"].startswith("assets/")
    text = json.dumps(doc)
    assert "ghp_" not in text and "glrt-" not in text


def test_the_namespace_enforces_restricted_for_github_and_baseline_for_gitlab():
    (ns,) = resources(doc_for(GITHUB), "kubernetes_namespace_v1")
    assert ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    (ns,) = resources(doc_for(GITLAB), "kubernetes_namespace_v1")
    assert ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "baseline"
    assert ns["metadata"]["labels"]["pod-security.kubernetes.io/warn"] == "restricted"


def test_the_github_runner_pod_validates_and_meets_restricted():
    _, values = release_of(doc_for(), "gha-runner-scale-set")
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "runner", "namespace": "ci-agent",
                                                             **values["template"].get("metadata", {})},
           "spec": values["template"]["spec"]}
    kubernetes_validate.validate(pod, "1.33", strict=True)
    (container,) = pod["spec"]["containers"]
    assert pod["spec"]["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    assert pod["spec"]["securityContext"]["runAsUser"] != 0 and ":" in container["image"]


def test_without_a_registry_the_runner_role_has_no_policy():
    doc = addons_doc(make_spec(addons={"ci_agent": GITHUB}))
    assert not [p for p in doc["resource"].get("aws_iam_role_policy", {}).values() if p["name"] == RUNNER_ROLE]
    assert role_id(doc, RUNNER_ROLE)


def test_without_ci_agent_nothing_is_installed():
    doc = addons_doc()
    charts = {b["chart"] for b in resources(doc, "helm_release")}
    assert not charts & {"gha-runner-scale-set", "gitlab-runner", "external-secrets"}
    assert not resources(doc, "kubernetes_namespace_v1")
