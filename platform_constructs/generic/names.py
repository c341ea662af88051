"""Naming rules for what ``cloud: kubernetes`` derives: the observability buckets on the user's
S3-compatible store (``[<bucket_prefix>-]<env>-<bucket>``).

The store may be S3 itself or any S3-compatible one (MinIO, Ceph RGW, OSS, OBS, TOS): the names
must pass S3's rules (:func:`platform_constructs.aws.names.s3_bucket_problem`, the rules every
such store accepts), and the state bucket (``backend.bucket``) must not be one of them. Used by
the model (``generic/spec.py``) and by ``generic/observability.py``.

Imports no provider package (the model is loaded for every file of every cloud).
"""

from __future__ import annotations

from platform_constructs.aws.names import s3_bucket_problem
from platform_constructs.naming import derived_name_violations
from platform_constructs.observability.storage import BUCKETS, plain_bucket_names, plain_names

#: (dotted field path, what is wrong and the fix)
Problem = tuple[str, str]


def checked_bucket_names(env_name: str, observability) -> dict[str, str]:
    """:func:`~platform_constructs.observability.storage.plain_bucket_names`, each checked with
    :func:`~platform_constructs.aws.names.s3_bucket_problem` (ValueError naming a refused name)."""
    names = plain_bucket_names(env_name, observability)
    bad = [f"bucket name {n!r} {p}" for n, p in ((n, s3_bucket_problem(n)) for n in names.values()) if p]
    if bad:
        raise ValueError("; ".join(bad))
    return names


def name_violations(spec) -> list[Problem]:
    """The observability bucket names S3-compatible stores refuse, and a state bucket that is one of them."""
    obs = spec.observability
    if not obs.enabled:
        return []
    out = derived_name_violations(
        s3_bucket_problem, plain_names, env_name=spec.name, prefix=obs.bucket_prefix,
        prefix_field="observability.bucket_prefix", what="S3 bucket", shorts=[(b, None) for b in BUCKETS])
    backend = spec.backend
    if getattr(backend, "type", None) == "s3" and backend.bucket in plain_bucket_names(spec.name, obs).values():
        out.append(("backend.bucket", f"{backend.bucket!r} is the name of an observability bucket of this environment "
                                      "(Mimir, Loki or Tempo would write into the state bucket): keep the state in a "
                                      "bucket of its own"))
    return out
