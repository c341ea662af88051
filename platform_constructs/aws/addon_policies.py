"""The least-privilege IAM grants of the AWS addons, as data.

Each function returns a plain IAM policy document (``{"Version": ..., "Statement": [...]}``) for
:class:`platform_constructs.workload_identity.AwsGrants` ``inline_policy``; the CSI drivers use
AWS-managed policies (``AwsGrants.managed_policies``) plus, for EBS with a customer key, the KMS
statement of :func:`ebs_csi_kms_policy`. No provider package is imported: the kit turns these into
resources.

``partition`` (``aws`` by default) is the ARN partition of the few ARNs the published documents
carry; the kit may pass a token of the stack's partition (``data.aws_partition``).
"""

from __future__ import annotations

import copy

__all__ = [
    "EBS_CSI_MANAGED_POLICY",
    "EFS_CSI_MANAGED_POLICY",
    "LOAD_BALANCER_CONTROLLER_TAG",
    "CLUSTER_AUTOSCALER_ENABLED_TAG",
    "cluster_autoscaler_owned_tag",
    "load_balancer_controller_policy",
    "cluster_autoscaler_policy",
    "ebs_csi_kms_policy",
]

_VERSION = "2012-10-17"

#: AWS-managed policy of the EBS CSI driver (partition-free name, as AwsGrants.managed_policies takes
#: it). Named in the aws-ebs-csi-driver docs (kubernetes-sigs/aws-ebs-csi-driver docs/install.md) and
#: the EKS user guide "Create an Amazon EBS CSI driver IAM role".
EBS_CSI_MANAGED_POLICY = "service-role/AmazonEBSCSIDriverPolicy"
#: AWS-managed policy of the EFS CSI driver (kubernetes-sigs/aws-efs-csi-driver docs/README.md and the
#: EKS user guide "Use elastic file system storage with Amazon EFS"). Access points (efs-ap) are
#: created and deleted under it, conditioned by AWS on the ``efs.csi.aws.com/cluster`` tag.
EFS_CSI_MANAGED_POLICY = "service-role/AmazonEFSCSIDriverPolicy"

#: The tag the load balancer controller (v2.2+) puts on everything it creates; its published
#: policy lets it change only resources carrying it.
LOAD_BALANCER_CONTROLLER_TAG = "elbv2.k8s.aws/cluster"

#: Cluster-autoscaler auto-discovery tags. EKS itself puts both on the Auto Scaling group of every
#: managed node group ("Amazon EKS tags managed node group resources so that they are configured to
#: use the Kubernetes Cluster Autoscaler", EKS user guide "Managed node groups"), with the values
#: ``true`` and ``owned``. The node group's own ``tags`` (platform_constructs/aws/node_group.py sets the
#: same two) land on the EKS node group resource only: EKS does not copy node group tags to the ASG
#: (aws/containers-roadmap#608, terraform-aws-modules/terraform-aws-eks#1886). The conditions below
#: therefore rely on EKS's own ASG tags; a self-managed ASG would need them set on the ASG itself.
CLUSTER_AUTOSCALER_ENABLED_TAG = "k8s.io/cluster-autoscaler/enabled"


def cluster_autoscaler_owned_tag(cluster_name: str) -> str:
    """``k8s.io/cluster-autoscaler/<cluster>``: the per-cluster auto-discovery tag key."""
    return f"k8s.io/cluster-autoscaler/{cluster_name}"


def _check_name(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or any(c in value for c in "*?\"\n"):
        raise ValueError(f"{what} {value!r} must be a non-empty name without wildcards or quotes")
    return value


# --- AWS Load Balancer Controller -------------------------------------------------------------------
# Source: kubernetes-sigs/aws-load-balancer-controller, docs/install/iam_policy.json, the policy
# published for v3.5.0 (chart aws-load-balancer-controller 3.5.0, app v3.5.0; the README of
# ../shared/charts names this file). Read 2026-11 through the code search index:
#   - the index's own copies of that path in the controller repository are older (commit c5332115…,
#     a v2.4-era document with 11 statements, and 00a1fab5…, the v2.0-era one with ingress.k8s.aws
#     tags): none is the v3.5.0 tag;
#   - the v3.5.0 document was therefore taken from two independent verbatim vendorings of the current
#     upstream file (a Terraform jsonencode and a TypeScript CloudFormation template, both with the
#     2.14+ actions ModifyIpPools, DescribeIpamPools, SetRulePriorities, DescribeCapacityReservation),
#     which agree statement for statement, and a third project pinned to v3.5.0 that describes it as
#     "sixteen statements covering EC2, elastic load balancing, ACM, WAF, Shield and Cognito"
#     (this document has 16 statements).
# Reproduced statement for statement, in the published order, with partition "aws" as a parameter.
# Before bumping the chart: diff this against
#   https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v<new>/docs/install/iam_policy.json
def load_balancer_controller_policy(partition: str = "aws") -> dict:
    """The AWS Load Balancer Controller's published IAM policy (v3.5.0), 16 statements."""
    p = _check_name(partition, "partition")
    tag = LOAD_BALANCER_CONTROLLER_TAG
    load_balancers_and_target_groups = [
        f"arn:{p}:elasticloadbalancing:*:*:targetgroup/*/*",
        f"arn:{p}:elasticloadbalancing:*:*:loadbalancer/net/*/*",
        f"arn:{p}:elasticloadbalancing:*:*:loadbalancer/app/*/*",
    ]
    statements = [
        {
            "Effect": "Allow",
            "Action": ["iam:CreateServiceLinkedRole"],
            "Resource": "*",
            "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}},
        },
        {
            "Effect": "Allow",
            "Action": [
                "ec2:DescribeAccountAttributes",
                "ec2:DescribeAddresses",
                "ec2:DescribeAvailabilityZones",
                "ec2:DescribeInternetGateways",
                "ec2:DescribeVpcs",
                "ec2:DescribeVpcPeeringConnections",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeInstances",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeTags",
                "ec2:GetCoipPoolUsage",
                "ec2:DescribeCoipPools",
                "ec2:GetSecurityGroupsForVpc",
                "ec2:DescribeIpamPools",
                "ec2:DescribeRouteTables",
                "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeLoadBalancerAttributes",
                "elasticloadbalancing:DescribeListeners",
                "elasticloadbalancing:DescribeListenerCertificates",
                "elasticloadbalancing:DescribeSSLPolicies",
                "elasticloadbalancing:DescribeRules",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetGroupAttributes",
                "elasticloadbalancing:DescribeTargetHealth",
                "elasticloadbalancing:DescribeTags",
                "elasticloadbalancing:DescribeTrustStores",
                "elasticloadbalancing:DescribeListenerAttributes",
                "elasticloadbalancing:DescribeCapacityReservation",
            ],
            "Resource": "*",
        },
        {
            "Effect": "Allow",
            "Action": [
                "cognito-idp:DescribeUserPoolClient",
                "acm:ListCertificates",
                "acm:DescribeCertificate",
                "iam:ListServerCertificates",
                "iam:GetServerCertificate",
                "waf-regional:GetWebACL",
                "waf-regional:GetWebACLForResource",
                "waf-regional:AssociateWebACL",
                "waf-regional:DisassociateWebACL",
                "wafv2:GetWebACL",
                "wafv2:GetWebACLForResource",
                "wafv2:AssociateWebACL",
                "wafv2:DisassociateWebACL",
                "shield:GetSubscriptionState",
                "shield:DescribeProtection",
                "shield:CreateProtection",
                "shield:DeleteProtection",
            ],
            "Resource": "*",
        },
        {
            "Effect": "Allow",
            "Action": ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
            "Resource": "*",
        },
        {
            "Effect": "Allow",
            "Action": ["ec2:CreateSecurityGroup"],
            "Resource": "*",
        },
        {
            "Effect": "Allow",
            "Action": ["ec2:CreateTags"],
            "Resource": f"arn:{p}:ec2:*:*:security-group/*",
            "Condition": {
                "StringEquals": {"ec2:CreateAction": "CreateSecurityGroup"},
                "Null": {f"aws:RequestTag/{tag}": "false"},
            },
        },
        {
            "Effect": "Allow",
            "Action": ["ec2:CreateTags", "ec2:DeleteTags"],
            "Resource": f"arn:{p}:ec2:*:*:security-group/*",
            "Condition": {"Null": {f"aws:RequestTag/{tag}": "true", f"aws:ResourceTag/{tag}": "false"}},
        },
        {
            "Effect": "Allow",
            "Action": [
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:RevokeSecurityGroupIngress",
                "ec2:DeleteSecurityGroup",
            ],
            "Resource": "*",
            "Condition": {"Null": {f"aws:ResourceTag/{tag}": "false"}},
        },
        {
            "Effect": "Allow",
            "Action": ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
            "Resource": "*",
            "Condition": {"Null": {f"aws:RequestTag/{tag}": "false"}},
        },
        {
            "Effect": "Allow",
            "Action": [
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:CreateRule",
                "elasticloadbalancing:DeleteRule",
            ],
            "Resource": "*",
        },
        {
            "Effect": "Allow",
            "Action": ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            "Resource": list(load_balancers_and_target_groups),
            "Condition": {"Null": {f"aws:RequestTag/{tag}": "true", f"aws:ResourceTag/{tag}": "false"}},
        },
        {
            "Effect": "Allow",
            "Action": ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            "Resource": [
                f"arn:{p}:elasticloadbalancing:*:*:listener/net/*/*/*",
                f"arn:{p}:elasticloadbalancing:*:*:listener/app/*/*/*",
                f"arn:{p}:elasticloadbalancing:*:*:listener-rule/net/*/*/*",
                f"arn:{p}:elasticloadbalancing:*:*:listener-rule/app/*/*/*",
            ],
        },
        {
            "Effect": "Allow",
            "Action": [
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:SetIpAddressType",
                "elasticloadbalancing:SetSecurityGroups",
                "elasticloadbalancing:SetSubnets",
                "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:ModifyTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:ModifyListenerAttributes",
                "elasticloadbalancing:ModifyCapacityReservation",
                "elasticloadbalancing:ModifyIpPools",
            ],
            "Resource": "*",
            "Condition": {"Null": {f"aws:ResourceTag/{tag}": "false"}},
        },
        {
            "Effect": "Allow",
            "Action": ["elasticloadbalancing:AddTags"],
            "Resource": list(load_balancers_and_target_groups),
            "Condition": {
                "StringEquals": {"elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"]},
                "Null": {f"aws:RequestTag/{tag}": "false"},
            },
        },
        {
            "Effect": "Allow",
            "Action": ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            "Resource": f"arn:{p}:elasticloadbalancing:*:*:targetgroup/*/*",
        },
        {
            "Effect": "Allow",
            "Action": [
                "elasticloadbalancing:SetWebAcl",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:AddListenerCertificates",
                "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:ModifyRule",
                "elasticloadbalancing:SetRulePriorities",
            ],
            "Resource": "*",
        },
    ]
    return {"Version": _VERSION, "Statement": copy.deepcopy(statements)}


# --- Cluster Autoscaler ------------------------------------------------------------------------------
# Source: kubernetes/autoscaler, cluster-autoscaler/cloudprovider/aws/README.md, "Full Cluster
# Autoscaler Features Policy (Recommended)" (the policy for ASG auto-discovery and dynamic EC2 instance
# list, current master as vendored in 2026 notes; the index's own copy of the README, commit 604ab452…,
# is an old revision with a single statement). Its text: "only the second block of actions should be
# updated to restrict the resources/add conditionals", linking the EC2 Auto Scaling guide's tag-based
# conditions. The read-only first block stays on "*" (those actions take no resource-level
# permissions). The second block is conditioned on the two auto-discovery tags with the values EKS
# writes on managed node groups' ASGs (see CLUSTER_AUTOSCALER_ENABLED_TAG), so the autoscaler can
# scale only this cluster's node groups, not another cluster's in the same account.
# autoscaling:DescribeTags is not in the current README's list (older revisions asked for it for
# auto-discovery); add it if an autoscaler release logs AccessDenied on DescribeTags.
def cluster_autoscaler_policy(cluster_name: str) -> dict:
    """The cluster-autoscaler's documented AWS policy, its mutating actions limited to ASGs tagged
    ``k8s.io/cluster-autoscaler/enabled=true`` and ``k8s.io/cluster-autoscaler/<cluster_name>=owned``."""
    name = _check_name(cluster_name, "cluster name")
    return {
        "Version": _VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                    "eks:DescribeNodegroup",
                ],
                "Resource": ["*"],
            },
            {
                "Effect": "Allow",
                "Action": [
                    "autoscaling:SetDesiredCapacity",
                    "autoscaling:TerminateInstanceInAutoScalingGroup",
                ],
                "Resource": ["*"],
                "Condition": {
                    "StringEquals": {
                        f"aws:ResourceTag/{CLUSTER_AUTOSCALER_ENABLED_TAG}": "true",
                        f"aws:ResourceTag/{cluster_autoscaler_owned_tag(name)}": "owned",
                    }
                },
            },
        ],
    }


# --- EBS CSI driver with a customer managed key ------------------------------------------------------
# Source: the EKS user guide "Create an Amazon EBS CSI driver IAM role" (docs.aws.amazon.com/eks/latest/
# userguide/csi-iam-role.html), its KMS_Key_For_Encryption_On_EBS_Policy document for volumes encrypted
# with a customer managed key (not re-read here: the statement follows that document as the brief
# specifies it). The driver's own docs/install.md (kubernetes-sigs/aws-ebs-csi-driver, the index's
# revision d338fca1…, release-1.13 era) suggests instead kms:Decrypt, GenerateDataKeyWithoutPlaintext
# and CreateGrant on "*": broader (any key, unconditioned grants), so not used. The grant actions are
# limited to grants for AWS resources (EC2 attaching the volume), every action to the one key.
# AmazonEBSCSIDriverPolicy has no KMS permissions of its own: without this, volumes encrypted with the
# environment's key fail to create or attach.
# (AWS added AmazonEBSCSIDriverEKSClusterScopedPolicy on 2026-04-16, ARN without service-role/, which
# limits the driver to volumes tagged ebs.csi.aws.com/cluster-name = the principal's eks-cluster-name
# tag: tighter than AmazonEBSCSIDriverPolicy, but it needs that tag on the role; not used yet.)
def ebs_csi_kms_policy(key_arn: str) -> dict:
    """The KMS statements the EBS CSI driver needs to create and attach volumes encrypted with ``key_arn``."""
    if not isinstance(key_arn, str) or not key_arn.strip() or key_arn.strip() == "*":
        raise ValueError(f"key ARN {key_arn!r} must name the KMS key (an ARN or a reference to one), not '*'")
    return {
        "Version": _VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                "Resource": [key_arn],
                "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
            },
            {
                "Effect": "Allow",
                "Action": [
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:DescribeKey",
                ],
                "Resource": [key_arn],
            },
        ],
    }
