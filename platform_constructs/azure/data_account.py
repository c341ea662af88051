"""The data layer's Blob Storage: one private, key-less storage account holding ``data.buckets`` as containers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from constructs import Construct
from cdktf_cdktf_provider_azurerm.storage_management_policy import StorageManagementPolicyRuleActionsBaseBlob

from platform_constructs.azure.private_storage_account import PrivateStorageAccount

#: Days previous blob versions, snapshots and deleted blobs and containers are kept.
NONCURRENT_VERSION_DAYS = 30
#: Letters of the readable part of an account name; ``dat`` and 8 hex characters follow.
_READABLE = 13


def data_unique(head: str, subscription_id: str) -> str:
    """8 hex characters from the subscription and the data ``name_head``: what makes the data
    layer's account, registry and cache names globally unique (as the observability account's)."""
    return hashlib.sha256(f"{subscription_id}/{head}".encode()).hexdigest()[:8]


def data_account_name(head: str, subscription_id: str) -> str:
    """``<head's letters and digits, at most 13>dat<8 hex>``: 14-24 characters, deterministic."""
    readable = re.sub(r"[^a-z0-9]", "", head.lower())[:_READABLE]
    return f"{readable}dat{data_unique(head, subscription_id)}"


class DataStorageAccount(PrivateStorageAccount):
    """A :class:`~platform_constructs.azure.private_storage_account.PrivateStorageAccount` (private
    endpoint only, Entra ID only, customer-managed key, versioned, access-logged) for the data layer:

    - GZRS (zone redundant, and copied to the paired region: what outlives a cluster should
      outlive a region's outage too).
    - Previous versions, snapshots and deleted blobs and containers kept :data:`NONCURRENT_VERSION_DAYS`.
    - Lifecycle: in ``cold_container`` current blobs move to the Cold tier ``cold_after_days``
      after their last write; the other containers' current blobs stay. Cold, not Archive:
      Archive is not offered on zone-redundant accounts (ZRS, GZRS, RA-GZRS).
    - ``immutable_days`` > 0: an unlocked container immutability policy on ``cold_container``: its
      blobs cannot be overwritten or deleted for that many days; an administrator can still delete
      the unlocked policy.

    :param name: the account's name (:func:`data_account_name`).
    :param containers: container names (3-63 lowercase letters, digits and single '-').
    :param cold_container: the container that moves to Cold and may be immutable. Default: none.
    :param cold_after_days: days after the last write before ``cold_container`` blobs move to Cold. Default: 30.
    :param immutable_days: retention of ``cold_container``'s immutability policy; 0: none. Default: 0.
    :param blob_dns_zone_id: an existing ``privatelink.blob.core.windows.net`` zone already linked
        to the VNet. Default: none (create and link one).
    :param prevent_destroy: refuse plans that destroy the account, its containers or key. Default: true.
    """

    NO_CONTAINERS = "a data storage account needs at least one container: list one in data.buckets"

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, resource_group_name: str,
                 containers: Sequence[str], key_vault_id: str, key_name: str, vnet_id: str,
                 private_endpoint_subnet_id: str, log_analytics_workspace_id: str, tags: dict[str, str],
                 cold_container: str | None = None, cold_after_days: int = 30, immutable_days: int = 0,
                 blob_dns_zone_id: str | None = None, prevent_destroy: bool = True):
        problems = []
        if len(set(containers)) != len(containers):
            problems.append(f"containers {list(containers)} name a container twice: list each once")
        if cold_container is not None and cold_container not in containers:
            problems.append(f"cold container {cold_container!r} is not one of the containers {list(containers)}: add it")
        if cold_after_days < 1:
            problems.append(f"cold_after_days {cold_after_days} must be at least 1")
        if immutable_days < 0 or (immutable_days and cold_container is None):
            problems.append(f"immutable_days {immutable_days} needs a cold_container and must be 0 or more")
        super().__init__(
            scope, id, name=name, location=location, resource_group_name=resource_group_name,
            containers={
                container: StorageManagementPolicyRuleActionsBaseBlob(
                    tier_to_cold_after_days_since_modification_greater_than=cold_after_days,
                ) if container == cold_container else None
                for container in containers
            },
            key_vault_id=key_vault_id, key_name=key_name, vnet_id=vnet_id,
            private_endpoint_subnet_id=private_endpoint_subnet_id,
            log_analytics_workspace_id=log_analytics_workspace_id, tags=tags,
            replication_type="GZRS", noncurrent_days=NONCURRENT_VERSION_DAYS,
            immutable_container=cold_container, immutable_days=immutable_days,
            blob_dns_zone_id=blob_dns_zone_id, prevent_destroy=prevent_destroy, problems=problems,
        )
