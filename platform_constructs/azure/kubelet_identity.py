"""The kubelet's own user-assigned identity, which the control plane may hand to the nodes."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.user_assigned_identity import UserAssignedIdentity

#: Built-in role that lets a principal assign a user-assigned identity to resources
#: (roleDefinition f1a07417-d97a-45cb-824c-7a7467783830).
MANAGED_IDENTITY_OPERATOR = "Managed Identity Operator"


class KubeletIdentity(Construct):
    """A pre-created kubelet identity (instead of the one AKS would make in the node resource group).

    The nodes use it to pull images and reach what the platform grants them (the registry
    layer grants it AcrPull). Because Terraform creates it, its ids are known before the
    cluster exists, and it outlives a cluster rebuild with its grants.

    AKS requires the control-plane identity to hold Managed Identity Operator on this
    identity before the cluster is created: put :attr:`operator_grant` in the cluster's
    ``depends_on``.

    :param control_plane_principal_id: principal id of the cluster's control-plane identity.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, resource_group_name: str,
                 tags: dict[str, str], control_plane_principal_id: str):
        super().__init__(scope, id)
        self.identity = UserAssignedIdentity(
            self, "identity", name=name, location=location, resource_group_name=resource_group_name, tags=tags,
        )
        self.operator_grant = RoleAssignment(
            self, "control-plane-operator", scope=self.identity.id, principal_id=control_plane_principal_id,
            role_definition_name=MANAGED_IDENTITY_OPERATOR,
        )

    @property
    def id(self) -> str:
        """Resource id of the identity (``kubelet_identity.user_assigned_identity_id``)."""
        return self.identity.id

    @property
    def client_id(self) -> str:
        return self.identity.client_id

    @property
    def object_id(self) -> str:
        """The identity's service principal object id (what role assignments name)."""
        return self.identity.principal_id
