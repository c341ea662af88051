"""GCP's naming rules for every name the platform derives, used by the model and the constructs alike.

Each ``*_problem`` function takes a name (as the construct will write it) and returns what GCP
would refuse in it, or None. The model (``gcp/spec.py``) runs them over the names the file makes,
naming the field that produced the name; the constructs (``gcp/bucket.py``, ``gcp/registry.py``,
``gcp/private_dns.py``, ``spec/backend.py``) call the same functions.

Imports no provider package (the model is loaded for every file of every cloud).
"""

from __future__ import annotations

import hashlib
import re

from platform_constructs.naming import derived_name_violations, global_names, name_head
from platform_constructs.workload_identity import bounded_name

#: (dotted field path, what is wrong and the fix)
Problem = tuple[str, str]

#: Characters of the project hash in every bucket name.
UNIQUE_LENGTH = 8
#: The data access-log bucket's short name (kept apart from the observability stack's).
DATA_ACCESS_LOG_BUCKET = "data-access-logs"
#: The observability access-log bucket's short name.
OBSERVABILITY_ACCESS_LOG_BUCKET = "access-logs"

#: What Cloud Storage refuses anywhere in a bucket name: "google" and close misspellings.
GCS_FORBIDDEN = ("google", "g00gle", "goog1e", "g0ogle", "go0gle")
#: The prefix Cloud Storage reserves.
GCS_RESERVED_PREFIX = "goog"

#: An Artifact Registry repository id: lowercase letters, digits and '-', a letter first, not
#: ending with '-', at most 63 characters.
ARTIFACT_REGISTRY_REPOSITORY = re.compile(r"[a-z]([a-z0-9-]{0,61}[a-z0-9])?")
#: A Cloud DNS managed zone's resource name: 1-63 lowercase letters, digits and '-', a letter
#: first, a letter or digit last.
MANAGED_ZONE_NAME = re.compile(r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?")
MAX_MANAGED_ZONE_NAME = 63

#: Labels GCP allows on one resource.
MAX_LABELS = 64
#: The most labels one platform resource carries besides the provider's default labels.
MAX_RESOURCE_LABELS = 0


def project_hash(project: str) -> str:
    """The first :data:`UNIQUE_LENGTH` hex characters of the project id's sha256: what makes the
    bucket names unique in Cloud Storage's global namespace (one project, one set of names)."""
    return hashlib.sha256(project.encode()).hexdigest()[:UNIQUE_LENGTH]


def gcs_bucket_problem(name: str) -> str | None:
    """What Cloud Storage's bucket naming rules refuse in ``name``, else None
    (https://cloud.google.com/storage/docs/buckets#naming)."""
    dotted = "." in name
    if not 3 <= len(name) <= (222 if dotted else 63):
        return f"has {len(name)} characters: use 3-63 (up to 222 with dots), as Cloud Storage requires"
    if not re.fullmatch(r"[a-z0-9._-]+", name):
        return "can contain only lowercase letters, digits, '-', '_' and '.'"
    if not (name[0].isalnum() and name[-1].isalnum()):
        return "must start and end with a letter or digit"
    if dotted and any(len(part) > 63 for part in name.split(".")):
        return "has a dot-separated part longer than 63 characters"
    if ".." in name or ".-" in name or "-." in name:
        return "has a dot next to another dot or a '-'"
    if re.fullmatch(r"\d+\.\d+\.\d+\.\d+", name):
        return "is an IP address in dotted-decimal notation"
    word = next((w for w in GCS_FORBIDDEN if w in name), None)
    if word:
        return f"contains {word!r} ('google' or a close misspelling), which Cloud Storage refuses"
    if name.startswith(GCS_RESERVED_PREFIX):
        return f"starts with '{GCS_RESERVED_PREFIX}', which Cloud Storage reserves"
    return None


def artifact_registry_repository_problem(repository_id: str) -> str | None:
    """What Artifact Registry refuses in a repository id, else None."""
    if not ARTIFACT_REGISTRY_REPOSITORY.fullmatch(repository_id):
        return ("must be at most 63 lowercase letters, digits and '-', starting with a letter and not ending "
                "with '-' (an Artifact Registry repository id)")
    return None


def managed_zone_name(environment: str, zone: str) -> str:
    """The Cloud DNS managed zone's resource name: ``<env>-<zone with dots as dashes>``; when that
    passes 63 characters, its head and a hash of the whole (two long zones never collide)."""
    name = re.sub(r"[^a-z0-9-]", "-", f"{environment}-{zone}".lower())
    return bounded_name(name, MAX_MANAGED_ZONE_NAME)


def managed_zone_name_problem(name: str) -> str | None:
    """What Cloud DNS refuses in a managed zone's resource name, else None."""
    if len(name) > MAX_MANAGED_ZONE_NAME or not MANAGED_ZONE_NAME.fullmatch(name):
        return ("is not a Cloud DNS managed zone name: 1-63 lowercase letters, digits and '-', starting with a "
                "letter and ending with a letter or digit")
    return None


def label_count_problem(count: int) -> str | None:
    """``count`` labels on one resource (the platform's included) against GCP's :data:`MAX_LABELS`."""
    if count > MAX_LABELS:
        return f"puts {count} labels on one resource, and GCP allows {MAX_LABELS}"
    return None


def bucket_names(head: str, project: str, names) -> dict[str, str]:
    """Short name -> ``<head>-<project hash>-<name>``, each checked with :func:`gcs_bucket_problem`
    (ValueError naming the refused name)."""
    made = global_names(head, project_hash(project), names, unique_length=UNIQUE_LENGTH)
    bad = [f"Cloud Storage bucket name {v!r} {p}" for v, p in ((v, gcs_bucket_problem(v)) for v in made.values()) if p]
    if bad:
        raise ValueError("; ".join(bad))
    return made


# ---- the model's rules --------------------------------------------------------------


def _names(project: str):
    return lambda head, shorts: global_names(head, project_hash(project), shorts, unique_length=UNIQUE_LENGTH)


def platform_bucket_names(spec) -> list[str]:
    """Every Cloud Storage bucket name the environment's stacks create."""
    from platform_constructs.observability.storage import BUCKETS
    names = _names(spec.gcp.project)
    out: list[str] = []
    if spec.data.buckets:
        out += names(name_head(spec.name, spec.data.bucket_prefix), [*spec.data.buckets, DATA_ACCESS_LOG_BUCKET]).values()
    if spec.observability.enabled:
        out += names(name_head(spec.name, spec.observability.bucket_prefix),
                     [*BUCKETS, OBSERVABILITY_ACCESS_LOG_BUCKET]).values()
    return out


def _bucket_violations(spec) -> list[Problem]:
    from platform_constructs.observability.storage import BUCKETS
    names = _names(spec.gcp.project)
    out: list[Problem] = []
    data = spec.data
    out += [(f"data.buckets.{i}", f"{DATA_ACCESS_LOG_BUCKET!r} is the data layer's access-log bucket on GCP: name "
                                  "the bucket differently")
            for i, b in enumerate(data.buckets) if b == DATA_ACCESS_LOG_BUCKET]
    if data.buckets:
        out += derived_name_violations(
            gcs_bucket_problem, names, env_name=spec.name, prefix=data.bucket_prefix, prefix_field="data.bucket_prefix",
            what="Cloud Storage bucket",
            shorts=[*((b, f"data.buckets.{i}") for i, b in enumerate(data.buckets)), (DATA_ACCESS_LOG_BUCKET, None)])
    obs = spec.observability
    if obs.enabled:
        out += derived_name_violations(
            gcs_bucket_problem, names, env_name=spec.name, prefix=obs.bucket_prefix,
            prefix_field="observability.bucket_prefix", what="Cloud Storage bucket",
            shorts=[*((b, None) for b in BUCKETS), (OBSERVABILITY_ACCESS_LOG_BUCKET, None)])
    backend = spec.backend
    if getattr(backend, "type", None) == "gcs" and backend.bucket in platform_bucket_names(spec):
        out.append(("backend.bucket", f"{backend.bucket!r} is the name of a bucket this environment creates: keep "
                                      "the state in a bucket of its own"))
    return out


def _dns_violations(spec) -> list[Problem]:
    dns = spec.network.dns
    if dns is None:
        return []
    out: list[Problem] = []
    made = {zone: managed_zone_name(spec.name, zone) for zone in dns.zones}
    for field, zone in (("network.dns.private_zone", dns.private_zone), ("network.dns.public_zone", dns.public_zone)):
        if zone is not None and managed_zone_name_problem(made[zone]):
            out.append((field, f"makes the managed zone name {made[zone]!r}, which "
                               f"{managed_zone_name_problem(made[zone])}: rename the zone"))
    if dns.public_zone is not None and made[dns.public_zone] == made[dns.private_zone]:
        out.append(("network.dns.public_zone", f"{dns.public_zone!r} and the private zone {dns.private_zone!r} make the "
                                               f"same Cloud DNS managed zone name {made[dns.private_zone]!r} (dots "
                                               "and '-' both become '-'): rename one of them"))
    return out


def _label_count_violations(spec) -> list[Problem]:
    own = spec.own_tags("network", "_")
    problem = label_count_problem(len({*spec.tags, *own}) + MAX_RESOURCE_LABELS)
    if problem is None:
        return []
    return [("tags", f"lists {len(spec.tags)} labels; with the platform's {len(own)} on every resource that "
                     f"{problem}: keep at most {MAX_LABELS - MAX_RESOURCE_LABELS - len(own)}")]


def name_violations(spec) -> list[Problem]:
    """Every name the GCP stacks derive from ``spec`` that GCP would refuse at apply, naming the field
    that produced it: Cloud Storage buckets (data, observability, access logs) and the state bucket
    against them, the Artifact Registry repository, the managed zones, and the labels per resource."""
    found = _bucket_violations(spec) + _dns_violations(spec) + _label_count_violations(spec)
    if spec.data.registry.repositories and artifact_registry_repository_problem(spec.name):
        found.append(("name", f"{spec.name!r} is the Artifact Registry repository id, which "
                              f"{artifact_registry_repository_problem(spec.name)}: rename the environment"))
    first: dict[str, str] = {}
    for path, message in found:  # one problem per field, the first found
        first.setdefault(path, message)
    return list(first.items())
