"""The observability layer's Blob Storage: one private, key-less storage account holding the seed's six containers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_azurerm.key_vault_key import (
    KeyVaultKey,
    KeyVaultKeyRotationPolicy,
    KeyVaultKeyRotationPolicyAutomatic,
)
from cdktf_cdktf_provider_azurerm.monitor_diagnostic_setting import (
    MonitorDiagnosticSetting,
    MonitorDiagnosticSettingEnabledLog,
    MonitorDiagnosticSettingEnabledMetric,
)
from cdktf_cdktf_provider_azurerm.private_dns_zone import PrivateDnsZone
from cdktf_cdktf_provider_azurerm.private_dns_zone_virtual_network_link import PrivateDnsZoneVirtualNetworkLink
from cdktf_cdktf_provider_azurerm.private_endpoint import (
    PrivateEndpoint,
    PrivateEndpointPrivateDnsZoneGroup,
    PrivateEndpointPrivateServiceConnection,
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

from platform_constructs.observability.storage import NONCURRENT_VERSION_DAYS

#: Private DNS zone of Blob Storage private endpoints (public Azure cloud).
BLOB_PRIVATE_ZONE = "privatelink.blob.core.windows.net"
#: Blob service logs the diagnostic setting sends to the workspace (resource-specific table
#: StorageBlobLogs; "Supported logs for Microsoft.Storage/storageAccounts/blobServices").
BLOB_LOG_CATEGORIES = ("StorageRead", "StorageWrite", "StorageDelete")
#: The role that lets the account's identity wrap and unwrap with the key (and nothing else).
KEY_USER_ROLE = "Key Vault Crypto Service Encryption User"
#: Storage account names: 3-24 lowercase letters and digits, globally unique.
_ACCOUNT_NAME = re.compile(r"[a-z0-9]{3,24}")
#: Letters of the readable part of a default account name; ``obs`` and 8 hex characters follow.
_READABLE = 13


def storage_account_name(head: str, subscription_id: str) -> str:
    """``<head's letters and digits, at most 13>obs<8 hex>``: deterministic per head (the
    observability ``name_head``: ``[<bucket_prefix>-]<env>``) and subscription, 12-24 characters,
    globally unique in practice (the hash covers subscription and head)."""
    readable = re.sub(r"[^a-z0-9]", "", head.lower())[:_READABLE]
    digest = hashlib.sha256(f"{subscription_id}/{head}".encode()).hexdigest()[:8]
    return f"{readable}obs{digest}"


def _rule_name(container: str) -> str:
    """Lifecycle rule names take letters and digits only: the container's name without '-'."""
    return re.sub(r"[^A-Za-z0-9]", "", container)


class ObservabilityStorageAccount(Construct):
    """StorageV2 account with the seed's containers, reachable only through a private endpoint
    and only with Entra ID tokens.

    - ZRS, hot tier, TLS 1.2 minimum, HTTPS only; shared keys (and so SAS and account keys),
      local users, SFTP, cross-tenant replication and anonymous blob access off; the portal and
      tools default to Entra ID (``default_to_oauth_authentication``).
    - Public network access off; the firewall denies by default (trusted Azure services only).
      A private endpoint (``blob``) in ``private_endpoint_subnet_id`` with the
      ``privatelink.blob.core.windows.net`` zone linked to the VNet, so pods resolve the account's
      blob host to its private address.
    - Encrypted with a customer-managed key: an RSA-HSM 3072 key ``key_name`` in the cluster's
      key vault (``key_vault_id``), rotated like the platform's other keys (2-year expiry, new
      version 90 days before), used versionless so the account follows rotation. A user-assigned
      identity ``<name>-key`` holds Key Vault Crypto Service Encryption User on that key alone
      and is the account's identity for the key. Infrastructure encryption (a second layer) on;
      queues and tables use the account key too.
    - Blob versioning on; deleted blobs and containers kept ``NONCURRENT_VERSION_DAYS`` (soft
      delete).
    - One container per entry of ``containers`` (created through Azure Resource Manager by
      ``storage_account_id``, never the data plane), private.
    - A lifecycle rule per container (prefix ``<container>/``): current blobs deleted
      ``expiration_days[container]`` days after their last write (no rule for ``None``: the
      ruler and Alertmanager state), previous versions and snapshots after
      ``NONCURRENT_VERSION_DAYS``. Azure has no lifecycle action for unfinished uploads: Blob
      Storage discards uncommitted blocks itself after 7 days.
    - A diagnostic setting on the blob service (``<account>/blobServices/default``) sending
      :data:`BLOB_LOG_CATEGORIES` and the Transaction metric to ``log_analytics_workspace_id``
      (the access log).
    - ``prevent_destroy`` on the account, its containers and its key (Default: on).

    Terraform reaches this account through Resource Manager only: the provider must not read
    queue or static-website properties from the data plane (``features.storage.data_plane_available
    = false``), which a runner outside the VNet cannot reach with public access off.

    :param name: the account's name (3-24 lowercase letters and digits; :func:`storage_account_name`).
    :param containers: container name -> days after which current blobs expire (``None``: never).
    :param key_vault_id: the cluster's key vault (purge protection on, RBAC).
    :param key_name: the key's name in that vault.
    :param prevent_destroy: refuse plans that destroy the account, its containers or key. Default: true.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, resource_group_name: str,
                 containers: Mapping[str, int | None], key_vault_id: str, key_name: str, vnet_id: str,
                 private_endpoint_subnet_id: str, log_analytics_workspace_id: str, tags: dict[str, str],
                 prevent_destroy: bool = True):
        problems = []
        if not _ACCOUNT_NAME.fullmatch(name):
            problems.append(f"storage account name {name!r} must be 3-24 lowercase letters and digits")
        bad = [c for c in containers if not re.fullmatch(r"[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]", c)]
        if bad:
            problems.append(f"container names {bad} must be 3-63 lowercase letters, digits and single '-'")
        if not containers:
            problems.append("an observability storage account needs at least one container")
        if problems:
            raise ValueError("; ".join(problems))
        super().__init__(scope, id)
        self._name = name
        lifecycle = TerraformResourceLifecycle(prevent_destroy=prevent_destroy)

        self.key = KeyVaultKey(
            self, "cmk", name=key_name, key_vault_id=key_vault_id, key_type="RSA-HSM", key_size=3072,
            key_opts=["wrapKey", "unwrapKey", "encrypt", "decrypt"],
            rotation_policy=KeyVaultKeyRotationPolicy(
                expire_after="P2Y", notify_before_expiry="P30D",
                automatic=KeyVaultKeyRotationPolicyAutomatic(time_before_expiry="P90D"),
            ),
            tags=tags, lifecycle=lifecycle,
        )
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
            account_kind="StorageV2", account_tier="Standard", account_replication_type="ZRS", access_tier="Hot",
            min_tls_version="TLS1_2", https_traffic_only_enabled=True,
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
                delete_retention_policy=StorageAccountBlobPropertiesDeleteRetentionPolicy(days=NONCURRENT_VERSION_DAYS),
                container_delete_retention_policy=StorageAccountBlobPropertiesContainerDeleteRetentionPolicy(
                    days=NONCURRENT_VERSION_DAYS),
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

        rules = []
        for container, days in containers.items():
            rules.append(StorageManagementPolicyRule(
                name=_rule_name(container), enabled=True,
                filters=StorageManagementPolicyRuleFilters(blob_types=["blockBlob"], prefix_match=[f"{container}/"]),
                actions=StorageManagementPolicyRuleActions(
                    base_blob=StorageManagementPolicyRuleActionsBaseBlob(
                        delete_after_days_since_modification_greater_than=days) if days is not None else None,
                    version=StorageManagementPolicyRuleActionsVersion(
                        delete_after_days_since_creation=NONCURRENT_VERSION_DAYS),
                    snapshot=StorageManagementPolicyRuleActionsSnapshot(
                        delete_after_days_since_creation_greater_than=NONCURRENT_VERSION_DAYS),
                ),
            ))
        self.lifecycle_policy = StorageManagementPolicy(self, "lifecycle", storage_account_id=self.account.id,
                                                        rule=rules)

        zone = PrivateDnsZone(self, "dns-zone", name=BLOB_PRIVATE_ZONE, resource_group_name=resource_group_name,
                              tags=tags)
        self.dns_link = PrivateDnsZoneVirtualNetworkLink(
            self, "dns-link", name=f"{name}-vnet", resource_group_name=resource_group_name,
            private_dns_zone_name=zone.name, virtual_network_id=vnet_id, registration_enabled=False, tags=tags,
        )
        self.private_endpoint = PrivateEndpoint(
            self, "private-endpoint", name=f"{name}-blob-pe", location=location,
            resource_group_name=resource_group_name, subnet_id=private_endpoint_subnet_id,
            private_service_connection=PrivateEndpointPrivateServiceConnection(
                name=f"{name}-blob", private_connection_resource_id=self.account.id,
                subresource_names=["blob"], is_manual_connection=False,
            ),
            private_dns_zone_group=PrivateEndpointPrivateDnsZoneGroup(name="blob", private_dns_zone_ids=[zone.id]),
            tags=tags,
        )

        self.access_log = MonitorDiagnosticSetting(
            self, "blob-logs", name="to-workspace", target_resource_id=f"{self.account.id}/blobServices/default",
            log_analytics_workspace_id=log_analytics_workspace_id,
            enabled_log=[MonitorDiagnosticSettingEnabledLog(category=c) for c in BLOB_LOG_CATEGORIES],
            enabled_metric=[MonitorDiagnosticSettingEnabledMetric(category="Transaction")],
        )
        #: What pods need before they reach the account: the private endpoint and its DNS.
        self.reachable = [self.private_endpoint, self.dns_link]

    @property
    def name(self) -> str:
        """The account's name, a literal (known at synth, so chart values carry it as text)."""
        return self._name

    @property
    def id(self) -> str:
        return self.account.id

