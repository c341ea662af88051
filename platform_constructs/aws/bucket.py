"""One hardened S3 bucket (observability and data layers): private, versioned, encrypted, TLS-only, expiring,
archiving, optionally object-locked."""

from __future__ import annotations

import json

from constructs import Construct
from cdktf import ITerraformDependable, TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleExpiration,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
    S3BucketLifecycleConfigurationRuleTransition,
)
from cdktf_cdktf_provider_aws.s3_bucket_logging import S3BucketLoggingA
from cdktf_cdktf_provider_aws.s3_bucket_object_lock_configuration import (
    S3BucketObjectLockConfigurationA,
    S3BucketObjectLockConfigurationRuleA,
    S3BucketObjectLockConfigurationRuleDefaultRetentionA,
)
from cdktf_cdktf_provider_aws.s3_bucket_ownership_controls import S3BucketOwnershipControls, S3BucketOwnershipControlsRule
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,
)
from cdktf_cdktf_provider_aws.s3_bucket_versioning import (
    S3BucketVersioningA,
    S3BucketVersioningVersioningConfiguration,
)

from platform_constructs.observability.storage import ABORT_INCOMPLETE_UPLOAD_DAYS, NONCURRENT_VERSION_DAYS

#: The service principal that delivers S3 server access logs.
S3_LOG_DELIVERY_SERVICE = "logging.s3.amazonaws.com"
#: The storage class archived objects move to (S3 Glacier Flexible Retrieval).
ARCHIVE_STORAGE_CLASS = "GLACIER"
#: Object Lock mode of a locked bucket: governance (an administrator with
#: ``s3:BypassGovernanceRetention`` can still lift it; compliance mode is a one-way step left to you).
OBJECT_LOCK_MODE = "GOVERNANCE"


def _whole_days(value, what: str, *, minimum: int) -> str | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= minimum):
        return None
    return f"{what} {value!r} must be a whole number of days ({minimum} or more)"


def tls_only_statement(bucket_arn: str) -> dict:
    """Deny every S3 action on the bucket and its objects over plain HTTP (``aws:SecureTransport``
    false), whoever asks: the bucket answers TLS requests only. ``{"AWS": "*"}`` is IAM's equivalent
    of ``"*"``, spelled out because moto's server-access-logging check reads ``Principal`` as a map."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


class PrivateBucket(Construct):
    """S3 bucket ``name`` with every guard the observability and data buckets share.

    - ``force_destroy`` false: Terraform never deletes a bucket that still holds objects.
      ``prevent_destroy`` (when asked) makes it refuse any plan that would destroy the bucket.
    - Versioning on; Object Ownership ``BucketOwnerEnforced`` (ACLs off: access is IAM and the
      bucket policy only); the public access block with all four switches on.
    - Default encryption: SSE-KMS with ``kms_key_arn`` and an S3 Bucket Key (one data key per
      bucket and period instead of a KMS call per object: fewer KMS requests, same key), or SSE-S3
      (AES-256) when ``kms_key_arn`` is None, for a server access log target (S3 delivers access
      logs only to SSE-S3 targets).
    - A bucket policy denying any request not made over TLS, plus ``extra_statements``.
    - Lifecycle: current objects move to :data:`ARCHIVE_STORAGE_CLASS` after ``archive_after_days``
      (None: never) and expire after ``expiration_days`` (None: never), noncurrent versions after
      ``noncurrent_days``, incomplete multipart uploads are aborted after
      :data:`~platform_constructs.observability.storage.ABORT_INCOMPLETE_UPLOAD_DAYS`, expired
      delete markers are removed.
    - Server access logs to ``log_bucket`` under ``<name>/`` when given.
    - S3 Object Lock when ``object_lock_days`` > 0: enabled at creation (S3 cannot add it to the
      bucket later without AWS support), default retention :data:`OBJECT_LOCK_MODE` for that many
      days on every new object version: no one without ``s3:BypassGovernanceRetention`` deletes or
      overwrites a version before then.

    :param name: the bucket name (3-63 characters, globally unique; may hold a token).
    :param kms_key_arn: the key encrypting objects; None uses SSE-S3. Default: None.
    :param expiration_days: days after which current objects expire; None keeps them. Default: None.
    :param log_bucket: the bucket receiving this bucket's access logs (its policy must admit the
        delivery; logging is switched on after that policy). Default: none.
    :param extra_statements: more bucket policy statements. Default: none.
    :param noncurrent_days: days a noncurrent version is kept. Default:
        :data:`~platform_constructs.observability.storage.NONCURRENT_VERSION_DAYS`.
    :param archive_after_days: days after which current objects move to Glacier Flexible
        Retrieval; None keeps them in S3 Standard. Default: None.
    :param object_lock_days: default Object Lock retention (governance mode) in days; 0 leaves the
        bucket unlocked. Default: 0.
    :param prevent_destroy: Terraform refuses to destroy the bucket. Default: True.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, kms_key_arn: str | None = None,
                 expiration_days: int | None = None, log_bucket: PrivateBucket | None = None,
                 extra_statements: list[dict] | None = None, noncurrent_days: int = NONCURRENT_VERSION_DAYS,
                 archive_after_days: int | None = None, object_lock_days: int = 0, prevent_destroy: bool = True):
        problems = [p for p in (
            _whole_days(expiration_days, "expiration_days", minimum=1),
            _whole_days(noncurrent_days, "noncurrent_days", minimum=1),
            _whole_days(archive_after_days, "archive_after_days", minimum=1),
            _whole_days(object_lock_days, "object_lock_days", minimum=0),
        ) if p]
        if noncurrent_days is None:
            problems.append("noncurrent_days None: give the days noncurrent versions are kept (1 or more)")
        if not problems and expiration_days is not None and archive_after_days is not None \
                and expiration_days <= archive_after_days:
            problems.append(f"expiration_days {expiration_days} must come after archive_after_days {archive_after_days}: "
                            "raise expiration_days or drop the archive")
        if problems:
            raise ValueError(f"bucket {name}: " + "; ".join(problems)
                             + " (None keeps objects: no expiry, no archive)")
        super().__init__(scope, id)
        self.bucket = S3Bucket(
            self, "bucket", bucket=name, force_destroy=False, object_lock_enabled=True if object_lock_days else None,
            lifecycle=TerraformResourceLifecycle(prevent_destroy=True) if prevent_destroy else None,
        )
        self.arn = self.bucket.arn
        self.ownership = S3BucketOwnershipControls(
            self, "ownership", bucket=self.bucket.id,
            rule=S3BucketOwnershipControlsRule(object_ownership="BucketOwnerEnforced"),
        )
        self.public_access_block = S3BucketPublicAccessBlock(
            self, "public-access-block", bucket=self.bucket.id, block_public_acls=True, block_public_policy=True,
            ignore_public_acls=True, restrict_public_buckets=True,
        )
        self.versioning = S3BucketVersioningA(
            self, "versioning", bucket=self.bucket.id,
            versioning_configuration=S3BucketVersioningVersioningConfiguration(status="Enabled"),
        )
        by_default = (
            S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
                sse_algorithm="aws:kms", kms_master_key_id=kms_key_arn)
            if kms_key_arn else
            S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(sse_algorithm="AES256")
        )
        self.encryption = S3BucketServerSideEncryptionConfigurationA(
            self, "encryption", bucket=self.bucket.id,
            rule=[S3BucketServerSideEncryptionConfigurationRuleA(
                apply_server_side_encryption_by_default=by_default, bucket_key_enabled=True if kms_key_arn else None,
            )],
        )
        self.policy = S3BucketPolicy(
            self, "policy", bucket=self.bucket.id,
            policy=json.dumps({"Version": "2012-10-17",
                               "Statement": [tls_only_statement(self.arn), *(extra_statements or [])]}),
            # S3 refuses a policy while the public access block is being written.
            depends_on=[self.public_access_block],
        )
        rules = []
        if archive_after_days is not None:
            rules.append(S3BucketLifecycleConfigurationRule(
                id="archive-current", status="Enabled", filter=[S3BucketLifecycleConfigurationRuleFilter()],
                transition=[S3BucketLifecycleConfigurationRuleTransition(
                    days=archive_after_days, storage_class=ARCHIVE_STORAGE_CLASS)],
            ))
        if expiration_days is not None:
            rules.append(S3BucketLifecycleConfigurationRule(
                id="expire-current", status="Enabled", filter=[S3BucketLifecycleConfigurationRuleFilter()],
                expiration=[S3BucketLifecycleConfigurationRuleExpiration(days=expiration_days)],
            ))
        rules.append(S3BucketLifecycleConfigurationRule(
            id="clean-up", status="Enabled", filter=[S3BucketLifecycleConfigurationRuleFilter()],
            noncurrent_version_expiration=[S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(
                noncurrent_days=noncurrent_days)],
            abort_incomplete_multipart_upload=[S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload(
                days_after_initiation=ABORT_INCOMPLETE_UPLOAD_DAYS)],
            expiration=[S3BucketLifecycleConfigurationRuleExpiration(expired_object_delete_marker=True)],
        ))
        # A lifecycle configuration on a versioned bucket needs versioning set first.
        self.lifecycle_configuration = S3BucketLifecycleConfiguration(
            self, "lifecycle", bucket=self.bucket.id, rule=rules, depends_on=[self.versioning],
        )
        # Object Lock needs versioning on (the bucket was created with object_lock_enabled).
        self.object_lock = S3BucketObjectLockConfigurationA(
            self, "object-lock", bucket=self.bucket.id, object_lock_enabled="Enabled",
            rule=S3BucketObjectLockConfigurationRuleA(default_retention=S3BucketObjectLockConfigurationRuleDefaultRetentionA(
                mode=OBJECT_LOCK_MODE, days=object_lock_days)),
            depends_on=[self.versioning],
        ) if object_lock_days else None
        # S3 checks the target's permissions when logging is switched on: after the target's policy.
        self.logging = S3BucketLoggingA(
            self, "logging", bucket=self.bucket.id, target_bucket=log_bucket.bucket.id, target_prefix=f"{name}/",
            depends_on=[log_bucket.ownership, log_bucket.policy],
        ) if log_bucket is not None else None

    @property
    def name(self) -> str:
        return self.bucket.bucket

    @property
    def dependables(self) -> list[ITerraformDependable]:
        """What must exist before a workload writes to the bucket: the bucket, its encryption and its policy."""
        return [self.bucket, self.encryption, self.policy]


#: Days the access-log buckets keep server access logs.
ACCESS_LOG_DAYS = 365


def access_log_bucket(scope: Construct, id: str, *, name: str, sources: list[str], account: str, partition: str,
                      prevent_destroy: bool = True) -> PrivateBucket:
    """The server access log target of the buckets named ``sources``: SSE-S3 (S3 delivers server
    access logs only to SSE-S3 targets), logs kept :data:`ACCESS_LOG_DAYS`, and a policy letting the
    S3 logging service write for those buckets of ``account`` only.

    :param prevent_destroy: refuse plans that destroy it. Default: true.
    """
    return PrivateBucket(
        scope, id, name=name, expiration_days=ACCESS_LOG_DAYS, prevent_destroy=prevent_destroy,
        extra_statements=[{
            "Sid": "S3ServerAccessLogDelivery",
            "Effect": "Allow",
            "Principal": {"Service": S3_LOG_DELIVERY_SERVICE},
            "Action": "s3:PutObject",
            "Resource": f"arn:{partition}:s3:::{name}/*",
            "Condition": {
                "ArnLike": {"aws:SourceArn": [f"arn:{partition}:s3:::{source}" for source in sources]},
                "StringEquals": {"aws:SourceAccount": account},
            },
        }],
    )
