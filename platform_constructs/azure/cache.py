"""The data layer's cache: Azure Managed Redis behind a private endpoint, Entra ID authentication only."""

from __future__ import annotations

import re

from constructs import Construct
from cdktf import TerraformResourceLifecycle, Token
from cdktf_cdktf_provider_azurerm.managed_redis import ManagedRedis, ManagedRedisDefaultDatabase

from platform_constructs.azure.private_link import private_link
from platform_constructs.azure.spec import CACHE_SKU

#: Private DNS zone of Azure Managed Redis private endpoints.
CACHE_PRIVATE_ZONE = "privatelink.redis.azure.net"
#: The private endpoint's sub-resource of an Azure Managed Redis (Microsoft.Cache/redisEnterprise).
CACHE_SUBRESOURCE = "redisEnterprise"
#: The TLS port of the default database (Azure Managed Redis listens on 10000 only).
CACHE_PORT = 10000
#: Names: 3-63 letters, digits and single '-', a letter or digit at each end.
_CACHE_NAME = re.compile(r"[A-Za-z0-9](?!.*--)[A-Za-z0-9-]{1,61}[A-Za-z0-9]")


class AzureManagedRedis(Construct):
    """Azure Managed Redis (``azurerm_managed_redis``; the Redis Enterprise stack, the successor of
    Azure Cache for Redis).

    - High availability on: every primary shard has a replica on the other node, and in regions
      with availability zones the nodes are placed in different zones (zone redundant) with
      automatic failover. The service keeps exactly one replica (``cache.replicas: 1``).
    - Public network access off; a ``redisEnterprise`` private endpoint in
      ``private_endpoint_subnet_id`` with ``privatelink.redis.azure.net`` linked to the VNet.
    - TLS only (client protocol Encrypted, TLS 1.2 minimum, set by the provider), on port 10000.
    - Access keys off: clients authenticate with Entra ID tokens (a workload identity) only; the
      provider never reads keys, so none is in the state. Which identity may use the database is
      an access policy assignment on it (``default`` policy), which azurerm 4.55 has no resource
      for: the later layer that binds a workload adds it.
    - Encrypted at rest by the service (Microsoft-managed keys); OSS cluster clustering, eviction
      ``volatile-lru``; no persistence (a cache).
    - ``prevent_destroy`` (Default: on).

    :param name: 3-63 letters, digits and single '-' (the hostname ``<name>.<region>.redis.azure.net``).
    :param sku_name: like ``Balanced_B5`` (:data:`CACHE_SKU`).
    :param prevent_destroy: refuse plans that destroy the cache. Default: true.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, sku_name: str, location: str,
                 resource_group_name: str, vnet_id: str, private_endpoint_subnet_id: str, tags: dict[str, str],
                 prevent_destroy: bool = True):
        problems = []
        if not _CACHE_NAME.fullmatch(name):
            problems.append(f"cache name {name!r} must be 3-63 letters, digits and single '-'")
        if not CACHE_SKU.fullmatch(sku_name):
            problems.append(f"cache SKU {sku_name!r} is not an Azure Managed Redis SKU like Balanced_B5 or "
                            "MemoryOptimized_M10")
        if problems:
            raise ValueError("; ".join(problems))
        super().__init__(scope, id)
        self.cache = ManagedRedis(
            self, "cache", name=name, location=location, resource_group_name=resource_group_name, sku_name=sku_name,
            high_availability_enabled=True, public_network_access="Disabled",
            default_database=ManagedRedisDefaultDatabase(
                access_keys_authentication_enabled=False, client_protocol="Encrypted",
                clustering_policy="OSSCluster", eviction_policy="VolatileLRU",
            ),
            tags=tags, lifecycle=TerraformResourceLifecycle(prevent_destroy=prevent_destroy),
        )
        link = private_link(
            self, name=name, resource_id=self.cache.id, label="cache", subresource=CACHE_SUBRESOURCE,
            zone_name=CACHE_PRIVATE_ZONE, location=location, resource_group_name=resource_group_name, vnet_id=vnet_id,
            subnet_id=private_endpoint_subnet_id, tags=tags,
        )
        self.dns_link, self.private_endpoint = link.link, link.endpoint

    @property
    def id(self) -> str:
        return self.cache.id

    @property
    def hostname(self) -> str:
        return self.cache.hostname

    @property
    def port(self) -> str:
        """The default database's port (a token; :data:`CACHE_PORT`)."""
        return Token.as_string(self.cache.default_database.port)
