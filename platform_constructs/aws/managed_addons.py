"""EKS managed add-ons that every node needs: networking, DNS, proxy, pod identity."""

from __future__ import annotations

from constructs import Construct
from cdktf import ITerraformDependable
from cdktf_cdktf_provider_aws.eks_addon import EksAddon

#: Installed before node groups (nodes need them to become Ready).
BEFORE_COMPUTE = ("vpc-cni", "kube-proxy", "eks-pod-identity-agent")
#: Installed after node groups (their pods need nodes to schedule on).
AFTER_COMPUTE = ("coredns",)


class EksManagedAddons(Construct):
    """Creates add-ons of one phase; versions are EKS's default for the cluster version.

    Conflicting self-managed settings are overwritten on create and update, so the
    add-on's state is the one EKS manages.
    """

    def __init__(self, scope: Construct, id: str, *, cluster_name: str, names: tuple[str, ...],
                 depends_on: list[ITerraformDependable] | None = None):
        super().__init__(scope, id)
        self.addons = [
            EksAddon(
                self,
                name,
                cluster_name=cluster_name,
                addon_name=name,
                resolve_conflicts_on_create="OVERWRITE",
                resolve_conflicts_on_update="OVERWRITE",
                depends_on=depends_on,
            )
            for name in names
        ]
