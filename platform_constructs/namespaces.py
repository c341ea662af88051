"""The namespaces the platform's layers install into: one table the constructs and the model read.

Each component's construct takes its namespace from here (``observability/storage.py``,
``integration/ci_agent.py``, ``generic/ingress_controller.py``, ``aws/cloud_logging.py``, the
system add-ons in ``kube-system``), and the model refuses a tenant named like any namespace
:func:`platform_namespaces` lists for the file's cloud and settings, or starting with a prefix of
:func:`reserved_prefixes` (Kubernetes' own and the cloud's), so the two can never drift apart.

Imports no provider package and nothing of the model (the model imports it).
"""

from __future__ import annotations

from typing import Any

#: Kubernetes' own namespace outside ``kube-``: where objects without a namespace land.
DEFAULT = "default"
#: Kubernetes' own prefix: kube-system, kube-public, kube-node-lease.
KUBERNETES_PREFIXES: tuple[str, ...] = ("kube-",)

#: The system add-ons of ``<env>-addons`` (load balancer controller, cluster autoscaler,
#: metrics-server, CSI drivers, secrets-store CSI driver and its providers, ExternalDNS) and the
#: cluster DNS the tenants' NetworkPolicies allow.
SYSTEM = "kube-system"
#: ``<env>-observability``: Mimir, Loki, Tempo, the collector and Grafana (on ``cloud: kubernetes``
#: the user creates it, with the store's credentials Secret; the platform installs into it).
OBSERVABILITY = "observability"
#: ``addons.ci_agent``: the runners (Actions Runner Controller or GitLab Runner) and their secret.
CI_AGENT = "ci-agent"
#: ``addons.ci_agent``: External Secrets Operator, which copies the runners' registration token.
EXTERNAL_SECRETS = "external-secrets"
#: ``cloud: kubernetes`` with ``addons.load_balancer_controller``: the Traefik ingress controller.
INGRESS = "traefik"
#: AWS ``<env>-observability``: the amazon-cloudwatch-observability EKS add-on (cluster logs).
CLOUDWATCH = "amazon-cloudwatch"

#: Prefixes of the namespaces each cloud's managed Kubernetes creates by itself (EKS add-ons
#: ``amazon-*`` / ``eks-*``; GKE ``gke-managed-*``, ``gke-gmp-system``, Managed Prometheus
#: ``gmp-system`` / ``gmp-public``; AKS ``aks-command``, ``aks-istio-*``, ``azure-*`` extensions).
CLOUD_PREFIXES: dict[str, tuple[str, ...]] = {
    "aws": ("amazon-", "eks-"),
    "gcp": ("gke-", "gmp-"),
    "azure": ("aks-", "azure-"),
}
#: ``cloud: kubernetes`` runs on a cluster someone else made, on any of those clouds or elsewhere:
#: every cloud's prefixes are kept.
CLOUD_PREFIXES["kubernetes"] = tuple(p for prefixes in list(CLOUD_PREFIXES.values()) for p in prefixes)


def reserved_prefixes(cloud: str) -> tuple[str, ...]:
    """Kubernetes' prefixes and ``cloud``'s (every cloud's for an unknown one)."""
    return KUBERNETES_PREFIXES + CLOUD_PREFIXES.get(cloud, CLOUD_PREFIXES["kubernetes"])


def platform_namespaces(spec: Any) -> dict[str, str]:
    """Namespace -> what creates or uses it, for every namespace a layer of ``spec`` installs into
    on its cloud with its settings (an environment model of any cloud), plus ``default``."""
    out = {DEFAULT: "Kubernetes", SYSTEM: "Kubernetes and the platform's system add-ons"}
    addons = spec.addons
    if spec.observability.enabled:
        out[OBSERVABILITY] = "observability (Mimir, Loki, Tempo, the collector, Grafana)"
        if spec.cloud == "aws":
            out[CLOUDWATCH] = "the CloudWatch add-on of observability (cluster logs)"
    if getattr(addons, "ci_agent", None) is not None:
        out[CI_AGENT] = "the CI agent (addons.ci_agent)"
        out[EXTERNAL_SECRETS] = "External Secrets, which addons.ci_agent installs"
    if spec.cloud == "kubernetes" and getattr(addons, "load_balancer_controller", False):
        out[INGRESS] = "the ingress controller (addons.load_balancer_controller)"
    return out


def namespace_owner(spec: Any, name: str) -> str | None:
    """What owns namespace ``name`` in ``spec``'s cluster (a layer of the platform, Kubernetes or the
    cloud), else None: a tenant may take it."""
    owned = platform_namespaces(spec)
    if name in owned:
        return owned[name]
    prefix = next((p for p in reserved_prefixes(spec.cloud) if name.startswith(p)), None)
    if prefix is None:
        return None
    return "Kubernetes" if prefix in KUBERNETES_PREFIXES else f"the cloud ({prefix}* namespaces)"
