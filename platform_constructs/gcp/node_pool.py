"""One GKE node pool from one ``cluster.node_pools`` entry."""

from __future__ import annotations

import math

from constructs import Construct
from cdktf import ITerraformDependable, TerraformResourceLifecycle
from cdktf_cdktf_provider_google.container_node_pool import (
    ContainerNodePool,
    ContainerNodePoolAutoscaling,
    ContainerNodePoolManagement,
    ContainerNodePoolNodeConfig,
    ContainerNodePoolNodeConfigShieldedInstanceConfig,
    ContainerNodePoolNodeConfigTaint,
    ContainerNodePoolNodeConfigWorkloadMetadataConfig,
    ContainerNodePoolUpgradeSettings,
)

from platform_constructs.spec import NodePoolSpec

#: Kubernetes taint effect -> GKE's spelling.
TAINT_EFFECTS = {"NoSchedule": "NO_SCHEDULE", "PreferNoSchedule": "PREFER_NO_SCHEDULE", "NoExecute": "NO_EXECUTE"}

#: Nodes reach Google APIs with their service account; IAM roles, not scopes, limit it.
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"


class GkeNodePool(Construct):
    """A regional node pool over ``zones`` with the platform's node hardening.

    - Machine type: the pool's single ``instance_types`` entry (checked when the file loads).
    - Autoscaling on the pool's total size (``total_min_node_count`` = ``min_size`` >= 3,
      ``total_max_node_count`` = ``max_size``) with location policy ``BALANCED``, so nodes
      stay spread over the zones. GKE's own cluster autoscaler does the scaling.
    - Starting size: ``desired_size`` (default ``min_size``) spread over the zones
      (``initial_node_count`` is per zone). The autoscaler owns the size afterwards, so
      ``initial_node_count`` and ``node_count`` are in ``ignore_changes``.
    - Spot VMs when ``capacity: spot``.
    - Boot disk of ``disk_size_gb`` and ``disk_type`` (default pd-balanced; encrypted at
      rest by Google), Container-Optimized OS with containerd.
    - Dedicated node service account, cloud-platform scope (IAM narrows it).
    - ``GKE_METADATA`` mode (the GKE metadata server: Workload Identity, no node credentials
      for pods), legacy metadata endpoints off, Shielded VM secure boot and integrity
      monitoring.
    - Surge upgrades: ``max_unavailable`` nodes are added before as many are drained
      (``max_surge`` = ``max_unavailable``, GKE ``max_unavailable`` = 0), so capacity
      never drops below the current size. Auto-repair and auto-upgrade on.
    - Kubernetes labels and taints from the file; the node network tag for the firewall.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        pool: NodePoolSpec,
        cluster_id: str,
        location: str,
        zones: list[str],
        service_account_email: str,
        network_tag: str,
        disk_type: str = "pd-balanced",
        resource_labels: dict[str, str] | None = None,
        depends_on: list[ITerraformDependable] | None = None,
    ):
        super().__init__(scope, id)
        self.node_pool = ContainerNodePool(
            self,
            "pool",
            name=pool.name,
            cluster=cluster_id,
            location=location,
            node_locations=list(zones),
            initial_node_count=math.ceil(pool.initial_size / len(zones)),
            autoscaling=ContainerNodePoolAutoscaling(
                total_min_node_count=pool.min_size,
                total_max_node_count=pool.max_size,
                location_policy="BALANCED",
            ),
            management=ContainerNodePoolManagement(auto_repair=True, auto_upgrade=True),
            upgrade_settings=ContainerNodePoolUpgradeSettings(
                strategy="SURGE", max_surge=pool.max_unavailable, max_unavailable=0,
            ),
            node_config=ContainerNodePoolNodeConfig(
                machine_type=pool.instance_types[0],
                spot=pool.capacity == "spot",
                disk_size_gb=pool.disk_size_gb,
                disk_type=disk_type,
                image_type="COS_CONTAINERD",
                service_account=service_account_email,
                oauth_scopes=[CLOUD_PLATFORM_SCOPE],
                labels=dict(pool.labels) or None,
                resource_labels=dict(resource_labels) if resource_labels else None,
                taint=[
                    ContainerNodePoolNodeConfigTaint(key=t.key, value=t.value, effect=TAINT_EFFECTS[t.effect])
                    for t in pool.taints
                ] or None,
                tags=[network_tag],
                metadata={"disable-legacy-endpoints": "true"},
                workload_metadata_config=ContainerNodePoolNodeConfigWorkloadMetadataConfig(mode="GKE_METADATA"),
                shielded_instance_config=ContainerNodePoolNodeConfigShieldedInstanceConfig(
                    enable_secure_boot=True, enable_integrity_monitoring=True,
                ),
            ),
            lifecycle=TerraformResourceLifecycle(ignore_changes=["initial_node_count", "node_count"]),
            depends_on=depends_on,
        )
