"""The AWS addons layer (``<env>-addons``): the system components ``spec.addons`` asks for."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.aws.addon_identities import AwsAddonIdentities
from platform_constructs.aws.cluster_autoscaler import ClusterAutoscaler
from platform_constructs.aws.contracts import AwsClusterContract, AwsDataContract
from platform_constructs.aws.csi_addons import EksCsiAddons, identity_dependables
from platform_constructs.aws.ci_agent import AwsCiAgent
from platform_constructs.aws.external_dns import AwsExternalDns
from platform_constructs.aws.load_balancer_controller import AwsLoadBalancerController
from platform_constructs.aws.metrics_server import MetricsServer
from platform_constructs.aws.secrets_store import SecretsStoreCsi
from platform_constructs.contracts import NetworkContract
from platform_constructs.kubernetes.storage_class_resources import StorageClasses
from platform_constructs.kubernetes.storage_classes import StorageClassSpec, aws_ebs_gp3, aws_efs
from platform_constructs.spec import EnvironmentSpec


class AwsAddons(Construct):
    """Each component ``spec.addons`` turns on, with its own workload identity in the environment's
    mode (``aws.workload_identity``):

    | switch | what |
    |---|---|
    | ``block_storage`` | EKS add-on aws-ebs-csi-driver; StorageClass ``ebs-gp3`` (default, gp3, encrypted with the cluster's KMS key) |
    | ``file_storage`` | EKS add-on aws-efs-csi-driver; StorageClass ``efs-ap`` on the data layer's file system |
    | ``load_balancer_controller`` | aws-load-balancer-controller chart |
    | ``cluster_autoscaler`` | cluster-autoscaler chart, discovering the node groups by their tags |
    | ``metrics_server`` | metrics-server chart |
    | ``secrets_store`` | secrets-store-csi-driver chart, then its AWS provider chart |
    | ``network.dns`` | external-dns chart writing Route 53 records into the environment's zones only |
    | ``ci_agent`` | External Secrets, then ARC or the GitLab Runner in ``ci-agent``, pushing to the data layer's ECR |

    Charts come from ``addons.chart_repository`` when set. EKS clusters of 1.30 and later carry no
    default StorageClass of their own (their ``gp2`` class is not annotated default), so ``ebs-gp3``
    is the only default.

    :param spec: the environment.
    :param network: its network contract (the VPC id for the load balancer controller).
    :param cluster: its cluster contract (OIDC provider, KMS key).
    :param data: its data contract (the EFS file system id).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, network: NetworkContract,
                 cluster: AwsClusterContract, data: AwsDataContract):
        addons = spec.addons
        problems = []
        if not isinstance(cluster, AwsClusterContract):
            problems.append(f"the AWS addons layer needs an AwsClusterContract, got {type(cluster).__name__}")
        if not isinstance(data, AwsDataContract):
            problems.append(f"the AWS addons layer needs an AwsDataContract, got {type(data).__name__}")
        elif addons.file_storage and data.file_system_id is None:
            problems.append("addons.file_storage is on but the data layer has no file system: deploy <env>-data "
                            "from the same environment file")
        if problems:
            raise ValueError("; ".join(problems))
        super().__init__(scope, id)
        name = spec.cluster.name
        repository = addons.chart_repository

        self.identities = AwsAddonIdentities(
            self, "identities", cluster=cluster, cluster_name=name, mode=spec.aws.workload_identity,
            kms_key_arn=cluster.kms_key_arn, ebs_csi=addons.block_storage, efs_csi=addons.file_storage,
            load_balancer_controller=addons.load_balancer_controller, cluster_autoscaler=addons.cluster_autoscaler,
        )
        ids = self.identities
        self.csi = EksCsiAddons(self, "csi", cluster_name=cluster.cluster_name,
                                kubernetes_version=spec.cluster.kubernetes_version,
                                ebs=ids.ebs_csi, efs=ids.efs_csi) if (ids.ebs_csi or ids.efs_csi) else None
        self.load_balancer_controller = AwsLoadBalancerController(
            self, "load-balancer-controller", cluster_name=name, region=spec.region, vpc_id=network.network_id,
            identity=ids.load_balancer_controller.identity, chart_repository=repository,
            depends_on=identity_dependables(ids.load_balancer_controller),
        ) if ids.load_balancer_controller else None
        self.cluster_autoscaler = ClusterAutoscaler(
            self, "cluster-autoscaler", cluster_name=name, region=spec.region,
            kubernetes_version=spec.cluster.kubernetes_version, identity=ids.cluster_autoscaler.identity,
            chart_repository=repository, depends_on=identity_dependables(ids.cluster_autoscaler),
        ) if ids.cluster_autoscaler else None
        self.metrics_server = MetricsServer(self, "metrics-server", chart_repository=repository) \
            if addons.metrics_server else None
        self.secrets_store = SecretsStoreCsi(self, "secrets-store", region=spec.region, chart_repository=repository) \
            if addons.secrets_store else None

        dns = spec.network.dns
        if dns is not None and network.private_zone_id is None:
            raise ValueError("network.dns is set but the network contract has no private zone: deploy <env>-network "
                             "from the same environment file")
        zone_ids = [network.private_zone_id, network.public_zone_id]
        self.external_dns = AwsExternalDns(
            self, "external-dns", cluster_name=name, region=spec.region, cluster=cluster,
            zones={zone: zone_id for zone, zone_id in zip(dns.zones, zone_ids)}, mode=spec.aws.workload_identity,
            chart_repository=repository,
        ) if dns else None
        agent = addons.ci_agent
        self.ci_agent = AwsCiAgent(
            self, "ci-agent", agent=agent, name=spec.name, cluster_name=name, region=spec.region, cluster=cluster,
            repository_arns=data.repository_arns, mode=spec.aws.workload_identity, chart_repository=repository,
        ) if agent else None

        specs: list[StorageClassSpec] = []
        if addons.block_storage:
            specs.append(aws_ebs_gp3(cluster.kms_key_arn))
        if addons.file_storage:
            specs.append(aws_efs(data.file_system_id))
        self.storage_classes = StorageClasses(self, "storage-classes", specs=specs) if specs else None
