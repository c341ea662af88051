"""Cluster logs in CloudWatch: the ``amazon-cloudwatch-observability`` EKS add-on on its own identity,
writing to Container Insights log groups created beforehand, encrypted and with a retention."""

from __future__ import annotations

from constructs import Construct
from cdktf import Token
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.eks_addon import EksAddon

from platform_constructs import namespaces
from platform_constructs.aws.csi_addons import identity_dependables
from platform_constructs.aws.spec import CLOUDWATCH_RETENTION_DAYS
from platform_constructs.aws.workload_identity import MODES, AwsWorkloadIdentity, Mode
from platform_constructs.contracts import ClusterContract
from platform_constructs.versions import EKS_OBSERVABILITY_ADDON_VERSIONS
from platform_constructs.workload_identity import AwsGrants, ServiceAccount, bounded_name

CLOUDWATCH_ADDON = "amazon-cloudwatch-observability"
#: The service account the add-on's CloudWatch agent and its Fluent Bit DaemonSet both run as
#: (aws-observability/helm-charts, charts/amazon-cloudwatch-observability: the fluent-bit DaemonSet's
#: ``serviceAccountName`` is the ``cloudwatch-agent.serviceAccountName`` template), in the add-on's
#: namespace ``amazon-cloudwatch``: the one the EKS user guide binds for IRSA.
SERVICE_ACCOUNT = ServiceAccount(namespaces.CLOUDWATCH, "cloudwatch-agent")
#: The AWS-managed policy the CloudWatch user guide gives the agent (metrics, log events, its tags).
CLOUDWATCH_AGENT_POLICY = "CloudWatchAgentServerPolicy"
#: Container Insights log groups, ``/aws/containerinsights/<cluster>/<kind>``: ``application``
#: (container stdout/stderr), ``dataplane`` (kubelet, container runtime, aws-node, kube-proxy),
#: ``host`` (dmesg, messages, secure) from Fluent Bit's outputs in the chart's values.yaml, and
#: ``performance`` (the agent's embedded-metric log events).
LOG_GROUP_KINDS: tuple[str, ...] = ("application", "dataplane", "host", "performance")
#: Role name component of the agent's identity.
COMPONENT = "cloudwatch-agent"


def log_group_names(cluster_name: str) -> dict[str, str]:
    """Kind -> ``/aws/containerinsights/<cluster_name>/<kind>``."""
    return {kind: f"/aws/containerinsights/{cluster_name}/{kind}" for kind in LOG_GROUP_KINDS}


class AwsCloudLogging(Construct):
    """The seed's "Autoscaler / Apps -> Cloud Logging" on EKS.

    - The four Container Insights log groups of :data:`LOG_GROUP_KINDS`, created before the add-on
      (Fluent Bit's ``auto_create_group`` and the agent would otherwise create them themselves,
      unencrypted and kept forever), encrypted with ``kms_key_arn`` and kept ``retention_days``.
    - The agent's identity (IAM role ``<cluster>-cloudwatch-agent`` with
      :data:`CLOUDWATCH_AGENT_POLICY`) for :data:`SERVICE_ACCOUNT`, by EKS Pod Identity or IRSA as
      ``mode`` says (the environment's ``aws.workload_identity``), as the CSI add-ons do: IRSA
      passes the role as the add-on's ``service_account_role_arn``, Pod Identity binds it by
      association. Writers need no KMS permission: CloudWatch Logs encrypts with the key itself
      (the key's policy lets this region's CloudWatch Logs use it).
    - The ``amazon-cloudwatch-observability`` add-on at the build pinned for the cluster's minor in
      :data:`platform_constructs.versions.EKS_OBSERVABILITY_ADDON_VERSIONS`, conflicts ``OVERWRITE``,
      created after the identity's resources and the log groups.

    :param cluster: the cluster's contract (name, OIDC issuer and provider).
    :param cluster_name: the cluster's literal name (log group and role names).
    :param kubernetes_version: the cluster's minor (``"1.35"``), the key into the version table.
    :param mode: ``pod_identity`` or ``irsa``.
    :param kms_key_arn: the key encrypting the log groups (its policy must let CloudWatch Logs use it).
    :param retention_days: days the log groups keep events, a value CloudWatch accepts. Default: 30
        (the layer passes ``cluster.log_retention_days``).
    """

    def __init__(self, scope: Construct, id: str, *, cluster: ClusterContract, cluster_name: str,
                 kubernetes_version: str, mode: Mode, kms_key_arn: str, retention_days: int = 30):
        problems = []
        if not isinstance(cluster_name, str) or not cluster_name or Token.is_unresolved(cluster_name):
            problems.append(f"cluster_name {cluster_name!r} must be the cluster's literal name (spec.cluster.name)")
        version = EKS_OBSERVABILITY_ADDON_VERSIONS.get(kubernetes_version)
        if version is None:
            problems.append(f"Kubernetes {kubernetes_version!r} has no {CLOUDWATCH_ADDON} version: pick one of "
                            f"{', '.join(EKS_OBSERVABILITY_ADDON_VERSIONS)} or add it to "
                            "versions.EKS_OBSERVABILITY_ADDON_VERSIONS")
        if mode not in MODES:
            problems.append(f"workload identity mode {mode!r} is not one of {', '.join(MODES)}")
        if retention_days not in CLOUDWATCH_RETENTION_DAYS:
            problems.append(f"retention_days {retention_days!r} is not a retention CloudWatch accepts: one of "
                            f"{', '.join(map(str, CLOUDWATCH_RETENTION_DAYS))}")
        if not kms_key_arn:
            problems.append("kms_key_arn is required: the Container Insights log groups are encrypted")
        if problems:
            raise ValueError("cloud logging: " + "; ".join(problems))
        super().__init__(scope, id)
        self.log_groups: dict[str, CloudwatchLogGroup] = {
            kind: CloudwatchLogGroup(self, f"log-group-{kind}", name=name, retention_in_days=retention_days,
                                     kms_key_id=kms_key_arn)
            for kind, name in log_group_names(cluster_name).items()
        }
        self.identity = AwsWorkloadIdentity(
            self, f"{COMPONENT}-identity", name=bounded_name(f"{cluster_name}-{COMPONENT}", 64), cluster=cluster,
            service_account=SERVICE_ACCOUNT, grants=AwsGrants(managed_policies=(CLOUDWATCH_AGENT_POLICY,)), mode=mode,
        )
        self.addon = EksAddon(
            self, "addon", cluster_name=cluster.cluster_name, addon_name=CLOUDWATCH_ADDON, addon_version=version,
            service_account_role_arn=self.identity.arn if mode == "irsa" else None,
            resolve_conflicts_on_create="OVERWRITE", resolve_conflicts_on_update="OVERWRITE",
            depends_on=[*identity_dependables(self.identity), *self.log_groups.values()],
        )
