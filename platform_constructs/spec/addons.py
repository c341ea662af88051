"""The neutral ``addons:`` section: which system components the ``<env>-addons`` stack runs.

Every key is optional and each component is on by default where its cloud needs it. Each
cloud's model subclasses :class:`AddonsSpec` (``<cloud>/spec.py``): AWS adds the
cluster autoscaler and the EFS settings, GCP and Azure their native autoscaling settings.
A key another cloud uses is refused with one line naming it.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator

from platform_constructs.spec.common import Model, Problem, secret_name_problem, shown, url_parts

_OCI_PATH = re.compile(r"[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*")


def _oci_repository(value: str) -> str:
    example = "give an OCI repository like oci://registry.example.com/helm-charts"
    parts = url_parts(value, ("oci",), example, " (Helm reads registry logins from its own config)")
    if parts.query or parts.fragment:
        raise ValueError(f"{shown(value)} has a query or fragment: {example}")
    path = parts.path.strip("/")
    if path and not _OCI_PATH.fullmatch(path):
        raise ValueError(f"{shown(value)} has a repository path OCI registries do not accept (lowercase letters, "
                         f"digits, '.', '_', '-' and '/'): {example}")
    return value.rstrip("/")


#: An ``oci://host[:port]/path`` Helm repository.
OciRepository = Annotated[str, AfterValidator(_oci_repository)]


#: A secret's name every cloud's secret store accepts (Secrets Manager, Secret Manager, Key Vault):
#: letters, digits and '-', starting with a letter or digit, at most 127 characters (Key Vault's limit).
_SECRET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,126}")


def _secret_name(value: str) -> str:
    problem = secret_name_problem(value, "the cloud's secret store (AWS Secrets Manager, GCP Secret Manager, the "
                                         "environment's Azure Key Vault)")
    if problem:
        raise ValueError(problem)
    if not _SECRET_NAME.fullmatch(value):
        raise ValueError(f"{shown(value)} is not a secret name every cloud's secret store accepts: use at most 127 "
                         "letters, digits and '-' (like ci-runner-token); store the value there, never in this file")
    return value


def _https_url(value: str) -> str:
    parts = url_parts(value, ("https",), "give the https URL of the organisation, group or repository, like "
                                         "https://github.com/acme or https://gitlab.com")
    if parts.query or parts.fragment:
        raise ValueError(f"{shown(value)} has a query or fragment: give the bare https URL, like https://github.com/acme")
    return value.rstrip("/")


class CiAgentSpec(Model):
    """``addons.ci_agent``: a CI/CD agent inside the cluster (``platform_constructs/integration/ci_agent.py``).

    :param kind: ``github`` (Actions Runner Controller with one runner scale set) or ``gitlab``
        (the GitLab Runner chart, Kubernetes executor).
    :param url: where the runners register: a GitHub organisation or repository
        (``https://github.com/acme``), or the GitLab instance (``https://gitlab.com``).
    :param secret_name: the secret in the cloud's secret store (AWS Secrets Manager, GCP Secret
        Manager, the environment's Azure Key Vault) holding the registration credential: a GitHub
        token for ``github``, a GitLab runner authentication token (``glrt-...``) for ``gitlab``.
        Only its name is written anywhere; the value reaches the cluster through the secrets-store
        CSI driver, never Terraform state.
    """

    kind: Literal["github", "gitlab"]
    url: Annotated[str, AfterValidator(_https_url)]
    secret_name: Annotated[str, AfterValidator(_secret_name)]


class AddonsSpec(Model):
    """The components every cloud knows. Defaults: every component on."""

    #: The cloud's load balancer integration for Services and Ingresses/Gateways: the AWS Load
    #: Balancer Controller (EKS), GKE's own HTTP load balancing and Gateway API (always on), the
    #: Application Gateway (WAF_v2) with its ingress controller add-on (AKS). Default: true.
    load_balancer_controller: bool = True
    #: Resource metrics for ``kubectl top`` and the HorizontalPodAutoscaler: the metrics-server
    #: chart on EKS, built into GKE and AKS (always on there). Default: true.
    metrics_server: bool = True
    #: The block CSI driver's default StorageClass, encrypted with the environment's customer key.
    #: Default: true.
    block_storage: bool = True
    #: Shared file storage (ReadWriteMany): EFS (its file system in ``<env>-data``), Filestore, or
    #: premium Azure Files, each with its StorageClass. Default: true.
    file_storage: bool = True
    #: Secrets from the cloud's secret store as mounted files: the secrets-store CSI driver with
    #: its AWS provider (EKS), GKE's Secret Manager add-on, AKS's Key Vault provider. Default: true.
    secrets_store: bool = True
    #: An OCI registry mirroring every chart the platform installs, for clusters without internet
    #: (``oci://registry.example.com/helm-charts``: each chart is pulled from
    #: ``<chart_repository>/<chart name>`` at the pinned version). Registry logins come from Helm's
    #: own configuration, never from this file. Default: none (the charts' public repositories).
    chart_repository: OciRepository | None = None
    #: A CI/CD agent inside the cluster (:class:`CiAgentSpec`): it builds, pushes to the data layer's
    #: registry and deploys the later stacks from inside the network. Default: none.
    ci_agent: CiAgentSpec | None = None

    def built_in_violations(self, service: str, keys: tuple[str, ...]) -> list[Problem]:
        """``addons.<key>: false`` for components ``service`` runs itself and cannot switch off."""
        return [
            (f"addons.{key}", f"cannot be switched off: {service} runs it itself; remove the key (or set it to true)")
            for key in keys if getattr(self, key) is False
        ]
