"""Names in the clouds' global namespaces (S3 and Cloud Storage buckets), deterministic and unique.

``<head>-<unique>-<name>``: ``<head>`` is ``[<prefix>-]<env name>``, shortened with a hash when
the whole would pass the limit; ``<unique>`` is what makes the name unique across accounts and
projects (the kit's choice: the AWS account id, a hash of the GCP project); ``<name>`` the
bucket's short name, kept whole so it can always be read in the name.
"""

from __future__ import annotations

from collections.abc import Sequence

from platform_constructs.workload_identity import bounded_name

#: Longest bucket name on S3 and Cloud Storage.
MAX_BUCKET_NAME = 63


def name_head(env_name: str, prefix: str | None) -> str:
    """``[<prefix>-]<env name>``."""
    return f"{prefix}-{env_name}" if prefix else env_name


def global_names(head: str, unique: str, names: Sequence[str], *, unique_length: int | None = None,
                 limit: int = MAX_BUCKET_NAME) -> dict[str, str]:
    """Short name -> ``<head>-<unique>-<name>``, each at most ``limit`` characters.

    :param unique: may be a Terraform token (then give ``unique_length``, its resolved length:
        12 for an AWS account id).
    """
    width = len(unique) if unique_length is None else unique_length
    room = limit - width - 2 - max(len(n) for n in names)
    if room < 1:
        raise ValueError(f"bucket names {', '.join(names)} leave no room for the environment's name within {limit} "
                         "characters: shorten them")
    short_head = bounded_name(head, room)
    return {n: f"{short_head}-{unique}-{n}" for n in names}
