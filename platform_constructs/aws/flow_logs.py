"""VPC flow logs to an encrypted CloudWatch log group with retention."""

from __future__ import annotations

import json

from constructs import Construct
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.flow_log import FlowLog
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy


class VpcFlowLogs(Construct):
    """All traffic of a VPC, aggregated per minute, into ``/aws/vpc/<name>/flow-logs``.

    :param retention_days: Default: 30.
    :param kms_key_arn: key encrypting the log group (must allow CloudWatch Logs).
    """

    def __init__(self, scope: Construct, id: str, *, name: str, vpc_id: str, kms_key_arn: str,
                 retention_days: int = 30):
        super().__init__(scope, id)
        self.log_group = CloudwatchLogGroup(
            self,
            "log-group",
            name=f"/aws/vpc/{name}/flow-logs",
            retention_in_days=retention_days,
            kms_key_id=kms_key_arn,
        )
        role = IamRole(
            self,
            "role",
            name=f"{name}-vpc-flow-logs",
            assume_role_policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }],
            }),
        )
        IamRolePolicy(
            self,
            "write-logs",
            name="write-flow-logs",
            role=role.id,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    "Resource": f"{self.log_group.arn}:*",
                }],
            }),
        )
        self.flow_log = FlowLog(
            self,
            "flow-log",
            vpc_id=vpc_id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=self.log_group.arn,
            iam_role_arn=role.arn,
            max_aggregation_interval=60,
        )
