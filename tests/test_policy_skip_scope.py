"""Each checkov skip of policy/checkov-skips.yaml covers exactly the stacks it names (platform_tools/policy.py).

A skip scoped to some stacks turns a failed check into a skipped one in those stacks only: in every
other stack of every shipped environment the same failure still fails the gate. The scope of each
skip is pinned here, so widening one (dropping its ``stacks:``, or adding a stack) fails until the
pin is changed on purpose, in review; so does a new skip for every stack (the file says: no blanket
skips beyond these).

Fast: canned checkov results through the gate's own counting (:func:`~platform_tools.policy.tally`),
no checkov, no synth.
"""

from __future__ import annotations

import json

import pytest

from platform_constructs.spec.loading import load_environment
from platform_tools.policy import Skip, load_skips, parse_reports, problems, tally
from tests.helpers import ROOT
from tests.test_policy_checkov import ckv, report

#: The skips for every stack: checks that do not apply to the platform anywhere.
EVERY_STACK = {"CKV_AWS_338", "CKV_AZURE_40", "CKV_AZURE_226"}

_OBS_DATA = ("observability", "data")
#: Each scoped skip and the stacks it names.
SCOPED: dict[str, set[str]] = {
    "CKV_AWS_39": {"aws-dev-cluster"},
    "CKV_AZURE_217": {"azure-dev-cluster", "azure-prod-cluster"},
    "CKV_AZURE_135": {"azure-dev-cluster", "azure-prod-cluster"},
    "CKV_AZURE_206": {"azure-dev-observability", "azure-prod-observability"},
    "CKV_AZURE_33": {f"azure-{e}-{layer}" for e in ("dev", "prod") for layer in _OBS_DATA},
    "CKV2_AZURE_21": {f"azure-{e}-{layer}" for e in ("dev", "prod") for layer in _OBS_DATA},
    "CKV_GCP_62": {f"gcp-{e}-{layer}" for e in ("dev", "prod") for layer in _OBS_DATA},
    "CKV_AWS_144": {f"aws-{e}-{layer}" for e in ("dev", "prod", "local") for layer in _OBS_DATA},
    "CKV2_AWS_62": {f"aws-{e}-{layer}" for e in ("dev", "prod", "local") for layer in _OBS_DATA},
    "CKV_AWS_145": {f"aws-{e}-{layer}" for e in ("dev", "prod", "local") for layer in _OBS_DATA},
    "CKV_AZURE_164": {"azure-prod-data"},
    "CKV_AZURE_165": {"azure-prod-data"},
    "CKV_AZURE_166": {"azure-prod-data"},
}

SKIPS = load_skips()


def shipped_stacks() -> list[str]:
    """Every stack the shipped environment files synthesize (``<name>-<layer>``)."""
    out = []
    for path in sorted((ROOT / "environments").glob("*.yaml")):
        spec = load_environment(path)
        out += [spec.stack_name(layer) for layer in spec.layers()]
    return sorted(out)


STACKS = shipped_stacks()


def test_every_skip_has_its_pinned_scope():
    scopes = {check_id: (None if skip.stacks is None else set(skip.stacks)) for check_id, skip in SKIPS.items()}
    pinned = {**{c: None for c in EVERY_STACK}, **SCOPED}
    widened = sorted(c for c in scopes if scopes[c] is None and c not in EVERY_STACK)
    assert widened == [], f"skipped for every stack, but pinned to named stacks (or new): {widened}"
    assert scopes == pinned


@pytest.mark.parametrize("check_id", sorted(SCOPED))
def test_a_scoped_skip_names_shipped_stacks_only(check_id):
    assert SKIPS[check_id].stacks, check_id
    assert set(SKIPS[check_id].stacks) <= set(STACKS), f"{check_id}: names stacks no environment synthesizes"


@pytest.mark.parametrize("check_id", sorted(SCOPED))
def test_a_scoped_skip_is_applied_in_its_stacks_and_nowhere_else(check_id):
    skip = SKIPS[check_id]
    named = set(skip.stacks or ())
    others = [s for s in STACKS if s not in named]
    assert others, check_id
    failed = [ckv(check_id, stack, f"resource.thing_{i}", "FAILED") for i, stack in enumerate(STACKS)]
    results = {r.stack: r for r in tally({s: 1 for s in STACKS}, parse_reports(json.dumps(report(failed=failed))),
                                        SKIPS)}
    for stack in STACKS:
        r = results[stack]
        if stack in named:
            assert skip.applies(stack) and r.skipped and not r.failed, stack
        else:
            assert not skip.applies(stack) and r.failed and not r.skipped, stack
    gate = problems(list(results.values()))
    assert sorted(line.split()[1].rstrip(":") for line in gate) == sorted(others)


@pytest.mark.parametrize("check_id", sorted(EVERY_STACK))
def test_a_skip_for_every_stack_is_applied_everywhere(check_id):
    failed = [ckv(check_id, stack, "resource.thing", "FAILED") for stack in STACKS]
    results = tally({s: 1 for s in STACKS}, parse_reports(json.dumps(report(failed=failed))), SKIPS)
    assert problems(results) == []


def test_a_skip_read_from_the_file_keeps_its_stacks(tmp_path):
    path = tmp_path / "checkov-skips.yaml"
    path.write_text('skips:\n  CKV_X_1:\n    reason: "only where it is needed"\n    stacks: [a-cluster]\n')
    assert load_skips(path) == {"CKV_X_1": Skip("CKV_X_1", "only where it is needed", ("a-cluster",))}
