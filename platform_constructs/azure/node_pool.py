"""One AKS user node pool (a node pool of the environment file)."""

from __future__ import annotations

from constructs import Construct
from cdktf import ITerraformDependable, TerraformResourceLifecycle
from cdktf_cdktf_provider_azurerm.kubernetes_cluster_node_pool import (
    KubernetesClusterNodePool,
    KubernetesClusterNodePoolUpgradeSettings,
)

from platform_constructs.spec import NodePoolSpec

#: The taint AKS puts on every spot node; declared so Terraform does not see drift.
SPOT_TAINT = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"

#: Pods per node (the AKS default for Azure CNI overlay, stated explicitly).
MAX_PODS = 250


def taint_strings(pool: NodePoolSpec) -> list[str]:
    """``key=value:Effect`` strings, the form AKS takes."""
    return [f"{t.key}={t.value}:{t.effect}" for t in pool.taints]


class AksNodePool(Construct):
    """User pool in the user-node subnet, across ``zones``, autoscaled from min to max size.

    - One VM size (the model allows exactly one on Azure); OS disk of ``disk_size_gb`` as a
      managed disk encrypted with the cluster's disk encryption set; encryption at host when on.
    - ``capacity: spot``: Spot priority, evicted nodes deleted, paying at most the on-demand
      price (``spot_max_price: -1``); AKS's spot taint is declared. Spot pools take no surge
      settings (AKS rejects them).
    - On-demand pools surge ``max_unavailable`` extra nodes during upgrades.
    - The autoscaler owns the node count after creation (ignored on later plans).
    """

    def __init__(self, scope: Construct, id: str, *, cluster_id: str, pool: NodePoolSpec, zones: list[str],
                 subnet_id: str, kubernetes_version: str, host_encryption: bool, tags: dict[str, str],
                 depends_on: list[ITerraformDependable] | None = None):
        super().__init__(scope, id)
        spot = pool.capacity == "spot"
        taints = taint_strings(pool)
        if spot and SPOT_TAINT not in taints:
            taints.append(SPOT_TAINT)
        self.node_pool = KubernetesClusterNodePool(
            self,
            "pool",
            name=pool.name,
            kubernetes_cluster_id=cluster_id,
            mode="User",
            vm_size=pool.instance_types[0],
            orchestrator_version=kubernetes_version,
            os_type="Linux",
            os_sku="AzureLinux",
            os_disk_type="Managed",
            os_disk_size_gb=pool.disk_size_gb,
            host_encryption_enabled=host_encryption,
            vnet_subnet_id=subnet_id,
            zones=list(zones),
            max_pods=MAX_PODS,
            auto_scaling_enabled=True,
            min_count=pool.min_size,
            max_count=pool.max_size,
            node_count=pool.initial_size,
            priority="Spot" if spot else "Regular",
            eviction_policy="Delete" if spot else None,
            spot_max_price=-1 if spot else None,
            upgrade_settings=None if spot else KubernetesClusterNodePoolUpgradeSettings(max_surge=str(pool.max_unavailable)),
            node_labels=dict(pool.labels) or None,
            node_taints=taints or None,
            tags=tags,
            lifecycle=TerraformResourceLifecycle(ignore_changes=["node_count"]),
            depends_on=depends_on,
        )
