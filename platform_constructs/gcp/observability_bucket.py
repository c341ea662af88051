"""One hardened Cloud Storage bucket of the observability stack: CMEK, versioned, never public, logged."""

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
    StorageBucketVersioning,
)

from platform_constructs.observability.storage import ABORT_INCOMPLETE_UPLOAD_DAYS, NONCURRENT_VERSION_DAYS

#: What GCS refuses in a bucket name (https://cloud.google.com/storage/docs/buckets#naming).
_FORBIDDEN = ("google", "g00gle")


def lifecycle_rules(expiration_days: int | None, *, noncurrent_days: int = NONCURRENT_VERSION_DAYS,
                    abort_upload_days: int = ABORT_INCOMPLETE_UPLOAD_DAYS) -> list[StorageBucketLifecycleRule]:
    """``Delete`` live objects ``expiration_days`` old (none when ``None``: state buckets), ``Delete``
    noncurrent versions ``noncurrent_days`` after they stopped being current, and
    ``AbortIncompleteMultipartUpload`` after ``abort_upload_days`` (``age`` is the one condition that
    action takes)."""
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
    rules.append(StorageBucketLifecycleRule(
        action=StorageBucketLifecycleRuleAction(type="AbortIncompleteMultipartUpload"),
        condition=StorageBucketLifecycleRuleCondition(age=abort_upload_days),
    ))
    return rules


class ObservabilityBucket(Construct):
    """A ``google_storage_bucket`` as every observability bucket is made.

    - In ``location`` (the region: next to the cluster and to its key), STANDARD class.
    - Uniform bucket-level access (IAM only, no ACLs) and public access prevention ``enforced``:
      no ``allUsers`` / ``allAuthenticatedUsers`` grant can take effect. Cloud Storage serves its
      APIs over TLS only.
    - Versioning on; objects encrypted with ``kms_key_id`` by default (CMEK).
    - Lifecycle: :func:`lifecycle_rules` (``expiration_days`` for live objects, noncurrent versions,
      incomplete multipart uploads). On a versioned bucket ``Delete`` makes a live object
      noncurrent; the noncurrent rule removes it :data:`NONCURRENT_VERSION_DAYS` later (then Cloud
      Storage's soft-delete window, 7 days by default, applies).
    - Usage logs to ``log_bucket`` (prefix: the bucket's name) unless ``log_bucket`` is None (the
      log bucket itself).
    - Never ``force_destroy``: destroying a bucket that still holds objects fails.
      ``prevent_destroy`` when ``protect``.

    :param name: the bucket's name (3-63 characters, globally unique; no "google").
    :param project: the bucket's project.
    :param location: the bucket's region.
    :param kms_key_id: the default Cloud KMS key (same location as the bucket).
    :param expiration_days: days after which live objects are deleted; None keeps them. Default: None.
    :param log_bucket: the bucket receiving this bucket's usage logs; None logs nowhere. Default: None.
    :param protect: ``prevent_destroy``. Default: true.
    :param depends_on: created after these (the key's grant to the Cloud Storage service agent:
        without it the bucket cannot be created with its default key). Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, project: str, location: str, kms_key_id: str,
                 expiration_days: int | None = None, log_bucket: str | None = None, protect: bool = True,
                 depends_on: Sequence[ITerraformDependable] = ()):
        problems = []
        if not 3 <= len(name) <= 63:
            problems.append(f"bucket name {name!r} has {len(name)} characters: use 3-63 (shorten "
                            "observability.bucket_prefix or the environment's name)")
        if name.startswith("goog") or any(word in name for word in _FORBIDDEN):
            problems.append(f"bucket name {name!r} contains 'google' or starts with 'goog', which Cloud Storage "
                            "refuses: set observability.bucket_prefix or rename the environment")
        if expiration_days is not None and expiration_days < 1:
            problems.append(f"bucket {name!r}: expiration_days {expiration_days} must be at least 1")
        if problems:
            raise ValueError("; ".join(problems))
        super().__init__(scope, id)
        self.bucket = StorageBucket(
            self, "bucket",
            name=name,
            project=project,
            location=location,
            storage_class="STANDARD",
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            versioning=StorageBucketVersioning(enabled=True),
            encryption=StorageBucketEncryption(default_kms_key_name=kms_key_id),
            lifecycle_rule=lifecycle_rules(expiration_days),
            logging=StorageBucketLogging(log_bucket=log_bucket, log_object_prefix=name) if log_bucket else None,
            force_destroy=False,
            lifecycle=TerraformResourceLifecycle(prevent_destroy=protect),
            depends_on=list(depends_on) or None,
        )

    @property
    def name(self) -> str:
        """The bucket's name (a token: references order the graph)."""
        return self.bucket.name
