"""The cluster-autoscaler chart for EKS managed node groups, on its own workload identity."""

from __future__ import annotations

from constructs import Construct
from cdktf import ITerraformDependable

from platform_constructs.aws.addon_policies import cluster_autoscaler_policy
from platform_constructs.kubernetes.chart_release import chart_release
from platform_constructs.versions import CLUSTER_AUTOSCALER_IMAGE_TAGS
from platform_constructs.workload_identity import AwsGrants, ServiceAccount, WorkloadIdentity

CHART = "cluster-autoscaler"
#: The service account the chart creates: ``rbac.serviceAccount.name`` (set here; the chart's
#: fallback would be ``<release>-aws-cluster-autoscaler``), in the release namespace
#: (templates/serviceaccount.yaml, ``cluster-autoscaler.serviceAccountName``).
SERVICE_ACCOUNT = ServiceAccount("kube-system", "cluster-autoscaler")

#: Autoscaler flags beyond the chart's defaults (``extraArgs``; merged with the chart's own
#: logtostderr/stderrthreshold/v), as the EKS best practices guide's autoscaling chapter sets them:
#: - balance-similar-node-groups: one node group per zone and pool shape scale together, so a
#:   pool's capacity stays spread over the zones;
#: - expander least-waste: among groups that fit the pending pods, the one left with the least
#:   idle CPU and memory;
#: - skip-nodes-with-system-pods false: a node running only kube-system pods (their disruption
#:   budgets still apply) can be scaled down; with the default (true) such nodes are never removed.
EXTRA_ARGS = {
    "balance-similar-node-groups": True,
    "expander": "least-waste",
    "skip-nodes-with-system-pods": False,
}


def cluster_autoscaler_grants(cluster_name: str) -> AwsGrants:
    """The autoscaler's documented policy, its mutating actions limited to this cluster's node groups
    (the auto-discovery tags EKS puts on every managed node group's Auto Scaling group)."""
    return AwsGrants(inline_policy=cluster_autoscaler_policy(cluster_name))


def cluster_autoscaler_values(*, cluster_name: str, region: str, kubernetes_version: str,
                              identity: WorkloadIdentity) -> dict:
    """The chart values: AWS auto-discovery of the cluster's node groups (the chart's default tags
    ``k8s.io/cluster-autoscaler/enabled`` and ``k8s.io/cluster-autoscaler/<cluster>``), the region
    explicit (no IMDS from pods), the image of the cluster's minor, the identity's service account."""
    try:
        tag = CLUSTER_AUTOSCALER_IMAGE_TAGS[kubernetes_version]
    except KeyError:
        raise ValueError(f"Kubernetes {kubernetes_version!r} has no cluster-autoscaler image: pick one of "
                         f"{', '.join(CLUSTER_AUTOSCALER_IMAGE_TAGS)} or add it to "
                         "versions.CLUSTER_AUTOSCALER_IMAGE_TAGS") from None
    return {
        "cloudProvider": "aws",
        "awsRegion": region,
        "autoDiscovery": {"clusterName": cluster_name},
        "image": {"tag": tag},
        "rbac": {
            "create": True,
            "serviceAccount": {
                "create": True,
                "name": identity.service_account.name,
                "annotations": dict(identity.annotations),
            },
        },
        "extraArgs": dict(EXTRA_ARGS),
    }


class ClusterAutoscaler(Construct):
    """The cluster-autoscaler release (chart from ``versions.CHARTS``) in kube-system.

    :param cluster_name: the EKS cluster's literal name (auto-discovery tag).
    :param region: the cluster's region.
    :param kubernetes_version: the cluster's minor; picks the image tag.
    :param identity: the workload identity bound to :data:`SERVICE_ACCOUNT`.
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the chart's own repository.
    :param depends_on: created after these (the identity's resources). Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, cluster_name: str, region: str, kubernetes_version: str,
                 identity: WorkloadIdentity, chart_repository: str | None = None,
                 depends_on: list[ITerraformDependable] | None = None):
        if identity.service_account != SERVICE_ACCOUNT:
            raise ValueError(f"the cluster autoscaler runs as {SERVICE_ACCOUNT}, but its identity binds "
                             f"{identity.service_account}: bind {SERVICE_ACCOUNT}")
        self.values = cluster_autoscaler_values(cluster_name=cluster_name, region=region,
                                                kubernetes_version=kubernetes_version, identity=identity)
        super().__init__(scope, id)
        self.release = chart_release(self, "release", chart=CHART, namespace=SERVICE_ACCOUNT.namespace,
                                     values=self.values, chart_repository=chart_repository, depends_on=depends_on)
