"""A customer-managed KMS key with rotation and an explicit key policy."""

from __future__ import annotations

import json

from constructs import Construct
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey


class EncryptionKey(Construct):
    """KMS key for one purpose, usable by CloudWatch Logs of this region.

    The policy gives the account (through IAM) full control and lets the
    regional CloudWatch Logs service encrypt log groups of this account; every
    other use is granted by IAM policies on the consuming roles.

    :param alias: ``alias/<alias>`` is created for the key.
    :param description: shown in the KMS console.
    :param region: the region whose CloudWatch Logs may use the key.
    :param deletion_window_days: Default: 30 (the maximum, to survive mistakes).
    """

    def __init__(self, scope: Construct, id: str, *, alias: str, description: str, region: str,
                 deletion_window_days: int = 30):
        super().__init__(scope, id)
        partition = DataAwsPartition(self, "partition")
        account = DataAwsCallerIdentity(self, "account")
        root = f"arn:{partition.partition}:iam::{account.account_id}:root"
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AccountAdministers",
                    "Effect": "Allow",
                    "Principal": {"AWS": root},
                    "Action": "kms:*",
                    "Resource": "*",
                },
                {
                    "Sid": "CloudWatchLogsEncrypts",
                    "Effect": "Allow",
                    "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                    "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    "Resource": "*",
                    "Condition": {
                        "ArnLike": {
                            "kms:EncryptionContext:aws:logs:arn": f"arn:{partition.partition}:logs:{region}:{account.account_id}:*"
                        }
                    },
                },
            ],
        }
        self.key = KmsKey(
            self,
            "key",
            description=description,
            enable_key_rotation=True,
            deletion_window_in_days=deletion_window_days,
            policy=json.dumps(policy),
        )
        KmsAlias(self, "alias", name=f"alias/{alias}", target_key_id=self.key.key_id)

    @property
    def arn(self) -> str:
        return self.key.arn
