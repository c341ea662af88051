"""Azure workload identity: a user-assigned identity federated with one Kubernetes service account."""

from __future__ import annotations

import re

from constructs import Construct
from cdktf_cdktf_provider_azurerm.federated_identity_credential import FederatedIdentityCredential
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.user_assigned_identity import UserAssignedIdentity

from platform_constructs.azure.contracts import AzureClusterContract
from platform_constructs.workload_identity import AzureGrants, ServiceAccount, WorkloadIdentity, bounded_name

#: The audience Entra ID accepts for federated Kubernetes tokens.
TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange"
#: The service account annotation naming the identity, and the pod label the webhook selects.
CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id"
USE_LABEL = "azure.workload.identity/use"
#: The attribute-based condition language of role assignment conditions (blob path prefixes).
CONDITION_VERSION = "2.0"

#: User-assigned identity names: 3-128 letters, digits, '-' and '_', a letter or digit first.
_IDENTITY_NAME = re.compile(r"[A-Za-z0-9][-\w]{2,127}")


def credential_name(service_account: ServiceAccount) -> str:
    """``<namespace>-<name>`` with dots as '-', at most 120 characters (a federated credential's limit)."""
    return bounded_name(f"{service_account.namespace}-{service_account.name}".replace(".", "-"), 120)


class AzureWorkloadIdentity(Construct):
    """User-assigned identity ``name`` in the cluster's resource group, which only the Kubernetes
    service account ``service_account`` of the cluster can sign in as (Microsoft Entra Workload ID).

    - A federated identity credential: issuer the cluster's OIDC issuer, subject
      ``system:serviceaccount:<namespace>:<name>``, audience ``api://AzureADTokenExchange``.
    - One role assignment per ``grants.role_assignments`` (principal type ServicePrincipal, so
      a new identity's grant does not wait on directory replication), with its ``condition``
      (version 2.0) when it has one.
    - The service account carries ``azure.workload.identity/client-id: <client id>``; its pods
      carry the label ``azure.workload.identity/use: "true"`` (the webhook injects the token
      only into labelled pods).

    :param name: the identity's name (3-128 characters).
    :param cluster: the cluster's contract (resource group, OIDC issuer).
    :param location: the Azure region of the identity.
    :param grants: the identity's roles. Default: none.
    :param tags: tags of the identity. Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, cluster: AzureClusterContract, location: str,
                 service_account: ServiceAccount, grants: AzureGrants | None = None,
                 tags: dict[str, str] | None = None):
        if not _IDENTITY_NAME.fullmatch(name):
            raise ValueError(f"identity name {name!r} must be 3-128 letters, digits, '-' and '_', "
                             "starting with a letter or digit")
        super().__init__(scope, id)
        grants = grants or AzureGrants()
        self.service_account = service_account
        self.identity_resource = UserAssignedIdentity(
            self, "identity", name=name, location=location, resource_group_name=cluster.resource_group_name,
            tags=dict(tags) if tags else None,
        )
        self.credential = FederatedIdentityCredential(
            self, "federated-credential", name=credential_name(service_account),
            resource_group_name=cluster.resource_group_name, parent_id=self.identity_resource.id,
            issuer=cluster.oidc_issuer_url, subject=service_account.subject, audience=[TOKEN_EXCHANGE_AUDIENCE],
        )
        self.role_assignments = [
            RoleAssignment(
                self, f"role-{i}-{re.sub(r'[^a-z0-9]+', '-', grant.role_definition_name.lower()).strip('-')}",
                scope=grant.scope, role_definition_name=grant.role_definition_name,
                principal_id=self.identity_resource.principal_id, principal_type="ServicePrincipal",
                condition=grant.condition, condition_version=CONDITION_VERSION if grant.condition else None,
            )
            for i, grant in enumerate(grants.role_assignments)
        ]
        self.identity = WorkloadIdentity(
            service_account=service_account, principal=self.identity_resource.principal_id,
            annotations={CLIENT_ID_ANNOTATION: self.identity_resource.client_id},
            pod_labels={USE_LABEL: "true"},
        )

    @property
    def client_id(self) -> str:
        return self.identity_resource.client_id

    @property
    def object_id(self) -> str:
        """The identity's service principal object id (what role assignments name)."""
        return self.identity_resource.principal_id
