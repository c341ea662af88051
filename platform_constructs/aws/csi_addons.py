"""The EBS and EFS CSI drivers as EKS managed add-ons, each on its own workload identity."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_aws.eks_addon import EksAddon

from platform_constructs.aws.addon_policies import EBS_CSI_MANAGED_POLICY, EFS_CSI_MANAGED_POLICY, ebs_csi_kms_policy
from platform_constructs.aws.workload_identity import AwsWorkloadIdentity
from platform_constructs.versions import EKS_CSI_ADDON_VERSIONS
from platform_constructs.workload_identity import AwsGrants, ServiceAccount

EBS_CSI_ADDON = "aws-ebs-csi-driver"
EFS_CSI_ADDON = "aws-efs-csi-driver"
#: The controller's service account each add-on creates (the one that calls the AWS APIs; the
#: node plugins mount what the controller provisioned and need no AWS permissions). Names from the
#: drivers' charts, which the EKS add-ons render: ``controller.serviceAccount.name`` defaults
#: ``ebs-csi-controller-sa`` / ``efs-csi-controller-sa``, in the add-on's namespace kube-system.
EBS_CSI_SERVICE_ACCOUNT = ServiceAccount("kube-system", "ebs-csi-controller-sa")
EFS_CSI_SERVICE_ACCOUNT = ServiceAccount("kube-system", "efs-csi-controller-sa")
#: add-on name -> the service account its identity must bind.
SERVICE_ACCOUNTS = {EBS_CSI_ADDON: EBS_CSI_SERVICE_ACCOUNT, EFS_CSI_ADDON: EFS_CSI_SERVICE_ACCOUNT}


def ebs_csi_grants(kms_key_arn: str) -> AwsGrants:
    """AmazonEBSCSIDriverPolicy plus the KMS statements for volumes encrypted with ``kms_key_arn``."""
    return AwsGrants(managed_policies=(EBS_CSI_MANAGED_POLICY,), inline_policy=ebs_csi_kms_policy(kms_key_arn))


def efs_csi_grants() -> AwsGrants:
    """AmazonEFSCSIDriverPolicy: access points created and deleted under AWS's tag conditions."""
    return AwsGrants(managed_policies=(EFS_CSI_MANAGED_POLICY,))


def identity_dependables(identity: AwsWorkloadIdentity) -> list:
    """The resources that must exist before pods of ``identity``'s service account start: the role, its
    policies and (Pod Identity) the association. A pod started earlier gets no credentials (the Pod
    Identity webhook injects them only at pod creation) or fails its first calls."""
    found = [identity.role.role, *identity.role.attachments, identity.policy, identity.association]
    return [item for item in found if item is not None]


class EksCsiAddons(Construct):
    """``aws-ebs-csi-driver`` and/or ``aws-efs-csi-driver`` as EKS managed add-ons.

    - Versions from :data:`platform_constructs.versions.EKS_CSI_ADDON_VERSIONS` for the cluster's
      minor, never EKS's moving default.
    - Each driver's controller runs as its own workload identity (``ebs`` / ``efs``, built by
      :class:`platform_constructs.aws.addon_identities.AwsAddonIdentities` for the service
      accounts in :data:`SERVICE_ACCOUNTS`). IRSA: the role goes into the add-on's
      ``service_account_role_arn`` (EKS annotates the service account). Pod Identity: the
      identity's ``aws_eks_pod_identity_association`` binds it; the add-on gets no role.
      Either way the add-on is created after the identity's resources.
    - Conflicts ``OVERWRITE`` on create and update (this code's settings win; in-cluster edits
      are drift). Not ``preserve``: removing the add-on removes the driver (volumes and PVs stay).

    :param cluster_name: the EKS cluster's name.
    :param kubernetes_version: the cluster's minor (``"1.35"``), the key into the version table.
    :param ebs: the EBS CSI controller's identity; None installs no EBS driver. Default: None.
    :param efs: the EFS CSI controller's identity; None installs no EFS driver. Default: None.
    """

    def __init__(self, scope: Construct, id: str, *, cluster_name: str, kubernetes_version: str,
                 ebs: AwsWorkloadIdentity | None = None, efs: AwsWorkloadIdentity | None = None):
        problems = []
        versions = EKS_CSI_ADDON_VERSIONS.get(kubernetes_version)
        if versions is None:
            problems.append(f"Kubernetes {kubernetes_version!r} has no CSI add-on versions: pick one of "
                            f"{', '.join(EKS_CSI_ADDON_VERSIONS)} or add it to versions.EKS_CSI_ADDON_VERSIONS")
        identities = {name: identity for name, identity in ((EBS_CSI_ADDON, ebs), (EFS_CSI_ADDON, efs)) if identity}
        for name, identity in identities.items():
            if identity.service_account != SERVICE_ACCOUNTS[name]:
                problems.append(f"{name}'s identity binds {identity.service_account}, but the add-on's controller runs "
                                f"as {SERVICE_ACCOUNTS[name]}: bind that service account")
        if problems:
            raise ValueError("CSI add-ons: " + "; ".join(problems))
        super().__init__(scope, id)
        self.addons: dict[str, EksAddon] = {
            name: EksAddon(
                self,
                name,
                cluster_name=cluster_name,
                addon_name=name,
                addon_version=versions[name],
                service_account_role_arn=identity.arn if identity.mode == "irsa" else None,
                resolve_conflicts_on_create="OVERWRITE",
                resolve_conflicts_on_update="OVERWRITE",
                depends_on=identity_dependables(identity),
            )
            for name, identity in identities.items()
        }
