"""Ground truth for the review's guards: real Terraform plans against applied state on the emulator.

environments/aws-local.yaml's network, cluster and data stacks are applied ONCE to a local AWS emulator
(moto, with the cluster-security-group correction of tests/emulator_cluster_sg.py: without it the data
stack's NFS rule cannot be applied). Then, for each single change of :data:`CHANGES` to the environment
file, the changed file is synthesized, the review compares it with the applied one
(:func:`platform_tools.review.diff_trees`), and ``terraform plan -json -refresh=false -lock=false`` runs
against the same state (read-only; never applied) for every applied stack whose JSON changed. Per
resource, the plan's deletes and replacements (minus what a no-change plan already shows: the
emulator's artifacts) must each be flagged by the review as destroyed or replaced. Printed: flagged /
missed / invented per change and in total.

Not observable here, so not counted: replacements the review predicts in a stack whose JSON did not
change, through a replaced producer's output (the producer is not re-applied, so the consumer's plan
still reads the old output).
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from platform_tools.local import Emulator, aws_env, create_state_bucket, free_port, init, load_local_spec, synthesize, terraform
from platform_tools.review import diff_trees, env_names, load_stacks
from platform_tools.terraform import terraform_env
from tests.helpers import ROOT, live_printer

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

ENV_FILE = ROOT / "environments" / "aws-local.yaml"
LAYERS = ("network", "cluster", "data")

#: label -> text edits of the environment file (each a single change a pull request could make).
CHANGES: dict[str, list[tuple[str, str]]] = {
    "instance types": [("instance_types: [m6i.large]\n", "instance_types: [m6i.xlarge]\n")],
    "capacity": [("      capacity: spot\n", "      capacity: on_demand\n")],
    "max size": [("      max_size: 6\n", "      max_size: 8\n")],
    "min size": [("      min_size: 3\n      max_size: 9\n", "      min_size: 4\n      max_size: 9\n")],
    "label": [("      disk_size_gb: 50\n", "      disk_size_gb: 50\n      labels: {workload: general}\n")],
    "cidr": [("  cidr: 10.42.0.0/16\n", "  cidr: 10.43.0.0/16\n")],
    "nat": [("  nat: per_zone\n", "  nat: single\n")],
    "bucket rename": [("addons:\n  file_system:", "data:\n  buckets: [app, backups]\naddons:\n  file_system:")],
    "pool rename": [("    - name: spot\n", "    - name: batch\n")],
    "tag": [("  purpose: local-emulator\n", "  purpose: local-emulator\n  owner: sre\n")],
}


class GuardEmulator(Emulator):
    """:class:`Emulator` started through tests/emulator_cluster_sg.py (one more moto correction)."""

    SERVER = "tests.emulator_cluster_sg"


def edited(text: str, edits: list[tuple[str, str]]) -> str:
    for old, new in edits:
        assert old in text, f"{old!r} not in {ENV_FILE.name}: the change no longer applies"
        text = text.replace(old, new, 1)
    return text


def plan_actions(folder: Path, env: dict[str, str]) -> dict[str, tuple]:
    """``terraform plan`` (no refresh, no lock: the state is only read) -> {address: (actions, replace paths)}
    other than no-op/read."""
    terraform(["plan", "-refresh=false", "-lock=false", "-input=false", "-out=guard.tfplan"], folder, env)
    shown = json.loads(terraform(["show", "-json", "guard.tfplan"], folder, env).stdout)
    (folder / "guard.tfplan").unlink()
    return {rc["address"]: (rc["change"]["actions"], json.dumps(sorted(rc["change"].get("replace_paths") or [])))
            for rc in shown.get("resource_changes", []) if rc["change"]["actions"] not in (["no-op"], ["read"])}


def test_review_flags_every_delete_and_replace_terraform_plans(tmp_path_factory, request):
    say = live_printer(request)
    base = tmp_path_factory.mktemp("review-guard")
    started = time.monotonic()
    emulator = GuardEmulator(free_port(), base / "moto.log").start()
    try:
        source = ENV_FILE.read_text()
        spec = load_local_spec(ENV_FILE, endpoint=emulator.endpoint)
        create_state_bucket(spec, emulator.endpoint)
        stacks = synthesize(spec, base / "applied")
        env = aws_env(spec.region, terraform_env(base / "tf"))
        for layer in LAYERS:
            phase = time.monotonic()
            folder = stacks / spec.stack_name(layer)
            init(folder, env)
            terraform(["apply", "-auto-approve", "-input=false"], folder, env)
            say(f"[guard] apply {layer}: {time.monotonic() - phase:.0f}s")
        applied_docs = load_stacks(base / "applied")
        baseline = {spec.stack_name(layer): plan_actions(stacks / spec.stack_name(layer), env) for layer in LAYERS}
        say(f"[guard] applied and no-change plans in {time.monotonic() - started:.0f}s; artifacts: "
            + json.dumps({k: len(v) for k, v in baseline.items()}))

        totals = {"flagged": 0, "missed": 0, "invented": 0}
        missed_all, rows = [], []
        for label, edits in CHANGES.items():
            phase = time.monotonic()
            changed_file = base / "changes" / label.replace(" ", "-") / "aws-local.yaml"
            changed_file.parent.mkdir(parents=True)
            text = edited(source, edits)
            changed_file.write_text(text)
            outdir = changed_file.parent / "out"
            synthesize(load_local_spec(changed_file, endpoint=emulator.endpoint), outdir)
            head_docs = load_stacks(outdir)
            review = diff_trees(applied_docs, head_docs, names=(env_names([source]), env_names([text])))
            verdicts = review.verdicts()
            counts = {"flagged": 0, "missed": 0, "invented": 0}
            planned = []
            for layer in LAYERS:
                name = spec.stack_name(layer)
                if head_docs[name] == applied_docs[name]:
                    continue
                planned.append(layer)
                folder = stacks / name
                kept = (folder / "cdk.tf.json").read_bytes()
                shutil.copy2(outdir / "stacks" / name / "cdk.tf.json", folder / "cdk.tf.json")
                try:
                    actions = plan_actions(folder, env)
                finally:
                    (folder / "cdk.tf.json").write_bytes(kept)
                # what the no-change plan shows too (same actions, same replace paths) is the emulator's
                # artifact; an artifact replacement with more replace paths is a real one
                actions = {a: act for a, (act, paths) in actions.items() if baseline[name].get(a) != (act, paths)}
                destroyed = {a for a, act in actions.items() if "delete" in act}
                said = {a for (s, a), v in verdicts.items() if s == name and v in ("delete", "replace")}
                for address in sorted(destroyed):
                    if address in said:
                        counts["flagged"] += 1
                    else:
                        counts["missed"] += 1
                        missed_all.append(f"{label}: {name}: {address} {actions[address]}")
                counts["invented"] += len(said - destroyed)
                if said - destroyed:
                    say(f"[guard] {label}: {name}: review says destroyed/replaced, plan does not: "
                        + ", ".join(sorted(said - destroyed)))
                if label == "tag":
                    updates = {a for a, act in actions.items() if act == ["update"]}
                    tagged = {a for t in review.default_tags if t.stack == name for a in t.addresses} - set(baseline[name])
                    say(f"[guard] tag: {name}: plan updates {len(updates)}, review's tags_all count {len(tagged)}"
                        + (f"; differ: {sorted(updates ^ tagged)}" if updates != tagged else ""))
                    assert updates == tagged, f"{name}: tags_all in place: plan {sorted(updates)} review {sorted(tagged)}"
            for key in totals:
                totals[key] += counts[key]
            guard = (f"losses {len(review.losses)}, replacements {len(review.replacements)}, "
                     f"capacity {len(review.capacity)}, renames {len(review.renames)}")
            rows.append(f"{label}: planned {','.join(planned) or '-'}; flagged {counts['flagged']}, missed "
                        f"{counts['missed']}, invented {counts['invented']}; {guard}; {time.monotonic() - phase:.0f}s")
            say(f"[guard] {rows[-1]}")
        say(f"[guard] ground truth over {len(CHANGES)} changes: flagged {totals['flagged']}, missed {totals['missed']}, "
            f"invented {totals['invented']}; total {time.monotonic() - started:.0f}s")
        assert missed_all == [], "the plan deletes or replaces what the review does not flag:\n" + "\n".join(missed_all)
        assert totals["flagged"] > 0
    finally:
        emulator.stop()
