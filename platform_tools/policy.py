"""The security gate: checkov over every synthesized stack, plus the skip list with reasons.

    python -m platform_tools.policy [--outdir cdktf.out]

Prints one line per stack (resources, checks passed, failed, skipped) and exits 1
when any check failed or a stack was scanned with zero checks (checkov silently
skips files it cannot parse and still exits 0: checkov#7454).

Skips live in policy/checkov-skips.yaml, one reason each, either for every stack
(``CKV_X: "reason"``) or for named stacks only (``CKV_X: {reason: ..., stacks: [...]}``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SKIPS_FILE = ROOT / "policy" / "checkov-skips.yaml"
#: The platform's own checks (Helm releases, StorageClasses), loaded next to checkov's.
CHECKS_DIR = ROOT / "policy" / "checks"
#: checkov runs from its own virtualenv; override with PLATFORM_CHECKOV=/path/to/checkov.
CHECKOV_VAR = "PLATFORM_CHECKOV"


@dataclass(frozen=True)
class Skip:
    check_id: str
    reason: str
    stacks: tuple[str, ...] | None = None  # None: every stack

    def applies(self, stack: str) -> bool:
        return self.stacks is None or stack in self.stacks


@dataclass
class StackResult:
    stack: str
    resources: int
    passed: int = 0
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def checks(self) -> int:
        return self.passed + len(self.failed) + len(self.skipped)


def load_skips(path: Path = SKIPS_FILE) -> dict[str, Skip]:
    data = yaml.safe_load(path.read_text()) or {}
    out: dict[str, Skip] = {}
    for check_id, value in (data.get("skips") or {}).items():
        if isinstance(value, str):
            skip = Skip(check_id, value)
        else:
            skip = Skip(check_id, value["reason"], tuple(value["stacks"]) if value.get("stacks") else None)
        if not skip.reason.strip():
            raise ValueError(f"{path}: skips.{check_id}: needs a one-line reason")
        out[check_id] = skip
    return out


def checkov_binary() -> str:
    return os.environ.get(CHECKOV_VAR) or str(ROOT / ".venv-checkov" / "bin" / "checkov")


def run_checkov(stacks_dir: Path) -> list[dict]:
    proc = subprocess.run(
        [checkov_binary(), "-d", str(stacks_dir), "--framework", "terraform_json", "--skip-download", "--compact",
         "--external-checks-dir", str(CHECKS_DIR), "-o", "json"],
        capture_output=True, text=True, timeout=900,
    )
    if proc.returncode not in (0, 1) or not proc.stdout.strip():
        raise RuntimeError(f"checkov failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return parse_reports(proc.stdout)


def parse_reports(stdout: str) -> list[dict]:
    """checkov's ``-o json`` output as a list of reports (one framework prints a single object)."""
    reports = json.loads(stdout)
    return reports if isinstance(reports, list) else [reports]


def _stack_of(file_path: str) -> str:
    return Path(file_path).parent.name


def evaluate(stacks_dir: Path, skips: dict[str, Skip] | None = None) -> list[StackResult]:
    skips = load_skips() if skips is None else skips
    resources = resource_counts(stacks_dir)
    return tally(resources, run_checkov(Path(stacks_dir)), skips)


def resource_counts(stacks_dir: Path) -> dict[str, int]:
    """``{stack: number of resources}`` for every synthesized stack folder, in name order."""
    counts: dict[str, int] = {}
    for folder in sorted(p for p in Path(stacks_dir).iterdir() if (p / "cdk.tf.json").exists()):
        doc = json.loads((folder / "cdk.tf.json").read_text())
        counts[folder.name] = sum(len(v) for v in doc.get("resource", {}).values())
    return counts


def tally(resources: dict[str, int], reports: list[dict], skips: dict[str, Skip]) -> list[StackResult]:
    """Per-stack results from checkov's reports (no files, no subprocess).

    Every stack of ``resources`` gets a result, checks or not; a failed check listed in
    ``skips`` for that stack counts as skipped. Reports of other frameworks are ignored.
    """
    results = {stack: StackResult(stack, count) for stack, count in resources.items()}
    for report in reports:
        if report.get("check_type") != "terraform_json":
            continue
        for check in report["results"].get("passed_checks", []):
            results[_stack_of(check["file_path"])].passed += 1
        for check in report["results"].get("failed_checks", []):
            stack = _stack_of(check["file_path"])
            label = f"{check['check_id']} {check['resource']}"
            skip = skips.get(check["check_id"])
            (results[stack].skipped if skip and skip.applies(stack) else results[stack].failed).append(label)
    return list(results.values())


def table(results: list[StackResult]) -> str:
    lines = [f"{'stack':32} {'resources':>9} {'passed':>6} {'failed':>6} {'skipped':>7}"]
    for r in results:
        lines.append(f"{r.stack:32} {r.resources:>9} {r.passed:>6} {len(r.failed):>6} {len(r.skipped):>7}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="checkov over every synthesized stack")
    parser.add_argument("--outdir", default="cdktf.out", type=Path)
    args = parser.parse_args(argv)
    results = evaluate(args.outdir / "stacks")
    print(table(results))
    bad = problems(results)
    for line in bad:
        print(line)
    return 1 if bad else 0


def problems(results: list[StackResult]) -> list[str]:
    """What fails the gate: every failed check, and every stack with resources on which no check ran."""
    out = []
    for r in results:
        for failure in r.failed:
            out.append(f"FAILED {r.stack}: {failure}")
        if r.checks == 0 and r.resources > 0:
            out.append(f"NO CHECKS RAN {r.stack}: checkov could not parse it")
    return out


if __name__ == "__main__":
    sys.exit(main())
