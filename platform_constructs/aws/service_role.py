"""An IAM role assumed by one AWS service, with AWS-managed policies attached."""

from __future__ import annotations

import json

from constructs import Construct
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment


class ServiceRole(Construct):
    """Role ``name`` trusted by ``service`` (e.g. ``eks.amazonaws.com``).

    :param managed_policies: names of AWS-managed policies to attach (``AmazonEKSClusterPolicy``).
    """

    def __init__(self, scope: Construct, id: str, *, name: str, service: str, managed_policies: list[str]):
        super().__init__(scope, id)
        partition = DataAwsPartition(self, "partition")
        self.role = IamRole(
            self,
            "role",
            name=name,
            assume_role_policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
            }),
        )
        self.attachments = [
            IamRolePolicyAttachment(
                self, policy, role=self.role.name,
                policy_arn=f"arn:{partition.partition}:iam::aws:policy/{policy}",
            )
            for policy in managed_policies
        ]

    @property
    def arn(self) -> str:
        return self.role.arn

    @property
    def name(self) -> str:
        return self.role.name
