"""A Key Vault for customer-managed keys: RBAC, purge protection, private endpoint, HSM keys."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_azurerm.key_vault import KeyVault, KeyVaultNetworkAcls
from cdktf_cdktf_provider_azurerm.key_vault_key import (
    KeyVaultKey,
    KeyVaultKeyRotationPolicy,
    KeyVaultKeyRotationPolicyAutomatic,
)
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment

from platform_constructs.azure.names import default_vault_name, key_vault_problem  # noqa: F401 - default_vault_name re-exported
from platform_constructs.azure.private_link import private_link

#: Private DNS zone of Key Vault private endpoints (public Azure cloud).
VAULT_PRIVATE_ZONE = "privatelink.vaultcore.azure.net"


def rotated_key(scope: Construct, id: str, *, name: str, key_vault_id: str, tags: dict[str, str],
                **options) -> KeyVaultKey:
    """RSA-HSM 3072 key ``name`` in ``key_vault_id`` for wrap/unwrap, rotated automatically 90 days
    before it expires (2 years): the platform's customer-managed keys. ``options``: more
    ``KeyVaultKey`` settings (``lifecycle``, ``depends_on``)."""
    return KeyVaultKey(
        scope, id, name=name, key_vault_id=key_vault_id, key_type="RSA-HSM", key_size=3072,
        key_opts=["wrapKey", "unwrapKey", "encrypt", "decrypt"],
        rotation_policy=KeyVaultKeyRotationPolicy(
            expire_after="P2Y", notify_before_expiry="P30D",
            automatic=KeyVaultKeyRotationPolicyAutomatic(time_before_expiry="P90D"),
        ),
        tags=tags, **options,
    )


class CustomerKeyVault(Construct):
    """Premium vault (HSM-backed keys) authorised by Azure RBAC, never purgeable.

    - Purge protection on, soft delete 90 days (the maximum).
    - Public network access off unless ``allowed_cidrs`` are given; then the firewall denies
      everything but those ranges. Trusted Azure services (disk encryption sets) bypass it.
    - A private endpoint in ``private_endpoint_subnet_id`` with the privatelink DNS zone
      linked to the VNet, so the VNet (and a runner inside it) resolves the vault privately
      (:attr:`dns_zone`: later layers' vaults register in the same zone).
    - The identity running Terraform gets Key Vault Crypto Officer to create keys.

    :param allowed_cidrs: public ranges allowed through the firewall. Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, resource_group_name: str,
                 vnet_id: str, private_endpoint_subnet_id: str, tags: dict[str, str],
                 allowed_cidrs: list[str] | None = None):
        if key_vault_problem(name):
            raise ValueError(f"key vault name {name!r} {key_vault_problem(name)}: set azure.key_vault_name")
        super().__init__(scope, id)
        allowed = list(allowed_cidrs or [])
        self.client = DataAzurermClientConfig(self, "client")
        self.vault = KeyVault(
            self, "vault", name=name, location=location, resource_group_name=resource_group_name,
            tenant_id=self.client.tenant_id, sku_name="premium",
            rbac_authorization_enabled=True, purge_protection_enabled=True, soft_delete_retention_days=90,
            public_network_access_enabled=bool(allowed),
            network_acls=KeyVaultNetworkAcls(default_action="Deny", bypass="AzureServices", ip_rules=allowed or None),
            tags=tags,
        )
        self.deployer_access = self.grant(
            "deployer-crypto-officer", principal_id=self.client.object_id, role="Key Vault Crypto Officer",
        )

        link = private_link(
            self, name=name, resource_id=self.vault.id, label="vault", zone_name=VAULT_PRIVATE_ZONE,
            location=location, resource_group_name=resource_group_name, vnet_id=vnet_id,
            subnet_id=private_endpoint_subnet_id, tags=tags,
        )
        self.private_endpoint = link.endpoint
        #: The ``privatelink.vaultcore.azure.net`` zone, linked to the VNet: one zone of that name per
        #: resource group, so later layers' vaults (the tenants') register their endpoints in it.
        self.dns_zone = link.zone

    @property
    def id(self) -> str:
        return self.vault.id

    def grant(self, id: str, *, principal_id: str, role: str) -> RoleAssignment:
        """Give ``principal_id`` the built-in ``role`` on this vault."""
        return RoleAssignment(self, id, scope=self.vault.id, principal_id=principal_id, role_definition_name=role)

    def add_key(self, id: str, *, name: str, tags: dict[str, str]) -> KeyVaultKey:
        """RSA-HSM 3072 key for wrap/unwrap, rotated automatically 90 days before it expires (2 years)."""
        return rotated_key(self, id, name=name, key_vault_id=self.vault.id, tags=tags,
                           depends_on=[self.deployer_access, self.private_endpoint])
