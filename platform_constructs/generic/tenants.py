"""The tenants layer on an existing cluster: the neutral objects, Kubernetes groups bound in each
namespace, no cloud identity."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.generic.ingress_controller import NAMESPACE as INGRESS_NAMESPACE
from platform_constructs.generic.spec import KubernetesEnvironment
from platform_constructs.spec.tenants import TenantSpec
from platform_constructs.tenants.manifests import tenant_manifests
from platform_constructs.tenants.network import TenantIngress
from platform_constructs.tenants.objects import TenantObjects

#: The Kubernetes group of RBAC subjects.
RBAC_API_GROUP = "rbac.authorization.k8s.io"


def group_subject(group: str) -> dict:
    """A RoleBinding subject for the Kubernetes group ``group`` (as the authenticator asserts it)."""
    return {"kind": "Group", "apiGroup": RBAC_API_GROUP, "name": group}


def rbac_subjects(tenant: TenantSpec) -> dict[str, list[dict]]:
    """``admins`` bound to ``admin``, ``developers`` to ``edit``, as Group subjects."""
    return {"admin": [group_subject(g) for g in tenant.admins],
            "edit": [group_subject(g) for g in tenant.developers]}


def tenant_ingress(spec: KubernetesEnvironment) -> TenantIngress:
    """Where a tenant's pods are reached from: the ingress controller's namespace when the addons
    layer runs one (``addons.load_balancer_controller``), else nowhere outside the namespace."""
    return TenantIngress(namespaces=(INGRESS_NAMESPACE,) if spec.addons.load_balancer_controller else ())


class GenericTenants(Construct):
    """Every ``tenants:`` entry on an existing cluster: the neutral objects (``tenant_manifests``
    written by ``TenantObjects``): Namespace, quota, limits, NetworkPolicies with ingress from the
    Traefik namespace (:func:`tenant_ingress`), the ``workload`` service account without a cloud
    identity, and RoleBindings of ``admin`` / ``edit`` to the tenant's Kubernetes groups
    (:func:`rbac_subjects`). No cloud identity: workloads reach the S3-compatible store or Vault with
    credentials the tenant keeps in its namespace. ``public_https_egress`` as the file says.

    Attribute: ``objects`` (tenant name -> :class:`TenantObjects`).
    """

    def __init__(self, scope: Construct, id: str, *, spec: KubernetesEnvironment):
        super().__init__(scope, id)
        ingress = tenant_ingress(spec)
        self.objects: dict[str, TenantObjects] = {
            tenant.name: TenantObjects(self, f"{tenant.name}-objects", manifests=tenant_manifests(
                spec, tenant, ingress=ingress, identity=None, rbac_subjects=rbac_subjects(tenant)))
            for tenant in spec.tenants
        }
