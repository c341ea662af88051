"""The neutral ``tenants:`` section: one entry per team, each becoming a namespace in ``<env>-tenants``.

A tenant gets a namespace at a Pod Security level, a ResourceQuota and a LimitRange, default-deny
NetworkPolicies with the platform's allowances, its groups bound to ``admin`` and ``edit``, and a
service account with its own cloud identity.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from platform_constructs.namespaces import namespace_owner
from platform_constructs.spec.common import Model, Problem, shown
from platform_constructs.spec.expressions import FreeText
from platform_constructs.spec.quantity import parse_quantity
from platform_constructs.spec.ranges import address_list
from platform_constructs.tenants.names import IDENTITY_NAME_LIMITS, identity_name

#: What a container gets when it names no requests or limits (the tenant's LimitRange).
DEFAULT_REQUEST: dict[str, str] = {"cpu": "100m", "memory": "128Mi"}
DEFAULT_LIMIT: dict[str, str] = {"cpu": "500m", "memory": "512Mi"}

#: Longest tenant name: it is part of cloud identity names (``<cluster>-tenant-<name>``).
TENANT_NAME_MAX = 32
#: Most tenants one environment holds. Synth time and memory grow linearly with the tenants (measured on
#: aws-dev, 2 cores: 0 tenants 16 s / 1.05 GB, 100: 28 s / 1.09 GB, 300: 39 s / 1.19 GB, 1000: 91 s /
#: 1.57 GB; about 0.07 s and 0.5 MB per tenant), and so do the ``<env>-tenants`` stack's resources (about
#: 15 per tenant) that every onboarding plans. 500 keeps the synth under a minute and the stack under
#: 8,000 resources; more teams belong on another cluster (another environment).
MAX_TENANTS = 500
_TENANT_NAME = re.compile(r"[a-z]([a-z0-9-]*[a-z0-9])?")

_BUCKET_PREFIX = re.compile(r"[a-z0-9]([a-z0-9._-]*[a-z0-9])?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*")


def _tenant_name(value: str) -> str:
    if len(value) > TENANT_NAME_MAX or not _TENANT_NAME.fullmatch(value):
        raise ValueError(f"{shown(value)} is not a tenant name: use a DNS label of at most {TENANT_NAME_MAX} lowercase "
                         "letters, digits and '-', starting with a letter (it becomes the namespace)")
    return value


def _quantity(value: str) -> str:
    parse_quantity(value)
    return value


def _bucket_prefix(value: str) -> str:
    value = value.strip("/")
    if len(value) > 200 or not _BUCKET_PREFIX.fullmatch(value):
        raise ValueError(f"{shown(value)} is not an object prefix: lowercase letters, digits, '.', '_', '-' and '/' "
                         "between folders, like team-a or apps/team-a")
    return value


Quantity = Annotated[str, AfterValidator(_quantity)]
#: A tenant's ``egress_cidrs`` (:func:`~platform_constructs.spec.ranges.address_list`).
EgressCidrs = address_list("the tenant's egress", "list only the ranges the team calls outside the cluster")


class QuotaSpec(Model):
    """The namespace's ResourceQuota: ``cpu`` and ``memory`` bound both the sum of requests and the
    sum of limits of its pods; the rest are optional object counts and storage."""

    #: CPU for all pods together ("20", "4500m"). Required.
    cpu: Quantity
    #: Memory for all pods together ("64Gi"). Required.
    memory: Quantity
    #: Pods at once. Required.
    pods: int = Field(ge=1, le=100_000)
    #: Storage all PersistentVolumeClaims may request ("500Gi"). Default: not limited.
    storage: Quantity | None = None
    #: PersistentVolumeClaims. Default: not limited.
    persistent_volume_claims: int | None = Field(default=None, ge=0)
    #: Services. Default: not limited.
    services: int | None = Field(default=None, ge=0)
    #: Services of type LoadBalancer (each a cloud load balancer). Default: 0 (ingress goes through
    #: the platform's load balancer integration).
    load_balancers: int = Field(default=0, ge=0)
    #: ConfigMaps and Secrets. Default: not limited.
    config_maps: int | None = Field(default=None, ge=0)
    #: Secrets in the namespace. Default: not limited.
    secrets: int | None = Field(default=None, ge=0)


class TenantSpec(Model):
    #: The namespace's name (a DNS label of at most 32 characters, not a system namespace).
    name: Annotated[str, AfterValidator(_tenant_name)]
    #: The namespace's Pod Security level: ``restricted`` (default) or ``baseline`` (give
    #: ``pod_security_reason``). ``privileged`` is never allowed.
    pod_security: Literal["restricted", "baseline"] = "restricted"
    #: Why the tenant needs ``baseline`` (kept as an annotation on the namespace; free text, which
    #: Terraform shows as written and never evaluates). Required with baseline.
    pod_security_reason: FreeText | None = Field(default=None, min_length=10, max_length=500)
    #: The ResourceQuota.
    quota: QuotaSpec
    #: Cloud groups bound to ``admin`` in the namespace: IAM role ARNs (AWS), Google group emails
    #: (GCP), Entra ID group object ids (Azure). Default: none.
    admins: list[str] = Field(default_factory=list)
    #: Cloud groups bound to ``edit`` in the namespace (same forms as ``admins``). Default: none.
    developers: list[str] = Field(default_factory=list)
    #: IPv4 ranges the tenant's pods may call outside the cluster. Default: none.
    #: Each outside loopback, link-local (instance metadata), multicast and reserved space, together not
    #: the whole internet, and clear of the cluster's pod and service ranges (``spec/ranges.py``).
    egress_cidrs: EgressCidrs = Field(default_factory=list)
    #: Let pods open HTTPS (TCP 443) connections to public addresses: the cloud APIs the tenant's
    #: identity is for (STS, S3, Secrets Manager; Google APIs; Entra ID sign-in) answer there, and
    #: no NetworkPolicy can name them by host. Private and link-local ranges stay closed. ``false``:
    #: only ``egress_cidrs`` (then list the cloud API ranges the team calls). Default: true.
    public_https_egress: bool = True
    #: The tenant's folder in the application bucket. Default: the tenant's name.
    bucket_prefix: Annotated[str, AfterValidator(_bucket_prefix)] | None = None

    @property
    def object_prefix(self) -> str:
        return self.bucket_prefix or self.name


def tenant_violations(tenants: list[TenantSpec]) -> list[Problem]:
    """The rules across fields and tenants (paths ``tenants.<i>.<field>``)."""
    out: list[Problem] = []
    seen: dict[str, int] = {}
    folders: list[tuple[str, int]] = []
    for i, tenant in enumerate(tenants):
        path = f"tenants.{i}"
        if tenant.name in seen:
            out.append((f"{path}.name", f"{tenant.name!r} is already tenants.{seen[tenant.name]}: tenant names are "
                                        "namespaces and must be unique"))
        seen.setdefault(tenant.name, i)
        if tenant.pod_security == "baseline" and not tenant.pod_security_reason:
            out.append((f"{path}.pod_security_reason", "is required with pod_security baseline: say why the team's "
                                                       "pods cannot run restricted"))
        if tenant.pod_security == "restricted" and tenant.pod_security_reason:
            out.append((f"{path}.pod_security_reason", "is only used with pod_security baseline: remove it"))
        for kind in ("cpu", "memory"):
            quota = parse_quantity(getattr(tenant.quota, kind))
            floor = parse_quantity(DEFAULT_LIMIT[kind])
            if quota < floor:
                out.append((f"{path}.quota.{kind}", f"{getattr(tenant.quota, kind)} is less than one container's default "
                                                    f"limit ({DEFAULT_LIMIT[kind]}), so no pod without its own limits "
                                                    f"could start: give at least {DEFAULT_LIMIT[kind]}"))
        for role in ("admins", "developers"):
            groups = getattr(tenant, role)
            if len(set(groups)) != len(groups):
                out.append((f"{path}.{role}", "names a group twice: list each once"))
        folder = tenant.object_prefix + "/"
        clash = next((j for other, j in folders if other.startswith(folder) or folder.startswith(other)), None)
        if clash is not None:
            out.append((f"{path}.bucket_prefix", f"{tenant.object_prefix!r} overlaps tenants.{clash}'s folder in the "
                                                 "application bucket: each tenant reads and writes only its own "
                                                 "folder, so give it a bucket_prefix no other tenant's starts with"))
        folders.append((folder, i))
        both = sorted(set(tenant.admins) & set(tenant.developers))
        if both:
            out.append((f"{path}.developers", f"{shown(both[0])} is also an admin: list each group under one role"))
    return out


def tenant_name_violations(spec) -> list[Problem]:
    """Each tenant's name against the names the rest of ``spec`` (an environment model) holds, as
    (``tenants.<i>.name``, message):

    - a namespace that a layer of the platform installs into on this file's cloud with its settings,
      or that Kubernetes or the cloud owns (:func:`platform_constructs.namespaces.namespace_owner`);
    - a cloud identity name another tenant's name gives too: ``<cluster>-tenant-<name>`` is shortened
      with a hash past the cloud's limit (:func:`platform_constructs.tenants.names.identity_name`), and a
      short name can spell a long one's shortened form; the two teams would then share one role.
    """
    out: list[Problem] = []
    cluster = getattr(getattr(spec, "cluster", None), "name", None)
    identities: dict[str, int] = {}
    for i, tenant in enumerate(spec.tenants):
        path = f"tenants.{i}.name"
        owner = namespace_owner(spec, tenant.name)
        if owner is not None:
            out.append((path, f"{shown(tenant.name)} is a namespace Kubernetes, the cloud or the platform uses (here: "
                              f"{owner}): pick another name"))
            continue
        derived = identity_name(spec.cloud, cluster, tenant) if cluster else None
        if derived is None:
            continue
        first = identities.setdefault(derived, i)
        other = spec.tenants[first].name
        if first != i and other != tenant.name:
            out.append((path, f"{shown(tenant.name)} gives the cloud identity name {derived!r}, as tenants.{first} "
                              f"({other!r}) does once its name is shortened to the {IDENTITY_NAME_LIMITS[spec.cloud]} "
                              "characters the cloud allows: the two teams would share one identity; rename one"))
    return out


def quota_total(tenants: list[TenantSpec], kind: str) -> Decimal:
    """The sum of every tenant's ``cpu`` or ``memory`` quota (base units)."""
    return sum((parse_quantity(getattr(t.quota, kind)) for t in tenants), Decimal(0))
