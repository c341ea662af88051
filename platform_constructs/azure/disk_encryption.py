"""A disk encryption set: node OS and data disks encrypted with a customer-managed key."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_azurerm.disk_encryption_set import DiskEncryptionSet, DiskEncryptionSetIdentity
from cdktf_cdktf_provider_azurerm.key_vault_key import KeyVaultKey

from platform_constructs.azure.key_vault import CustomerKeyVault


class NodeDiskEncryption(Construct):
    """Disk encryption set on ``key`` (versionless, so Azure follows key rotation by itself).

    Its system-assigned identity gets Key Vault Crypto Service Encryption User on ``vault``;
    the set is usable by AKS once that grant exists (``self.ready``).
    """

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, resource_group_name: str,
                 vault: CustomerKeyVault, key: KeyVaultKey, tags: dict[str, str]):
        super().__init__(scope, id)
        self.set = DiskEncryptionSet(
            self, "set", name=name, location=location, resource_group_name=resource_group_name,
            key_vault_key_id=key.versionless_id, auto_key_rotation_enabled=True,
            encryption_type="EncryptionAtRestWithCustomerKey",
            identity=DiskEncryptionSetIdentity(type="SystemAssigned"), tags=tags,
        )
        self.key_access = vault.grant(
            f"{id}-crypto-user", principal_id=self.set.identity.principal_id,
            role="Key Vault Crypto Service Encryption User",
        )
        self.ready = [self.set, self.key_access]

    @property
    def id(self) -> str:
        return self.set.id
