"""The AWS cluster layer: EKS control plane, node pools, OIDC provider, add-ons, admins."""

from __future__ import annotations

import json

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.eks_cluster import (
    EksCluster,
    EksClusterAccessConfig,
    EksClusterEncryptionConfig,
    EksClusterEncryptionConfigProvider,
    EksClusterUpgradePolicy,
    EksClusterVpcConfig,
    EksClusterZonalShiftConfig,
)
from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy

from platform_constructs.aws.access_entries import ClusterAdmins
from platform_constructs.aws.irsa_role import IrsaRole
from platform_constructs.aws.kms_key import EncryptionKey
from platform_constructs.aws.managed_addons import AFTER_COMPUTE, BEFORE_COMPUTE, EksManagedAddons
from platform_constructs.aws.node_group import EksNodePool
from platform_constructs.aws.provider import platform_tags
from platform_constructs.aws.service_role import ServiceRole
from platform_constructs.aws.contracts import AwsClusterContract
from platform_constructs.contracts import NetworkContract
from platform_constructs.outputs import named_output
from platform_constructs.spec import EnvironmentSpec

#: Every control-plane log type EKS offers.
CONTROL_PLANE_LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")

#: Set only when the cluster is created (EKS has no update for them; the provider marks them
#: "forces replacement"): see :class:`AwsCluster`.
CREATE_ONLY = ("bootstrap_self_managed_addons", "access_config[0].bootstrap_cluster_creator_admin_permissions")


def node_role_policies(*, managed_addons: bool) -> list[str]:
    """AWS-managed policies of the node role: join the cluster, pull images, SSM access; plus the
    VPC CNI's policy only when EKS's self-managed aws-node (which has no role of its own) runs."""
    cni = [] if managed_addons else ["AmazonEKS_CNI_Policy"]
    return ["AmazonEKSWorkerNodePolicy", *cni, "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore"]


class AwsCluster(Construct):
    """EKS with the platform's defaults.

    - Private API endpoint only, unless ``endpoint: public_and_private`` (then only
      from ``public_access_cidrs``).
    - All five control-plane log types into ``/aws/eks/<cluster>/cluster``, created
      (with retention and KMS encryption) before the cluster so EKS does not create
      an unmanaged one.
    - Kubernetes secrets envelope-encrypted with a customer-managed KMS key (rotation on).
    - Authentication mode from the file. With API or API_AND_CONFIG_MAP,
      ``bootstrap_cluster_creator_admin_permissions = false``: whoever runs the first apply
      gets no hidden cluster-admin access entry; admins are exactly ``admin_principals``
      (the model requires one). ``CONFIG_MAP`` emits no ``access_config`` (EKS's default,
      and EKS refuses ``false`` there: the creator stays an implicit admin in that mode).
    - ``bootstrap_self_managed_addons = false`` when ``aws.managed_addons``: EKS does not
      install its self-managed vpc-cni, kube-proxy and coredns, the managed add-ons own
      networking from the start (nothing to take over or conflict with). With
      ``managed_addons: false`` it stays ``true`` (EKS's default): those self-managed
      add-ons are then the cluster's only CNI, proxy and DNS; without them nodes never
      become Ready.
    - Both bootstrap flags act only at creation: EKS has no update for them and the provider
      replaces the whole cluster when either changes (hashicorp/terraform-provider-aws
      #39137, terraform-aws-eks #3148). They are in ``lifecycle.ignore_changes``, as
      terraform-aws-eks v21 does for ``bootstrap_self_managed_addons``: flipping
      ``aws.managed_addons`` or the authentication mode later, or adopting this code on a
      cluster created with other values, never replaces a running cluster. The new values
      reach only a new cluster. On an existing one, remove the creator's access entry by hand
      (``aws eks delete-access-entry``); its self-managed add-ons are already taken over by
      the managed add-ons of the same names (``OVERWRITE``).
    - ``upgrade_policy.support_type`` from ``aws.support_type`` (default STANDARD: EKS
      upgrades the cluster when its minor leaves standard support instead of billing
      extended support; EKS's own default is EXTENDED).
    - Zonal shift on: Amazon Application Recovery Controller can move traffic away from
      an impaired availability zone (the platform spans at least two).
    - IAM OIDC provider for service-account roles; managed node groups in the
      private subnets; EKS managed add-ons when ``aws.managed_addons``; cluster-admin
      access entries for ``admin_principals``.
    - The managed vpc-cni add-on runs its network policy agent (``enableNetworkPolicy``,
      :data:`platform_constructs.aws.managed_addons.CONFIGURATION`): EKS enforces NetworkPolicies,
      which the tenants' isolation is made of. With ``managed_addons: false`` nothing turns it on,
      so the model refuses tenants there (except on an emulator).
    - The VPC CNI's permissions (AmazonEKS_CNI_Policy) belong to the ``aws-node`` service
      account (an IRSA role passed to the vpc-cni add-on), not to every pod that could
      reach the node role. With ``managed_addons: false`` EKS's self-managed aws-node has
      no such role, so the node role keeps AmazonEKS_CNI_Policy.
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, network: NetworkContract):
        super().__init__(scope, id)
        c = spec.cluster
        name = c.name

        self.key = EncryptionKey(
            self, "secrets-key", alias=f"{name}-eks", description=f"EKS {name}: Kubernetes secrets and control-plane logs",
            region=spec.region,
        )
        self.cluster_role = ServiceRole(
            self, "cluster-role", name=f"{name}-cluster", service="eks.amazonaws.com",
            managed_policies=["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"],
        )
        key_use = IamRolePolicy(
            self,
            "cluster-role-kms",
            name="encrypt-secrets",
            role=self.cluster_role.role.id,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                    "Resource": self.key.arn,
                }],
            }),
        )
        self.log_group = CloudwatchLogGroup(
            self,
            "control-plane-logs",
            name=f"/aws/eks/{name}/cluster",
            retention_in_days=c.log_retention_days,
            kms_key_id=self.key.arn,
        )

        public = c.endpoint == "public_and_private"
        self.cluster = EksCluster(
            self,
            "cluster",
            name=name,
            version=c.kubernetes_version,
            role_arn=self.cluster_role.arn,
            vpc_config=EksClusterVpcConfig(
                subnet_ids=network.private_subnet_ids,
                endpoint_private_access=True,
                endpoint_public_access=public,
                public_access_cidrs=list(c.public_access_cidrs) if public else None,
            ),
            enabled_cluster_log_types=list(CONTROL_PLANE_LOG_TYPES),
            encryption_config=EksClusterEncryptionConfig(
                resources=["secrets"],
                provider=EksClusterEncryptionConfigProvider(key_arn=self.key.arn),
            ),
            access_config=None if c.authentication_mode == "CONFIG_MAP" else EksClusterAccessConfig(
                authentication_mode=c.authentication_mode,
                bootstrap_cluster_creator_admin_permissions=False,
            ),
            bootstrap_self_managed_addons=not spec.aws.managed_addons,
            upgrade_policy=EksClusterUpgradePolicy(support_type=spec.aws.support_type),
            zonal_shift_config=EksClusterZonalShiftConfig(enabled=True),
            lifecycle=TerraformResourceLifecycle(ignore_changes=list(CREATE_ONLY)),
            depends_on=[self.log_group, key_use, *self.cluster_role.attachments],
        )

        self.oidc_provider = IamOpenidConnectProvider(
            self,
            "oidc-provider",
            url=self.cluster.identity.get(0).oidc.get(0).issuer,
            client_id_list=["sts.amazonaws.com"],
        )

        self.node_role = ServiceRole(
            self, "node-role", name=f"{name}-node", service="ec2.amazonaws.com",
            managed_policies=node_role_policies(managed_addons=spec.aws.managed_addons),
        )
        node_deps = list(self.node_role.attachments)
        self.cni_role: IrsaRole | None = None
        if spec.aws.managed_addons:
            self.cni_role = IrsaRole(
                self, "vpc-cni-role", name=f"{name}-vpc-cni",
                oidc_provider_arn=self.oidc_provider.arn,
                issuer_url=self.cluster.identity.get(0).oidc.get(0).issuer,
                namespace="kube-system", service_account="aws-node",
                managed_policies=["AmazonEKS_CNI_Policy"],
            )
            before = EksManagedAddons(
                self, "addons-before-nodes", cluster_name=self.cluster.name, kubernetes_version=c.kubernetes_version,
                names=BEFORE_COMPUTE, service_account_roles={"vpc-cni": self.cni_role.arn},
                depends_on=list(self.cni_role.attachments),
            )
            node_deps.extend(before.addons)
        tags = platform_tags(spec, "cluster")
        self.node_pools = [
            EksNodePool(
                self, f"pool-{pool.name}", cluster_name=name, cluster_ref=self.cluster.name, pool=pool,
                node_role_arn=self.node_role.arn, subnet_ids=network.private_subnet_ids,
                tags=tags, depends_on=node_deps,
            )
            for pool in c.node_pools
        ]
        if spec.aws.managed_addons:
            EksManagedAddons(self, "addons-after-nodes", cluster_name=self.cluster.name,
                             kubernetes_version=c.kubernetes_version, names=AFTER_COMPUTE,
                             depends_on=[p.node_group for p in self.node_pools])
        if c.admin_principals:
            ClusterAdmins(self, "admins", cluster_name=self.cluster.name, principals=list(c.admin_principals))

        vpc = self.cluster.vpc_config
        self.contract = AwsClusterContract(
            cluster_name=self.cluster.name,
            endpoint=self.cluster.endpoint,
            certificate_authority_data=self.cluster.certificate_authority.get(0).data,
            oidc_issuer_url=self.cluster.identity.get(0).oidc.get(0).issuer,
            workload_identity_provider=self.oidc_provider.arn,
            node_security_group_id=vpc.cluster_security_group_id,
            kms_key_arn=self.key.arn,
            node_role_arn=self.node_role.arn,
        )
        named_output(self, "cluster_name", self.contract.cluster_name, "EKS cluster name")
        named_output(self, "cluster_arn", self.cluster.arn, "EKS cluster ARN")
        named_output(self, "cluster_endpoint", self.contract.endpoint, "Kubernetes API server URL")
        named_output(self, "cluster_certificate_authority_data", self.contract.certificate_authority_data,
                     "Base64 PEM of the cluster CA")
        named_output(self, "cluster_oidc_issuer_url", self.contract.oidc_issuer_url, "OIDC issuer of service-account tokens")
        named_output(self, "oidc_provider_arn", self.contract.workload_identity_provider, "IAM OIDC provider for IRSA roles")
        named_output(self, "node_security_group_id", self.contract.node_security_group_id,
                     "Security group of the nodes (the EKS cluster security group)")
        named_output(self, "kms_key_arn", self.key.arn, "KMS key encrypting secrets and control-plane logs")
        named_output(self, "node_role_arn", self.node_role.arn, "IAM role of the nodes")
