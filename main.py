"""Synthesize the platform's stacks: every environment file, or the ones given.

    python main.py                                   # every file in environments/
    python main.py --env-file environments/aws-prod.yaml [--env-file ...] [--outdir DIR] [--quiet]
    PLATFORM_ENV_FILES=environments/aws-prod.yaml cdktf synth

On stdout, one line per stack written (environment, stack, resources, seconds), then
the total; ``--quiet`` prints none of them.
A bad environment file, option or output folder prints one line
``<file>: <field>: <problem>`` and exits with status 2; an interrupt prints one
line and exits with 130 (SIGINT) or 143 (SIGTERM). In every such case the
existing output folder is left as it was.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


class Interrupted(BaseException):
    """SIGTERM (or SIGHUP) arrived; unwinds like KeyboardInterrupt so every ``finally`` cleans up."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signum)


def _raise_interrupted(signum, _frame):
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env-file", action="append", default=[], metavar="PATH",
                        help="environment file to synthesize (repeatable). Default: $PLATFORM_ENV_FILES, else environments/*.yaml")
    parser.add_argument("--outdir", default=None,
                        help="output folder. Default: $CDKTF_OUTDIR (set by `cdktf synth`), else cdktf.out")
    parser.add_argument("--jobs", default=None,
                        help="processes for environments of different clouds. Default: $PLATFORM_SYNTH_JOBS, else the CPU count")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="print no progress: neither the line per stack nor the total (errors still show)")
    parser.add_argument("--part", default=None, help=argparse.SUPPRESS)  # a worker of a parallel synth
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        return _interrupted(signal.SIGINT, args.part)
    except Interrupted as stop:
        return _interrupted(stop.signum, args.part)


def _interrupted(signum: int, part: str | None) -> int:
    if part is None:
        print(f"interrupted ({signal.Signals(signum).name}): nothing was written, the previous output is unchanged", file=sys.stderr)
    # The jsii runtime relays its node process's stderr through sys.stderr from a thread; a kernel cut
    # off mid-request by the exit says "Error on jsii API channel ... ECONNRESET". Past the one line
    # above nothing more is news: drop that noise (stderr keeps exactly one line).
    sys.stderr.flush()
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives until the process exits
    return 128 + signum


def _run(args: argparse.Namespace) -> int:
    import platform_constructs  # noqa: F401 - installs the provider loader first
    from platform_tools.synth import (
        InvariantViolations, OutputError, Progress, SettingError, SpecError, WorkerFailed, env_files, jobs_setting,
        load_all, synth_part, synthesize,
    )
    from platform_tools.output import under_cdktf_cli

    try:
        files = env_files(args.env_file)
        if args.part:
            synth_part(files, Path(args.part))
            return 0
        jobs = jobs_setting(args.jobs)
        outdir = Path(args.outdir or os.environ.get("CDKTF_OUTDIR") or "cdktf.out")
        specs = load_all(files)
        progress = Progress(specs, quiet=args.quiet)
        workers = synthesize(specs, outdir, sources=[str(f) for f in files], jobs=jobs, on_stack=progress.stack)
    except (SpecError, OutputError, SettingError) as err:
        print(str(err), file=sys.stderr)
        return 2
    except WorkerFailed as err:
        sys.stderr.write(err.stderr)
        return err.code
    except InvariantViolations as err:
        for violation in err.violations:
            print(f"platform invariant: {violation}", file=sys.stderr)
        return 2
    if not under_cdktf_cli(outdir):  # the CLI names the output folder itself
        progress.total(specs, outdir, workers)
    return 0


if __name__ == "__main__":
    for _signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(_signum, _raise_interrupted)
    sys.exit(main())
