"""One hardened Cloud Storage bucket of the observability stack: CMEK, versioned, never public, logged."""

from __future__ import annotations

from platform_constructs.gcp.bucket import PrivateBucket, lifecycle_rules

__all__ = ["ObservabilityBucket", "lifecycle_rules"]


class ObservabilityBucket(PrivateBucket):
    """A ``google_storage_bucket`` as every observability bucket is made: a :class:`PrivateBucket`
    without archive tier or retention policy, so always versioned.

    - CMEK, uniform bucket-level access, public access prevention ``enforced``, usage logs to
      ``log_bucket`` (none for the log bucket itself), never ``force_destroy``,
      ``prevent_destroy`` when ``protect``.
    - Lifecycle: :func:`lifecycle_rules` (``expiration_days`` for live objects, noncurrent versions,
      incomplete multipart uploads).

    Takes :class:`PrivateBucket`'s parameters (``name``, ``project``, ``location``, ``kms_key_id``,
    ``expiration_days``, ``log_bucket``, ``protect``, ``depends_on``); a refused name points at
    ``observability.bucket_prefix``.
    """

    PREFIX_SETTING = "observability.bucket_prefix"
