"""One hardened Cloud Storage bucket: CMEK, never public, logged; optionally archiving and retained.

:class:`PrivateBucket` is the one bucket construct of the GCP layer; the data stack's
:class:`~platform_constructs.gcp.data_bucket.DataBucket` and the observability stack's
:class:`~platform_constructs.gcp.observability_bucket.ObservabilityBucket` are it, naming the
setting to change when a bucket name is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct
from cdktf import ITerraformDependable, TerraformResourceLifecycle
from cdktf_cdktf_provider_google.storage_bucket import (
    StorageBucket,
    StorageBucketEncryption,
    StorageBucketLifecycleRule,
    StorageBucketLifecycleRuleAction,
    StorageBucketLifecycleRuleCondition,
    StorageBucketLogging,
    StorageBucketRetentionPolicy,
    StorageBucketVersioning,
)

from platform_constructs.gcp.names import gcs_bucket_problem
from platform_constructs.observability.storage import ABORT_INCOMPLETE_UPLOAD_DAYS, NONCURRENT_VERSION_DAYS

#: The archive tier objects move to after ``archive_after_days``.
ARCHIVE_CLASS = "ARCHIVE"
#: Longest retention GCS accepts (3,155,760,000 seconds, 100 years, is the limit, exclusive).
MAX_RETENTION_DAYS = 36500


def abort_upload_rule(days: int = ABORT_INCOMPLETE_UPLOAD_DAYS) -> StorageBucketLifecycleRule:
    """``AbortIncompleteMultipartUpload`` after ``days`` (``age`` is the one condition that action takes)."""
    return StorageBucketLifecycleRule(
        action=StorageBucketLifecycleRuleAction(type="AbortIncompleteMultipartUpload"),
        condition=StorageBucketLifecycleRuleCondition(age=days),
    )


def lifecycle_rules(expiration_days: int | None, *, noncurrent_days: int = NONCURRENT_VERSION_DAYS,
                    abort_upload_days: int = ABORT_INCOMPLETE_UPLOAD_DAYS) -> list[StorageBucketLifecycleRule]:
    """``Delete`` live objects ``expiration_days`` old (none when ``None``: state buckets), ``Delete``
    noncurrent versions ``noncurrent_days`` after they stopped being current, and
    ``AbortIncompleteMultipartUpload`` after ``abort_upload_days`` (:func:`abort_upload_rule`)."""
    rules = []
    if expiration_days is not None:
        rules.append(StorageBucketLifecycleRule(
            action=StorageBucketLifecycleRuleAction(type="Delete"),
            condition=StorageBucketLifecycleRuleCondition(age=expiration_days, with_state="LIVE"),
        ))
    rules.append(StorageBucketLifecycleRule(
        action=StorageBucketLifecycleRuleAction(type="Delete"),
        condition=StorageBucketLifecycleRuleCondition(days_since_noncurrent_time=noncurrent_days,
                                                      with_state="ARCHIVED"),
    ))
    rules.append(abort_upload_rule(abort_upload_days))
    return rules


class PrivateBucket(Construct):
    """A ``google_storage_bucket`` as every bucket of the platform is made.

    - In ``location`` (the region: next to the cluster and to its key), STANDARD class.
    - Uniform bucket-level access (IAM only, no ACLs) and public access prevention ``enforced``:
      no ``allUsers`` / ``allAuthenticatedUsers`` grant can take effect. Cloud Storage serves its
      APIs over TLS only.
    - Objects encrypted with ``kms_key_id`` by default (CMEK).
    - Versioning on; lifecycle: :func:`lifecycle_rules` (``expiration_days`` for live objects,
      noncurrent versions after ``NONCURRENT_VERSION_DAYS``, incomplete multipart uploads after
      :data:`ABORT_INCOMPLETE_UPLOAD_DAYS`). On a versioned bucket ``Delete`` makes a live object
      noncurrent; the noncurrent rule removes it later (then Cloud Storage's soft-delete window,
      7 days by default, applies).
    - ``archive_after_days``: ``SetStorageClass`` to ARCHIVE for objects that old.
    - ``retention_days`` > 0: a retention policy (unlocked: an administrator can still shorten or
      remove it; locking it is a one-way step left to you) refusing deletes and overwrites of
      objects younger than that. Cloud Storage refuses a retention policy on a versioned bucket,
      so such a bucket is not versioned (the policy is what keeps old data) and its only other
      lifecycle rule aborts incomplete multipart uploads.
    - Usage logs to ``log_bucket`` (prefix: the bucket's name) unless ``log_bucket`` is None (the
      log bucket itself).
    - Never ``force_destroy``: destroying a bucket that still holds objects fails.
      ``prevent_destroy`` when ``protect``.

    :param name: the bucket's name (3-63 characters, globally unique; no "google").
    :param project: the bucket's project.
    :param location: the bucket's region.
    :param kms_key_id: the default Cloud KMS key (same location as the bucket).
    :param archive_after_days: days after which objects move to ARCHIVE; None never. Default: None.
    :param retention_days: the retention policy's days; 0 none. Default: 0.
    :param expiration_days: days after which live objects are deleted; None keeps them. Default: None.
    :param log_bucket: the bucket receiving this bucket's usage logs; None logs nowhere. Default: None.
    :param protect: ``prevent_destroy``. Default: true.
    :param depends_on: created after these (the key's grant to the Cloud Storage service agent:
        without it the bucket cannot be created with its default key). Default: none.
    """

    #: The setting that makes the bucket's name, named when Cloud Storage would refuse the name.
    PREFIX_SETTING = "bucket_prefix"

    def __init__(self, scope: Construct, id: str, *, name: str, project: str, location: str, kms_key_id: str,
                 archive_after_days: int | None = None, retention_days: int = 0,
                 expiration_days: int | None = None, log_bucket: str | None = None, protect: bool = True,
                 depends_on: Sequence[ITerraformDependable] = ()):
        problems = []
        problem = gcs_bucket_problem(name)
        if problem:
            problems.append(f"bucket name {name!r} {problem}: change {self.PREFIX_SETTING} or rename the environment")
        if archive_after_days is not None and archive_after_days < 1:
            problems.append(f"bucket {name!r}: archive_after_days {archive_after_days} must be at least 1")
        if not 0 <= retention_days < MAX_RETENTION_DAYS:
            problems.append(f"bucket {name!r}: retention_days {retention_days} must be 0 (none) to "
                            f"{MAX_RETENTION_DAYS - 1}")
        if expiration_days is not None and expiration_days < 1:
            problems.append(f"bucket {name!r}: expiration_days {expiration_days} must be at least 1")
        if problems:
            raise ValueError("; ".join(problems))
        super().__init__(scope, id)
        versioned = retention_days == 0
        rules = lifecycle_rules(expiration_days) if versioned else [abort_upload_rule()]
        if archive_after_days is not None:
            rules.append(StorageBucketLifecycleRule(
                action=StorageBucketLifecycleRuleAction(type="SetStorageClass", storage_class=ARCHIVE_CLASS),
                condition=StorageBucketLifecycleRuleCondition(age=archive_after_days,
                                                              matches_storage_class=["STANDARD"]),
            ))
        self.bucket = StorageBucket(
            self, "bucket",
            name=name,
            project=project,
            location=location,
            storage_class="STANDARD",
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            versioning=StorageBucketVersioning(enabled=versioned),
            retention_policy=(StorageBucketRetentionPolicy(retention_period=retention_days * 86400, is_locked=False)
                              if retention_days else None),
            encryption=StorageBucketEncryption(default_kms_key_name=kms_key_id),
            lifecycle_rule=rules,
            logging=StorageBucketLogging(log_bucket=log_bucket, log_object_prefix=name) if log_bucket else None,
            force_destroy=False,
            lifecycle=TerraformResourceLifecycle(prevent_destroy=protect),
            depends_on=list(depends_on) or None,
        )

    @property
    def name(self) -> str:
        """The bucket's name (a token: references order the graph)."""
        return self.bucket.name
