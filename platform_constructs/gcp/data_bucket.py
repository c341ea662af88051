"""One Cloud Storage bucket of the data stack: CMEK, never public, logged; archives and can be immutable."""

from __future__ import annotations

from platform_constructs.gcp.bucket import ARCHIVE_CLASS, MAX_RETENTION_DAYS, PrivateBucket

__all__ = ["ARCHIVE_CLASS", "MAX_RETENTION_DAYS", "DataBucket"]


class DataBucket(PrivateBucket):
    """A ``google_storage_bucket`` holding application data or backups: a :class:`PrivateBucket`.

    - CMEK, uniform bucket-level access, public access prevention ``enforced``, usage logs to
      ``log_bucket``, never ``force_destroy``, ``prevent_destroy`` when ``protect``.
    - Versioning on, noncurrent versions deleted after ``NONCURRENT_VERSION_DAYS``; live objects
      never expire (``expiration_days`` is for the access-log bucket).
    - The backup bucket: ``archive_after_days`` (``SetStorageClass`` to ARCHIVE) and
      ``retention_days`` (an unlocked retention policy; such a bucket is not versioned).

    Takes :class:`PrivateBucket`'s parameters; a refused name points at ``data.bucket_prefix``.
    """

    PREFIX_SETTING = "data.bucket_prefix"
