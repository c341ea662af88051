"""Environment-file rules that only Azure environments have.

Called by the environment model (platform_constructs/spec.py) once a file parsed, for
environments of this cloud only; imports no provider package.
"""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from platform_constructs.spec import EnvironmentSpec


def violations(spec: "EnvironmentSpec") -> list[tuple[str, str]]:
    """(dotted field path, what is wrong and the fix) for every Azure rule the file breaks."""
    out: list[tuple[str, str]] = []
    az = spec.azure
    guid = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
    if not guid.fullmatch(az.subscription_id):
        out.append(("azure.subscription_id", f"{az.subscription_id!r} is not a subscription id: give the GUID (az account show --query id)"))
    if not az.admin_group_object_ids:
        out.append(("azure.admin_group_object_ids", "is empty: local accounts are disabled, so list at least one Entra ID group object id"))
    for i, group in enumerate(az.admin_group_object_ids):
        if not guid.fullmatch(group):
            out.append((f"azure.admin_group_object_ids.{i}", f"{group!r} is not an Entra ID group object id: give the GUID (az ad group show --group <name> --query id)"))
    if az.resource_group_name is not None and not re.fullmatch(r"[\w.()-]{0,89}[\w()-]", az.resource_group_name):
        out.append(("azure.resource_group_name", f"{az.resource_group_name!r} is not a resource group name (1-90 letters, digits, '-_.()', not ending in '.')"))
    if az.key_vault_name is not None and not re.fullmatch(r"[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]", az.key_vault_name):
        out.append(("azure.key_vault_name", f"{az.key_vault_name!r} is not a Key Vault name (3-24 letters, digits and single '-', starting with a letter)"))
    if az.system_pool_min_count < 3:
        out.append(("azure.system_pool_min_count", f"{az.system_pool_min_count} is below 3: the platform keeps at least 3 nodes per pool across zones"))
    if az.system_pool_max_count < az.system_pool_min_count:
        out.append(("azure.system_pool_max_count", f"system_pool_min_count {az.system_pool_min_count} can't be greater than system_pool_max_count {az.system_pool_max_count}"))
    vnet = ipaddress.IPv4Network(spec.network.cidr)
    pods, services = ipaddress.IPv4Network(az.pod_cidr), ipaddress.IPv4Network(az.service_cidr)
    for field, rng in (("pod_cidr", pods), ("service_cidr", services)):
        if rng.overlaps(vnet):
            out.append((f"azure.{field}", f"{rng} overlaps network.cidr {vnet}: choose a range outside the VNet"))
    if pods.overlaps(services):
        out.append(("azure.service_cidr", f"{services} overlaps pod_cidr {pods}: choose separate ranges"))
    for i, zone in enumerate(spec.zones):
        if zone not in ("1", "2", "3"):
            out.append((f"zones.{i}", f"{zone!r} is not an Azure availability zone: use \"1\", \"2\" and \"3\""))
    if spec.network.subnets is not None:
        out.append(("network.subnets", "is not used on Azure (subnets are regional and carved from network.cidr): remove it"))
    if spec.network.nat == "per_zone":
        out.append(("network.nat", "per_zone needs a subnet per zone, but Azure subnets are regional and take one NAT gateway: set nat: single"))
    if not 30 <= spec.cluster.log_retention_days <= 730:
        out.append(("cluster.log_retention_days", f"{spec.cluster.log_retention_days} is outside 30-730, the range Log Analytics accepts"))
    for i, pool in enumerate(spec.cluster.node_pools):
        path = f"cluster.node_pools.{i}"
        if not re.fullmatch(r"[a-z][a-z0-9]{0,11}", pool.name):
            out.append((f"{path}.name", f"{pool.name!r} is not an AKS pool name: use 1-12 lowercase letters and digits, starting with a letter (no '-')"))
        elif pool.name == "system":
            out.append((f"{path}.name", "'system' is the name of the platform's system pool: choose another name"))
        if len(pool.instance_types) != 1:
            out.append((f"{path}.instance_types", f"lists {len(pool.instance_types)} VM sizes, but Azure takes exactly one VM size per pool: keep one (e.g. [Standard_D4ds_v5])"))
    return out
