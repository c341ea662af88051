"""The neutral ``data:`` section: the cache, the application and backup buckets, the registry of
``<env>-data`` (the file system's settings stay in ``addons.file_system``: the CSI driver reads them).

Everything here outlives clusters: never force-destroyed, ``prevent_destroy`` on real clouds.
Each cloud's model checks ``cache.size`` against its own sizes (``<cloud>/spec.py``).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from platform_constructs.spec.common import Model, Problem, shown

#: A bucket's or repository's short name: lowercase letters, digits and single '-', a letter first.
_SHORT_NAME = re.compile(r"[a-z]([a-z0-9]|-(?=[a-z0-9]))*")
#: Longest short bucket name (it ends every bucket name, after ``<head>-<unique>-``).
BUCKET_NAME_MAX = 18
#: Longest repository name (ECR allows 256 with paths; kept short and path-free for every cloud).
REPOSITORY_NAME_MAX = 40
#: The bucket that archives and may be immutable.
BACKUP_BUCKET = "backup"
#: The data bucket whose folders the tenants get (``tenants.<i>.bucket_prefix``).
APP_BUCKET = "app"


def _short(limit: int, what: str):
    def check(value: str) -> str:
        if len(value) > limit or not _SHORT_NAME.fullmatch(value):
            raise ValueError(f"{shown(value)} is not a {what} name: use at most {limit} lowercase letters, digits "
                             "and single '-', starting with a letter (like app)")
        return value
    return AfterValidator(check)


def _prefix(value: str) -> str:
    if len(value) > 20 or not _SHORT_NAME.fullmatch(value) or value.endswith("-"):
        raise ValueError(f"{shown(value)} is not a bucket name prefix: use at most 20 lowercase letters, digits and "
                         "single '-', starting with a letter (like acme)")
    return value


BucketName = Annotated[str, _short(BUCKET_NAME_MAX, "bucket")]
RepositoryName = Annotated[str, _short(REPOSITORY_NAME_MAX, "repository")]


class CacheSpec(Model):
    """A Redis/Valkey-compatible cache: ElastiCache for Valkey, Memorystore for Valkey, Azure
    Managed Redis (each cloud names what ``size`` may be)."""

    #: The node type or tier: ``cache.t4g.medium`` (AWS), ``SHARED_CORE_NANO`` / ``HIGHMEM_MEDIUM``
    #: ... (GCP node type), ``Balanced_B1`` ... (Azure SKU). Required.
    size: str = Field(min_length=1)
    #: Replicas of the primary, each in another zone (automatic failover). Default: 1.
    replicas: int = Field(default=1, ge=1, le=5)


class RegistrySpec(Model):
    #: Container image repositories (ECR repositories; Docker image paths in one Artifact
    #: Registry repository or one Azure Container Registry). Default: none (no registry).
    repositories: list[RepositoryName] = Field(default_factory=list)


class DataSpec(Model):
    """``<env>-data``. Defaults: no cache, buckets ``app`` and ``backup``, archive after 30 days, no
    object lock, no registry."""

    #: The cache, or null for none. Default: none.
    cache: CacheSpec | None = None
    #: Application and backup buckets, by short name (at most 18 characters each). Default: app, backup.
    buckets: list[BucketName] = Field(default_factory=lambda: [APP_BUCKET, BACKUP_BUCKET])
    #: Put in front of every data bucket name (``<prefix>-<env>-<unique>-<bucket>``). Default: none.
    bucket_prefix: Annotated[str, AfterValidator(_prefix)] | None = None
    #: Days after which the ``backup`` bucket moves objects to the archive tier (S3 Glacier
    #: Flexible Retrieval, Cloud Storage ARCHIVE, Azure Cold: Azure has no Archive tier on
    #: zone-redundant accounts). Default: 30.
    archive_after_days: int = Field(default=30, ge=1, le=3650)
    #: Immutability of the ``backup`` bucket: objects cannot be deleted or overwritten for this many
    #: days (S3 Object Lock in governance mode, a GCS retention policy, an Azure container
    #: immutability policy; all unlocked, so an administrator can still lift them: locking them for
    #: compliance is a one-way step left to you). 0: off. Default: 0.
    backup_immutable_days: int = Field(default=0, ge=0, le=36500)
    #: The container registry. Default: no repositories, no registry.
    registry: RegistrySpec = Field(default_factory=RegistrySpec)

    def violations(self) -> list[Problem]:
        out: list[Problem] = []
        if len(set(self.buckets)) != len(self.buckets):
            out.append(("data.buckets", "names a bucket twice: list each once"))
        if len(set(self.registry.repositories)) != len(self.registry.repositories):
            out.append(("data.registry.repositories", "names a repository twice: list each once"))
        if self.backup_immutable_days and BACKUP_BUCKET not in self.buckets:
            out.append(("data.backup_immutable_days", f"locks the {BACKUP_BUCKET!r} bucket, which data.buckets does not "
                                                      f"list: add {BACKUP_BUCKET}, or set 0"))
        return out
