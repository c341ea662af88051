"""The addons layer's cloud resources, and only those: one workload identity per component."""

from __future__ import annotations

from constructs import Construct
from cdktf import Token
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition

from platform_constructs.aws import cluster_autoscaler as _autoscaler
from platform_constructs.aws import csi_addons as _csi
from platform_constructs.aws import load_balancer_controller as _lbc
from platform_constructs.aws.workload_identity import MODES, AwsWorkloadIdentity, Mode
from platform_constructs.contracts import ClusterContract
from platform_constructs.workload_identity import bounded_name, check_component

#: component name (part of each IAM role's name) -> the service account it binds.
SERVICE_ACCOUNTS = {
    "ebs-csi": _csi.EBS_CSI_SERVICE_ACCOUNT,
    "efs-csi": _csi.EFS_CSI_SERVICE_ACCOUNT,
    "load-balancer-controller": _lbc.SERVICE_ACCOUNT,
    "cluster-autoscaler": _autoscaler.SERVICE_ACCOUNT,
}


class AwsAddonIdentities(Construct):
    """An :class:`AwsWorkloadIdentity` for each AWS-calling component that is on, nothing else.

    Kept apart from the charts and EKS add-ons (which need a running cluster) so the layer's AWS
    resources can be applied on their own: the emulator test applies exactly this construct.

    | component | service account | grants |
    |---|---|---|
    | ``ebs-csi`` | kube-system/ebs-csi-controller-sa | AmazonEBSCSIDriverPolicy + KMS use of ``kms_key_arn`` |
    | ``efs-csi`` | kube-system/efs-csi-controller-sa | AmazonEFSCSIDriverPolicy |
    | ``load-balancer-controller`` | kube-system/aws-load-balancer-controller | the published policy (v3.5.0) |
    | ``cluster-autoscaler`` | kube-system/cluster-autoscaler | the documented policy, on this cluster's tags |

    Each IAM role is named ``<cluster>-<component>`` (as the kit's ``workload_identity`` names
    them), bound by EKS Pod Identity or IRSA as ``mode`` says (the environment's
    ``aws.workload_identity``). The identities are attributes (None when the component is off).

    :param cluster: the cluster contract (OIDC issuer and provider for IRSA, the name for Pod Identity).
    :param cluster_name: the cluster's literal name (role names, the autoscaler's tag conditions).
    :param mode: ``pod_identity`` or ``irsa``.
    :param kms_key_arn: the key encrypting EBS volumes (the gp3 StorageClass's); required with
        ``ebs_csi``. Default: None.
    :param ebs_csi: the EBS CSI controller's identity. Default: True.
    :param efs_csi: the EFS CSI controller's identity. Default: True.
    :param load_balancer_controller: the load balancer controller's identity. Default: True.
    :param cluster_autoscaler: the cluster autoscaler's identity. Default: True.
    """

    def __init__(self, scope: Construct, id: str, *, cluster: ClusterContract, cluster_name: str, mode: Mode,
                 kms_key_arn: str | None = None, ebs_csi: bool = True, efs_csi: bool = True,
                 load_balancer_controller: bool = True, cluster_autoscaler: bool = True):
        problems = []
        if not isinstance(cluster_name, str) or not cluster_name or Token.is_unresolved(cluster_name):
            problems.append(f"cluster_name {cluster_name!r} must be the cluster's literal name (spec.cluster.name)")
        if mode not in MODES:
            problems.append(f"workload identity mode {mode!r} is not one of {', '.join(MODES)}")
        if ebs_csi and not kms_key_arn:
            problems.append("ebs_csi needs kms_key_arn, the key encrypting EBS volumes (the cluster's key)")
        if problems:
            raise ValueError("addon identities: " + "; ".join(problems))
        super().__init__(scope, id)
        self.mode = mode
        self.cluster_name = cluster_name
        self.cluster = cluster
        partition = DataAwsPartition(self, "partition").partition
        self.ebs_csi = self._identity("ebs-csi", _csi.ebs_csi_grants(kms_key_arn)) if ebs_csi else None
        self.efs_csi = self._identity("efs-csi", _csi.efs_csi_grants()) if efs_csi else None
        self.load_balancer_controller = self._identity(
            "load-balancer-controller", _lbc.load_balancer_controller_grants(partition),
        ) if load_balancer_controller else None
        self.cluster_autoscaler = self._identity(
            "cluster-autoscaler", _autoscaler.cluster_autoscaler_grants(cluster_name),
        ) if cluster_autoscaler else None

    def _identity(self, component: str, grants) -> AwsWorkloadIdentity:
        return AwsWorkloadIdentity(
            self, check_component(component), name=bounded_name(f"{self.cluster_name}-{component}", 64),
            cluster=self.cluster, service_account=SERVICE_ACCOUNTS[component], grants=grants, mode=self.mode,
        )

    @property
    def identities(self) -> dict[str, AwsWorkloadIdentity]:
        """component -> identity, for the components that are on."""
        found = {
            "ebs-csi": self.ebs_csi, "efs-csi": self.efs_csi,
            "load-balancer-controller": self.load_balancer_controller, "cluster-autoscaler": self.cluster_autoscaler,
        }
        return {name: identity for name, identity in found.items() if identity is not None}
