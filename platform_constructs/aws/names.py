"""AWS's naming rules for every name the platform derives, used by the model and the constructs alike.

Each ``*_problem`` function takes a name (as the construct will write it) and returns what AWS
would refuse in it, or None. The model (``aws/spec.py``) runs them over the names the file makes,
naming the field that produced the name; the constructs (``aws/data.py``,
``aws/observability_storage.py``, ``aws/registry.py``, ``spec/backend.py``) call the same
functions, so the two cannot disagree.

Imports no provider package (the model is loaded for every file of every cloud).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from platform_constructs.naming import MAX_BUCKET_NAME, derived_name_violations, global_names, name_head

#: (dotted field path, what is wrong and the fix)
Problem = tuple[str, str]

#: Characters an AWS account id takes in a bucket name (``<head>-<account id>-<bucket>``).
ACCOUNT_ID_LENGTH = 12
#: Stands for the account id (a Terraform token at synth) when the model checks a derived name:
#: every rule below reads the name's head and tail, never the 12 digits.
SAMPLE_ACCOUNT_ID = "0" * ACCOUNT_ID_LENGTH

#: Prefixes S3 reserves (general purpose bucket naming rules).
S3_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
#: Suffixes S3 reserves (access point aliases, Object Lambda, Multi-Region Access Points,
#: directory buckets, table buckets).
S3_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")

#: An ECR repository name: path components of lowercase letters and digits joined by single
#: '.', '_' or '-', separated by '/'; 2-256 characters.
ECR_REPOSITORY = re.compile(r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*")
ECR_REPOSITORY_MIN, ECR_REPOSITORY_MAX = 2, 256

#: Short name of the data buckets' access-log bucket (``<head>-<account>-data-access-logs``),
#: which ``data.buckets`` may not take.
DATA_ACCESS_LOG_BUCKET = "data-access-logs"
#: Short name of the observability buckets' access-log bucket.
OBSERVABILITY_ACCESS_LOG_BUCKET = "access-logs"

#: User-defined tags AWS allows on one resource.
MAX_TAGS = 50
#: The most tags one platform resource carries besides the provider's default tags: a subnet's
#: ``Name``, ``kubernetes.io/role/elb`` (or ``internal-elb``) and ``kubernetes.io/cluster/<name>``
#: (``aws/network.py``).
MAX_RESOURCE_TAGS = 3


def s3_bucket_problem(name: str) -> str | None:
    """What S3's naming rules for general purpose buckets refuse in ``name``, else None."""
    if not 3 <= len(name) <= 63:
        return f"is {len(name)} characters long; bucket names must be between 3 and 63 characters long"
    if not re.fullmatch(r"[a-z0-9.-]+", name):
        return "can consist only of lowercase letters, numbers, periods (.) and hyphens (-)"
    if not (name[0].isalnum() and name[-1].isalnum()):
        return "must begin and end with a letter or number"
    if ".." in name:
        return "must not contain two adjacent periods"
    if re.fullmatch(r"\d+\.\d+\.\d+\.\d+", name):
        return "must not be formatted as an IP address (for example, 192.168.5.4)"
    prefix = next((p for p in S3_RESERVED_PREFIXES if name.startswith(p)), None)
    if prefix:
        return f"must not start with the prefix {prefix}, which S3 reserves"
    suffix = next((x for x in S3_RESERVED_SUFFIXES if name.endswith(x)), None)
    if suffix:
        return f"must not end with the suffix {suffix}, which S3 reserves"
    return None


def ecr_repository_problem(name: str) -> str | None:
    """What ECR refuses in the repository name ``name`` (``<namespace>/<image>``), else None."""
    if not ECR_REPOSITORY_MIN <= len(name) <= ECR_REPOSITORY_MAX:
        return (f"is {len(name)} characters long; ECR repository names are {ECR_REPOSITORY_MIN} to "
                f"{ECR_REPOSITORY_MAX} characters")
    if not ECR_REPOSITORY.fullmatch(name):
        return ("is not an ECR repository name: path parts of lowercase letters and digits joined by single "
                "'.', '_' or '-' (no two in a row, none at either end), separated by '/'")
    return None


def ecr_repository_name(namespace: str, image: str) -> str:
    """``<namespace>/<image>``: the ECR repository of ``image`` (the namespace is the environment's name)."""
    return f"{namespace}/{image}"


def tag_count_problem(count: int) -> str | None:
    """``count`` tags on one resource (the platform's included) against AWS's :data:`MAX_TAGS`."""
    if count > MAX_TAGS:
        return f"puts {count} tags on one resource, and AWS allows {MAX_TAGS}"
    return None


def s3_bucket_names(head: str, account: str, names: Sequence[str]) -> dict[str, str]:
    """Short name -> ``<head>-<account id>-<name>`` (:func:`~platform_constructs.naming.global_names`),
    each checked with :func:`s3_bucket_problem` (``account`` may be a token: it is checked as
    :data:`SAMPLE_ACCOUNT_ID`). Raises ValueError naming the name S3 would refuse."""
    sample = global_names(head, SAMPLE_ACCOUNT_ID, names, limit=MAX_BUCKET_NAME)
    bad = [(n, problem) for n, problem in ((n, s3_bucket_problem(v)) for n, v in sample.items()) if problem]
    if bad:
        raise ValueError("; ".join(f"S3 bucket name {sample[n]!r} {problem}" for n, problem in bad))
    return global_names(head, account, names, unique_length=ACCOUNT_ID_LENGTH, limit=MAX_BUCKET_NAME)


def sample_bucket_names(head: str, names: Sequence[str]) -> Mapping[str, str]:
    """:func:`s3_bucket_names` with :data:`SAMPLE_ACCOUNT_ID`, unchecked: what the model checks."""
    return global_names(head, SAMPLE_ACCOUNT_ID, names, limit=MAX_BUCKET_NAME)


def _shown(name: str) -> str:
    return name.replace(SAMPLE_ACCOUNT_ID, "<account id>")


def _bucket_violations(spec) -> list[Problem]:
    from platform_constructs.observability.storage import BUCKETS
    out: list[Problem] = []
    data = spec.data
    if data.buckets:
        out += derived_name_violations(
            s3_bucket_problem, sample_bucket_names, env_name=spec.name, prefix=data.bucket_prefix,
            prefix_field="data.bucket_prefix", what="S3 bucket", display=_shown,
            shorts=[*((b, f"data.buckets.{i}") for i, b in enumerate(data.buckets)), (DATA_ACCESS_LOG_BUCKET, None)])
    obs = spec.observability
    if obs.enabled:
        out += derived_name_violations(
            s3_bucket_problem, sample_bucket_names, env_name=spec.name, prefix=obs.bucket_prefix,
            prefix_field="observability.bucket_prefix", what="S3 bucket", display=_shown,
            shorts=[*((b, None) for b in BUCKETS), (OBSERVABILITY_ACCESS_LOG_BUCKET, None)])
    return out


def platform_bucket_names(spec) -> list[str]:
    """Every S3 bucket name the environment's stacks create, with :data:`SAMPLE_ACCOUNT_ID`."""
    from platform_constructs.observability.storage import BUCKETS
    names: list[str] = []
    if spec.data.buckets:
        names += sample_bucket_names(name_head(spec.name, spec.data.bucket_prefix),
                                     [*spec.data.buckets, DATA_ACCESS_LOG_BUCKET]).values()
    if spec.observability.enabled:
        names += sample_bucket_names(name_head(spec.name, spec.observability.bucket_prefix),
                                     [*BUCKETS, OBSERVABILITY_ACCESS_LOG_BUCKET]).values()
    return names


def _state_bucket_violations(spec) -> list[Problem]:
    """The state bucket (``backend.bucket``) must not be a bucket the platform creates: in any
    account, ``<head>-<12 digits>-<bucket>`` would be one (the data stack would own the state)."""
    backend = spec.backend
    if getattr(backend, "type", None) != "s3":
        return []
    for name in platform_bucket_names(spec):
        pattern = re.escape(name).replace(SAMPLE_ACCOUNT_ID, r"\d{12}")
        if re.fullmatch(pattern, backend.bucket):
            return [("backend.bucket", f"{backend.bucket!r} is the name of a bucket this environment creates "
                                       f"({_shown(name)}): keep the state in a bucket of its own")]
    return []


def _registry_violations(spec) -> list[Problem]:
    out: list[Problem] = []
    repositories = spec.data.registry.repositories
    namespace_problem = ecr_repository_problem(ecr_repository_name(spec.name, "x1"))
    if repositories and namespace_problem:
        return [("name", f"{spec.name!r} begins every ECR repository name ({ecr_repository_name(spec.name, '<image>')}), "
                         f"and that name {namespace_problem}: rename the environment (no '--')")]
    for i, image in enumerate(repositories):
        full = ecr_repository_name(spec.name, image)
        problem = ecr_repository_problem(full)
        if problem:
            out.append((f"data.registry.repositories.{i}", f"makes the ECR repository {full!r}, which {problem}: "
                                                           "rename it"))
    return out


def _tag_count_violations(spec) -> list[Problem]:
    keys = {*spec.tags, *spec.own_tags("network")}
    problem = tag_count_problem(len(keys) + MAX_RESOURCE_TAGS)
    if problem is None:
        return []
    room = MAX_TAGS - MAX_RESOURCE_TAGS - len(spec.own_tags("network"))
    return [("tags", f"lists {len(spec.tags)} tags; with the platform's {len(spec.own_tags('network'))} on every "
                     f"resource and up to {MAX_RESOURCE_TAGS} more on some (a subnet's Name and Kubernetes tags) that "
                     f"{problem}: keep at most {room}")]


def name_violations(spec) -> list[Problem]:
    """Every name the AWS stacks derive from ``spec`` that AWS would refuse at apply, naming the field
    that produced it: S3 bucket names (data, observability, their access logs), ECR repositories,
    the state bucket against the platform's own buckets, and the tags per resource."""
    found = (_bucket_violations(spec) + _state_bucket_violations(spec) + _registry_violations(spec)
             + _tag_count_violations(spec))
    first: dict[str, str] = {}
    for path, message in found:  # one problem per field, the first found
        first.setdefault(path, message)
    return list(first.items())
