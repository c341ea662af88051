"""A private, key-less Blob Storage account encrypted with a customer-managed key: what the data and observability layers' accounts share."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_azurerm.monitor_diagnostic_setting import (
    MonitorDiagnosticSetting,
    MonitorDiagnosticSettingEnabledLog,
    MonitorDiagnosticSettingEnabledMetric,
)
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.storage_account import (
    StorageAccount,
    StorageAccountBlobProperties,
    StorageAccountBlobPropertiesContainerDeleteRetentionPolicy,
    StorageAccountBlobPropertiesDeleteRetentionPolicy,
    StorageAccountCustomerManagedKey,
    StorageAccountIdentity,
    StorageAccountNetworkRules,
)
from cdktf_cdktf_provider_azurerm.storage_container import StorageContainer
from cdktf_cdktf_provider_azurerm.storage_container_immutability_policy import StorageContainerImmutabilityPolicy
from cdktf_cdktf_provider_azurerm.storage_management_policy import (
    StorageManagementPolicy,
    StorageManagementPolicyRule,
    StorageManagementPolicyRuleActions,
    StorageManagementPolicyRuleActionsBaseBlob,
    StorageManagementPolicyRuleActionsSnapshot,
    StorageManagementPolicyRuleActionsVersion,
    StorageManagementPolicyRuleFilters,
)
from cdktf_cdktf_provider_azurerm.user_assigned_identity import UserAssignedIdentity

from platform_constructs.azure.key_vault import rotated_key
from platform_constructs.azure.names import container_problem, storage_account_problem
from platform_constructs.azure.private_link import private_link

#: Private DNS zone of Blob Storage private endpoints (public Azure cloud).
BLOB_PRIVATE_ZONE = "privatelink.blob.core.windows.net"
#: Blob service logs the diagnostic setting sends to the workspace (resource-specific table
#: StorageBlobLogs; "Supported logs for Microsoft.Storage/storageAccounts/blobServices").
BLOB_LOG_CATEGORIES = ("StorageRead", "StorageWrite", "StorageDelete")
#: The role that lets the account's identity wrap and unwrap with the key (and nothing else).
KEY_USER_ROLE = "Key Vault Crypto Service Encryption User"


def _rule_name(container: str) -> str:
    """Lifecycle rule names take letters and digits only: the container's name without '-'."""
    return re.sub(r"[^A-Za-z0-9]", "", container)


class PrivateStorageAccount(Construct):
    """StorageV2 account with one private container per ``containers`` entry, reachable only
    through a private endpoint and only with Entra ID tokens.

    - ``replication_type`` (like ZRS, GZRS), hot tier, TLS 1.2 minimum, HTTPS only; shared keys
      (and so SAS and account keys), local users, SFTP, cross-tenant replication and anonymous blob
      access off; the portal and tools default to Entra ID (``default_to_oauth_authentication``).
    - Public network access off; the firewall denies by default (trusted Azure services only).
      A ``blob`` private endpoint in ``private_endpoint_subnet_id`` registered in
      ``blob_dns_zone_id`` when given, else in a ``privatelink.blob.core.windows.net`` zone this
      construct creates and links to the VNet (:attr:`dns_zone`), so pods resolve the account's
      blob host to its private address.
    - Encrypted with a customer-managed key: an RSA-HSM 3072 key ``key_name`` in ``key_vault_id``
      (:func:`~platform_constructs.azure.key_vault.rotated_key`: 2-year expiry, new version 90 days
      before), used versionless so the account follows rotation. A user-assigned identity
      ``<name>-key`` holds Key Vault Crypto Service Encryption User on that key alone and is the
      account's identity for the key. Infrastructure encryption (a second layer) on; queues and
      tables use the account key too.
    - Blob versioning on; deleted blobs and containers kept ``noncurrent_days`` (soft delete).
    - One container per entry of ``containers`` (created through Azure Resource Manager by
      ``storage_account_id``, never the data plane), private.
    - A lifecycle rule per container (prefix ``<container>/``): ``containers[container]`` on
      current blobs (``None``: none), previous versions and snapshots deleted after
      ``noncurrent_days``. Azure has no lifecycle action for unfinished uploads: Blob Storage
      discards uncommitted blocks itself after 7 days.
    - ``immutable_days`` > 0: an unlocked container immutability policy (time-based retention,
      protected append writes allowed) on ``immutable_container``.
    - A diagnostic setting on the blob service (``<account>/blobServices/default``) sending
      :data:`BLOB_LOG_CATEGORIES` and the Transaction metric to ``log_analytics_workspace_id``
      (the access log).
    - ``prevent_destroy`` on the account, its containers, its key and the immutability policy
      (Default: on). Nothing is force-destroyed.

    :param name: the account's name (3-24 lowercase letters and digits).
    :param containers: container name (3-63 lowercase letters, digits and single '-') -> the
        lifecycle action on its current blobs (``None``: none), in the order they are declared.
    :param replication_type: ``account_replication_type``.
    :param noncurrent_days: days previous versions, snapshots and deleted blobs and containers are kept.
    :param immutable_container: the container the immutability policy protects. Default: none.
    :param immutable_days: that policy's retention; 0: no policy. Default: 0.
    :param blob_dns_zone_id: an existing ``privatelink.blob.core.windows.net`` zone already linked
        to the VNet. Default: none (create and link one: one zone of that name per resource group).
    :param prevent_destroy: refuse plans that destroy the account, its containers or key. Default: true.
    :param problems: what the caller found wrong in its own parameters, reported with this
        construct's in one ``ValueError``. Default: none.
    """

    #: The problem reported for an empty ``containers``.
    NO_CONTAINERS = "a storage account needs at least one container"

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, resource_group_name: str,
                 containers: Mapping[str, StorageManagementPolicyRuleActionsBaseBlob | None], key_vault_id: str,
                 key_name: str, vnet_id: str, private_endpoint_subnet_id: str, log_analytics_workspace_id: str,
                 tags: dict[str, str], replication_type: str, noncurrent_days: int,
                 immutable_container: str | None = None, immutable_days: int = 0, blob_dns_zone_id: str | None = None,
                 prevent_destroy: bool = True, problems: Sequence[str] = ()):
        found = []
        if storage_account_problem(name):
            found.append(f"storage account name {name!r} {storage_account_problem(name)}")
        if not containers:
            found.append(self.NO_CONTAINERS)
        bad = [c for c in containers if container_problem(c)]
        if bad:
            found.append(f"container names {bad} must be 3-63 lowercase letters, digits and single '-'")
        found.extend(problems)
        if found:
            raise ValueError("; ".join(found))
        super().__init__(scope, id)
        self._name = name
        lifecycle = TerraformResourceLifecycle(prevent_destroy=prevent_destroy)

        self.key = rotated_key(self, "cmk", name=key_name, key_vault_id=key_vault_id, tags=tags, lifecycle=lifecycle)
        self.key_identity = UserAssignedIdentity(
            self, "cmk-identity", name=f"{name}-key", location=location, resource_group_name=resource_group_name,
            tags=tags,
        )
        self.key_access = RoleAssignment(
            self, "cmk-access", scope=self.key.resource_versionless_id, role_definition_name=KEY_USER_ROLE,
            principal_id=self.key_identity.principal_id, principal_type="ServicePrincipal",
        )

        self.account = StorageAccount(
            self, "account", name=name, location=location, resource_group_name=resource_group_name,
            account_kind="StorageV2", account_tier="Standard", account_replication_type=replication_type,
            access_tier="Hot", min_tls_version="TLS1_2", https_traffic_only_enabled=True,
            shared_access_key_enabled=False, default_to_oauth_authentication=True,
            public_network_access_enabled=False, allow_nested_items_to_be_public=False,
            cross_tenant_replication_enabled=False, local_user_enabled=False, sftp_enabled=False,
            network_rules=StorageAccountNetworkRules(default_action="Deny", bypass=["AzureServices"]),
            infrastructure_encryption_enabled=True,
            queue_encryption_key_type="Account", table_encryption_key_type="Account",
            identity=StorageAccountIdentity(type="UserAssigned", identity_ids=[self.key_identity.id]),
            customer_managed_key=StorageAccountCustomerManagedKey(
                key_vault_key_id=self.key.versionless_id, user_assigned_identity_id=self.key_identity.id,
            ),
            blob_properties=StorageAccountBlobProperties(
                versioning_enabled=True,
                delete_retention_policy=StorageAccountBlobPropertiesDeleteRetentionPolicy(days=noncurrent_days),
                container_delete_retention_policy=StorageAccountBlobPropertiesContainerDeleteRetentionPolicy(
                    days=noncurrent_days),
            ),
            tags=tags, lifecycle=lifecycle,
            # The identity must hold the key before the account is created encrypted with it.
            depends_on=[self.key_access],
        )

        self.containers = {
            container: StorageContainer(
                self, f"container-{container}", name=container, storage_account_id=self.account.id,
                container_access_type="private", lifecycle=lifecycle,
            )
            for container in containers
        }
        self.immutability_policy = StorageContainerImmutabilityPolicy(
            self, "immutability", storage_container_resource_manager_id=self.containers[immutable_container].id,
            immutability_period_in_days=immutable_days, protected_append_writes_enabled=True, locked=False,
            lifecycle=lifecycle,
        ) if immutable_days and immutable_container else None

        self.lifecycle_policy = StorageManagementPolicy(
            self, "lifecycle", storage_account_id=self.account.id,
            rule=[
                StorageManagementPolicyRule(
                    name=_rule_name(container), enabled=True,
                    filters=StorageManagementPolicyRuleFilters(blob_types=["blockBlob"],
                                                               prefix_match=[f"{container}/"]),
                    actions=StorageManagementPolicyRuleActions(
                        base_blob=base_blob,
                        version=StorageManagementPolicyRuleActionsVersion(
                            delete_after_days_since_creation=noncurrent_days),
                        snapshot=StorageManagementPolicyRuleActionsSnapshot(
                            delete_after_days_since_creation_greater_than=noncurrent_days),
                    ),
                )
                for container, base_blob in containers.items()
            ],
        )

        link = private_link(
            self, name=name, resource_id=self.account.id, label="blob", endpoint_name=f"{name}-blob-pe",
            zone_name=BLOB_PRIVATE_ZONE, zone_id=blob_dns_zone_id, location=location,
            resource_group_name=resource_group_name, vnet_id=vnet_id, subnet_id=private_endpoint_subnet_id, tags=tags,
        )
        self.dns_zone, self.dns_link, self.private_endpoint = link.zone, link.link, link.endpoint
        self.access_log = MonitorDiagnosticSetting(
            self, "blob-logs", name="to-workspace", target_resource_id=f"{self.account.id}/blobServices/default",
            log_analytics_workspace_id=log_analytics_workspace_id,
            enabled_log=[MonitorDiagnosticSettingEnabledLog(category=c) for c in BLOB_LOG_CATEGORIES],
            enabled_metric=[MonitorDiagnosticSettingEnabledMetric(category="Transaction")],
        )
        #: What pods need before they reach the account: the private endpoint (and its DNS link).
        self.reachable = link.reachable

    @property
    def name(self) -> str:
        """The account's name, a literal (known at synth, so chart values carry it as text)."""
        return self._name

    @property
    def id(self) -> str:
        return self.account.id
