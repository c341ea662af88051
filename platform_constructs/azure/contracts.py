"""Azure's typed contracts: the neutral ones plus what only the Azure kit reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract


@dataclass(frozen=True)
class AzureNetworkContract(NetworkContract):
    resource_group_name: str
    location: str
    system_subnet_id: str
    user_subnet_id: str
    api_server_subnet_id: str
    private_endpoint_subnet_id: str
    load_balancer_subnet_id: str
    #: NSG of the node subnets.
    node_security_group_id: str
    #: The Application Gateway's dedicated subnet, and its range (a literal, known at synth: the
    #: gateway's private frontend address is picked from it).
    app_gateway_subnet_id: str
    app_gateway_subnet_cidr: str
    #: The private endpoints' subnet range (a literal: where pods reach the vaults, storage and
    #: registry). Default: None (unknown).
    private_endpoint_subnet_cidr: str | None = None


@dataclass(frozen=True)
class AzureClusterContract(ClusterContract):
    cluster_id: str
    resource_group_name: str
    node_resource_group: str
    control_plane_identity_id: str
    #: Object (principal) id and client id of the user-assigned kubelet identity the nodes run
    #: as: the registry grants AcrPull to it. Known before the cluster exists.
    kubelet_identity_object_id: str
    kubelet_identity_client_id: str
    log_analytics_workspace_id: str
    #: NSG of the node subnets.
    node_security_group_id: str
    #: Key Vault and disk encryption set of the customer-managed keys; None when they are off.
    key_vault_id: str | None = None
    disk_encryption_set_id: str | None = None
    #: The Application Gateway the AGIC add-on configures; None without ``addons.load_balancer_controller``.
    app_gateway_id: str | None = None
    #: The ``privatelink.vaultcore.azure.net`` zone of the cluster's key vault, linked to the VNet
    #: (one zone of that name per resource group: the tenants' vaults register in it); None when
    #: customer-managed keys are off.
    key_vault_dns_zone_id: str | None = None


@dataclass(frozen=True)
class AzureDataContract(DataContract):
    """The neutral data contract plus what ``AzureKit.bucket_grants`` and later layers read."""

    #: ``data.buckets`` short name -> the container's resource id (the scope of blob roles).
    #: Default: none.
    container_ids: Mapping[str, str] = field(default_factory=dict)
    #: The storage account holding the containers (a literal name) and its id; None without buckets.
    storage_account_name: str | None = None
    storage_account_id: str | None = None
    #: The ``privatelink.blob.core.windows.net`` zone the data layer created and linked to the VNet
    #: (one zone per name per resource group: later layers register their endpoints in it).
    blob_dns_zone_id: str | None = None
    #: The registry's id (the scope of AcrPush grants); None without repositories.
    registry_id: str | None = None
    #: The cache's id (the parent of its access policy assignments); None without a cache.
    cache_id: str | None = None
