"""The Azure environment model: its network, cluster and ``azure:`` sections, and Azure's rules.

Imports no provider package (the model is loaded for every file of every cloud).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal

from pydantic import Field, field_validator

from platform_constructs.azure.names import key_vault_problem, name_violations
from platform_constructs.spec.addons import AddonsSpec
from platform_constructs.spec.cluster import ClusterSpec
from platform_constructs.spec.common import Model, Problem, cidr, matching, shown, tag_violations
from platform_constructs.spec.environment import EnvironmentSpec
from platform_constructs.spec.ignored import differs, no_effect
from platform_constructs.spec.network import NetworkSpec
from platform_constructs.spec.ranges import address_list
from platform_constructs.spec.vpn import AzureVpnSpec, vpn_violations

#: Azure Managed Redis SKUs (``data.cache.size``): tier and memory size, like ``Balanced_B5``,
#: ``MemoryOptimized_M10``, ``ComputeOptimized_X5`` or ``FlashOptimized_A250``.
CACHE_SKU = re.compile(r"(Balanced_B|MemoryOptimized_M|ComputeOptimized_X|FlashOptimized_A)(0|[1-9][0-9]{0,3})")

#: A Microsoft Entra ID object id (and a subscription id): a GUID.
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

#: Azure VM sizes: Standard_D4ds_v5, Standard_E4-2ds_v5, Standard_NC24ads_A100_v4
VM_SIZE = (re.compile(r"(Standard|Basic)_[A-Z][A-Za-z0-9-]*(_[A-Za-z0-9]+)*"), "an Azure VM size like Standard_D4ds_v5")


class AzureNetworkSpec(NetworkSpec):
    #: Azure subnets are regional and take one NAT gateway: ``single`` is the only choice. Default: single.
    nat: Literal["per_zone", "single"] = "single"
    #: Site-to-site VPN (route-based zone-redundant VPN gateway in a GatewaySubnet of its own; see
    #: platform_constructs/spec/vpn.py). Default: none.
    vpn: AzureVpnSpec | None = None


class AzureClusterSpec(ClusterSpec):
    #: Control-plane log retention in Log Analytics, 30-730 days. Default: 30.
    log_retention_days: int = 30


#: ``azure.key_vault_allowed_cidrs`` (:func:`~platform_constructs.spec.ranges.address_list`).
KeyVaultCidrs = address_list("the Key Vault firewall", "list your runner's egress ranges instead")


class AzureSpec(Model):
    """Azure-only settings (the Azure kit owns these fields; cross-field rules under "azure rules")."""

    #: The subscription id (a GUID) the platform is deployed into.
    subscription_id: str
    #: Entra ID group object ids (GUIDs) given cluster-admin through Azure RBAC. Required and
    #: non-empty: local accounts are disabled, so these groups are the only way in.
    admin_group_object_ids: list[str]
    #: Resource group holding every resource of the environment. Default: "<name>-rg".
    resource_group_name: str | None = None
    #: AKS control-plane tier: Free, Standard (uptime SLA) or Premium. Default: Standard.
    sku_tier: Literal["Free", "Standard", "Premium"] = "Standard"
    #: Kubernetes upgrades: none, patch, stable, rapid or node-image. Default: patch.
    automatic_upgrade_channel: Literal["none", "patch", "stable", "rapid", "node-image"] = "patch"
    #: Node OS upgrades: None, Unmanaged, SecurityPatch or NodeImage. Default: NodeImage.
    node_os_upgrade_channel: Literal["None", "Unmanaged", "SecurityPatch", "NodeImage"] = "NodeImage"
    #: Weekly maintenance window (UTC) for both channels: day. Default: Sunday.
    maintenance_day: Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] = "Sunday"
    #: Start hour (0-23, UTC). Default: 2.
    maintenance_start_hour: int = Field(default=2, ge=0, le=23)
    #: Length in hours (AKS needs at least 4). Default: 4.
    maintenance_duration_hours: int = Field(default=4, ge=4, le=24)
    #: VM size of the system pool (critical add-ons only). Default: Standard_D4ds_v5.
    system_pool_vm_size: Annotated[str, matching(VM_SIZE[0].pattern, f"is not {VM_SIZE[1]}")] = "Standard_D4ds_v5"
    #: System pool autoscaling bounds. Default: 3 to 5.
    system_pool_min_count: int = 3
    #: Most nodes of the system pool (its autoscaler's upper bound). Default: 5.
    system_pool_max_count: int = 5
    #: Pod range of Azure CNI overlay (not part of the VNet). Default: 10.244.0.0/16.
    pod_cidr: str = "10.244.0.0/16"
    #: Kubernetes service range (not part of the VNet). Default: 172.16.0.0/16.
    service_cidr: str = "172.16.0.0/16"
    #: Customer-managed keys in Key Vault for node disks (disk encryption set) and
    #: Kubernetes secrets (KMS etcd encryption). Default: true.
    enable_customer_managed_keys: bool = True
    #: Encryption at host (temp disks and caches); needs the subscription feature
    #: Microsoft.Compute/EncryptionAtHost registered. Default: true.
    enable_host_encryption: bool = True
    #: Microsoft Defender for Containers on the cluster (the Defender sensor), reporting into the
    #: cluster's Log Analytics workspace. Needs the subscription's Defender for Containers plan
    #: (Microsoft.Security pricing "Containers", Standard). Default: true.
    enable_defender: bool = True
    #: Key Vault name (globally unique, 3-24 chars). Default: "kv-<name>-<hash>" from name and subscription.
    key_vault_name: str | None = None
    #: Public ranges allowed through the Key Vault firewall (e.g. a CI runner's egress).
    #: Default: none: public network access off, the vault is reached by private endpoint only.
    key_vault_allowed_cidrs: KeyVaultCidrs = Field(default_factory=list)

    @field_validator("pod_cidr", "service_cidr")
    @classmethod
    def _ranges(cls, value: str) -> str:
        return cidr(value)

    def resource_group(self, env_name: str) -> str:
        return self.resource_group_name or f"{env_name}-rg"


class AzureAutoscalerProfile(Model):
    """AKS's cluster autoscaler settings (one profile per cluster; each pool sets its own min/max)."""

    #: Which pool grows first: ``least-waste`` (default: least idle CPU/memory after the scale-up),
    #: ``random`` (AKS's default), ``most-pods`` or ``priority``.
    expander: Literal["least-waste", "random", "most-pods", "priority"] = "least-waste"
    #: Keep similar pools (same VM size and labels) at similar sizes across zones. Default: true.
    balance_similar_node_groups: bool = True
    #: How long a node must be unneeded before it is removed (a duration like ``10m``). Default: 10m.
    scale_down_unneeded: Annotated[str, matching(r"[1-9][0-9]*[smh]", "is not a duration like 10m, 600s or 1h")] = "10m"
    #: Below this share of requested resources a node counts as unneeded (0.1-1.0). Default: 0.5.
    scale_down_utilization_threshold: float = Field(default=0.5, ge=0.1, le=1.0)
    #: Keep nodes whose pods use local storage (emptyDir, hostPath). Default: false (AKS's default:
    #: such nodes may be removed, the pods' local data with them).
    skip_nodes_with_local_storage: bool = False


class AzureAddonsSpec(AddonsSpec):
    #: AKS autoscales each pool between its min and max; this is the cluster's autoscaler profile.
    #: Default: least-waste, balanced pools, 10 minutes unneeded, 0.5 utilization.
    autoscaler_profile: AzureAutoscalerProfile = Field(default_factory=AzureAutoscalerProfile)


class AzureEnvironment(EnvironmentSpec):
    # westeurope, eastus2, southafricanorth
    REGION = (re.compile(r"[a-z]{4,}[1-9]?"), "an Azure region like westeurope or eastus2 (lowercase, no spaces)")
    INSTANCE_TYPE = VM_SIZE

    cloud: Literal["azure"]
    network: AzureNetworkSpec
    cluster: AzureClusterSpec
    #: Azure-only settings (required).
    azure: AzureSpec
    addons: AzureAddonsSpec = Field(default_factory=AzureAddonsSpec)

    def cloud_violations(self) -> list[Problem]:
        """(dotted field path, what is wrong and the fix) for every Azure rule the file breaks."""
        out = tag_violations({k: v for k, v in self.tags.items() if k.lower() not in self.reserved_tag_keys()})
        az = self.azure
        guid = GUID
        if not guid.fullmatch(az.subscription_id):
            out.append(("azure.subscription_id", f"{az.subscription_id!r} is not a subscription id: give the GUID (az account show --query id)"))
        if not az.admin_group_object_ids:
            out.append(("azure.admin_group_object_ids", "is empty: local accounts are disabled, so list at least one Entra ID group object id"))
        for i, group in enumerate(az.admin_group_object_ids):
            if not guid.fullmatch(group):
                out.append((f"azure.admin_group_object_ids.{i}", f"{group!r} is not an Entra ID group object id: give the GUID (az ad group show --group <name> --query id)"))
        if az.resource_group_name is not None and not re.fullmatch(r"[\w.()-]{0,89}[\w()-]", az.resource_group_name):
            out.append(("azure.resource_group_name", f"{az.resource_group_name!r} is not a resource group name (1-90 letters, digits, '-_.()', not ending in '.')"))
        if az.key_vault_name is not None and key_vault_problem(az.key_vault_name):
            out.append(("azure.key_vault_name", f"{az.key_vault_name!r} is not a Key Vault name (3-24 letters, digits and single '-', starting with a letter)"))
        if az.system_pool_min_count < 3:
            out.append(("azure.system_pool_min_count", f"{az.system_pool_min_count} is below 3: the platform keeps at least 3 nodes per pool across zones"))
        if az.system_pool_max_count < az.system_pool_min_count:
            out.append(("azure.system_pool_max_count", f"system_pool_min_count {az.system_pool_min_count} can't be greater than system_pool_max_count {az.system_pool_max_count}"))
        vnet = ipaddress.IPv4Network(self.network.cidr)
        pods, services = ipaddress.IPv4Network(az.pod_cidr), ipaddress.IPv4Network(az.service_cidr)
        for field, rng in (("pod_cidr", pods), ("service_cidr", services)):
            if rng.overlaps(vnet):
                out.append((f"azure.{field}", f"{rng} overlaps network.cidr {vnet}: choose a range outside the VNet"))
        if pods.overlaps(services):
            out.append(("azure.service_cidr", f"{services} overlaps pod_cidr {pods}: choose separate ranges"))
        out.extend(vpn_violations(self.network.vpn, "azure", [("network.cidr", self.network.cidr),
                                                              ("azure.pod_cidr", az.pod_cidr),
                                                              ("azure.service_cidr", az.service_cidr)]))
        for i, zone in enumerate(self.zones):
            if zone not in ("1", "2", "3"):
                out.append((f"zones.{i}", f"{zone!r} is not an Azure availability zone: use \"1\", \"2\" and \"3\""))
        if self.network.nat == "per_zone":
            out.append(("network.nat", "per_zone needs a subnet per zone, but Azure subnets are regional and take one NAT gateway: set nat: single"))
        if not 30 <= self.cluster.log_retention_days <= 730:
            out.append(("cluster.log_retention_days", f"{self.cluster.log_retention_days} is outside 30-730, the range Log Analytics accepts"))
        for i, pool in enumerate(self.cluster.node_pools):
            path = f"cluster.node_pools.{i}"
            if not re.fullmatch(r"[a-z][a-z0-9]{0,11}", pool.name):
                out.append((f"{path}.name", f"{pool.name!r} is not an AKS pool name: use 1-12 lowercase letters and digits, starting with a letter (no '-')"))
            elif pool.name == "system":
                out.append((f"{path}.name", "'system' is the name of the platform's system pool: choose another name"))
            if len(pool.instance_types) != 1:
                out.append((f"{path}.instance_types", f"lists {len(pool.instance_types)} VM sizes, but Azure takes exactly one VM size per pool: keep one (e.g. [Standard_D4ds_v5])"))
        out.extend(self.addons.built_in_violations("AKS", ("metrics_server",)))
        if self.addons.block_storage and not az.enable_customer_managed_keys:
            out.append(("addons.block_storage", "needs the disk encryption set of azure.enable_customer_managed_keys (every "
                                                "block StorageClass is encrypted with the customer key): turn "
                                                "enable_customer_managed_keys on, or set block_storage: false"))
        if self.observability.enabled and not az.enable_customer_managed_keys:
            out.append(("observability.enabled", "needs the key vault of azure.enable_customer_managed_keys (the "
                                                  "observability storage account is encrypted with a customer key): "
                                                  "turn enable_customer_managed_keys on, or set observability.enabled: false"))
        out.extend(self._data_violations())
        reported = {path for path, _ in out}
        out.extend(p for p in name_violations(self) if p[0] not in reported)
        return out

    def cluster_ranges(self) -> list[tuple[str, str]]:
        """Azure CNI overlay's pod range and the Services' range (AKS's defaults unless the file sets them)."""
        az = self.azure
        return [(f"azure.{field}" if field in az.model_fields_set else f"azure.{field}, by default", getattr(az, field))
                for field in ("pod_cidr", "service_cidr")]

    def ignored_violations(self) -> list[Problem]:
        """The neutral rules, then Azure's: ``network.dns.query_logging: false`` (Azure has no
        per-network DNS query log to switch off), the key vault's name and firewall with
        ``enable_customer_managed_keys: false`` (no vault is created), and a VPN key in a vault
        ``<env>-network`` cannot read when it runs (:meth:`_vpn_vault_violations`)."""
        out = super().ignored_violations()
        dns, az = self.network.dns, self.azure
        if dns is not None and differs(dns, "query_logging"):
            out.append(no_effect("network.dns.query_logging", "Azure has no per-network DNS query log (the platform "
                                 "builds nothing for it on Azure)", "remove it"))
        if not az.enable_customer_managed_keys:
            out.extend(no_effect(f"azure.{field}", "azure.enable_customer_managed_keys is false, so the platform "
                                 "creates no key vault", "remove it, or set enable_customer_managed_keys: true")
                       for field in ("key_vault_name", "key_vault_allowed_cidrs") if differs(az, field))
        out.extend(self._vpn_vault_violations())
        return out

    def _vpn_vault_violations(self) -> list[Problem]:
        """``network.vpn.key_vault_id`` in the environment's own resource group: ``<env>-network``
        creates that group, so no vault can be in it when the network stack reads the pre-shared key
        (the platform's own vaults there come later still, with ``<env>-cluster`` and ``<env>-tenants``)."""
        vpn = self.network.vpn
        if vpn is None:
            return []
        _, _, subscription, _, group = vpn.key_vault_id.split("/")[:5]
        own = self.azure.resource_group(self.name)
        if subscription.lower() != self.azure.subscription_id.lower() or group.lower() != own.lower():
            return []
        return [("network.vpn.key_vault_id", f"is a vault in resource group {own}, which {self.name}-network creates "
                                             "itself, so the pre-shared key cannot be read when the network stack "
                                             "runs (the platform's own vaults there come later, with the cluster and "
                                             "tenants stacks): keep the key in a Key Vault of another resource group")]

    def tenant_group_problem(self, group: str) -> str | None:
        """A tenant's admins/developers entry must be a Microsoft Entra ID group's object id (a GUID):
        the tenants layer assigns it Azure RBAC roles on the tenant's namespace."""
        if not GUID.fullmatch(group):
            return (f"{shown(group)} is not a Microsoft Entra ID group object id: give the group's GUID "
                    "(az ad group show --group <name> --query id -o tsv)")
        if group != group.lower():
            return (f"{shown(group)} has uppercase letters: write the object id in lowercase, as Entra ID "
                    "returns it (role assignments compare it as text)")
        return None

    def _data_violations(self) -> list[Problem]:
        """Azure's rules on ``data:``: the cache is an Azure Managed Redis SKU with its one replica; the
        buckets' storage account is encrypted with a key in the cluster's key vault."""
        out: list[Problem] = []
        cache = self.data.cache
        if cache is not None:
            if not CACHE_SKU.fullmatch(cache.size):
                out.append(("data.cache.size", f"{cache.size!r} is not an Azure Managed Redis SKU: use one like "
                                               "Balanced_B5, MemoryOptimized_M10 or ComputeOptimized_X5"))
            if cache.replicas != 1:
                out.append(("data.cache.replicas", f"{cache.replicas}: Azure Managed Redis keeps exactly one replica "
                                                   "(high availability, across zones): set replicas: 1"))
        if self.data.buckets and not self.azure.enable_customer_managed_keys:
            out.append(("data.buckets", "need the key vault of azure.enable_customer_managed_keys (the data storage "
                                        "account is encrypted with a customer key): turn enable_customer_managed_keys "
                                        "on, or set data.buckets: []"))
        return out
