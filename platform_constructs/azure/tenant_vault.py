"""A tenant's own Key Vault for its secrets: RBAC, purge protection, private endpoint only, audited."""

from __future__ import annotations

import hashlib
import re

from constructs import Construct
from cdktf_cdktf_provider_azurerm.key_vault import KeyVault, KeyVaultNetworkAcls
from cdktf_cdktf_provider_azurerm.monitor_diagnostic_setting import (
    MonitorDiagnosticSetting,
    MonitorDiagnosticSettingEnabledLog,
    MonitorDiagnosticSettingEnabledMetric,
)
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment

from platform_constructs.azure.key_vault import VAULT_PRIVATE_ZONE
from platform_constructs.azure.names import key_vault_problem
from platform_constructs.azure.private_link import private_link

#: What a workload reads secrets with: get and list secret values, nothing else (no keys, no
#: certificates' private parts beyond their secret, no writes).
SECRETS_READ_ROLE = "Key Vault Secrets User"
#: What the tenant's admins manage secrets with: create, update, delete secrets (no keys, no role
#: assignments).
SECRETS_WRITE_ROLE = "Key Vault Secrets Officer"
#: Key Vault's audit log (every data-plane request: who read which secret) and its metrics.
VAULT_LOG_CATEGORIES = ("AuditEvent",)
#: Days a deleted vault (and a deleted secret) stays recoverable: the maximum.
SOFT_DELETE_DAYS = 90
#: Characters of the tenant's name kept in its vault's name (``kv-`` before, ``-<8 hex>`` after).
_READABLE = 12


def tenant_vault_name(subscription_id: str, env_name: str, tenant_name: str) -> str:
    """``kv-<tenant, at most 12>-<8 hex>``: at most 24 characters, deterministic, and globally unique in
    practice (Key Vault names are one namespace across Azure): the hash covers the subscription, the
    environment and the whole tenant name, so two tenants sharing their first 12 characters, or
    the same tenant in another environment, get different vaults."""
    digest = hashlib.sha256(f"{subscription_id}/{env_name}/tenants/{tenant_name}".encode()).hexdigest()[:8]
    readable = re.sub(r"-+", "-", tenant_name.lower())[:_READABLE].strip("-")
    return f"kv-{readable}-{digest}" if readable else f"kv-{digest}"


class TenantKeyVault(Construct):
    """A Standard vault holding one tenant's secrets, reached only from inside the VNet.

    - Azure RBAC authorization (no access policies): who may read is a role assignment.
    - Purge protection on, soft delete :data:`SOFT_DELETE_DAYS` days: a removed tenant's vault and
      secrets stay recoverable that long; the provider recovers the vault when the tenant comes back
      (``features.key_vault.recover_soft_deleted_key_vaults``, :func:`azurerm_provider`).
    - Public network access off and a firewall that denies by default with no bypass (not even
      trusted Azure services: nothing but the tenant's pods reads these secrets).
    - A ``vault`` private endpoint in ``private_endpoint_subnet_id`` registered in ``dns_zone_id``
      (a ``privatelink.vaultcore.azure.net`` zone already linked to the VNet: one zone of that name
      per resource group, shared with the cluster's key vault), so pods resolve
      ``<name>.vault.azure.net`` to the endpoint's private address.
    - A diagnostic setting sending the audit log (:data:`VAULT_LOG_CATEGORIES`) and all metrics to
      ``log_analytics_workspace_id``.
    - No role here: the tenant identity's :data:`SECRETS_READ_ROLE` on :attr:`id` is one of its own
      grants (the kit's workload identity); :meth:`grant` adds others, like
      :data:`SECRETS_WRITE_ROLE` for the tenant's admin groups.

    Terraform writes no secret: the team puts its secrets in (from inside the VNet) and its pods
    read them (the Key Vault secrets provider add-on, or the SDK with workload identity).

    :param name: the vault's name (:func:`tenant_vault_name`; 3-24 letters, digits and single '-').
    :param tenant_id: the Entra ID tenant (directory) id the vault trusts.
    :param dns_zone_id: the ``privatelink.vaultcore.azure.net`` zone the endpoint registers in.
    :param log_analytics_workspace_id: where the audit log goes (the cluster's workspace).
    """

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, resource_group_name: str,
                 tenant_id: str, vnet_id: str, private_endpoint_subnet_id: str, dns_zone_id: str,
                 log_analytics_workspace_id: str, tags: dict[str, str]):
        if key_vault_problem(name):
            raise ValueError(f"key vault name {name!r} must be 3-24 letters, digits and single '-', starting with "
                             "a letter and ending with a letter or digit (tenant_vault_name builds one)")
        super().__init__(scope, id)
        self._name = name
        self.vault = KeyVault(
            self, "vault", name=name, location=location, resource_group_name=resource_group_name,
            tenant_id=tenant_id, sku_name="standard",
            rbac_authorization_enabled=True, purge_protection_enabled=True,
            soft_delete_retention_days=SOFT_DELETE_DAYS, public_network_access_enabled=False,
            network_acls=KeyVaultNetworkAcls(default_action="Deny", bypass="None"),
            tags=tags,
        )
        link = private_link(
            self, name=name, resource_id=self.vault.id, label="vault", zone_name=VAULT_PRIVATE_ZONE,
            zone_id=dns_zone_id, location=location, resource_group_name=resource_group_name, vnet_id=vnet_id,
            subnet_id=private_endpoint_subnet_id, tags=tags,
        )
        self.private_endpoint = link.endpoint
        #: What pods need before they reach the vault: its private endpoint.
        self.reachable = link.reachable
        self.audit_log = MonitorDiagnosticSetting(
            self, "audit-log", name="to-workspace", target_resource_id=self.vault.id,
            log_analytics_workspace_id=log_analytics_workspace_id,
            enabled_log=[MonitorDiagnosticSettingEnabledLog(category=c) for c in VAULT_LOG_CATEGORIES],
            enabled_metric=[MonitorDiagnosticSettingEnabledMetric(category="AllMetrics")],
        )

    @property
    def name(self) -> str:
        """The vault's name, a literal: pods reach ``https://<name>.vault.azure.net``."""
        return self._name

    @property
    def id(self) -> str:
        return self.vault.id

    def grant(self, id: str, *, principal_id: str, role: str, principal_type: str) -> RoleAssignment:
        """Give ``principal_id`` (a ``Group``, ``User`` or ``ServicePrincipal``) the built-in ``role`` on this vault."""
        return RoleAssignment(self, id, scope=self.vault.id, principal_id=principal_id, role_definition_name=role,
                              principal_type=principal_type)
