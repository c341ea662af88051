"""The data layer on Azure: the data storage account, the registry and the cache of ``<env>-data``."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.azure.cache import CACHE_PORT, AzureManagedRedis
from platform_constructs.azure.contracts import AzureClusterContract, AzureDataContract, AzureNetworkContract
from platform_constructs.azure.data_account import DataStorageAccount, data_account_name, data_unique
from platform_constructs.azure.provider import platform_tags
from platform_constructs.azure.registry import AzureContainerRegistry, registry_name
from platform_constructs.naming import global_names, name_head
from platform_constructs.outputs import named_output
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.spec.data import BACKUP_BUCKET

#: The stack layer (tags).
LAYER = "data"


def data_key_name(spec: EnvironmentSpec) -> str:
    """``<cluster>-data``: the data storage key's name in the cluster's key vault."""
    return f"{spec.cluster.name}-data"


class AzureData(Construct):
    """``data.buckets``, ``data.registry`` and ``data.cache`` on Azure.

    - Buckets: one :class:`DataStorageAccount` named :func:`data_account_name` from the data
      ``name_head`` (``[<data.bucket_prefix>-]<env>``) and the subscription, a container per
      bucket named as the bucket; the ``backup`` container moves to Cold after
      ``data.archive_after_days`` and is immutable for ``data.backup_immutable_days`` (when > 0).
      Key ``<cluster>-data`` in the cluster's key vault.
    - Registry (when ``data.registry.repositories``): :class:`AzureContainerRegistry` named
      :func:`registry_name`, AcrPull for the kubelet identity.
    - Cache (when ``data.cache``): :class:`AzureManagedRedis` ``<head>-<unique>-cache`` with SKU
      ``data.cache.size``.
    - Outputs: ``data_storage_account``, ``registry_login_server``, ``cache_hostname`` and
      ``cache_port`` (none is a secret: no secret exists, every client signs in with Entra ID).

    :param prevent_destroy: refuse plans that destroy the account, containers, key, registry or cache. Default: true.

    Attribute ``contract``: the :class:`AzureDataContract`.
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, network: AzureNetworkContract,
                 cluster: AzureClusterContract, prevent_destroy: bool = True):
        if spec.azure is None:
            raise ValueError(f"{spec.name}: AzureData needs the environment's azure: section")
        data = spec.data
        if data.buckets and cluster.key_vault_id is None:
            raise ValueError(f"{spec.name}: data.buckets are encrypted with a key in the cluster's key vault: set "
                             "azure.enable_customer_managed_keys: true (or data.buckets: [])")
        super().__init__(scope, id)
        tags = platform_tags(spec, LAYER)
        head = name_head(spec.name, data.bucket_prefix)
        unique = data_unique(head, spec.azure.subscription_id)
        common = dict(location=spec.region, resource_group_name=network.resource_group_name,
                      vnet_id=network.network_id, private_endpoint_subnet_id=network.private_endpoint_subnet_id,
                      tags=tags, prevent_destroy=prevent_destroy)

        self.account: DataStorageAccount | None = None
        if data.buckets:
            backup = BACKUP_BUCKET if BACKUP_BUCKET in data.buckets else None
            self.account = DataStorageAccount(
                self, "storage", name=data_account_name(head, spec.azure.subscription_id), containers=data.buckets,
                key_vault_id=cluster.key_vault_id, key_name=data_key_name(spec),
                log_analytics_workspace_id=cluster.log_analytics_workspace_id, cold_container=backup,
                cold_after_days=data.archive_after_days, immutable_days=data.backup_immutable_days, **common,
            )
            named_output(self, "data_storage_account", self.account.name,
                         "Storage account holding the data buckets as containers (private endpoint only)")

        self.registry: AzureContainerRegistry | None = None
        if data.registry.repositories:
            self.registry = AzureContainerRegistry(
                self, "registry", name=registry_name(head, unique),
                pull_principal_ids={"kubelet": cluster.kubelet_identity_object_id}, **common,
            )
            named_output(self, "registry_login_server", self.registry.login_server,
                         "Container registry host: push and pull <host>/<repository>:<tag> (private endpoint only)")

        self.cache: AzureManagedRedis | None = None
        if data.cache is not None:
            self.cache = AzureManagedRedis(
                self, "cache", name=global_names(head, unique, ["cache"])["cache"], sku_name=data.cache.size, **common,
            )
            named_output(self, "cache_hostname", self.cache.hostname,
                         "Azure Managed Redis host (TLS, Entra ID authentication, private endpoint only)")
            named_output(self, "cache_port", self.cache.port, "Azure Managed Redis TLS port")

        account = self.account
        self.contract = AzureDataContract(
            buckets={b: b for b in data.buckets} if account else {},
            registry_url=self.registry.login_server if self.registry else None,
            cache_endpoint=self.cache.hostname if self.cache else None,
            cache_port=str(CACHE_PORT) if self.cache else None,
            container_ids={b: c.id for b, c in account.containers.items()} if account else {},
            storage_account_name=account.name if account else None,
            storage_account_id=account.id if account else None,
            blob_dns_zone_id=account.dns_zone.id if account and account.dns_zone else None,
            registry_id=self.registry.id if self.registry else None,
            cache_id=self.cache.id if self.cache else None,
        )
