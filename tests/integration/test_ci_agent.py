"""integration.ci_agent: namespace labels, the secret objects, the charts' values, their refusals."""

import tomllib

import kubernetes_validate
import pytest

from platform_constructs.integration import ci_agent as ci
from platform_constructs.spec.addons import CiAgentSpec
from platform_constructs.workload_identity import ServiceAccount, WorkloadIdentity

GITHUB = CiAgentSpec(kind="github", url="https://github.com/acme", secret_name="ci-runner-token")
GITLAB = CiAgentSpec(kind="gitlab", url="https://gitlab.com", secret_name="gitlab-runner-token")
RUNNER = WorkloadIdentity(service_account=ci.RUNNER_SERVICE_ACCOUNT, principal="p",
                          pod_labels={"azure.workload.identity/use": "true"})
STRAY = WorkloadIdentity(service_account=ServiceAccount("default", "x"), principal="p")


def test_github_is_restricted_and_gitlab_baseline_with_restricted_warnings():
    assert ci.pod_security_labels("github")["pod-security.kubernetes.io/enforce"] == "restricted"
    gitlab = ci.pod_security_labels("gitlab")
    assert gitlab["pod-security.kubernetes.io/enforce"] == "baseline"
    assert gitlab["pod-security.kubernetes.io/warn"] == gitlab["pod-security.kubernetes.io/audit"] == "restricted"
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ci.NAMESPACE, "labels": gitlab}}
    kubernetes_validate.validate(namespace, "1.33", strict=True)


@pytest.mark.parametrize("agent,key", [(GITHUB, "github_token"), (GITLAB, "runner-token")])
def test_the_external_secret_writes_the_key_the_chart_reads_from_the_named_secret(agent, key):
    store, external = ci.secret_objects(agent, {"aws": {"service": "SecretsManager", "region": "r"}})
    assert store["kind"] == "SecretStore" and store["metadata"]["namespace"] == ci.NAMESPACE
    spec = external["spec"]
    assert spec["secretStoreRef"] == {"kind": "SecretStore", "name": store["metadata"]["name"]}
    assert spec["data"] == [{"secretKey": "token", "remoteRef": {"key": agent.secret_name}}]
    assert spec["target"]["name"] == ci.REGISTRATION_SECRET and spec["target"]["template"]["data"][key] == "{{ .token }}"
    if agent.kind == "gitlab":
        assert spec["target"]["template"]["data"]["runner-registration-token"] == ""


def test_arc_runners_use_the_bound_service_account_and_the_pinned_image():
    values = ci.arc_scale_set_values(GITHUB, name="env", identity=RUNNER)
    spec = values["template"]["spec"]
    assert spec["serviceAccountName"] == ci.RUNNER_SERVICE_ACCOUNT.name
    assert values["template"]["metadata"]["labels"] == {"azure.workload.identity/use": "true"}
    assert not spec["containers"][0]["image"].endswith(":latest")
    assert values["githubConfigSecret"] == ci.REGISTRATION_SECRET and values["githubConfigUrl"] == GITHUB.url
    assert values["controllerServiceAccount"] == {"namespace": ci.NAMESPACE, "name": "gha-rs-controller"}
    assert ci.arc_controller_values()["serviceAccount"]["name"] == "gha-rs-controller"
    assert "containerMode" not in values  # no Docker-in-Docker (it needs a privileged container)


def test_the_gitlab_config_is_toml_placing_job_pods_as_the_bound_account():
    values = ci.gitlab_values(GITLAB, identity=RUNNER)
    config = tomllib.loads(values["runners"]["config"])
    (runner,) = config["runners"]
    kube = runner["kubernetes"]
    assert (kube["namespace"], kube["service_account"]) == (ci.NAMESPACE, "ci-runner")
    assert kube["privileged"] is False and kube["allow_privilege_escalation"] is False
    assert kube["build_container_security_context"]["capabilities"]["drop"] == ["ALL"]
    assert kube["pod_labels"] == {"azure.workload.identity/use": "true"}
    assert values["runners"]["secret"] == ci.REGISTRATION_SECRET


@pytest.mark.parametrize("build", [
    lambda: ci.arc_scale_set_values(GITHUB, name="env", identity=STRAY),
    lambda: ci.gitlab_values(GITLAB, identity=STRAY),
    lambda: ci.eso_values(STRAY),
])
def test_an_identity_of_another_service_account_is_refused(build):
    with pytest.raises(ValueError, match="default/x"):
        build()
