"""Azure's naming rules for every name the platform derives, used by the model and the constructs alike.

Each ``*_problem`` function takes a name (as the construct will write it) and returns what Azure
would refuse in it, or None. The model (``azure/spec.py``) runs them over the names the file makes,
naming the field that produced the name; the constructs (``azure/private_storage_account.py``,
``azure/registry.py``, ``azure/key_vault.py``, ``azure/tenant_vault.py``, ``azure/provider.py``)
call the same functions.

Imports no provider package (the model is loaded for every file of every cloud).
"""

from __future__ import annotations

import hashlib
import re

#: (dotted field path, what is wrong and the fix)
Problem = tuple[str, str]

#: Storage account names: 3-24 lowercase letters and digits, globally unique.
STORAGE_ACCOUNT = re.compile(r"[a-z0-9]{3,24}")
#: Blob container names: 3-63 lowercase letters, digits and single '-', a letter or digit at both ends.
CONTAINER = re.compile(r"[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")
#: Container registry names: 5-50 letters and digits, globally unique.
CONTAINER_REGISTRY = re.compile(r"[a-zA-Z0-9]{5,50}")
#: Key Vault names: 3-24 letters, digits and single '-', a letter first, a letter or digit last.
KEY_VAULT = re.compile(r"[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]")
#: Characters Azure refuses in tag names.
TAG_NAME_FORBIDDEN = "<>%&\\?/"
#: Tags Azure allows on one resource.
MAX_TAGS = 50
#: The most tags one platform resource carries besides the platform tags (every Azure resource
#: takes exactly ``platform_tags``).
MAX_RESOURCE_TAGS = 0


def storage_account_problem(name: str) -> str | None:
    if not STORAGE_ACCOUNT.fullmatch(name):
        return "must be 3-24 lowercase letters and digits (a storage account name)"
    return None


def container_problem(name: str) -> str | None:
    if not CONTAINER.fullmatch(name):
        return ("must be 3-63 lowercase letters, digits and single '-', starting and ending with a letter or digit "
                "(a blob container name)")
    return None


def container_registry_problem(name: str) -> str | None:
    if not CONTAINER_REGISTRY.fullmatch(name):
        return "must be 5-50 letters and digits (a container registry name)"
    return None


def key_vault_problem(name: str) -> str | None:
    if not KEY_VAULT.fullmatch(name):
        return ("must be 3-24 letters, digits and single '-', starting with a letter and ending with a letter or "
                "digit (a Key Vault name)")
    return None


def tag_name_problem(name: str) -> str | None:
    bad = sorted({c for c in name if c in TAG_NAME_FORBIDDEN})
    if bad:
        return f"has {' '.join(bad)}, which Azure does not allow in tag names ({' '.join(TAG_NAME_FORBIDDEN)})"
    return None


def tag_count_problem(count: int) -> str | None:
    if count > MAX_TAGS:
        return f"puts {count} tags on one resource, and Azure allows {MAX_TAGS}"
    return None


def default_vault_name(env_name: str, subscription_id: str) -> str:
    """``kv-<name>-<6 hex>``: stable per environment and subscription, at most 24 chars, globally unique in practice."""
    digest = hashlib.sha256(f"{subscription_id}/{env_name}".encode()).hexdigest()[:6]
    return f"kv-{env_name[:13].rstrip('-')}-{digest}"


def tag_problems(tags: dict[str, str]) -> list[str]:
    """What Azure refuses in ``tags`` (the platform's included): tag names, and the count per resource."""
    out = [f"tag {key!r} {problem}" for key, problem in ((k, tag_name_problem(k)) for k in tags) if problem]
    count = tag_count_problem(len(tags) + MAX_RESOURCE_TAGS)
    return out + ([f"the tags {count}"] if count else [])


# ---- the model's rules --------------------------------------------------------------


def name_violations(spec) -> list[Problem]:
    """Every name the Azure stacks derive from ``spec`` that Azure would refuse at apply, naming the
    field that produced it: the data buckets' containers, the default Key Vault name, tag names and
    the tags per resource."""
    out: list[Problem] = []
    for i, bucket in enumerate(spec.data.buckets):
        problem = container_problem(bucket)
        if problem:
            out.append((f"data.buckets.{i}", f"{bucket!r} becomes a blob container of the data storage account, "
                                             f"and it {problem}: rename the bucket"))
    az = spec.azure
    if az.enable_customer_managed_keys and az.key_vault_name is None:
        vault = default_vault_name(spec.name, az.subscription_id)
        problem = key_vault_problem(vault)
        if problem:
            out.append(("name", f"makes the default Key Vault name {vault!r}, which {problem}: rename the "
                                "environment (no '--'), or set azure.key_vault_name"))
    for key in spec.tags:
        problem = tag_name_problem(key)
        if problem:
            out.append((f"tags.{key}", f"{key!r} {problem}: rename the tag"))
    own = spec.own_tags("network")
    count = tag_count_problem(len({*spec.tags, *own}) + MAX_RESOURCE_TAGS)
    if count:
        out.append(("tags", f"lists {len(spec.tags)} tags; with the platform's {len(own)} on every resource that "
                            f"{count}: keep at most {MAX_TAGS - MAX_RESOURCE_TAGS - len(own)}"))
    return out
