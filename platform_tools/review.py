"""Pull-request review: what a change does to the synthesized stacks, as Markdown for a PR comment.

    python -m platform_tools.review --base origin/main [--env-file environments/aws-dev.yaml ...] [--plan]
    make review BASE=origin/main [ENV_FILE=...] [ALLOW_REPLACE=1] [ALLOW_DESTROY=1] [PLAN=1]

1. The base ref is checked out into a temporary ``git worktree`` (removed afterwards) and
   synthesized there; the working tree (committed or not) is synthesized as it is. Both
   synths run ``main.py --outdir <temporary folder>`` with this checkout's Python (same
   packages, same cdktf), each in its own tree, so the code under review is the only
   difference.
2. Every ``<outdir>/stacks/<stack>/cdk.tf.json`` is compared stack by stack and resource by
   resource: stacks added/removed; per stack, resources added, removed, replaced and changed
   in place, each change as an attribute path with shortened values. Sensitive values are
   never printed (:data:`platform_tools.replacements.SENSITIVE` and names like password,
   secret, token, private_key).
3. The **replacement guard**: a change to an attribute that forces the provider to destroy
   and re-create the resource (the curated table in :mod:`platform_tools.replacements`), or a
   resource whose logical id changed (same type and identity, new address) without a
   ``moved`` block in the new stack, is listed FIRST under a warning, and the command exits
   with :data:`EXIT_REPLACE` (3) unless ``ALLOW_REPLACE=1``.
4. The **destroy guard**: destroying or replacing a resource that holds data or identity (the
   curated table in :mod:`platform_tools.destroys`: buckets, file systems and mount targets,
   caches, registries, keys, DNS zones, log groups, clusters, static addresses, volume claims,
   Helm releases with persistent storage, the buckets holding Terraform state), a removed stack
   holding one, or a stack whose state location (backend) changes, is listed under its own
   warning, and the command exits with :data:`EXIT_DESTROY` (4) unless ``ALLOW_DESTROY=1``.
   Node groups / node pools destroyed are listed as "capacity removed" (a warning, exit 0).
5. **Rename hints**: a destroyed and an added resource of the same type whose configurations
   differ only by one name (one from the environment files, where they are known) are shown as a
   likely rename, with the ``moved`` block (or ``terraform state mv``) that keeps the resource, or
   the reason the cloud cannot rename it (buckets, storage accounts: the data must be copied).
6. **Default tags**: a change of the provider's ``default_tags`` (AWS) / ``default_labels``
   (Google) is summarised as "tags_all changes in place on N resources of <stack>", counting the
   resources of that stack that inherit them.
7. ``--plan`` / ``PLAN=1``: a ``terraform plan`` summary per changed stack where the stack's
   cloud has credentials in the environment (skipped, and said so, otherwise). Best effort:
   it never changes the exit status.

The Markdown starts with the replacements, then the destroys of data, then the capacity removals,
each under its own warning; then rename hints, the summary and the stacks.

Flags (``ALLOW_REPLACE``, ``ALLOW_DESTROY``, ``PLAN``): 1, true or yes (any case) switch on; 0, false,
no or empty switch off; anything else is a usage error (exit 2, one line).

Exit status: 0 (no changes, or nothing guarded, or every guard allowed), 4 (data or identity
destroyed or replaced, ALLOW_DESTROY unset: checked first), 3 (replacements, ALLOW_REPLACE unset),
2 (bad base ref, a bad flag value, or a tree that does not synthesize: one line on stderr).
The output is deterministic: everything is sorted, and no time or temporary path is printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from platform_tools.destroys import (
    CANNOT_RENAME, DEFAULT_TAGGED, DEFAULTS_BLOCK, backend_location, capacity_reason, data_reason, state_buckets,
)
from platform_tools.replacements import force_new_attribute, is_sensitive

ROOT = Path(__file__).resolve().parent.parent

EXIT_OK = 0
EXIT_ERROR = 2
#: Replacements found and not allowed (ALLOW_REPLACE unset): CI fails the review step on it.
EXIT_REPLACE = 3
#: Data or identity destroyed or replaced and not allowed (ALLOW_DESTROY unset): checked before EXIT_REPLACE.
EXIT_DESTROY = 4

#: Longest value printed; longer ones keep their start and end around an ellipsis.
VALUE_WIDTH = 60
#: Changed attributes listed per resource before "... and N more".
MAX_CHANGES = 25
HIDDEN = "(sensitive value hidden)"


class ReviewError(Exception):
    """Something the user must fix (bad ref, a tree that does not synthesize); ``str()`` is one line."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: An attribute absent on one side.
MISSING: Any = _Missing()


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class AttributeChange:
    path: str           # e.g. scaling_config.max_size, ingress[0].cidr_blocks
    before: Any         # MISSING when added
    after: Any          # MISSING when removed
    forces_replacement: bool = False
    sensitive: bool = False


@dataclass(frozen=True)
class ResourceChange:
    address: str                              # type.logical_id in the new stack
    path: str                                 # the construct path (metadata), for humans
    changes: tuple[AttributeChange, ...] = ()
    renamed_from: str | None = None           # logical id changed: old address
    moved_block: bool = False                 # ... and the new stack carries a moved block for it
    follows: tuple[str, ...] = ()             # "<path> <- <address>": a force-new attribute refers to a replaced resource

    @property
    def replaced(self) -> bool:
        return ((self.renamed_from is not None and not self.moved_block) or bool(self.follows)
                or any(c.forces_replacement for c in self.changes))

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.renamed_from is not None and not self.moved_block:
            out.append(f"logical id changed from `{self.renamed_from}` and no `moved` block: destroy and create")
        forced = [c.path for c in self.changes if c.forces_replacement]
        if forced:
            out.append("forces replacement: " + ", ".join(f"`{p}`" for p in forced))
        for item in self.follows:
            out.append(_follow_text(item))
        return out


def _follow_text(item: str) -> str:
    path, source = item.split(" <- ", 1)
    if " output " in source:
        stack, output = source.split(" output ", 1)
        return f"`{path}` reads output `{output}` of `{stack}`, whose resource is replaced"
    return f"`{path}` refers to `{source}`, which is replaced"


@dataclass
class StackDiff:
    name: str
    added: list[tuple[str, str]] = field(default_factory=list)      # (address, construct path)
    removed: list[tuple[str, str]] = field(default_factory=list)
    changed: list[ResourceChange] = field(default_factory=list)     # in place, replaced, renamed, moved
    other: list[AttributeChange] = field(default_factory=list)      # outputs, data sources, providers, settings

    @property
    def replaced(self) -> list[ResourceChange]:
        return [c for c in self.changed if c.replaced]

    @property
    def in_place(self) -> list[ResourceChange]:
        return [c for c in self.changed if not c.replaced and c.changes]

    @property
    def moved(self) -> list[ResourceChange]:
        """New logical id with a ``moved`` block and nothing else changed: only the state moves."""
        return [c for c in self.changed if not c.replaced and not c.changes]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.other)


@dataclass(frozen=True)
class Loss:
    """A guarded item: a resource destroyed or replaced (``how``), or a stack whose state moves."""
    stack: str
    address: str        # type.logical_id (the old one for destroys); "terraform.backend" for a state move
    path: str
    how: str            # "destroyed" | "replaced" | "stack removed" | "state moves"
    reason: str


@dataclass(frozen=True)
class RenameHint:
    stack: str
    old: str            # old address
    new: str            # new address
    before: str         # the name in the base (a token of the environment file)
    after: str
    keeps: bool         # a moved block keeps the resource (nothing forces a new one)
    why: str            # when not kept: why the cloud cannot rename it


@dataclass(frozen=True)
class DefaultTags:
    stack: str
    block: str                    # provider block: default_tags | default_labels
    attribute: str                # what changes on each resource: tags_all | terraform_labels
    keys: tuple[str, ...]         # tag keys added, removed or changed
    addresses: tuple[str, ...]    # resources that inherit them (updated in place)


@dataclass
class Review:
    stacks_added: list[tuple[str, int]] = field(default_factory=list)    # (stack, resources)
    stacks_removed: list[tuple[str, int]] = field(default_factory=list)
    stacks: list[StackDiff] = field(default_factory=list)                # changed stacks only, sorted
    losses: list[Loss] = field(default_factory=list)                     # the destroy guard (data, identity)
    capacity: list[Loss] = field(default_factory=list)                   # node groups / pools destroyed
    renames: list[RenameHint] = field(default_factory=list)
    default_tags: list[DefaultTags] = field(default_factory=list)

    @property
    def replacements(self) -> list[tuple[str, ResourceChange]]:
        return [(s.name, c) for s in self.stacks for c in s.replaced]

    def verdicts(self) -> dict[tuple[str, str], str]:
        """``{(stack, address): "create" | "update" | "replace" | "delete"}``: what the review says Terraform
        will do to each resource (addresses as in the new stack; destroyed ones as in the old one)."""
        out: dict[tuple[str, str], str] = {}
        for s in self.stacks:
            for address, _ in s.added:
                out[(s.name, address)] = "create"
            for address, _ in s.removed:
                out[(s.name, address)] = "delete"
            for res in s.in_place:
                out[(s.name, res.address)] = "update"
            for res in s.replaced:
                out[(s.name, res.address)] = "replace"
                if res.renamed_from and not res.moved_block:  # Terraform deletes the old address
                    out[(s.name, res.renamed_from)] = "delete"
        for tags in self.default_tags:
            for address in tags.addresses:
                out.setdefault((tags.stack, address), "update")
        return out

    @property
    def empty(self) -> bool:
        return not (self.stacks_added or self.stacks_removed or self.stacks)


# --------------------------------------------------------------------------- comparing


def load_stacks(outdir: Path) -> dict[str, dict]:
    """``{stack: cdk.tf.json}`` of a synth output folder."""
    stacks_dir = Path(outdir) / "stacks"
    if not stacks_dir.is_dir():
        return {}
    return {p.parent.name: json.loads(p.read_text()) for p in sorted(stacks_dir.glob("*/cdk.tf.json"))}


def diff_trees(base: Mapping[str, dict], head: Mapping[str, dict],
               names: tuple[frozenset[str], frozenset[str]] | None = None) -> Review:
    """Compare two synth outputs. ``names``: the names (tokens) of the base's and of the head's environment
    files; a rename hint needs its old name in the first and its new name in the second (``None``: any)."""
    review = _diff_trees(base, head)
    _guard(review, base, head, names)
    return review


def _diff_trees(base: Mapping[str, dict], head: Mapping[str, dict]) -> Review:
    review = Review()
    for name in sorted(set(head) - set(base)):
        review.stacks_added.append((name, _count(head[name])))
    for name in sorted(set(base) - set(head)):
        review.stacks_removed.append((name, _count(base[name])))
    common = {name: diff_stack(name, base[name], head[name]) for name in sorted(set(base) & set(head))}
    # Replacements travel through cross-stack references: repeat until no stack gains one.
    while True:
        unknown = {f"{_REMOTE_PREFIX}{name}": _unknown_outputs(common[name], head[name]) for name in common}
        if not any(_follow_replacements(common[name], head[name], unknown) for name in common):
            break
    review.stacks = [stack for stack in common.values() if not stack.empty]
    return review


#: cdktf names the remote-state data source of a cross-stack reference after the producer stack.
_REMOTE_PREFIX = "cross-stack-reference-input-"


def _unknown_outputs(stack: StackDiff, doc: dict) -> set[str]:
    """Outputs of ``doc`` whose value becomes unknown because a resource they read is replaced."""
    replaced = {c.address for c in stack.changed if c.replaced}
    resources = _resources(doc)
    out = set()
    for name, body in (doc.get("output") or {}).items():
        value = json.dumps(body.get("value", ""))
        for ref in _REF_ATTR.finditer(value):
            if ref.group(1) in replaced and ref.group(2) not in _strip(resources.get(ref.group(1), {})):
                out.add(name)
    return out


def _guard(review: Review, base: Mapping[str, dict], head: Mapping[str, dict],
           names: tuple[frozenset[str], frozenset[str]] | None) -> None:
    """Fill the destroy guard, the capacity warning, the rename hints and the default-tag summaries."""
    buckets = state_buckets([*base.values(), *head.values()])
    for name, _ in review.stacks_removed:
        for address, body in _resources(base[name]).items():
            reason = data_reason(address.split(".", 1)[0], _strip(body), buckets)
            if reason:
                review.losses.append(Loss(name, address, _construct_path(body), "stack removed", reason))
            elif capacity_reason(address.split(".", 1)[0]):
                review.capacity.append(Loss(name, address, _construct_path(body), "stack removed",
                                            capacity_reason(address.split(".", 1)[0])))
    for stack in review.stacks:
        old, new = _resources(base[stack.name]), _resources(head[stack.name])
        for address, path in stack.removed:
            rtype = address.split(".", 1)[0]
            reason = data_reason(rtype, _strip(old[address]), buckets)
            if reason:
                review.losses.append(Loss(stack.name, address, path, "destroyed", reason))
            elif capacity_reason(rtype):
                review.capacity.append(Loss(stack.name, address, path, "destroyed", capacity_reason(rtype)))
        for res in stack.replaced:
            rtype = res.address.split(".", 1)[0]
            before = old.get(res.renamed_from or res.address, new[res.address])
            reason = data_reason(rtype, _strip(before), buckets) or data_reason(rtype, _strip(new[res.address]), buckets)
            if reason:
                review.losses.append(Loss(stack.name, res.address, res.path, "replaced", reason))
        where_before, where_after = backend_location(base[stack.name]), backend_location(head[stack.name])
        if where_before != where_after and where_before is not None:
            review.losses.append(Loss(
                stack.name, "terraform.backend", "", "state moves",
                f"the state location changes ({where_before[0]} → {where_after[0] if where_after else 'none'}): "
                "run `terraform init -migrate-state` first, or the next plan creates every resource anew and "
                "the old ones are left unmanaged"))
        review.renames += _rename_hints(stack, base[stack.name], head[stack.name], names)
        tags = _default_tags(stack, base[stack.name], head[stack.name])
        review.default_tags += tags
    review.losses.sort(key=lambda x: (x.stack, x.address))
    review.capacity.sort(key=lambda x: (x.stack, x.address))


_TOKEN = re.compile(r"([A-Za-z0-9]+)")


def _tokens(text: str) -> list[str]:
    """``text`` split into words and the separators between them (kept, so the split is lossless)."""
    return _TOKEN.split(text)


def env_names(texts: Iterable[str]) -> frozenset[str]:
    """The words of every string (and key) of some environment files (YAML texts): rename-hint candidates."""
    import yaml

    out: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(key)
                walk(sub)
        elif isinstance(value, list):
            for sub in value:
                walk(sub)
        elif isinstance(value, str):
            out.add(value)
            out.update(t for t in _TOKEN.findall(value))

    for text in texts:
        try:
            walk(yaml.safe_load(text))
        except yaml.YAMLError:
            continue
    return frozenset(out)


def _word_swap(before: Any, after: Any) -> set[tuple[str, str]] | None:
    """The word pairs (old, new) that turn ``before`` into ``after`` (strings or lists of strings, word for
    word, separators equal); ``None`` when they differ in any other way."""
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        out: set[tuple[str, str]] = set()
        for b, a in zip(before, after):
            sub = _word_swap(b, a)
            if sub is None:
                return None
            out |= sub
        return out
    if before == after:
        return set()
    if not (isinstance(before, str) and isinstance(after, str)):
        return None
    old, new = _tokens(before), _tokens(after)
    if len(old) != len(new):
        return None
    out = set()
    for i, (o, n) in enumerate(zip(old, new)):
        if o != n:
            if i % 2 == 0:  # a separator differs
                return None
            out.add((o, n))
    return out


def _rename_hints(stack: StackDiff, old_doc: dict, new_doc: dict,
                  names: tuple[frozenset[str], frozenset[str]] | None) -> list[RenameHint]:
    """Destroyed and added resources of one type whose configurations differ by one name only."""
    old, new = _resources(old_doc), _resources(new_doc)
    removed = {a: _strip(old[a]) for a, _ in stack.removed}
    added = {a: _strip(new[a]) for a, _ in stack.added}
    pairs: dict[str, tuple[str, tuple[str, str]]] = {}
    while True:
        renames = {o: n for o, (n, _) in pairs.items()}
        taken = set(renames.values())
        found: dict[str, tuple[str, tuple[str, str]]] = {}
        for o, body in removed.items():
            if o in pairs:
                continue
            rewritten = _rewrite_refs(body, renames)
            candidates = []
            for n, new_body in added.items():
                if n in taken or n.split(".", 1)[0] != o.split(".", 1)[0]:
                    continue
                swaps = set()
                for _, b, a in diff_values(rewritten, new_body):
                    sub = _word_swap(b, a)
                    if sub is None:
                        swaps = None
                        break
                    swaps |= sub
                if swaps is not None and len(swaps) == 1:
                    (swap,) = swaps
                    # a name from the environment files: the new one (or the old one; a default has neither)
                    if names is None or swap[1] in names[1] or swap[0] in names[0]:
                        candidates.append((n, swap))
                elif swaps == set() and renames:  # equal once the renamed parents are followed
                    candidates.append((n, None))
            if len(candidates) == 1:
                found[o] = candidates[0]
        # one-to-one only, and a child takes its parent's names
        targets = [n for n, _ in found.values()]
        found = {o: v for o, v in found.items() if targets.count(v[0]) == 1}
        if not found:
            break
        for o, (n, swap) in found.items():
            if swap is None:
                parents = [pairs[p][1] for p in pairs if p in json.dumps(removed[o])]
                swap = parents[0] if parents else None
            if swap is not None:
                pairs[o] = (n, swap)
        if not any(o in pairs for o in found):
            break
    out = []
    renames = {o: n for o, (n, _) in pairs.items()}
    kept: dict[str, bool] = {}
    for o, (n, swap) in pairs.items():  # parents before children: in the order they were paired
        rtype = n.split(".", 1)[0]
        forced = [c.path for c in _attribute_changes(rtype, _rewrite_refs(removed[o], renames), added[n])
                  if c.forces_replacement]
        parents = [p for p in renames if p != o and f"{p}." in json.dumps(removed[o]) and not kept.get(p, True)]
        if rtype in CANNOT_RENAME:
            why = CANNOT_RENAME[rtype]
        elif forced:
            why = f"the cloud cannot rename it: `{'`, `'.join(sorted(set(forced)))}` forces a new resource"
        elif parents:
            why = f"it belongs to `{parents[0]}`, which is created anew"
        else:
            why = ""
        kept[o] = not why
        out.append(RenameHint(stack.name, o, n, swap[0], swap[1], not why, why))
    return sorted(out, key=lambda h: (h.before, h.after, h.old))


def _default_tags(stack: StackDiff, old_doc: dict, new_doc: dict) -> list[DefaultTags]:
    """A change of the provider's default tags / labels: the resources of the stack that inherit it."""
    out = []
    replaced = {c.address for c in stack.replaced}
    added = {a for a, _ in stack.added}
    for provider, (block, attribute) in sorted(DEFAULTS_BLOCK.items()):
        def defaults(doc: dict) -> dict:
            merged: dict = {}
            for config in (doc.get("provider") or {}).get(provider) or []:
                if not isinstance(config, dict) or config.get("alias"):
                    continue
                value = config.get(block) or {}
                for item in value if isinstance(value, list) else [value]:  # aws: [{tags: {}}]; google: {}
                    if isinstance(item, dict):
                        merged.update(item["tags"] if isinstance(item.get("tags"), dict) else item)
            return merged
        before, after = defaults(old_doc), defaults(new_doc)
        if before == after:
            continue
        keys = tuple(sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k)))
        inheriting = []
        for address, body in _resources(new_doc).items():
            rtype = address.split(".", 1)[0]
            if rtype not in DEFAULT_TAGGED.get(provider, ()) or address in replaced or address in added:
                continue
            own = body.get("tags") or body.get("labels") or {}
            if isinstance(own, dict) and all(k in own for k in keys):
                continue  # its own tags win for every changed key
            inheriting.append(address)
        out.append(DefaultTags(stack.name, block, attribute, keys, tuple(inheriting)))
    return out


def _count(doc: dict) -> int:
    return sum(len(v) for v in (doc.get("resource") or {}).values())


def _resources(doc: dict) -> dict[str, dict]:
    return {f"{rtype}.{name}": body for rtype, items in sorted((doc.get("resource") or {}).items())
            for name, body in sorted(items.items())}


def _construct_path(body: dict) -> str:
    meta = (body.get("//") or {}).get("metadata") or {}
    return str(meta.get("path", ""))


def _strip(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "//"}


def _rewrite_refs(value: Any, renames: Mapping[str, str]) -> Any:
    """``value`` with references to ``renames`` keys (``type.id``) pointed at their values."""
    if not renames:
        return value
    if isinstance(value, str):
        if "${" not in value and value not in renames:
            return value
        if value in renames:  # depends_on entries are bare addresses
            return renames[value]
        return _REF.sub(lambda m: renames.get(m.group(0), m.group(0)), value)
    if isinstance(value, list):
        return [_rewrite_refs(v, renames) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite_refs(v, renames) for k, v in value.items()}
    return value


#: A resource address inside an expression: type.logical_id (logical ids hold letters, digits, _ and -).
_REF = re.compile(r"(?<![\w.-])[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+")


def moved_blocks(doc: dict) -> dict[str, str]:
    """``{from: to}`` of the stack's top-level ``moved`` blocks (cdktf ``move_to``/``move_from_id``)."""
    out = {}
    for block in doc.get("moved") or []:
        if isinstance(block, dict) and isinstance(block.get("from"), str) and isinstance(block.get("to"), str):
            out[block["from"]] = block["to"]
    return out


#: Attributes that name a resource in its cloud: same type and same values here means "the same
#: resource" when its logical id changed. Resources without any compare by their whole body.
IDENTITY_KEYS = (
    "name", "bucket", "node_group_name", "cluster_name", "addon_name", "role", "policy_arn", "principal_arn",
    "cidr_block", "ip_cidr_range", "address_prefixes", "repository", "repository_id", "account_id", "key_ring",
    "key_id", "target_key_id", "alias", "namespace", "service_account", "location", "scope", "role_definition_name",
    "principal_id", "member", "resource_group_name", "virtual_network_name", "subnet_id", "route_table_id",
    "destination_cidr_block", "file_system_id", "metadata", "manifest",
)


def _identity(rtype: str, body: dict) -> str:
    keys = [k for k in IDENTITY_KEYS if k in body]
    picked = {k: body[k] for k in keys} if keys else body
    return rtype + json.dumps(picked, sort_keys=True, separators=(",", ":"))


def _pair_renames(removed: dict[str, dict], added: dict[str, dict]) -> dict[str, str]:
    """``{old address: new address}`` for resources that look like the same one under a new logical id.

    Pairs first by whole body (references to already-paired resources rewritten, repeated until
    nothing new pairs), then by identity attributes; only one-to-one matches count.
    """
    pairs: dict[str, str] = {}

    def one_to_one(key) -> dict[str, str]:
        olds: dict[str, list[str]] = {}
        news: dict[str, list[str]] = {}
        for addr, body in removed.items():
            if addr not in pairs:
                olds.setdefault(key(addr, _rewrite_refs(_strip(body), pairs)), []).append(addr)
        taken = set(pairs.values())
        for addr, body in added.items():
            if addr not in taken:
                news.setdefault(key(addr, _strip(body)), []).append(addr)
        return {olds[k][0]: news[k][0] for k in sorted(set(olds) & set(news)) if len(olds[k]) == 1 and len(news[k]) == 1}

    def whole(addr: str, body: dict) -> str:
        return addr.split(".", 1)[0] + json.dumps(body, sort_keys=True, separators=(",", ":"))

    while True:
        found = one_to_one(whole)
        if not found:
            break
        pairs.update(found)
    pairs.update(one_to_one(lambda addr, body: _identity(addr.split(".", 1)[0], body)))
    return pairs


def diff_stack(name: str, old_doc: dict, new_doc: dict) -> StackDiff:
    """Resource-by-resource comparison of one stack's two versions."""
    stack = StackDiff(name)
    old = _resources(old_doc)
    new = _resources(new_doc)
    moved = {src: dst for src, dst in moved_blocks(new_doc).items() if src in old and dst in new and src not in new}
    removed = {a: b for a, b in old.items() if a not in new and a not in moved}
    added = {a: b for a, b in new.items() if a not in old and a not in moved.values()}
    renamed = _pair_renames(removed, added)
    # old address -> new address for every resource that exists on both sides
    renames = {**moved, **renamed}
    matched = {a: a for a in old if a in new}
    matched.update(renames)
    for old_addr, new_addr in sorted(matched.items(), key=lambda kv: kv[1]):
        rtype = new_addr.split(".", 1)[0]
        before = _rewrite_refs(_strip(old[old_addr]), renames)
        after = _strip(new[new_addr])
        changes = tuple(_attribute_changes(rtype, before, after))
        renamed_from = old_addr if old_addr != new_addr else None
        if changes or renamed_from:
            stack.changed.append(ResourceChange(new_addr, _construct_path(new[new_addr]), changes, renamed_from,
                                                moved_block=old_addr in moved))
    stack.added = [(a, _construct_path(b)) for a, b in sorted(added.items()) if a not in renamed.values()]
    stack.removed = [(a, _construct_path(b)) for a, b in sorted(removed.items()) if a not in renamed]
    stack.changed.sort(key=lambda c: c.address)
    for block in ("data", "output", "provider", "terraform", "locals", "variable"):
        before = _rewrite_refs(old_doc.get(block, MISSING), renames) if block in old_doc else MISSING
        after = new_doc.get(block, MISSING)
        for change in diff_values(before, after, block):
            stack.other.append(AttributeChange(change[0], change[1], change[2], sensitive=_named_sensitive(change[0])))
    return stack


def _follow_replacements(stack: StackDiff, doc: dict, unknown: Mapping[str, set[str]]) -> bool:
    """Mark resources replaced because a force-new attribute of theirs refers to a replaced resource.

    After a replacement, the new object's computed attributes (its id, arn, ...) are unknown at plan
    time, so a force-new attribute holding ``${<replaced>.id}`` changes too: Terraform replaces that
    resource as well (a new VPC -> new subnets, route tables, security groups). Attributes the
    replaced resource sets in its configuration stay known and do not propagate. Across stacks the
    same holds for a remote-state output of a replaced resource (``unknown``: remote-state data
    source name -> outputs that change). Returns whether anything was marked.
    """
    new = _resources(doc)
    by_address = {c.address: c for c in stack.changed}
    replaced = {c.address for c in stack.changed if c.replaced}
    marked = False
    while True:
        found: dict[str, list[str]] = {}
        for address, body in new.items():
            if address in replaced:
                continue
            rtype = address.split(".", 1)[0]
            for path, value in _leaves(_strip(body)):
                if not force_new_attribute(rtype, path) or not isinstance(value, str) or "${" not in value:
                    continue
                for ref in _REF_ATTR.finditer(value):
                    target, attribute = ref.group(1), ref.group(2)
                    if target in replaced and attribute not in _strip(new.get(target, {})):
                        found.setdefault(address, []).append(f"{path} <- {target}")
                for ref in _REMOTE_REF.finditer(value):
                    if ref.group(2) in unknown.get(ref.group(1), ()):
                        producer = ref.group(1)[len(_REMOTE_PREFIX):]
                        found.setdefault(address, []).append(f"{path} <- {producer} output {ref.group(2)}")
        if not found:
            return marked
        marked = True
        for address, follows in sorted(found.items()):
            old = by_address.get(address)
            change = ResourceChange(address, _construct_path(new[address]), old.changes if old else (),
                                    old.renamed_from if old else None, old.moved_block if old else False,
                                    tuple(sorted(set(follows))))
            if old:
                stack.changed.remove(old)
            stack.changed.append(change)
            by_address[address] = change
            replaced.add(address)
        stack.changed.sort(key=lambda c: c.address)


#: ``data.terraform_remote_state.<source>.outputs.<output>`` inside an expression.
_REMOTE_REF = re.compile(r"data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)")
#: ``${type.logical_id.attribute`` inside an expression.
_REF_ATTR = re.compile(r"\$\{([a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)")


def _leaves(value: Any, path: str = "") -> Iterable[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _leaves(sub, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _leaves(sub, f"{path}[{i}]")
    else:
        yield path, value


def _attribute_changes(rtype: str, before: dict, after: dict) -> Iterable[AttributeChange]:
    for path, old, new in diff_values(before, after):
        yield AttributeChange(path, old, new, forces_replacement=force_new_attribute(rtype, path, removed=new is MISSING),
                              sensitive=is_sensitive(rtype, path))


def diff_values(before: Any, after: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """``(path, before, after)`` for every differing leaf, sorted by path.

    Objects recurse by key; lists of objects of equal length recurse by index (``rule[0].port``);
    any other list is one value (``instance_types``), so a reordered list shows as one change.
    """
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in sorted(set(before) | set(after)):
            sub = f"{path}.{key}" if path else str(key)
            out.extend(diff_values(before.get(key, MISSING), after.get(key, MISSING), sub))
        return out
    if (isinstance(before, list) and isinstance(after, list) and len(before) == len(after)
            and all(isinstance(v, dict) for v in before + after)):
        out = []
        for i, (b, a) in enumerate(zip(before, after)):
            out.extend(diff_values(b, a, f"{path}[{i}]"))
        return out
    if isinstance(before, str) and isinstance(after, str):
        # A JSON policy or a YAML values document inside a string: compare what it holds.
        for kind, parse in (("json", _parse_json), ("yaml", _parse_yaml)):
            old, new = parse(before), parse(after)
            if isinstance(old, (dict, list)) and isinstance(new, (dict, list)):
                inner = diff_values(old, new)
                return [(f"{path}({kind})" + (p if p.startswith("[") else f".{p}" if p else ""), b, a)
                        for p, b, a in inner]
    return [(path, before, after)]


def _parse_json(text: str) -> Any:
    if not text.lstrip().startswith(("{", "[")):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _parse_yaml(text: str) -> Any:
    if "\n" not in text.strip():
        return None
    try:
        import yaml

        return yaml.safe_load(text)
    except Exception:  # noqa: BLE001 - not YAML: compared as text
        return None


def _named_sensitive(path: str) -> bool:
    return is_sensitive("", path)


# --------------------------------------------------------------------------- Markdown


def shorten(value: Any, width: int = VALUE_WIDTH) -> str:
    """One line, at most ``width`` characters: the start and the end of longer values around an ellipsis."""
    if value is MISSING:
        return "(none)"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(",", ":"))
    text = " ".join(text.split()).replace("`", "'")
    if len(text) > width:
        keep = (width - 1) // 2
        text = f"{text[:keep]}…{text[-(width - 1 - keep):]}"
    return text


def shorten_pair(before: str, after: str, width: int = VALUE_WIDTH) -> tuple[str, str]:
    """Two long strings that differ, each cut around their first difference (so the excerpts differ too)."""
    before, after = " ".join(before.split()).replace("`", "'"), " ".join(after.split()).replace("`", "'")
    if len(before) <= width and len(after) <= width:
        return before, after
    first = next((i for i, (b, a) in enumerate(zip(before, after)) if b != a), min(len(before), len(after)))
    start = max(0, first - width // 3)

    def cut(text: str) -> str:
        piece = text[start:start + width - 2]
        return ("…" if start else "") + piece + ("…" if start + width - 2 < len(text) else "")
    return cut(before), cut(after)


def _value(change: AttributeChange, value: Any, text: str | None = None) -> str:
    if value is MISSING:
        return "(none)"
    if change.sensitive:
        return HIDDEN
    return f"`{shorten(value) if text is None else text}`"


def _change_line(change: AttributeChange) -> str:
    mark = " **(forces replacement)**" if change.forces_replacement else ""
    if change.before is MISSING:
        return f"  - `{change.path}`: added {_value(change, change.after)}{mark}"
    if change.after is MISSING:
        return f"  - `{change.path}`: removed (was {_value(change, change.before)}){mark}"
    if (not change.sensitive and isinstance(change.before, list) and isinstance(change.after, list)
            and not any(isinstance(v, (dict, list)) for v in change.before + change.after)
            and (len(change.before) > 1 or len(change.after) > 1)):
        gone = [v for v in change.before if v not in change.after]
        new_items = [v for v in change.after if v not in change.before]
        parts = [f"+ `{shorten(v)}`" for v in new_items] + [f"− `{shorten(v)}`" for v in gone]
        return f"  - `{change.path}`: " + (", ".join(parts) if parts else "same items, new order") + mark
    old = new = None
    if isinstance(change.before, str) and isinstance(change.after, str):
        old, new = shorten_pair(change.before, change.after)
    return f"  - `{change.path}`: {_value(change, change.before, old)} → {_value(change, change.after, new)}{mark}"


def _resource_lines(res: ResourceChange, only: str = "all") -> list[str]:
    where = f" (`{res.path}`)" if res.path else ""
    lines = [f"- `{res.address}`{where}"]
    if res.renamed_from is not None:
        how = "`moved` block present: state moves, nothing is destroyed" if res.moved_block else "no `moved` block"
        lines.append(f"  - logical id changed from `{res.renamed_from}` ({how})")
    for item in res.follows:
        lines.append(f"  - {_follow_text(item)}")
    changes = list(res.changes)
    for change in changes[:MAX_CHANGES]:
        lines.append(_change_line(change))
    if len(changes) > MAX_CHANGES:
        lines.append(f"  - … and {len(changes) - MAX_CHANGES} more attribute(s)")
    return lines


def _rename_lines(review: Review) -> list[str]:
    out: list[str] = []
    groups: dict[tuple[str, str, str], list[RenameHint]] = {}
    for hint in review.renames:
        groups.setdefault((hint.stack, hint.before, hint.after), []).append(hint)
    for (stack, before, after), hints in sorted(groups.items()):
        out += ["> [!NOTE]", f"> **Looks like a rename** in `{stack}`: `{before}` → `{after}` "
                f"({len(hints)} resource(s) destroyed and created under the new name).", ">"]
        for hint in hints:
            if hint.keeps:
                out += [f"> - `{hint.old}` → `{hint.new}`: a `moved` block keeps it (in cdktf: "
                        f"`move_from_id` / `move_to`), or run `terraform state mv '{hint.old}' '{hint.new}'`:",
                        ">   ```hcl", f">   moved {{ from = {hint.old}, to = {hint.new} }}", ">   ```"]
            else:
                out.append(f"> - `{hint.old}` → `{hint.new}`: {hint.why}")
        out.append("")
    return out


def render(review: Review, *, base_label: str, allow_replace: bool = False, allow_destroy: bool = False,
           plans: Mapping[str, str] | None = None) -> str:
    """The PR comment (Markdown): replacements, destroys of data, capacity removals, rename hints, then the rest."""
    out = [f"## Synth review: `{base_label}` → working tree", ""]
    if review.empty:
        out += ["No changes: every stack synthesizes to the same resources.", ""]
        return "\n".join(out)
    replacements = review.replacements
    if replacements:
        head = f"**{len(replacements)} resource(s) will be destroyed and re-created.**"
        tail = ("Accepted with `ALLOW_REPLACE=1`." if allow_replace else
                f"The review fails (exit status {EXIT_REPLACE}) until this is intended: rerun with `ALLOW_REPLACE=1`, "
                "or add a `moved` block for a renamed construct.")
        out += ["> [!WARNING]", f"> {head} {tail}", ">"]
        for stack, res in replacements:
            where = f" (`{res.path}`)" if res.path else ""
            out.append(f"> - `{stack}`: `{res.address}`{where}: " + "; ".join(res.reasons))
        out.append("")
    if review.losses:
        head = f"**{len(review.losses)} resource(s) holding data or identity will be destroyed or replaced.**"
        tail = ("Accepted with `ALLOW_DESTROY=1`." if allow_destroy else
                f"The review fails (exit status {EXIT_DESTROY}) until this is intended: rerun with `ALLOW_DESTROY=1` "
                "once the data is copied or no longer needed.")
        out += ["> [!CAUTION]", f"> {head} {tail}", ">"]
        for loss in review.losses:
            where = f" (`{loss.path}`)" if loss.path else ""
            out.append(f"> - `{loss.stack}`: `{loss.address}`{where} {loss.how}: {loss.reason}")
        out.append("")
    if review.capacity:
        out += ["> [!WARNING]", f"> **Capacity removed: {len(review.capacity)} node group(s) / node pool(s) will be "
                "destroyed.** Check that the remaining pools can hold their pods (this does not fail the review).", ">"]
        for loss in review.capacity:
            where = f" (`{loss.path}`)" if loss.path else ""
            out.append(f"> - `{loss.stack}`: `{loss.address}`{where} {loss.how}: {loss.reason}")
        out.append("")
    out += _rename_lines(review)
    total = {"add": 0, "change": 0, "replace": 0, "destroy": 0}
    for s in review.stacks:
        total["add"] += len(s.added)
        total["destroy"] += len(s.removed)
        total["replace"] += len(s.replaced)
        total["change"] += len(s.in_place)
    summary = (f"{len(review.stacks)} stack(s) changed, {len(review.stacks_added)} added, "
               f"{len(review.stacks_removed)} removed; resources: {total['add']} to add, {total['change']} to change "
               f"in place, {total['replace']} to replace, {total['destroy']} to destroy.")
    out += [summary, ""]
    for tags in review.default_tags:
        out.append(f"- `{tags.attribute}` changes in place on {len(tags.addresses)} resources of `{tags.stack}` "
                   f"(the provider's `{tags.block}` changed)")
    if review.default_tags:
        out.append("")
    if review.stacks_added:
        out += ["### Stacks added", *[f"- `{n}` ({c} resources)" for n, c in review.stacks_added], ""]
    if review.stacks_removed:
        out += ["### Stacks removed (every resource in them is destroyed)",
                *[f"- `{n}` ({c} resources)" for n, c in review.stacks_removed], ""]
    for s in review.stacks:
        moved = f", {len(s.moved)} moved" if s.moved else ""
        out.append(f"### `{s.name}`: {len(s.added)} to add, {len(s.in_place)} to change, {len(s.replaced)} to replace, "
                   f"{len(s.removed)} to destroy{moved}")
        out.append("")
        for title, items in (("Replaced", s.replaced), ("Changed in place", s.in_place),
                             ("Moved (`moved` block: the state follows, nothing changes)", s.moved)):
            if items:
                out.append(f"**{title}**")
                for res in items:
                    out += _resource_lines(res)
                out.append("")
        if s.added:
            out += ["**Added**", *[f"- `{a}`" + (f" (`{p}`)" if p else "") for a, p in s.added], ""]
        if s.removed:
            out += ["**Destroyed**", *[f"- `{a}`" + (f" (`{p}`)" if p else "") for a, p in s.removed], ""]
        for tags in review.default_tags:
            if tags.stack == s.name:
                out += [f"**Default tags**: `{tags.attribute}` changes in place on {len(tags.addresses)} resources of "
                        f"`{s.name}` (provider `{tags.block}`: " + ", ".join(f"`{k}`" for k in tags.keys) + ")", ""]
        if s.other:
            out.append("**Outputs, data sources, providers and settings**")
            out += [_change_line(c).lstrip() for c in s.other[:MAX_CHANGES]]
            if len(s.other) > MAX_CHANGES:
                out.append(f"- … and {len(s.other) - MAX_CHANGES} more")
            out.append("")
        if plans and s.name in plans:
            out += [f"`terraform plan`: {plans[s.name]}", ""]
    if plans:
        for name, _ in review.stacks_added:
            if name in plans:
                out += [f"`terraform plan` of new stack `{name}`: {plans[name]}", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- synthesizing both trees


def _git(args: list[str], cwd: Path) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ReviewError(f"git {' '.join(args)}: {' '.join(proc.stderr.split()) or 'failed'}")
    return proc.stdout.strip()


def resolve_base(ref: str, root: Path = ROOT) -> str:
    """The commit id of ``ref``; a one-line :class:`ReviewError` when it names none."""
    if not ref.strip():
        raise ReviewError("BASE: empty: name the git ref to compare with, e.g. make review BASE=origin/main")
    proc = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd=root,
                          capture_output=True, text=True)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise ReviewError(f"BASE={ref}: not a commit of the repository at {root.name}: give a branch, tag or "
                          "commit (in CI fetch it first, e.g. git fetch origin main)")
    return proc.stdout.strip()


def _main_py_args(tree: Path, outdir: Path, env_files: list[str]) -> list[str]:
    args = [sys.executable, "main.py", "--outdir", str(outdir)]
    help_text = subprocess.run([sys.executable, "main.py", "--help"], cwd=tree, capture_output=True, text=True).stdout
    if "--quiet" in help_text:
        args.append("--quiet")
    for f in env_files:
        args += ["--env-file", f]
    return args


def synth_tree(tree: Path, outdir: Path, env_files: list[str], label: str) -> None:
    """Run ``main.py`` of ``tree`` (cwd = tree) into ``outdir``; :class:`ReviewError` with its message on failure."""
    env = dict(os.environ)
    env.pop("PLATFORM_ENV_FILES", None)
    env.pop("CDKTF_OUTDIR", None)
    env.pop("CDKTF_CONTEXT_JSON", None)
    proc = subprocess.run(_main_py_args(tree, outdir, env_files), cwd=tree, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = " | ".join(line for line in proc.stderr.splitlines() if line.strip())[-600:] or f"exit {proc.returncode}"
        raise ReviewError(f"{label}: main.py failed (exit {proc.returncode}): {detail}")


def synth_both(base_ref: str, workdir: Path, env_files: list[str], root: Path = ROOT,
               cache: Path | None = None) -> tuple[Path, Path]:
    """Synthesize ``base_ref`` (temporary worktree) and the working tree; return both output folders.

    ``cache``: a folder keeping the base's output per commit and environment files, reused when the
    same base is reviewed again with the same toolchain (repeated local runs, the tests).
    """
    commit = resolve_base(base_ref, root)
    head_out = workdir / "head-out" / "out"
    head_out.parent.mkdir()
    key = hashlib.sha256("\0".join([commit, *env_files]).encode()).hexdigest()[:16]
    cached = cache / key / "out" if cache else None
    if cached is not None and (cached / "stacks").is_dir():
        synth_tree(root, head_out, env_files, "working tree")
        return cached, head_out
    toplevel = Path(_git(["rev-parse", "--show-toplevel"], root)).resolve()
    inside = root.resolve().relative_to(toplevel)
    worktree = workdir / "base"
    _git(["worktree", "add", "--detach", "--quiet", str(worktree), commit], root)
    try:
        base_tree = worktree / inside
        base_out = workdir / "base-out" / "out"
        base_out.parent.mkdir()
        # An environment file the base does not have yet: its stacks are "added".
        base_files = [f for f in env_files if (base_tree / f).is_file()]
        jobs = []
        with ThreadPoolExecutor(max_workers=2) as pool:
            if base_files or not env_files:
                jobs.append(pool.submit(synth_tree, base_tree, base_out, base_files, f"BASE={base_ref}"))
            jobs.append(pool.submit(synth_tree, root, head_out, env_files, "working tree"))
            for job in jobs:
                job.result()
        if cached is not None:
            if not base_out.is_dir():  # the base has none of the environment files: nothing synthesized
                (base_out / "stacks").mkdir(parents=True)
            shutil.rmtree(cached.parent, ignore_errors=True)
            shutil.copytree(base_out, cached)
        return base_out, head_out
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=root, capture_output=True)
        shutil.rmtree(worktree, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=root, capture_output=True)


# --------------------------------------------------------------------------- optional terraform plan

#: Environment variables (or files) that mean "credentials exist" for a provider.
CREDENTIALS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "aws": (("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
             "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"), ("~/.aws/credentials", "~/.aws/config")),
    "google": (("GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CREDENTIALS", "GOOGLE_OAUTH_ACCESS_TOKEN",
                "CLOUDSDK_AUTH_ACCESS_TOKEN"), ("~/.config/gcloud/application_default_credentials.json",)),
    "azurerm": (("ARM_CLIENT_ID", "ARM_USE_MSI", "ARM_USE_OIDC", "ARM_USE_CLI"), ("~/.azure/azureProfile.json",)),
}


def stack_cloud(doc: dict) -> str | None:
    providers = set((doc.get("provider") or {}).keys())
    for name in ("aws", "google", "azurerm"):
        if name in providers:
            return name
    return None


def has_credentials(cloud: str, environ: Mapping[str, str]) -> bool:
    names, files = CREDENTIALS[cloud]
    if any(environ.get(n) for n in names):
        return True
    home = environ.get("HOME")
    return bool(home) and any(Path(f.replace("~", home, 1)).is_file() for f in files)


_PLAN_LINE = re.compile(r"^(Plan: .*|No changes\..*)$", re.MULTILINE)


def plan_summaries(outdir: Path, stacks: Iterable[str], environ: Mapping[str, str] | None = None,
                   root: Path = ROOT, timeout: float = 900) -> dict[str, str]:
    """``terraform init`` + ``plan`` of ``stacks`` in ``outdir``; one line per stack, "skipped: ..." without credentials.

    Local state: ``<outdir>/../.terraform-state`` is linked to this checkout's ``.terraform-state``.
    """
    from platform_tools.terraform import terraform_env

    environ = dict(os.environ if environ is None else environ)
    out: dict[str, str] = {}
    state = root / ".terraform-state"
    link = Path(outdir).parent / ".terraform-state"
    if state.is_dir() and not link.exists():
        link.symlink_to(state, target_is_directory=True)
    for name in sorted(stacks):
        folder = Path(outdir) / "stacks" / name
        doc = json.loads((folder / "cdk.tf.json").read_text())
        cloud = stack_cloud(doc)
        if cloud is None:
            out[name] = "skipped: the stack configures no aws, google or azurerm provider"
            continue
        if not has_credentials(cloud, environ):
            names, _ = CREDENTIALS[cloud]
            out[name] = f"skipped: no {cloud} credentials in the environment ({', '.join(names[:2])}, ...)"
            continue
        try:
            env = terraform_env(Path(outdir).parent / ".terraform-config", base=environ)
            init = subprocess.run(["terraform", "init", "-input=false", "-no-color"], cwd=folder, env=env,
                                  capture_output=True, text=True, timeout=timeout)
            if init.returncode != 0:
                out[name] = "failed: terraform init: " + _first_error(init)
                continue
            plan = subprocess.run(["terraform", "plan", "-input=false", "-lock=false", "-no-color"], cwd=folder,
                                  env=env, capture_output=True, text=True, timeout=timeout)
            found = _PLAN_LINE.findall(plan.stdout)
            out[name] = found[-1] if plan.returncode == 0 and found else "failed: terraform plan: " + _first_error(plan)
        except (subprocess.TimeoutExpired, OSError, SystemExit) as exc:
            out[name] = f"failed: {' '.join(str(exc).split())[:200]}"
    return out


def _first_error(proc: subprocess.CompletedProcess) -> str:
    text = proc.stderr + proc.stdout
    for line in text.splitlines():
        if "Error:" in line:
            return " ".join(line.split())[:200]
    return f"exit {proc.returncode}"


# --------------------------------------------------------------------------- command line


def _relative(path: str) -> str:
    """An environment file as a path relative to the project (the same file in both trees)."""
    full = Path(path).resolve()
    try:
        return str(full.relative_to(ROOT.resolve()))
    except ValueError:
        return path


#: Flag spellings (any case, surrounding blanks ignored); anything else is a usage error.
FLAG_ON = ("1", "true", "yes")
FLAG_OFF = ("", "0", "false", "no")


def parse_flag(name: str, value: str | None) -> bool:
    """``ALLOW_REPLACE`` / ``ALLOW_DESTROY`` / ``PLAN``: on, off, or a one-line :class:`ReviewError`."""
    text = (value or "").strip().lower()
    if text in FLAG_ON:
        return True
    if text in FLAG_OFF:
        return False
    shown = " ".join(str(value).split())[:40]
    raise ReviewError(f"{name}={shown!r}: not a yes/no value: give 1, true or yes to allow; 0, false, no or "
                      "nothing to refuse")


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return parse_flag(name, environ.get(name))


def _env_texts_of_base(commit: str, env_files: list[str], root: Path = ROOT) -> list[str]:
    """The base's environment files (the given ones, or every environments/*.yaml), read from git."""
    if not env_files:
        listed = _git(["ls-tree", "--name-only", commit, "--", "environments/"], root).splitlines()
        env_files = [f for f in listed if f.endswith((".yaml", ".yml"))]
    texts = []
    for f in env_files:
        proc = subprocess.run(["git", "show", f"{commit}:./{f}"], cwd=root, capture_output=True, text=True)
        if proc.returncode == 0:
            texts.append(proc.stdout)
    return texts


def _env_texts_of_head(env_files: list[str], root: Path = ROOT) -> list[str]:
    files = [root / f for f in env_files] or sorted((root / "environments").glob("*.y*ml"))
    return [f.read_text() for f in files if f.is_file()]


def environment_names(base_ref: str, env_files: list[str], root: Path = ROOT) -> tuple[frozenset[str], frozenset[str]] | None:
    """The names of the base's and of the working tree's environment files (``None`` when unreadable)."""
    try:
        commit = resolve_base(base_ref, root)
        return env_names(_env_texts_of_base(commit, env_files, root)), env_names(_env_texts_of_head(env_files, root))
    except (ReviewError, OSError):
        return None


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=environ.get("BASE"), help="git ref to compare with (default: $BASE)")
    parser.add_argument("--env-file", action="append", default=[], metavar="PATH",
                        help="environment file to compare (repeatable). Default: every file in environments/ of each tree")
    try:
        flags = {name: _flag(environ, name) for name in ("PLAN", "ALLOW_REPLACE", "ALLOW_DESTROY")}
    except ReviewError as err:
        print(f"review: {err}", file=sys.stderr)
        return EXIT_ERROR
    parser.add_argument("--plan", action="store_true", default=flags["PLAN"],
                        help="add a terraform plan summary per changed stack where credentials exist (default: $PLAN=1)")
    parser.add_argument("--base-cache", default=environ.get("REVIEW_CACHE") or None, metavar="DIR",
                        help="keep the base's synth output here per commit and reuse it (default: $REVIEW_CACHE; none)")
    parser.add_argument("--allow-replace", action="store_true", default=flags["ALLOW_REPLACE"],
                        help=f"exit 0 even when resources would be replaced (default: $ALLOW_REPLACE=1; else exit {EXIT_REPLACE})")
    parser.add_argument("--allow-destroy", action="store_true", default=flags["ALLOW_DESTROY"],
                        help="exit 0 even when resources holding data or identity would be destroyed or replaced "
                             f"(default: $ALLOW_DESTROY=1; else exit {EXIT_DESTROY})")
    args = parser.parse_args(argv)
    if not args.base:
        print("review: BASE: not set: name the git ref to compare with, e.g. make review BASE=origin/main", file=sys.stderr)
        return EXIT_ERROR
    env_files = [_relative(f) for f in args.env_file]
    with tempfile.TemporaryDirectory(prefix="platform-review-") as tmp:
        try:
            cache = Path(args.base_cache).resolve() if args.base_cache else None
            base_out, head_out = synth_both(args.base, Path(tmp), env_files, cache=cache)
        except ReviewError as err:
            print(f"review: {err}", file=sys.stderr)
            # stdout is the PR comment: say there, too, that no review was made.
            print(f"## Synth review: `{args.base}` → working tree\n\n**The review could not run:** {err}\n")
            return EXIT_ERROR
        review = diff_trees(load_stacks(base_out), load_stacks(head_out), names=environment_names(args.base, env_files))
        plans = None
        if args.plan:
            changed = [s.name for s in review.stacks] + [n for n, _ in review.stacks_added]
            plans = plan_summaries(head_out, changed, environ)
    print(render(review, base_label=args.base, allow_replace=args.allow_replace, allow_destroy=args.allow_destroy,
                 plans=plans))
    if review.losses and not args.allow_destroy:
        print(f"review: {len(review.losses)} resource(s) holding data or identity would be destroyed or replaced: "
              f"exit {EXIT_DESTROY} (ALLOW_DESTROY=1 accepts them)", file=sys.stderr)
        return EXIT_DESTROY
    if review.replacements and not args.allow_replace:
        # stderr, so a CI log shows why the step failed (`make` reports every failed recipe as 2).
        print(f"review: {len(review.replacements)} resource(s) would be destroyed and re-created: exit {EXIT_REPLACE} "
              "(ALLOW_REPLACE=1 accepts them)", file=sys.stderr)
        return EXIT_REPLACE
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
