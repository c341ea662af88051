"""The observability layer's Blob Storage: one private, key-less storage account holding the seed's six containers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from constructs import Construct
from cdktf_cdktf_provider_azurerm.storage_management_policy import StorageManagementPolicyRuleActionsBaseBlob

from platform_constructs.azure.private_storage_account import (
    BLOB_LOG_CATEGORIES,
    BLOB_PRIVATE_ZONE,
    KEY_USER_ROLE,
    PrivateStorageAccount,
)
from platform_constructs.observability.storage import NONCURRENT_VERSION_DAYS

#: The blob constants are the shared account's, kept importable from here.
__all__ = ["BLOB_LOG_CATEGORIES", "BLOB_PRIVATE_ZONE", "KEY_USER_ROLE", "ObservabilityStorageAccount",
           "storage_account_name"]

#: Letters of the readable part of a default account name; ``obs`` and 8 hex characters follow.
_READABLE = 13


def storage_account_name(head: str, subscription_id: str) -> str:
    """``<head's letters and digits, at most 13>obs<8 hex>``: deterministic per head (the
    observability ``name_head``: ``[<bucket_prefix>-]<env>``) and subscription, 12-24 characters,
    globally unique in practice (the hash covers subscription and head)."""
    readable = re.sub(r"[^a-z0-9]", "", head.lower())[:_READABLE]
    digest = hashlib.sha256(f"{subscription_id}/{head}".encode()).hexdigest()[:8]
    return f"{readable}obs{digest}"


class ObservabilityStorageAccount(PrivateStorageAccount):
    """A :class:`~platform_constructs.azure.private_storage_account.PrivateStorageAccount` (private
    endpoint only, Entra ID only, customer-managed key, versioned, access-logged) for the seed's
    containers:

    - ZRS.
    - Previous versions, snapshots and deleted blobs and containers kept ``NONCURRENT_VERSION_DAYS``.
    - Lifecycle, per container: current blobs deleted ``containers[container]`` days after their
      last write (no rule for ``None``: the ruler and Alertmanager state).

    Terraform reaches this account through Resource Manager only: the provider must not read
    queue or static-website properties from the data plane (``features.storage.data_plane_available
    = false``), which a runner outside the VNet cannot reach with public access off.

    :param name: the account's name (3-24 lowercase letters and digits; :func:`storage_account_name`).
    :param containers: container name -> days after which current blobs expire (``None``: never).
    :param key_vault_id: the cluster's key vault (purge protection on, RBAC).
    :param key_name: the key's name in that vault.
    :param blob_dns_zone_id: an existing ``privatelink.blob.core.windows.net`` zone already linked
        to the VNet (the data layer's). Default: none (create and link one: one zone of that name
        per resource group).
    :param prevent_destroy: refuse plans that destroy the account, its containers or key. Default: true.
    """

    NO_CONTAINERS = "an observability storage account needs at least one container"

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, resource_group_name: str,
                 containers: Mapping[str, int | None], key_vault_id: str, key_name: str, vnet_id: str,
                 private_endpoint_subnet_id: str, log_analytics_workspace_id: str, tags: dict[str, str],
                 blob_dns_zone_id: str | None = None, prevent_destroy: bool = True):
        super().__init__(
            scope, id, name=name, location=location, resource_group_name=resource_group_name,
            containers={
                container: StorageManagementPolicyRuleActionsBaseBlob(
                    delete_after_days_since_modification_greater_than=days) if days is not None else None
                for container, days in containers.items()
            },
            key_vault_id=key_vault_id, key_name=key_name, vnet_id=vnet_id,
            private_endpoint_subnet_id=private_endpoint_subnet_id,
            log_analytics_workspace_id=log_analytics_workspace_id, tags=tags,
            replication_type="ZRS", noncurrent_days=NONCURRENT_VERSION_DAYS,
            blob_dns_zone_id=blob_dns_zone_id, prevent_destroy=prevent_destroy,
        )
