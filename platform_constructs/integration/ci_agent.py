"""The CI/CD agent, cloud-neutral: namespace, chart values and the registration secret's path.

``addons.ci_agent`` installs, in the namespace :data:`NAMESPACE`:

- ``github``: Actions Runner Controller (``gha-runner-scale-set-controller``) and one runner scale set
  (``gha-runner-scale-set``) registered at ``url``; no Docker-in-Docker (``containerMode`` empty: steps run
  in the runner container), so the namespace enforces the **restricted** Pod Security level.
- ``gitlab``: the GitLab Runner chart (Kubernetes executor) registered at ``url``. Its job pods cannot
  be given a seccomp profile through the runner's configuration, which ``restricted`` requires, so the
  namespace enforces **baseline** and warns/audits at ``restricted`` (:func:`pod_security_labels`).

Every runner (GitHub runner pod, GitLab job pod) runs as :data:`RUNNER_SERVICE_ACCOUNT`, which the
kit binds to a cloud identity allowed to push to the data layer's registry.

The registration credential never passes through Terraform: External Secrets Operator (its own
release, :data:`ESO_SERVICE_ACCOUNT`, an identity that may read only that one secret) copies the
secret named ``addons.ci_agent.secret_name`` from the cloud's secret store into the Kubernetes Secret
:data:`REGISTRATION_SECRET` the chart reads. Terraform state holds the names only. The SecretStore and
ExternalSecret go through the project's ``platform-objects`` chart (:mod:`.objects_release`), so the
first plan does not need External Secrets' CRDs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from platform_constructs import namespaces
from platform_constructs.spec.addons import CiAgentSpec
from platform_constructs.versions import GITHUB_RUNNER_IMAGE
from platform_constructs.workload_identity import ServiceAccount, WorkloadIdentity

NAMESPACE = namespaces.CI_AGENT
#: The service account every runner / job pod runs as (created by the platform, annotated for its identity).
RUNNER_SERVICE_ACCOUNT = ServiceAccount(NAMESPACE, "ci-runner")
#: The identity's ``name=`` (part of the cloud identity's name).
RUNNER_COMPONENT = "ci-runner"
#: The Kubernetes Secret External Secrets writes and the chart reads.
REGISTRATION_SECRET = "ci-agent-registration"
#: The SecretStore (namespaced, in :data:`NAMESPACE`) External Secrets reads it through.
SECRET_STORE = "ci-agent"
#: How often External Secrets re-reads the secret store (a rotated token arrives within this).
REFRESH_INTERVAL = "1h"
#: The key under which the chart expects the credential.
SECRET_KEYS = {"github": "github_token", "gitlab": "runner-token"}

#: External Secrets Operator: release, namespace and service account (its identity reads the one secret).
ESO_CHART = "external-secrets"
ESO_NAMESPACE = namespaces.EXTERNAL_SECRETS
ESO_SERVICE_ACCOUNT = ServiceAccount(ESO_NAMESPACE, "external-secrets")
ESO_COMPONENT = "external-secrets"

ARC_CONTROLLER_CHART = "gha-runner-scale-set-controller"
ARC_SCALE_SET_CHART = "gha-runner-scale-set"
#: The controller's service account (``serviceAccount.name``), which the scale set's role binds.
ARC_CONTROLLER_SERVICE_ACCOUNT = ServiceAccount(NAMESPACE, "gha-rs-controller")
GITLAB_CHART = "gitlab-runner"
#: The GitLab Runner manager's service account (it creates the job pods; the chart's RBAC binds it).
GITLAB_MANAGER_SERVICE_ACCOUNT = ServiceAccount(NAMESPACE, "gitlab-runner-manager")

#: Runner scale: no idle runner, at most this many at once.
MIN_RUNNERS = 0
MAX_RUNNERS = 5
#: The GitHub runner image (the chart's default repository) runs as this numeric user (``runner``):
#: ``runAsNonRoot`` needs a numeric user to verify.
GITHUB_RUNNER_UID = 1001
#: ARC's controller and listener images are distroless ``nonroot``.
ARC_CONTROLLER_UID = 65532

#: The restricted Pod Security profile, as pod and container security contexts.
RESTRICTED_POD = {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}
RESTRICTED_CONTAINER = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, "runAsNonRoot": True,
                        "seccompProfile": {"type": "RuntimeDefault"}}


def pod_security_level(kind: str) -> str:
    """``restricted`` for GitHub (ARC without Docker-in-Docker); ``baseline`` for GitLab (its job pods
    carry no seccomp profile, which ``restricted`` requires)."""
    return "restricted" if kind == "github" else "baseline"


def pod_security_labels(kind: str) -> dict[str, str]:
    """The namespace's Pod Security labels: enforce the kind's level, warn and audit at restricted."""
    return {
        "pod-security.kubernetes.io/enforce": pod_security_level(kind),
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
    }


def eso_values(identity: WorkloadIdentity) -> dict:
    """External Secrets Operator: its CRDs, its controller running as :data:`ESO_SERVICE_ACCOUNT` with
    the identity's annotations and pod labels."""
    if identity.service_account != ESO_SERVICE_ACCOUNT:
        raise ValueError(f"External Secrets runs as {ESO_SERVICE_ACCOUNT} but the identity binds "
                         f"{identity.service_account}: bind the chart's service account")
    return {
        "installCRDs": True,
        "serviceAccount": {"create": True, "name": ESO_SERVICE_ACCOUNT.name,
                           "annotations": dict(identity.annotations)},
        "podLabels": dict(identity.pod_labels),
    }


def secret_objects(agent: CiAgentSpec, provider: Mapping) -> list[dict]:
    """The SecretStore (``provider``: the cloud's External Secrets provider block, authenticating as the
    operator's own identity) and the ExternalSecret writing :data:`REGISTRATION_SECRET` with the key the
    chart reads (GitLab's chart also wants an empty ``runner-registration-token``)."""
    data = {SECRET_KEYS[agent.kind]: "{{ .token }}"}
    if agent.kind == "gitlab":
        data["runner-registration-token"] = ""
    return [
        {"apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
         "metadata": {"name": SECRET_STORE, "namespace": NAMESPACE},
         "spec": {"provider": dict(provider)}},
        {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
         "metadata": {"name": REGISTRATION_SECRET, "namespace": NAMESPACE},
         "spec": {
             "refreshInterval": REFRESH_INTERVAL,
             "secretStoreRef": {"kind": "SecretStore", "name": SECRET_STORE},
             "target": {"name": REGISTRATION_SECRET, "creationPolicy": "Owner",
                        "template": {"type": "Opaque", "data": data}},
             "data": [{"secretKey": "token", "remoteRef": {"key": agent.secret_name}}],
         }},
    ]


def arc_controller_values() -> dict:
    """The ARC controller: its service account named, restricted security contexts, watching only
    :data:`NAMESPACE`."""
    return {
        "serviceAccount": {"create": True, "name": ARC_CONTROLLER_SERVICE_ACCOUNT.name},
        "podSecurityContext": {**RESTRICTED_POD, "runAsUser": ARC_CONTROLLER_UID},
        "securityContext": {**RESTRICTED_CONTAINER, "readOnlyRootFilesystem": True},
        "flags": {"watchSingleNamespace": NAMESPACE},
    }


def arc_scale_set_values(agent: CiAgentSpec, *, name: str, identity: WorkloadIdentity) -> dict:
    """One runner scale set ``name`` (what ``runs-on:`` names) registered at ``agent.url``: runners as
    :data:`RUNNER_SERVICE_ACCOUNT` (the identity's labels on their pods), restricted security contexts,
    the listener restricted too; the controller's service account given explicitly."""
    _check_runner_identity(identity)
    return {
        "githubConfigUrl": agent.url,
        "githubConfigSecret": REGISTRATION_SECRET,
        "runnerScaleSetName": name,
        "minRunners": MIN_RUNNERS,
        "maxRunners": MAX_RUNNERS,
        "controllerServiceAccount": {"namespace": ARC_CONTROLLER_SERVICE_ACCOUNT.namespace,
                                     "name": ARC_CONTROLLER_SERVICE_ACCOUNT.name},
        "listenerTemplate": {"spec": {
            "securityContext": {**RESTRICTED_POD, "runAsUser": ARC_CONTROLLER_UID},
            "containers": [{"name": "listener", "securityContext": RESTRICTED_CONTAINER}],
        }},
        "template": {
            "metadata": {"labels": dict(identity.pod_labels)},
            "spec": {
                "serviceAccountName": RUNNER_SERVICE_ACCOUNT.name,
                "securityContext": {**RESTRICTED_POD, "runAsUser": GITHUB_RUNNER_UID},
                "containers": [{
                    "name": "runner",
                    "image": GITHUB_RUNNER_IMAGE,
                    "command": ["/home/runner/run.sh"],
                    "securityContext": RESTRICTED_CONTAINER,
                }],
            },
        },
    }


def gitlab_runner_config(pod_labels: Mapping[str, str]) -> str:
    """The runner's ``config.toml`` fragment: job pods in :data:`NAMESPACE` as :data:`RUNNER_SERVICE_ACCOUNT`,
    never privileged, no privilege escalation, every capability dropped, non-root."""
    def q(text: str) -> str:
        return json.dumps(text)  # a TOML basic string

    lines = [
        "[[runners]]",
        "  [runners.kubernetes]",
        f"    namespace = {q(NAMESPACE)}",
        f"    service_account = {q(RUNNER_SERVICE_ACCOUNT.name)}",
        "    privileged = false",
        "    allow_privilege_escalation = false",
        "    [runners.kubernetes.pod_security_context]",
        "      run_as_non_root = true",
        "    [runners.kubernetes.build_container_security_context]",
        "      [runners.kubernetes.build_container_security_context.capabilities]",
        '        drop = ["ALL"]',
        "    [runners.kubernetes.helper_container_security_context]",
        "      [runners.kubernetes.helper_container_security_context.capabilities]",
        '        drop = ["ALL"]',
    ]
    if pod_labels:
        lines.append("    [runners.kubernetes.pod_labels]")
        lines += [f"      {q(k)} = {q(v)}" for k, v in sorted(pod_labels.items())]
    return "\n".join(lines) + "\n"


def gitlab_values(agent: CiAgentSpec, *, identity: WorkloadIdentity) -> dict:
    """The GitLab Runner chart: registered at ``agent.url`` with the token in :data:`REGISTRATION_SECRET`,
    the manager as :data:`GITLAB_MANAGER_SERVICE_ACCOUNT` (namespace-scoped RBAC from the chart), job pods
    as :data:`RUNNER_SERVICE_ACCOUNT` (:func:`gitlab_runner_config`)."""
    _check_runner_identity(identity)
    return {
        "gitlabUrl": agent.url,
        "rbac": {"create": True},
        "serviceAccount": {"create": True, "name": GITLAB_MANAGER_SERVICE_ACCOUNT.name},
        "runners": {"secret": REGISTRATION_SECRET, "config": gitlab_runner_config(identity.pod_labels)},
        "podSecurityContext": RESTRICTED_POD,
        "securityContext": RESTRICTED_CONTAINER,
    }


def _check_runner_identity(identity: WorkloadIdentity) -> None:
    if identity.service_account != RUNNER_SERVICE_ACCOUNT:
        raise ValueError(f"the runners run as {RUNNER_SERVICE_ACCOUNT} but the identity binds "
                         f"{identity.service_account}: bind the runners' service account")
