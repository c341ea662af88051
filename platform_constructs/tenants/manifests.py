"""Every Kubernetes object of one tenant, as plain manifests (dicts) in apply order.

:func:`tenant_manifests` returns, for one ``tenants:`` entry:

1. the **Namespace** (the tenant's name) with the Pod Security labels: ``enforce`` at the tenant's
   level (``restricted`` by default, ``baseline`` with its reason kept as the annotation
   :data:`REASON_ANNOTATION`), ``audit`` and ``warn`` always at ``restricted`` so a baseline team
   sees what it would have to change. ``enforce-version`` is pinned to the cluster's minor version
   (``v1.33``), not ``latest``: a control-plane upgrade then never starts refusing a running team's
   pods by itself (the label moves with ``cluster.kubernetes_version``, in the same change as the
   upgrade), while ``audit-version`` / ``warn-version`` at ``latest`` report what the newer rules
   would refuse before that happens;
2. the **ResourceQuota** ``tenant-quota``: ``quota.cpu`` and ``quota.memory`` bound both the sum
   of requests and the sum of limits; pods; ``services.loadbalancers`` (0 unless the file says
   otherwise); storage, claims, services, config maps and secrets when the file gives them;
3. the **LimitRange** ``tenant-defaults``: a container without requests or limits gets
   :data:`~platform_constructs.spec.tenants.DEFAULT_REQUEST` /
   :data:`~platform_constructs.spec.tenants.DEFAULT_LIMIT`, so it is admitted inside the quota
   (a quota on ``limits.cpu`` refuses pods that name no limit otherwise);
4. the **NetworkPolicies** of :func:`~platform_constructs.tenants.network.tenant_network_policies`
   (with the kit's ``cloud_egress`` rules, when it passes any, as ``allow-cloud-apis``);
5. the **ServiceAccount** ``workload`` with the cloud identity's annotations (IRSA role ARN, GKE
   service account, Azure client id). Pods using it must also carry ``identity.pod_labels``
   (Azure: ``azure.workload.identity/use: "true"``): they are listed in the annotation
   :data:`POD_LABELS_ANNOTATION` so ``kubectl describe sa workload`` tells the team;
6. **RoleBindings** of the ClusterRoles ``admin`` and ``edit`` when the kit passes
   ``rbac_subjects`` (GKE: Google groups as ``Group`` subjects). EKS and AKS bind the groups
   through the cloud instead (access entries / Azure RBAC role assignments), so they pass None.

Every object carries the label :data:`TENANT_LABEL` (the tenant's name).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_UP, Decimal
from typing import TYPE_CHECKING

from platform_constructs.spec.quantity import parse_quantity
from platform_constructs.spec.tenants import DEFAULT_LIMIT, DEFAULT_REQUEST
from platform_constructs.tenants.names import SERVICE_ACCOUNT
from platform_constructs.tenants.network import TenantIngress, tenant_network_policies

if TYPE_CHECKING:
    from platform_constructs.spec import EnvironmentSpec
    from platform_constructs.spec.tenants import TenantSpec
    from platform_constructs.workload_identity import WorkloadIdentity

#: On every object of a tenant: the tenant's name.
TENANT_LABEL = "platform.officeless/tenant"
#: On a baseline namespace: why the team's pods cannot run restricted (the file's pod_security_reason).
REASON_ANNOTATION = "platform.officeless/pod-security-reason"
#: On the service account: the labels the pods using it must carry (``key=value``, comma-separated).
POD_LABELS_ANNOTATION = "platform.officeless/pod-labels"

PSA = "pod-security.kubernetes.io"
#: Audit and warnings always at the strictest level (and the latest rules).
AUDIT_LEVEL = WARN_LEVEL = "restricted"

QUOTA_NAME = "tenant-quota"
LIMIT_RANGE_NAME = "tenant-defaults"

#: ``rbac_subjects`` key -> the ClusterRole it is bound to, and the RoleBinding's name.
ROLE_BINDINGS: dict[str, str] = {"admin": "tenant-admins", "edit": "tenant-developers"}


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_BINARY_SUFFIXES = ("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei")
_DECIMAL_SUFFIXES = {-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"}


def canonical_quantity(text: str) -> str:
    """``text`` as the API server writes it back (``resource.Quantity``'s canonical form):
    ``1024Mi`` -> ``1Gi``, ``1.5Gi`` -> ``1536Mi``, ``1000m`` -> ``1``, ``0.5`` -> ``500m``, ``2000`` -> ``2k``.

    ``kubernetes_manifest`` compares what it applied with what the server returns, so a quota of
    ``1024Mi`` would read back as ``1Gi`` and fail the apply; writing the canonical form avoids it.
    The suffix family is kept (binary, decimal or exponent), as Kubernetes keeps it; binary values
    below 1024 or with a fraction are written in decimal, also as Kubernetes does.
    """
    value = parse_quantity(text).quantize(Decimal("1e-9"), rounding=ROUND_UP)  # the API keeps nano precision
    if value == 0:
        return "0"
    suffix = text[_NUMBER.match(text).end():]
    if suffix in _BINARY_SUFFIXES[1:] and value >= 1024 and value == value.to_integral_value():
        number, power = int(value), 0
        while number % 1024 == 0 and power < len(_BINARY_SUFFIXES) - 1:
            number, power = number // 1024, power + 1
        return f"{number}{_BINARY_SUFFIXES[power]}"
    exponent_form = len(suffix) > 1 and suffix[0] in ("e", "E")
    exponent = 18 if not exponent_form else 3 * (value.adjusted() // 3)
    while exponent > -9 and value.scaleb(-exponent) != value.scaleb(-exponent).to_integral_value():
        exponent -= 3
    mantissa = int(value.scaleb(-exponent))
    if exponent_form:
        return f"{mantissa}e{exponent}" if exponent else str(mantissa)
    return f"{mantissa}{_DECIMAL_SUFFIXES[exponent]}"


def _metadata(tenant: "TenantSpec", name: str, *, namespaced: bool = True,
              annotations: Mapping[str, str] | None = None, labels: Mapping[str, str] | None = None) -> dict:
    metadata: dict = {"name": name}
    if namespaced:
        metadata["namespace"] = tenant.name
    metadata["labels"] = {TENANT_LABEL: tenant.name, **(labels or {})}
    if annotations:
        metadata["annotations"] = dict(annotations)
    return metadata


def namespace(spec: "EnvironmentSpec", tenant: "TenantSpec") -> dict:
    """The tenant's Namespace with its Pod Security labels (see the module docstring)."""
    labels = {
        f"{PSA}/enforce": tenant.pod_security,
        f"{PSA}/enforce-version": spec.pod_security_version,
        f"{PSA}/audit": AUDIT_LEVEL,
        f"{PSA}/audit-version": "latest",
        f"{PSA}/warn": WARN_LEVEL,
        f"{PSA}/warn-version": "latest",
    }
    annotations = {REASON_ANNOTATION: tenant.pod_security_reason} if tenant.pod_security_reason else None
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": _metadata(tenant, tenant.name, namespaced=False, labels=labels, annotations=annotations)}


def resource_quota(tenant: "TenantSpec") -> dict:
    """The tenant's ResourceQuota (every value a quantity string, as the API's ``hard`` map holds them)."""
    quota = tenant.quota
    cpu, memory = canonical_quantity(quota.cpu), canonical_quantity(quota.memory)
    hard: dict[str, str] = {
        "requests.cpu": cpu,
        "limits.cpu": cpu,
        "requests.memory": memory,
        "limits.memory": memory,
        "pods": str(quota.pods),
        "services.loadbalancers": str(quota.load_balancers),
    }
    optional = {
        "requests.storage": canonical_quantity(quota.storage) if quota.storage is not None else None,
        "persistentvolumeclaims": quota.persistent_volume_claims,
        "services": quota.services,
        "configmaps": quota.config_maps,
        "secrets": quota.secrets,
    }
    hard.update({key: str(value) for key, value in optional.items() if value is not None})
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": _metadata(tenant, QUOTA_NAME),
            "spec": {"hard": hard}}


def limit_range(tenant: "TenantSpec") -> dict:
    """The tenant's LimitRange: default requests and limits of every container."""
    return {"apiVersion": "v1", "kind": "LimitRange", "metadata": _metadata(tenant, LIMIT_RANGE_NAME),
            "spec": {"limits": [{"type": "Container",
                                 "default": {k: canonical_quantity(v) for k, v in DEFAULT_LIMIT.items()},
                                 "defaultRequest": {k: canonical_quantity(v) for k, v in DEFAULT_REQUEST.items()}}]}}


def service_account(tenant: "TenantSpec", identity: "WorkloadIdentity | None") -> dict:
    """The ServiceAccount ``workload`` bound to the tenant's cloud identity (annotations from ``identity``)."""
    annotations: dict[str, str] = {}
    if identity is not None:
        if (identity.service_account.namespace, identity.service_account.name) != (tenant.name, SERVICE_ACCOUNT):
            raise ValueError(f"tenant {tenant.name!r}: the identity is bound to service account "
                             f"{identity.service_account.namespace}/{identity.service_account.name}, not "
                             f"{tenant.name}/{SERVICE_ACCOUNT}: build it with names.service_account(tenant)")
        annotations.update(identity.annotations)
        if identity.pod_labels:
            annotations[POD_LABELS_ANNOTATION] = ",".join(f"{k}={v}" for k, v in sorted(identity.pod_labels.items()))
    return {"apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": _metadata(tenant, SERVICE_ACCOUNT, annotations=annotations)}


def role_bindings(tenant: "TenantSpec", rbac_subjects: Mapping[str, Sequence[dict]]) -> list[dict]:
    """One RoleBinding per ClusterRole of :data:`ROLE_BINDINGS` that has subjects."""
    unknown = sorted(set(rbac_subjects) - set(ROLE_BINDINGS))
    if unknown:
        raise ValueError(f"tenant {tenant.name!r}: rbac_subjects keys {unknown} are not ClusterRoles the platform "
                         f"binds: use {sorted(ROLE_BINDINGS)}")
    out = []
    for role, name in ROLE_BINDINGS.items():
        subjects = [dict(s) for s in rbac_subjects.get(role) or ()]
        bad = [s for s in subjects if not (isinstance(s.get("kind"), str) and isinstance(s.get("name"), str))]
        if bad:
            raise ValueError(f"tenant {tenant.name!r}: RBAC subjects {bad} need a kind and a name, like "
                             "{'kind': 'Group', 'apiGroup': 'rbac.authorization.k8s.io', 'name': 'team@example.com'}")
        if subjects:
            out.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                        "metadata": _metadata(tenant, name),
                        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
                        "subjects": subjects})
    return out


def tenant_manifests(spec: "EnvironmentSpec", tenant: "TenantSpec", *, ingress: TenantIngress,
                     identity: "WorkloadIdentity | None",
                     rbac_subjects: Mapping[str, Sequence[dict]] | None = None,
                     cloud_egress: Sequence[Mapping] = ()) -> list[dict]:
    """Every object of ``tenant`` in apply order (see the module docstring).

    :param ingress: where the cloud's load balancer path reaches pods from.
    :param identity: the tenant's cloud identity (its service account's annotations). None: a
        service account without a cloud identity.
    :param rbac_subjects: ``{"admin": [...], "edit": [...]}`` RBAC subjects bound in the namespace.
        Default: None, no RoleBindings (the cloud binds the groups itself).
    :param cloud_egress: NetworkPolicy egress rules (``{"to": [...], "ports": [...]}``) the tenant's
        pods need to use their identity: the cloud's private endpoints, a node-local credentials
        agent. They become the policy ``allow-cloud-apis``. Default: none.
    """
    return [
        namespace(spec, tenant),
        resource_quota(tenant),
        limit_range(tenant),
        *tenant_network_policies(tenant.name, ingress=ingress, egress_cidrs=tenant.egress_cidrs,
                                 collector=spec.observability.enabled, cloud_egress=cloud_egress,
                                 public_https=tenant.public_https_egress, labels={TENANT_LABEL: tenant.name}),
        service_account(tenant, identity),
        *(role_bindings(tenant, rbac_subjects) if rbac_subjects is not None else ()),
    ]
