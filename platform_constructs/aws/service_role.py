"""An IAM role assumed by one AWS service, with AWS-managed policies attached."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.aws.managed_policy_role import ManagedPolicyRole


class ServiceRole(ManagedPolicyRole):
    """Role ``name`` trusted by ``service`` (e.g. ``eks.amazonaws.com``).

    :param managed_policies: names of AWS-managed policies to attach (``AmazonEKSClusterPolicy``).
    """

    def __init__(self, scope: Construct, id: str, *, name: str, service: str, managed_policies: list[str]):
        self.service = service
        super().__init__(scope, id, name=name, managed_policies=managed_policies)

    def trust_policy(self) -> dict:
        return {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": self.service}, "Action": "sts:AssumeRole"}],
        }
