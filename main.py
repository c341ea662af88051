"""Synthesize the platform's stacks: every environment file, or the ones given.

    python main.py                                   # every file in environments/
    python main.py --env-file environments/aws-prod.yaml [--env-file ...] [--outdir DIR]
    PLATFORM_ENV_FILES=environments/aws-prod.yaml cdktf synth

A bad environment file prints one line ``<file>: <field>: <problem>`` and exits
with status 2; the existing output folder is left as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import platform_constructs  # noqa: E402,F401 - installs the provider loader first
from platform_constructs.invariants import InvariantViolations  # noqa: E402
from platform_constructs.spec import SpecError  # noqa: E402
from stacks.app import OutputError, WorkerFailed, default_env_files, env_files_from_environment, load_all, synthesize  # noqa: E402

ROOT = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env-file", action="append", default=[], metavar="PATH",
                        help="environment file to synthesize (repeatable). Default: $PLATFORM_ENV_FILES, else environments/*.yaml")
    parser.add_argument("--outdir", default=None,
                        help="output folder. Default: $CDKTF_OUTDIR (set by `cdktf synth`), else cdktf.out")
    parser.add_argument("--jobs", type=int, default=None,
                        help="processes for environments of different clouds. Default: $PLATFORM_SYNTH_JOBS, else the CPU count")
    args = parser.parse_args(argv)
    jobs = args.jobs or int(os.environ.get("PLATFORM_SYNTH_JOBS") or os.cpu_count() or 1)

    files = args.env_file or env_files_from_environment() or [str(p) for p in default_env_files(ROOT / "environments")]
    outdir = Path(args.outdir or os.environ.get("CDKTF_OUTDIR") or "cdktf.out")
    try:
        specs = load_all(files)
        synthesize(specs, outdir, sources=[str(f) for f in files], jobs=jobs)
    except (SpecError, OutputError) as err:
        print(str(err), file=sys.stderr)
        return 2
    except WorkerFailed as err:
        sys.stderr.write(err.stderr)
        return err.code
    except InvariantViolations as err:
        for violation in err.violations:
            print(f"platform invariant: {violation}", file=sys.stderr)
        return 2
    names = ", ".join(spec.name for spec in specs)
    print(f"synthesized {len(specs)} environment(s) into {outdir}: {names}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
