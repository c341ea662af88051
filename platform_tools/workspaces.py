"""The HCP Terraform workspace settings of environments with ``backend.type: cloud``, from a synth output.

    python -m platform_tools.workspaces --env-file environments/aws-prod.yaml [--outdir cdktf.out]

One line per workspace: name, project, tags, execution mode, and the workspaces its state must be
shared with ("Remote state sharing": exactly the stacks whose ``terraform_remote_state`` reads it).
The cloud block creates each workspace but cannot tag it (Terraform allows a workspace ``name`` or
``tags``, never both); set these in the UI, the API or with the ``tfe`` provider. A bad file or
option: one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


def lines(files: list[str], outdir: Path) -> list[str]:
    from platform_constructs.backend import workspace_settings
    from platform_constructs.spec.backend import CloudBackendSpec
    from platform_tools.synth import load_all, remote_state_consumers, stack_names

    specs = load_all(files)
    not_cloud = [f"{f}: backend.type: is {s.backend.type}, not cloud: workspaces exist only with type: cloud"
                 for f, s in zip(files, specs) if not isinstance(s.backend, CloudBackendSpec)]
    if not_cloud:
        raise ValueError(not_cloud[0])
    if not (outdir / "manifest.json").is_file():
        raise ValueError(f"{outdir}: (outdir): holds no synth output: run make synth (or main.py --outdir {outdir}) first")
    consumers = remote_state_consumers(outdir)
    out = []
    for spec in specs:
        missing = [n for n in stack_names(spec) if n not in consumers]
        if missing:
            raise ValueError(f"{outdir}: (outdir): lacks {', '.join(missing)}: synthesize this environment into it first")
        for ws in workspace_settings(spec, {n: consumers[n] for n in stack_names(spec)}):
            tags = ",".join(f"{k}:{v}" for k, v in ws.tags.items())
            shared = ",".join(ws.share_state_with) or "-"
            out.append(f"{ws.name}  project={ws.project or '(default)'}  tags={tags}  "
                       f"execution_mode={ws.execution_mode}  share_state_with={shared}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env-file", action="append", required=True, metavar="PATH", help="environment file (repeatable)")
    parser.add_argument("--outdir", default="cdktf.out", help="the synth output to read. Default: cdktf.out")
    args = parser.parse_args(argv)
    from platform_constructs.spec import SpecError
    try:
        for line in lines(args.env_file, Path(args.outdir)):
            print(line)
    except (SpecError, ValueError) as err:
        print(str(err), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
