"""One EKS managed node group (a node pool of the environment file)."""

from __future__ import annotations

from constructs import Construct
from cdktf import ITerraformDependable, TerraformResourceLifecycle, Token
from cdktf_cdktf_provider_aws.eks_node_group import (
    EksNodeGroup,
    EksNodeGroupLaunchTemplate,
    EksNodeGroupNodeRepairConfig,
    EksNodeGroupScalingConfig,
    EksNodeGroupTaint,
    EksNodeGroupUpdateConfig,
)
from cdktf_cdktf_provider_aws.launch_template import (
    LaunchTemplate,
    LaunchTemplateBlockDeviceMappings,
    LaunchTemplateBlockDeviceMappingsEbs,
    LaunchTemplateMetadataOptions,
    LaunchTemplateTagSpecifications,
)

from platform_constructs.aws.spec import GRAVITON_INSTANCE_TYPE as _GRAVITON
from platform_constructs.spec import NodePoolSpec

_TAINT_EFFECT = {"NoSchedule": "NO_SCHEDULE", "PreferNoSchedule": "PREFER_NO_SCHEDULE", "NoExecute": "NO_EXECUTE"}


def ami_type_for(instance_types: list[str]) -> str:
    """AL2023 (the only Amazon Linux for EKS 1.33+), ARM when the types are Graviton."""
    arm = [bool(_GRAVITON.match(t)) for t in instance_types]
    if all(arm):
        return "AL2023_ARM_64_STANDARD"
    if any(arm):
        raise ValueError(f"instance types {instance_types} mix ARM and x86: use one architecture per pool")
    return "AL2023_x86_64_STANDARD"


class EksNodePool(Construct):
    """Managed node group through a launch template.

    - IMDSv2 required, hop limit 1: only processes in the node's own network namespace (the
      kubelet, and host-network pods such as aws-node, kube-proxy and the pod identity agent)
      reach the instance metadata service; an ordinary pod's request crosses one more hop and
      never gets a token, so it cannot read the node role's credentials. Pods get AWS
      permissions from their own service account (IRSA or Pod Identity). Charts that read
      region or VPC id from IMDS (AWS Load Balancer Controller) must be given them explicitly.
    - Node auto-repair on: EKS replaces nodes that report unhealthy (kubelet, networking,
      accelerators) instead of leaving them in the group.
    - Encrypted gp3 root volume of ``disk_size_gb``.
    - Private subnets of every zone; scaling min/desired/max; the cluster autoscaler
      owns the desired size afterwards (ignored on later plans).
    - Cluster-autoscaler auto-discovery tags.
    - The launch template is named by prefix (``<cluster>-<pool>-``), so re-running an
      interrupted apply converges instead of failing on a name already in use.

    :param cluster_name: the cluster's plain name (names and tags).
    :param cluster_ref: the cluster's name as a reference to the cluster resource (ordering).
    """

    def __init__(self, scope: Construct, id: str, *, cluster_name: str, cluster_ref: str, pool: NodePoolSpec,
                 node_role_arn: str, subnet_ids: list[str], tags: dict[str, str],
                 depends_on: list[ITerraformDependable]):
        super().__init__(scope, id)
        self.launch_template = LaunchTemplate(
            self,
            "launch-template",
            # A prefix, not a fixed name: an apply interrupted after EC2 created the template
            # but before Terraform recorded it must not block the next apply (seen on the emulator).
            name_prefix=f"{cluster_name}-{pool.name}-",
            description=f"EKS {cluster_name} node pool {pool.name}",
            update_default_version=True,
            metadata_options=LaunchTemplateMetadataOptions(
                http_endpoint="enabled",
                http_tokens="required",
                http_put_response_hop_limit=1,
            ),
            block_device_mappings=[LaunchTemplateBlockDeviceMappings(
                device_name="/dev/xvda",
                ebs=LaunchTemplateBlockDeviceMappingsEbs(
                    volume_size=pool.disk_size_gb,
                    volume_type="gp3",
                    encrypted="true",
                    delete_on_termination="true",
                ),
            )],
            tag_specifications=[
                LaunchTemplateTagSpecifications(resource_type=kind, tags={**tags, "Name": f"{cluster_name}-{pool.name}"})
                for kind in ("instance", "volume")
            ],
        )
        self.node_group = EksNodeGroup(
            self,
            "node-group",
            cluster_name=cluster_ref,
            node_group_name=pool.name,
            node_role_arn=node_role_arn,
            subnet_ids=subnet_ids,
            ami_type=ami_type_for(pool.instance_types),
            capacity_type="SPOT" if pool.capacity == "spot" else "ON_DEMAND",
            instance_types=pool.instance_types,
            scaling_config=EksNodeGroupScalingConfig(
                min_size=pool.min_size, max_size=pool.max_size, desired_size=pool.initial_size,
            ),
            update_config=EksNodeGroupUpdateConfig(max_unavailable=pool.max_unavailable),
            node_repair_config=EksNodeGroupNodeRepairConfig(enabled=True),
            labels=dict(pool.labels) or None,
            taint=[EksNodeGroupTaint(key=t.key, value=t.value or None, effect=_TAINT_EFFECT[t.effect]) for t in pool.taints] or None,
            launch_template=EksNodeGroupLaunchTemplate(
                id=self.launch_template.id, version=Token.as_string(self.launch_template.latest_version),
            ),
            tags={
                "k8s.io/cluster-autoscaler/enabled": "true",
                f"k8s.io/cluster-autoscaler/{cluster_name}": "owned",
            },
            lifecycle=TerraformResourceLifecycle(ignore_changes=["scaling_config[0].desired_size"]),
            depends_on=depends_on,
        )
