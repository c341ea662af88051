"""AWS workload identity: an IAM role for one Kubernetes service account, by EKS Pod Identity or IRSA."""

from __future__ import annotations

import json
import re
from typing import Literal

from constructs import Construct
from cdktf_cdktf_provider_aws.eks_pod_identity_association import EksPodIdentityAssociation
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy

from platform_constructs.aws.irsa_role import IrsaRole
from platform_constructs.aws.managed_policy_role import ManagedPolicyRole
from platform_constructs.contracts import ClusterContract
from platform_constructs.workload_identity import AwsGrants, ServiceAccount, WorkloadIdentity

#: How pods get the role. ``pod_identity``: EKS Pod Identity (the eks-pod-identity-agent add-on
#: hands out credentials; no annotation). ``irsa``: IAM roles for service accounts (a web-identity
#: token exchanged at STS; also serves Fargate and emulators, which lack Pod Identity).
Mode = Literal["pod_identity", "irsa"]
MODES: tuple[Mode, ...] = ("pod_identity", "irsa")

#: The service principal EKS Pod Identity assumes roles as.
POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com"

_ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}")


class PodIdentityRole(ManagedPolicyRole):
    """Role ``name`` that EKS Pod Identity may assume for ``namespace/service_account`` of one cluster.

    Trust: ``pods.eks.amazonaws.com`` with ``sts:AssumeRole`` and ``sts:TagSession`` (Pod Identity
    passes session tags), conditioned on those tags (``StringEquals`` on ``eks-cluster-name``,
    ``kubernetes-namespace``, ``kubernetes-service-account``, as the EKS user guide's "Create IAM
    role with trust policy required by EKS Pod Identity" shows): a Pod Identity association of
    another service account or cluster in the account cannot use the role.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, cluster_name: str, namespace: str,
                 service_account: str, managed_policies: list[str] | None = None):
        self.cluster_name, self.namespace, self.service_account = cluster_name, namespace, service_account
        super().__init__(scope, id, name=name, managed_policies=managed_policies)

    def trust_policy(self) -> dict:
        return {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": POD_IDENTITY_SERVICE},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {"StringEquals": {
                    "aws:RequestTag/eks-cluster-name": self.cluster_name,
                    "aws:RequestTag/kubernetes-namespace": self.namespace,
                    "aws:RequestTag/kubernetes-service-account": self.service_account,
                }},
            }],
        }


class AwsWorkloadIdentity(Construct):
    """IAM role ``name`` for the service account ``service_account`` of ``cluster``, holding ``grants``.

    - ``mode="pod_identity"`` (default): a :class:`PodIdentityRole` and an
      ``aws_eks_pod_identity_association`` (cluster, namespace, service account, role). The
      cluster needs the eks-pod-identity-agent add-on (the kit installs it with the managed
      add-ons). The service account needs no annotation.
    - ``mode="irsa"``: an :class:`IrsaRole` trusted through the cluster's IAM OIDC provider
      (``contract.workload_identity_provider``) for exactly
      ``system:serviceaccount:<namespace>:<name>`` and audience ``sts.amazonaws.com``; the
      service account carries ``eks.amazonaws.com/role-arn``.
    - ``grants.managed_policies`` attached by name in the stack's partition;
      ``grants.inline_policy`` as the role's inline policy ``name``.

    :attr:`identity` is what the chart needs; :attr:`role` the IAM role (its ``arn`` for an EKS
    add-on's ``service_account_role_arn``).

    :param name: the IAM role name (at most 64 characters of ``[A-Za-z0-9+=,.@_-]``).
    :param cluster: the cluster's contract (name, OIDC issuer, IAM OIDC provider ARN).
    :param grants: what the role may do. Default: nothing.
    :param mode: ``pod_identity`` or ``irsa``. Default: ``pod_identity``.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, cluster: ClusterContract,
                 service_account: ServiceAccount, grants: AwsGrants | None = None, mode: Mode = "pod_identity"):
        problems = []
        if not _ROLE_NAME.fullmatch(name):
            problems.append(f"IAM role name {name!r} must be 1-64 characters of letters, digits and +=,.@_-")
        if mode not in MODES:
            problems.append(f"workload identity mode {mode!r} is not one of {', '.join(MODES)}")
        if problems:
            raise ValueError("; ".join(problems))
        super().__init__(scope, id)
        grants = grants or AwsGrants()
        self.mode = mode
        self.service_account = service_account
        policies = list(grants.managed_policies)
        self.association: EksPodIdentityAssociation | None = None
        if mode == "irsa":
            self.role: ManagedPolicyRole = IrsaRole(
                self, "role", name=name, oidc_provider_arn=cluster.workload_identity_provider,
                issuer_url=cluster.oidc_issuer_url, namespace=service_account.namespace,
                service_account=service_account.name, managed_policies=policies,
            )
            annotations = dict(self.role.annotations)
        else:
            self.role = PodIdentityRole(
                self, "role", name=name, cluster_name=cluster.cluster_name, namespace=service_account.namespace,
                service_account=service_account.name, managed_policies=policies,
            )
            self.association = EksPodIdentityAssociation(
                self, "association", cluster_name=cluster.cluster_name, namespace=service_account.namespace,
                service_account=service_account.name, role_arn=self.role.arn,
            )
            annotations = {}
        self.policy: IamRolePolicy | None = None
        if grants.inline_policy is not None:
            self.policy = IamRolePolicy(self, "policy", name=name, role=self.role.role.id,
                                        policy=json.dumps(grants.inline_policy))
        self.identity = WorkloadIdentity(
            service_account=service_account, principal=self.role.arn, annotations=annotations,
        )

    @property
    def arn(self) -> str:
        return self.role.arn
