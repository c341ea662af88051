"""The AWS Load Balancer Controller chart, on its own workload identity."""

from __future__ import annotations

from constructs import Construct
from cdktf import ITerraformDependable

from platform_constructs.aws.addon_policies import load_balancer_controller_policy
from platform_constructs.kubernetes.chart_release import chart_release
from platform_constructs.workload_identity import AwsGrants, ServiceAccount, WorkloadIdentity

CHART = "aws-load-balancer-controller"
#: The service account the chart creates: ``serviceAccount.name`` (set here, so the chart's
#: fullname fallback never applies), in the release namespace (templates/serviceaccount.yaml).
SERVICE_ACCOUNT = ServiceAccount("kube-system", "aws-load-balancer-controller")


def load_balancer_controller_grants(partition: str = "aws") -> AwsGrants:
    """The controller's published IAM policy (v3.5.0) as the role's inline policy."""
    return AwsGrants(inline_policy=load_balancer_controller_policy(partition))


def load_balancer_controller_values(*, cluster_name: str, region: str, vpc_id: str,
                                    identity: WorkloadIdentity) -> dict:
    """The chart values: cluster, region and VPC explicit (nodes allow one IMDS hop, so the
    controller cannot read region or VPC from instance metadata: aws-load-balancer-controller#2231),
    the identity's service account and annotations, two replicas with a disruption budget."""
    return {
        "clusterName": cluster_name,
        "region": region,
        "vpcId": vpc_id,
        "serviceAccount": {
            "create": True,
            "name": identity.service_account.name,
            "annotations": dict(identity.annotations),
        },
        "replicaCount": 2,
        # The chart renders a budget only when given one (and only with more than one replica).
        "podDisruptionBudget": {"maxUnavailable": 1},
    }


class AwsLoadBalancerController(Construct):
    """The aws-load-balancer-controller release (chart from ``versions.CHARTS``) in kube-system.

    :param cluster_name: the EKS cluster's name (the controller tags what it creates with it).
    :param region: the cluster's region.
    :param vpc_id: the cluster's VPC.
    :param identity: the workload identity bound to :data:`SERVICE_ACCOUNT` (its annotations go
        on the chart's service account: the IRSA role, or none for Pod Identity).
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the chart's own repository.
    :param depends_on: created after these (the identity's resources). Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, cluster_name: str, region: str, vpc_id: str,
                 identity: WorkloadIdentity, chart_repository: str | None = None,
                 depends_on: list[ITerraformDependable] | None = None):
        if identity.service_account != SERVICE_ACCOUNT:
            raise ValueError(f"the load balancer controller runs as {SERVICE_ACCOUNT}, but its identity binds "
                             f"{identity.service_account}: bind {SERVICE_ACCOUNT}")
        super().__init__(scope, id)
        self.values = load_balancer_controller_values(cluster_name=cluster_name, region=region, vpc_id=vpc_id,
                                                      identity=identity)
        self.release = chart_release(self, "release", chart=CHART, namespace=SERVICE_ACCOUNT.namespace,
                                     values=self.values, chart_repository=chart_repository, depends_on=depends_on)
