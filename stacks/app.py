"""Synthesize environments into an output folder, all or nothing.

The app is synthesized into a fresh sibling folder of the output folder and
moved into place only when every environment loaded and synthesized, so a bad
environment file (or any other failure) leaves the previous output byte-for-byte
as it was.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cdktf import App

from platform_constructs.invariants import InvariantViolations, check_stack
from platform_constructs.kits import KITS
from platform_constructs.spec import EnvironmentSpec, SpecError, load_environment
from stacks.environment import EnvironmentStacks, build_environment

#: Feature flags `cdktf init` writes into cdktf.json; set in code so a plain
#: `python main.py` and `cdktf synth` produce the same logical ids.
APP_CONTEXT = {
    "excludeStackIdFromLogicalIds": "true",
    "allowSepCharsInLogicalIds": "true",
}

#: Comma-separated environment files to synthesize (used behind `cdktf synth`).
ENV_FILES_VAR = "PLATFORM_ENV_FILES"


def default_env_files(environments_dir: Path) -> list[Path]:
    return sorted(p for p in environments_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def env_files_from_environment() -> list[str]:
    raw = os.environ.get(ENV_FILES_VAR, "")
    return [part.strip() for part in raw.split(",") if part.strip()]


def load_all(files: list[str | Path]) -> list[EnvironmentSpec]:
    """Load every file; raise :class:`SpecError` for the first bad one."""
    specs: list[EnvironmentSpec] = []
    seen: dict[str, str] = {}
    for path in files:
        spec = load_environment(path)
        if spec.cloud not in KITS:
            raise SpecError(str(path), "cloud", f"{spec.cloud!r} has no kit yet: supported clouds are {', '.join(sorted(KITS))}")
        if spec.name in seen:
            raise SpecError(str(path), "name", f"{spec.name!r} is already used by {seen[spec.name]}: environment names must be unique")
        seen[spec.name] = str(path)
        specs.append(spec)
    return specs


def build_app(specs: list[EnvironmentSpec], outdir: str) -> App:
    app = App(outdir=outdir, context=dict(APP_CONTEXT), stack_traces=False)
    for spec in specs:
        build_environment(app, spec)
    return app


def stack_names(spec: EnvironmentSpec) -> list[str]:
    """Every stack an environment synthesizes, in deploy order."""
    return [spec.stack_name(f.name) for f in dataclasses.fields(EnvironmentStacks)]


class OutputError(Exception):
    """The output folder cannot be written."""


def synthesize(specs: list[EnvironmentSpec], outdir: Path, sources: list[str] | None = None, jobs: int = 1) -> None:
    """Synthesize ``specs`` and replace ``outdir`` with the result in one step.

    With ``jobs > 1`` and environments of several clouds, each cloud's environments
    are synthesized by their own process (given their files in ``sources``), and the
    parts merged into one output with one manifest, byte-identical to a serial synth.
    """
    outdir = Path(outdir)
    parent = outdir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.new-", dir=parent))
    except OSError as exc:
        raise OutputError(f"{outdir}: (outdir): cannot write the output folder ({exc.strerror or exc}): choose a writable --outdir") from None
    try:
        groups = _cloud_groups(specs, sources or [], jobs)
        if len(groups) > 1:
            _synth_in_parallel(groups, staging)
        else:
            build_app(specs, str(staging)).synth()
            check_invariants(specs, staging)
        _replace(staging, outdir.resolve())
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


class WorkerFailed(Exception):
    """A parallel synth worker failed; ``stderr`` is what it printed (already one line per problem)."""

    def __init__(self, code: int, stderr: str):
        self.code, self.stderr = code, stderr
        super().__init__(stderr)


def _cloud_groups(specs: list[EnvironmentSpec], sources: list[str], jobs: int) -> list[list[str]]:
    """Environment files grouped by cloud, merged down to at most ``jobs`` groups."""
    if jobs <= 1 or len(sources) != len(specs):
        return [sources]
    by_cloud: dict[str, list[str]] = {}
    for spec, source in zip(specs, sources):
        by_cloud.setdefault(spec.cloud, []).append(source)
    groups = sorted(by_cloud.values(), key=len)
    while len(groups) > jobs:
        groups = sorted([groups[0] + groups[1], *groups[2:]], key=len)
    return groups


def _synth_in_parallel(groups: list[list[str]], staging: Path) -> None:
    main_py = Path(__file__).resolve().parent.parent / "main.py"
    procs = []
    for i, files in enumerate(groups):
        args = [sys.executable, str(main_py), "--jobs", "1", "--outdir", str(staging / f"part-{i}")]
        for f in files:
            args += ["--env-file", f]
        procs.append(subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
    failures = [(p.wait(), p.stderr.read()) for p in procs]
    for code, err in failures:
        if code != 0:
            raise WorkerFailed(code, err)
    stacks: dict = {}
    version = None
    (staging / "stacks").mkdir()
    for i in range(len(groups)):
        part = staging / f"part-{i}"
        manifest = json.loads((part / "manifest.json").read_text())
        version = manifest["version"]
        stacks.update(manifest["stacks"])
        for folder in (part / "stacks").iterdir():
            os.rename(folder, staging / "stacks" / folder.name)
        shutil.rmtree(part)
    (staging / "manifest.json").write_text(cdktf_json({"stacks": stacks, "version": version}))


def cdktf_json(value) -> str:
    """JSON laid out as cdktf lays out manifest.json (sorted keys, 2 spaces, empty arrays split)."""
    text = json.dumps(value, indent=2, sort_keys=True)
    return re.sub(r"^( *)(.*)\[\]", r"\1\2[\n\1]", text, flags=re.MULTILINE)


def check_invariants(specs: list[EnvironmentSpec], outdir: Path) -> None:
    """Run the platform invariants on every synthesized stack; raise them all at once."""
    violations = []
    for spec in specs:
        for name in stack_names(spec):
            doc = json.loads((Path(outdir) / "stacks" / name / "cdk.tf.json").read_text())
            violations.extend(check_stack(name, doc, spec))
    if violations:
        raise InvariantViolations(violations)


def _replace(new: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rename(target, old / "out")
    os.rename(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
