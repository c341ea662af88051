"""A tenant's groups in the cluster: Azure RBAC role assignments scoped to the tenant's namespace."""

from __future__ import annotations

import re
from collections.abc import Sequence

from constructs import Construct
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment

#: What a tenant's admins hold in its namespace: Kubernetes' ``admin`` (every object of the
#: namespace, Roles and RoleBindings included; not the namespace itself nor its ResourceQuota).
ADMIN_ROLE = "Azure Kubernetes Service RBAC Admin"
#: What a tenant's developers hold in its namespace: Kubernetes' ``edit`` (workloads, Services,
#: ConfigMaps, Secrets; no Roles or RoleBindings).
WRITER_ROLE = "Azure Kubernetes Service RBAC Writer"
#: What lets a group fetch the cluster's user kubeconfig (``az aks get-credentials``:
#: ``listClusterUserCredential``); with Azure RBAC it carries no Kubernetes permission and no secret.
CLUSTER_USER_ROLE = "Azure Kubernetes Service Cluster User Role"

_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def namespace_scope(cluster_id: str, namespace: str) -> str:
    """``<cluster id>/namespaces/<namespace>``: the Azure RBAC scope of one namespace of an AKS cluster."""
    return f"{cluster_id}/namespaces/{namespace}"


def _check_groups(groups: Sequence[str], what: str) -> list[str]:
    problems = [f"{what} {g!r} is not an Entra ID group object id (a lowercase GUID)"
                for g in groups if not (isinstance(g, str) and _GUID.fullmatch(g))]
    if len(set(groups)) != len(groups):
        problems.append(f"{what} {list(groups)} name a group twice: list each once")
    return problems


class NamespaceAccess(Construct):
    """The tenant's Entra ID groups bound in its namespace through Azure RBAC for Kubernetes
    authorization (the cluster runs ``azure_rbac_enabled``; no RoleBinding is written).

    - ``admins``: :data:`ADMIN_ROLE` at :func:`namespace_scope`, principal type Group.
    - ``developers``: :data:`WRITER_ROLE` at the same scope, principal type Group.

    Construct ids carry the group's object id, so removing one group from a list touches only its
    own assignment. New assignments take up to a few minutes to reach the cluster's authorizer.

    :param cluster_id: the AKS cluster's resource id (may be a token).
    :param namespace: the tenant's namespace.
    :param admins: Entra ID group object ids (lowercase GUIDs). Default: none.
    :param developers: Entra ID group object ids (lowercase GUIDs), none of them an admin. Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, cluster_id: str, namespace: str,
                 admins: Sequence[str] = (), developers: Sequence[str] = ()):
        problems = _check_groups(admins, "admin group") + _check_groups(developers, "developer group")
        both = sorted(set(admins) & set(developers))
        if both:
            problems.append(f"group {both[0]!r} is both admin and developer: list it under one role")
        if problems:
            raise ValueError("; ".join(problems))
        super().__init__(scope, id)
        self.scope = namespace_scope(cluster_id, namespace)
        self.admins = [self._assign(f"admin-{group}", group, ADMIN_ROLE) for group in admins]
        self.developers = [self._assign(f"developer-{group}", group, WRITER_ROLE) for group in developers]

    def _assign(self, id: str, group: str, role: str) -> RoleAssignment:
        return RoleAssignment(self, id, scope=self.scope, role_definition_name=role, principal_id=group,
                              principal_type="Group")


def cluster_user_access(scope: Construct, *, cluster_id: str, groups: Sequence[str]) -> list[RoleAssignment]:
    """:data:`CLUSTER_USER_ROLE` on ``cluster_id`` for each of ``groups`` once (ids ``cluster-user-<group>``,
    children of ``scope``): a group in several tenants holds one assignment, as Azure refuses a
    second identical one."""
    distinct = list(dict.fromkeys(groups))
    problems = _check_groups(distinct, "group")
    if problems:
        raise ValueError("; ".join(problems))
    return [
        RoleAssignment(scope, f"cluster-user-{group}", scope=cluster_id, role_definition_name=CLUSTER_USER_ROLE,
                       principal_id=group, principal_type="Group")
        for group in distinct
    ]
