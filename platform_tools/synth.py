"""The synth pipeline: environment files in, one output folder out, all or nothing.

1. load every environment file (one line per bad file, :class:`SpecError`);
2. under a lock on the output's parent, check that the output path is ours to
   replace (:mod:`platform_tools.output`);
3. build the stacks into a hidden staging sibling: environments of different clouds
   in worker processes (``--jobs``), merged into one output and one manifest,
   byte-identical to a serial synth; any error raised while building constructs
   becomes one line naming the environment file;
4. check the platform invariants on every stack, and report each stack written
   (:class:`StackReport`: environment, stack, resources, seconds) in a deterministic
   order: the environments as given, each one's stacks in deploy order;
5. move the result into place; on any failure or signal the staging folder is
   removed, worker processes are stopped, and the previous output stays as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator, TextIO

from cdktf import App, TerraformStack

from platform_constructs.invariants import InvariantViolations, check_stack
from platform_constructs.spec import EnvironmentSpec, SpecError, load_environment
from platform_tools.output import OutputError, check_outdir, install, locked, make_staging
from stacks.environment import build_environment

ROOT = Path(__file__).resolve().parent.parent

#: Feature flags `cdktf init` writes into cdktf.json; set in code so a plain
#: `python main.py` and `cdktf synth` produce the same logical ids.
APP_CONTEXT = {
    "excludeStackIdFromLogicalIds": "true",
    "allowSepCharsInLogicalIds": "true",
}

#: Comma-separated environment files to synthesize (used behind `cdktf synth`).
ENV_FILES_VAR = "PLATFORM_ENV_FILES"
#: Worker processes for environments of different clouds.
JOBS_VAR = "PLATFORM_SYNTH_JOBS"

__all__ = ["OutputError", "SettingError", "SpecError", "WorkerFailed", "InvariantViolations", "synthesize"]


class SettingError(Exception):
    """A bad command-line option or environment variable; ``str()`` is one line."""


class WorkerFailed(Exception):
    """A parallel synth worker failed; ``stderr`` is what it printed (already one line per problem)."""

    def __init__(self, code: int, stderr: str):
        self.code, self.stderr = code, stderr
        super().__init__(stderr)


# --------------------------------------------------------------------------- inputs


def default_env_files(environments_dir: Path) -> list[Path]:
    return sorted(p for p in environments_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def env_files(given: list[str], environ=os.environ, environments_dir: Path = ROOT / "environments") -> list[str]:
    """``--env-file`` values, else ``$PLATFORM_ENV_FILES``, else every file in ``environments/``."""
    if given:
        return list(given)
    raw = environ.get(ENV_FILES_VAR)
    if raw is not None and raw.strip():
        files = [part.strip() for part in raw.split(",") if part.strip()]
        if not files:
            raise SettingError(f"{ENV_FILES_VAR}={raw!r}: names no file: give comma-separated paths, or unset it")
        return files
    files = [str(p) for p in default_env_files(environments_dir)] if environments_dir.is_dir() else []
    if not files:
        raise SettingError(f"{environments_dir}: holds no environment file (*.yaml): add one, or pass --env-file")
    return files


def jobs_setting(given: str | None, environ=os.environ) -> int:
    """``--jobs``, else ``$PLATFORM_SYNTH_JOBS``, else the CPU count; a whole number from 1 to 64."""
    name, raw = ("--jobs", given) if given is not None else (JOBS_VAR, environ.get(JOBS_VAR))
    if raw is None or (name == JOBS_VAR and not raw.strip()):
        return os.cpu_count() or 1
    if not re.fullmatch(r"\s*\d{1,3}\s*", raw) or not 1 <= int(raw) <= 64:
        raise SettingError(f"{name}={raw!r}: not a number of processes from 1 to 64: give e.g. 2, or leave it unset for the CPU count")
    return int(raw)


def load_all(files: list[str | Path]) -> list[EnvironmentSpec]:
    """Load every file; raise :class:`SpecError` for the first bad one."""
    specs: list[EnvironmentSpec] = []
    names: dict[str, str] = {}
    clusters: dict[tuple[str, ...], str] = {}
    for path in files:
        spec = load_environment(path)
        if spec.name in names:
            raise SpecError(str(path), "name", f"{spec.name!r} is already used by {names[spec.name]}: environment names must be unique")
        where = spec.cluster_key()
        if where in clusters:
            raise SpecError(str(path), *spec.cluster_clash(clusters[where]))
        names[spec.name], clusters[where] = str(path), str(path)
        specs.append(spec)
    return specs


# --------------------------------------------------------------------------- progress


@dataclasses.dataclass(frozen=True)
class StackReport:
    """One stack written: its environment, name, ``resource`` count and the seconds it took
    (building its constructs plus writing its JSON)."""

    environment: str
    stack: str
    resources: int
    seconds: float


#: A worker's reports, in its part folder (read by the parent, removed with the part).
PROGRESS_FILE = "progress.json"


class Progress:
    """The progress lines on ``out`` (stdout): one per stack written, then the total; nothing when quiet.

    Each line is one ``write`` and flushed, and only the parent process prints, so lines never mix.
    """

    def __init__(self, specs: list[EnvironmentSpec], quiet: bool = False, out: TextIO | None = None):
        self.quiet, self.out = quiet, out
        self.reports: list[StackReport] = []
        self._env_width = max((len(s.name) for s in specs), default=0)
        self._stack_width = max((len(n) for s in specs for n in stack_names(s)), default=0)
        self._started = time.monotonic()

    def _say(self, line: str) -> None:
        if not self.quiet:
            out = self.out or sys.stdout
            out.write(line + "\n")
            out.flush()

    def stack(self, report: StackReport) -> None:
        self.reports.append(report)
        self._say(f"{report.environment:<{self._env_width}}  {report.stack:<{self._stack_width}}  "
                  f"{report.resources:>5} resources  {report.seconds:6.1f} s")

    def total(self, specs: list[EnvironmentSpec], outdir: Path, workers: int) -> None:
        how = f" by {workers} processes" if workers else ""
        names = ", ".join(spec.name for spec in specs)
        resources = sum(r.resources for r in self.reports)
        self._say(f"synthesized {len(specs)} environment(s) into {outdir}{how}: {names} "
                  f"({len(self.reports)} stacks, {resources} resources, {time.monotonic() - self._started:.1f} s)")


@contextlib.contextmanager
def _stack_starts() -> Iterator[list[tuple[str, float]]]:
    """(stack id, monotonic time) of every stack whose construction begins inside the block.

    Every stack class calls ``TerraformStack.__init__`` first, so wrapping it for the block's
    duration times each stack's constructs without the stack classes knowing; restored on exit.
    """
    starts: list[tuple[str, float]] = []
    original = TerraformStack.__init__

    def timed(self, scope, id, *args, **kwargs):  # noqa: A002 - cdktf's parameter name
        starts.append((id, time.monotonic()))
        original(self, scope, id, *args, **kwargs)

    TerraformStack.__init__ = timed
    try:
        yield starts
    finally:
        TerraformStack.__init__ = original


def _reports(specs: list[EnvironmentSpec], folder: Path, starts: list[tuple[str, float]], built: float,
             synth_started: float) -> list[StackReport]:
    """One report per stack of ``specs``: its build share (until the next stack began) plus its
    write share (its file's mtime minus the previous file's, in the order cdktf wrote them)."""
    build = {sid: (ends - began) for (sid, began), ends in zip(starts, [t for _, t in starts[1:]] + [built])}
    files = {name: folder / "stacks" / name / "cdk.tf.json" for spec in specs for name in stack_names(spec)}
    written, previous = {}, synth_started
    for name, path in sorted(files.items(), key=lambda item: item[1].stat().st_mtime_ns):
        mtime = path.stat().st_mtime
        written[name], previous = max(0.0, mtime - previous), max(previous, mtime)
    out = []
    for spec in specs:
        for name in stack_names(spec):
            doc = json.loads(files[name].read_text())
            count = sum(len(instances) for instances in doc.get("resource", {}).values())
            out.append(StackReport(spec.name, name, count, round(build.get(name, 0.0) + written[name], 3)))
    return out


# --------------------------------------------------------------------------- building


def build_app(specs: list[EnvironmentSpec], outdir: str, sources: list[str] | None = None) -> App:
    """The cdktf app of ``specs``; an error while building becomes a :class:`SpecError` on its file."""
    app = App(outdir=outdir, context=dict(APP_CONTEXT), stack_traces=False)
    for spec, source in zip(specs, sources or [f"{s.name} (environment)" for s in specs]):
        try:
            build_environment(app, spec)
        except SpecError:
            raise
        except Exception as exc:  # noqa: BLE001 - every construct-time error reaches the user as one line
            raise construct_error(source, exc) from None
    return app


def construct_error(source: str, exc: BaseException) -> SpecError:
    field = getattr(exc, "field_path", None)
    message = " ".join(str(exc).split()) or type(exc).__name__
    if field:
        return SpecError(source, field, message)
    return SpecError(source, "(synth)", f"building the stacks failed: {type(exc).__name__}: {message[:300]}")


def stack_names(spec: EnvironmentSpec) -> list[str]:
    """Every stack an environment synthesizes, in deploy order: the layers of ``spec.layers()``
    (the cloud's kit's layers; observability when enabled, tenants when listed), as
    :func:`~stacks.environment.build_environment` builds them."""
    return [spec.stack_name(layer) for layer in spec.layers()]


def synth_into(specs: list[EnvironmentSpec], folder: Path, sources: list[str] | None = None) -> list[StackReport]:
    """Build, write and check ``specs`` in ``folder`` (a fresh folder: staging or a worker's part)."""
    with _stack_starts() as starts:
        app = build_app(specs, str(folder), sources)
    built, synth_started = time.monotonic(), time.time()
    try:
        app.synth()
    except Exception as exc:  # noqa: BLE001
        raise construct_error((sources or ["(synth)"])[0], exc) from None
    check_invariants(specs, folder)
    return _reports(specs, folder, starts, built, synth_started)


def remote_state_consumers(outdir: Path) -> dict[str, list[str]]:
    """Stack -> the stacks reading its outputs (their ``terraform_remote_state`` data sources), from a
    synth output; every stack of the manifest is a key; names sorted."""
    names = sorted(json.loads((Path(outdir) / "manifest.json").read_text())["stacks"])
    consumers: dict[str, list[str]] = {name: [] for name in names}
    for name in names:
        doc = json.loads((Path(outdir) / "stacks" / name / "cdk.tf.json").read_text())
        for key in sorted(doc.get("data", {}).get("terraform_remote_state", {})):
            producer = key.removeprefix("cross-stack-reference-input-")
            if producer in consumers:
                consumers[producer].append(name)
    return consumers


def check_invariants(specs: list[EnvironmentSpec], outdir: Path) -> None:
    """Run the platform invariants on every synthesized stack; raise them all at once."""
    violations = []
    for spec in specs:
        for name in stack_names(spec):
            doc = json.loads((Path(outdir) / "stacks" / name / "cdk.tf.json").read_text())
            violations.extend(check_stack(name, doc, spec))
    if violations:
        raise InvariantViolations(violations)


# --------------------------------------------------------------------------- the whole synth


def synthesize(specs: list[EnvironmentSpec], outdir: Path, sources: list[str] | None = None, jobs: int = 1,
               protected: list[Path] | None = None, on_stack: Callable[[StackReport], None] | None = None) -> int:
    """Synthesize ``specs`` and put the result in ``outdir``, all or nothing.

    ``protected``: paths the output must never hold or replace (the environment files
    and the project root). ``on_stack``: called with each stack's report once every stack is
    written and checked, environments in the order of ``specs``, stacks in deploy order.
    Returns the number of worker processes that ran (0: serial).
    """
    outdir = Path(outdir)
    sources = sources or []
    guard = [*(Path(s) for s in sources), ROOT, *(protected or [])]
    with locked(outdir):
        check_outdir(outdir, guard)
        staging = make_staging(outdir)
        workers: list[subprocess.Popen] = []
        try:
            groups = _cloud_groups(specs, sources, jobs)
            if len(groups) > 1:
                reports = _synth_in_parallel(groups, staging, workers)
            else:
                reports = synth_into(specs, staging, sources or None)
            order = {name: i for i, name in enumerate(n for spec in specs for n in stack_names(spec))}
            for report in sorted(reports, key=lambda r: order.get(r.stack, len(order))):
                if on_stack:
                    on_stack(report)
            install(staging, outdir)
            return len(workers)
        finally:
            for proc in workers:
                if proc.poll() is None:
                    proc.terminate()
                    proc.wait()
            shutil.rmtree(staging, ignore_errors=True)


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


def _synth_in_parallel(groups: list[list[str]], staging: Path, workers: list[subprocess.Popen]) -> list[StackReport]:
    main_py = ROOT / "main.py"
    for i, files in enumerate(groups):
        args = [sys.executable, str(main_py), "--part", str(staging / f"part-{i}")]
        for f in files:
            args += ["--env-file", f]
        workers.append(subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
    results = [proc.communicate() for proc in workers]
    for proc, (_, err) in zip(workers, results):
        if proc.returncode != 0:
            raise WorkerFailed(proc.returncode, err)
    stacks: dict = {}
    version = None
    reports: list[StackReport] = []
    (staging / "stacks").mkdir()
    for i in range(len(groups)):
        part = staging / f"part-{i}"
        reports += [StackReport(**r) for r in json.loads((part / PROGRESS_FILE).read_text())]
        manifest = json.loads((part / "manifest.json").read_text())
        version = manifest["version"]
        stacks.update(manifest["stacks"])
        for folder in (part / "stacks").iterdir():
            os.rename(folder, staging / "stacks" / folder.name)
        shutil.rmtree(part)
    (staging / "manifest.json").write_text(cdktf_json({"stacks": stacks, "version": version}))
    return reports


def synth_part(files: list[str], folder: Path) -> None:
    """A worker's share of a parallel synth: ``files`` into the fresh ``folder`` (inside the staging folder);
    its stack reports go to :data:`PROGRESS_FILE` there for the parent to print."""
    specs = load_all(files)
    reports = synth_into(specs, folder, [str(f) for f in files])
    (folder / PROGRESS_FILE).write_text(json.dumps([dataclasses.asdict(r) for r in reports]))


def cdktf_json(value) -> str:
    """JSON laid out as cdktf lays out manifest.json (sorted keys, 2 spaces, empty arrays split)."""
    text = json.dumps(value, indent=2, sort_keys=True)
    return re.sub(r"^( *)(.*)\[\]", r"\1\2[\n\1]", text, flags=re.MULTILINE)
