"""EKS managed add-ons that every node needs: networking, DNS, proxy, pod identity."""

from __future__ import annotations

import json
from collections.abc import Mapping

from constructs import Construct
from cdktf import ITerraformDependable
from cdktf_cdktf_provider_aws.eks_addon import EksAddon

from platform_constructs.versions import EKS_ADDON_VERSIONS

#: Installed before node groups (nodes need them to become Ready).
BEFORE_COMPUTE = ("vpc-cni", "kube-proxy", "eks-pod-identity-agent")
#: Installed after node groups (their pods need nodes to schedule on).
AFTER_COMPUTE = ("coredns",)
#: Every add-on the AWS kit installs (each needs a version per minor in versions.EKS_ADDON_VERSIONS).
EKS_ADDONS = BEFORE_COMPUTE + AFTER_COMPUTE
#: Left running in the cluster when their add-on resource is deleted (``preserve``): removing the
#: resource from the code, or a replacement, must not take pod networking, service routing or DNS
#: down with it. The pod identity agent is removed with its resource.
PRESERVED = frozenset({"vpc-cni", "kube-proxy", "coredns"})
#: Each add-on's ``configuration_values`` (its schema: ``aws eks describe-addon-configuration``).
#: vpc-cni: the network policy agent on (``enableNetworkPolicy``, a string in the add-on's schema),
#: so EKS enforces Kubernetes NetworkPolicies (the tenants' isolation; see the EKS user guide,
#: "Restrict Pod network traffic with Kubernetes network policies"). Pods no policy selects keep
#: all their traffic; the agent enforces on Linux EC2 nodes, not on Fargate or Windows.
CONFIGURATION: Mapping[str, Mapping[str, object]] = {"vpc-cni": {"enableNetworkPolicy": "true"}}


class EksManagedAddons(Construct):
    """Creates the add-ons of one phase, each at the version pinned for the cluster's minor.

    - Versions come from :data:`platform_constructs.versions.EKS_ADDON_VERSIONS`, never "EKS's
      default" (which moves over time, so the same file would build different clusters).
    - Conflicts are resolved with ``OVERWRITE`` on create and on update: the add-on's settings
      are the ones this code declares (``configuration_values``), and a field edited in the
      cluster (``kubectl edit daemonset aws-node``) is drift the next update reverts, not a
      setting to keep. ``PRESERVE`` on update would let such edits silently outlive the code
      and make a plan lie about what runs.
    - ``preserve`` on the add-ons in :data:`PRESERVED`.

    :param kubernetes_version: the cluster's minor (``"1.33"``), the key into the version table.
    :param names: the add-ons of this phase (:data:`BEFORE_COMPUTE` or :data:`AFTER_COMPUTE`).
    :param service_account_roles: add-on name -> IAM role ARN its service account assumes (IRSA).
        Default: none (the add-on uses the node role, or needs no AWS permissions).
    :param configuration: add-on name -> its configuration values (JSON-encoded into
        ``configuration_values``); names of other phases are ignored. Default: :data:`CONFIGURATION`.
    :param depends_on: created after these. Default: nothing beyond the references.
    """

    def __init__(self, scope: Construct, id: str, *, cluster_name: str, kubernetes_version: str,
                 names: tuple[str, ...], service_account_roles: dict[str, str] | None = None,
                 configuration: Mapping[str, Mapping[str, object]] | None = None,
                 depends_on: list[ITerraformDependable] | None = None):
        super().__init__(scope, id)
        versions = EKS_ADDON_VERSIONS[kubernetes_version]
        roles = service_account_roles or {}
        settings = CONFIGURATION if configuration is None else configuration
        unknown = sorted(set(roles) - set(names))
        if unknown:
            raise ValueError(f"service_account_roles names add-ons not in this phase: {', '.join(unknown)}")
        strays = sorted(set(settings) - set(EKS_ADDONS))
        if strays:
            raise ValueError(f"configuration names add-ons the kit does not install: {', '.join(strays)} "
                             f"(it installs {', '.join(EKS_ADDONS)})")
        self.addons = [
            EksAddon(
                self,
                name,
                cluster_name=cluster_name,
                addon_name=name,
                addon_version=versions[name],
                service_account_role_arn=roles.get(name),
                configuration_values=json.dumps(settings[name], sort_keys=True) if name in settings else None,
                preserve=name in PRESERVED,
                resolve_conflicts_on_create="OVERWRITE",
                resolve_conflicts_on_update="OVERWRITE",
                depends_on=depends_on,
            )
            for name in names
        ]
