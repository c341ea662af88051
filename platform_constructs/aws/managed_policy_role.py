"""An IAM role with a trust policy and AWS-managed policies: the base of every role the kit makes."""

from __future__ import annotations

import json

from constructs import Construct
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment


class ManagedPolicyRole(Construct):
    """Role ``name`` trusted as :meth:`trust_policy` says, with AWS-managed policies attached by name
    in the stack's partition (aws, aws-cn, aws-us-gov).

    Subclasses say who may assume the role by overriding :meth:`trust_policy` (called once, from
    this constructor, after the construct exists: it may add children such as Terraform locals).

    :param name: the IAM role name (at most 64 characters).
    :param managed_policies: names of AWS-managed policies to attach (``AmazonEKSClusterPolicy``,
        ``service-role/AmazonEBSCSIDriverPolicy``). Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, managed_policies: list[str] | None = None):
        super().__init__(scope, id)
        self.role = IamRole(self, "role", name=name, assume_role_policy=json.dumps(self.trust_policy()))
        partition = DataAwsPartition(self, "partition")
        self.attachments = [
            IamRolePolicyAttachment(
                self, policy, role=self.role.name,
                policy_arn=f"arn:{partition.partition}:iam::aws:policy/{policy}",
            )
            for policy in managed_policies or []
        ]

    def trust_policy(self) -> dict:
        """The role's assume-role policy document."""
        raise NotImplementedError

    @property
    def arn(self) -> str:
        return self.role.arn

    @property
    def name(self) -> str:
        return self.role.name
