"""Names in the clouds' global namespaces (S3 and Cloud Storage buckets), deterministic and unique.

``<head>-<unique>-<name>``: ``<head>`` is ``[<prefix>-]<env name>``, shortened with a hash when
the whole would pass the limit; ``<unique>`` is what makes the name unique across accounts and
projects (the kit's choice: the AWS account id, a hash of the GCP project); ``<name>`` the
bucket's short name, kept whole so it can always be read in the name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

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


def derived_name_violations(problem: Callable[[str], str | None], names: Callable[[str, Sequence[str]], Mapping[str, str]],
                            *, env_name: str, prefix: str | None, prefix_field: str,
                            shorts: Sequence[tuple[str, str | None]], what: str,
                            display: Callable[[str], str] = str) -> list[tuple[str, str]]:
    """(field path, message) for every name ``names(head, short names)`` makes that ``problem`` refuses,
    each naming the field that produced the name: ``name`` or ``prefix_field`` when the head
    (``[<prefix>-]<env name>``) is what the cloud refuses, else the short name's own field.

    :param problem: the cloud's rule (``aws.names.s3_bucket_problem``...): a name -> what is wrong, or None.
    :param names: head, short names -> short name -> the name the construct writes.
    :param shorts: (short name, its field path, or None for a name the platform owns).
    :param what: the kind of name, for messages ("S3 bucket").
    :param display: how a name is shown (e.g. a sample account id replaced by ``<account id>``).
    """
    head = name_head(env_name, prefix)
    made = names(head, [s for s, _ in shorts])
    out: dict[str, str] = {}
    for short, field in shorts:
        full = made[short]
        found = problem(full)
        if found is None:
            continue
        head_part = full[: len(full) - len(short)]
        if problem(head_part + "data") is not None:  # the head alone is refused
            alone = names(env_name, [short])[short] if prefix else full
            if prefix and problem(alone) is None:
                path, fix = prefix_field, f"change {prefix_field}"
            else:
                path, fix = "name", "rename the environment" + (f" or change {prefix_field}" if prefix else "")
        elif field is not None:
            path, fix = field, f"rename the {what.split()[-1]}"
        else:
            path, fix = "name", "rename the environment"
        out.setdefault(path, f"makes the {what} name {display(full)!r}, which is refused: it {found}: {fix}")
    return list(out.items())
