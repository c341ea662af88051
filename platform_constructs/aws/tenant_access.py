"""Namespace-scoped Kubernetes access for the tenants' IAM roles, through EKS access entries."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence

from constructs import Construct
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition
from cdktf_cdktf_provider_aws.eks_access_entry import EksAccessEntry
from cdktf_cdktf_provider_aws.eks_access_policy_association import (
    EksAccessPolicyAssociation,
    EksAccessPolicyAssociationAccessScope,
)

from platform_constructs.spec.tenants import TenantSpec

#: A tenant's role -> the EKS access policy it gets in the tenant's namespace: the policies carry the
#: permissions of Kubernetes' ``admin`` and ``edit`` ClusterRoles (EKS user guide, "Review access
#: policy permissions").
TENANT_POLICIES: Mapping[str, str] = {"admins": "AmazonEKSAdminPolicy", "developers": "AmazonEKSEditPolicy"}
#: The short name of each policy in logical ids.
_POLICY_KEYS = {"AmazonEKSAdminPolicy": "admin", "AmazonEKSEditPolicy": "edit"}


def namespace_grants(tenants: Sequence[TenantSpec]) -> dict[str, dict[str, tuple[str, ...]]]:
    """IAM principal -> EKS access policy name -> the namespaces it applies in (sorted): every
    admins/developers entry of every tenant, a principal once however many tenants name it
    (principals in the order the file first names them)."""
    out: dict[str, dict[str, set[str]]] = {}
    for tenant in tenants:
        for role, policy in TENANT_POLICIES.items():
            for principal in getattr(tenant, role):
                out.setdefault(principal, {}).setdefault(policy, set()).add(tenant.name)
    return {p: {policy: tuple(sorted(ns)) for policy, ns in policies.items()} for p, policies in out.items()}


def principal_key(principal: str) -> str:
    """A construct id for ``principal`` that depends on nothing but its ARN: the role's name (letters,
    digits and '-') and 8 hex digits of the ARN's hash. Adding, removing or reordering other
    principals leaves every other entry's logical id (and so its state) alone."""
    name = re.sub(r"[^A-Za-z0-9-]+", "-", principal.rsplit("/", 1)[-1]).strip("-")[:40] or "principal"
    return f"{name}-{hashlib.sha256(principal.encode()).hexdigest()[:8]}"


class TenantAccessEntries(Construct):
    """One ``aws_eks_access_entry`` (type ``STANDARD``) per distinct IAM principal across
    ``tenants``, and per (principal, policy) one ``aws_eks_access_policy_association`` with
    ``access_scope`` type ``namespace`` listing the tenants' namespaces: AmazonEKSAdminPolicy where
    the principal is an admin, AmazonEKSEditPolicy where it is a developer.

    - No Kubernetes groups and no username on the entry: the access policies are the whole grant
      (no RoleBinding in the namespace is needed, none is written).
    - EKS allows one access entry per principal and cluster: a principal of
      ``cluster.admin_principals`` (its own entry in the cluster stack) is refused by the model.
    - ``access_scope`` cannot change in place (the provider replaces the association): when a
      principal shared by several tenants gains or loses one, its association is deleted and
      created again, a few seconds without that policy in any of its namespaces.
    - Needs authentication mode ``API`` or ``API_AND_CONFIG_MAP`` (the model refuses tenant groups
      with ``CONFIG_MAP``).

    :param cluster_name: the cluster's name (the cluster contract's ``cluster_name``).
    :param tenants: the tenants whose ``admins`` and ``developers`` get access. Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, cluster_name: str, tenants: Sequence[TenantSpec] = ()):
        super().__init__(scope, id)
        self.grants = namespace_grants(tenants)
        self.entries: dict[str, EksAccessEntry] = {}
        self.associations: dict[tuple[str, str], EksAccessPolicyAssociation] = {}
        if not self.grants:
            return
        partition = DataAwsPartition(self, "partition").partition
        for principal, policies in self.grants.items():
            key = principal_key(principal)
            entry = EksAccessEntry(self, key, cluster_name=cluster_name, principal_arn=principal, type="STANDARD")
            self.entries[principal] = entry
            for policy, namespaces in policies.items():
                self.associations[(principal, policy)] = EksAccessPolicyAssociation(
                    self, f"{key}-{_POLICY_KEYS[policy]}", cluster_name=cluster_name,
                    principal_arn=entry.principal_arn,
                    policy_arn=f"arn:{partition}:eks::aws:cluster-access-policy/{policy}",
                    access_scope=EksAccessPolicyAssociationAccessScope(type="namespace", namespaces=list(namespaces)),
                )
