"""Names a tenant's objects share across clouds: its service account, its identity, its secrets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from platform_constructs.workload_identity import ServiceAccount, bounded_name

if TYPE_CHECKING:
    from platform_constructs.spec import EnvironmentSpec
    from platform_constructs.spec.tenants import TenantSpec

#: The tenant's service account in its namespace: the one bound to the tenant's cloud identity.
SERVICE_ACCOUNT = "workload"


def service_account(tenant: "TenantSpec") -> ServiceAccount:
    """``<tenant>/workload``: the service account the tenant's pods run as to reach the cloud."""
    return ServiceAccount(namespace=tenant.name, name=SERVICE_ACCOUNT)


def identity_component(tenant: "TenantSpec") -> str:
    """``tenant-<name>``: the component name of the tenant's cloud identity (``kit.workload_identity``)."""
    return f"tenant-{tenant.name}"


#: The longest name of a cloud identity ``<cluster>-<component>`` per cloud, past which the kit's
#: ``workload_identity`` shortens it with a hash (:func:`~platform_constructs.workload_identity.bounded_name`):
#: an IAM role name (AWS), a service account id (GCP, ``gcp/workload_identity.account_id_for``), a
#: user-assigned identity name (Azure). ``cloud: kubernetes`` creates no cloud identity.
IDENTITY_NAME_LIMITS: dict[str, int] = {"aws": 64, "gcp": 30, "azure": 128}


def identity_name(cloud: str, cluster_name: str, tenant: "TenantSpec") -> str | None:
    """The name of the tenant's cloud identity on ``cloud`` (``<cluster>-tenant-<name>``, shortened
    as the kit shortens it), or None where the tenant gets none. Two tenants whose names give one
    identity name would share a role (the model refuses that)."""
    limit = IDENTITY_NAME_LIMITS.get(cloud)
    if limit is None:
        return None
    return bounded_name(f"{cluster_name}-{identity_component(tenant)}", limit)


def secret_prefix(spec: "EnvironmentSpec", tenant: "TenantSpec", separator: str) -> str:
    """Where the tenant's secrets live in the cloud's secret store, joined by ``separator``:
    ``aws-dev/tenants/team-a/`` (AWS, "/"), ``gcp-dev_tenants_team-a_`` (GCP, "_"). The separator
    must be a character no tenant name holds ('-' would let tenant ``team`` read ``team-a``'s
    secrets); Azure gives each tenant a Key Vault of its own instead."""
    return separator.join((spec.name, "tenants", tenant.name, ""))
