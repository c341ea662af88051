"""A Mermaid graph of an environment's stacks, drawn from its synthesized Terraform JSON.

Each stack is a node listing its main resource types (with counts); each arrow is a cross-stack
reference: a ``terraform_remote_state`` data source of the consuming stack, labelled with what the
outputs it reads hold (``aws_vpc.id``, ``aws_subnet.id ×3``). Nothing is drawn by hand.

    python -m platform_tools.diagram --env-file environments/aws-prod.yaml     # what `make diagram` runs
    python -m platform_tools.diagram --outdir cdktf.out --env aws-prod         # from an existing synth
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from platform_constructs.clouds import ALL_LAYERS

ROOT = Path(__file__).resolve().parent.parent
#: ``data.terraform_remote_state.<name>.outputs.<output>`` inside a stack's JSON.
_REMOTE_READ = re.compile(r"data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)")
#: cdktf's name for the remote state a consumer reads a producer through.
_REMOTE_PREFIX = "cross-stack-reference-input-"
#: An output's value: ``${type.name.attribute}`` or ``${data.type.name.attribute}``.
_REFERENCE = re.compile(r"^\$\{(?:data\.)?([a-z0-9_]+)\.[\w-]+\.(.+)\}$")


@dataclass(frozen=True)
class Reference:
    """One output of ``producer`` read by ``consumer`` through remote state."""

    producer: str
    consumer: str
    output: str
    #: What the output holds, ``<resource type>.<attribute>`` (the output's name if it is not a plain reference).
    label: str


def synthesize(env_files: list[str], outdir: Path, root: Path = ROOT) -> None:
    """``main.py --env-file ... --outdir outdir --quiet`` (exit status checked)."""
    files = [str(Path(f).resolve()) for f in env_files]
    command = [sys.executable, "main.py", *[a for f in files for a in ("--env-file", f)], "--outdir", str(outdir), "--quiet"]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stderr.strip() or f"synth failed with exit status {done.returncode}", file=sys.stderr)
        raise SystemExit(done.returncode)


def stack_names(outdir: Path, env: str | None = None) -> list[str]:
    """The stacks of the synth output (of environment ``env`` only when given), in deploy order."""
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    names = [n for n in manifest["stacks"] if env is None or n.rsplit("-", 1)[0] == env]

    def order(name: str) -> tuple[str, int]:
        head, _, layer = name.rpartition("-")
        return (head, ALL_LAYERS.index(layer) if layer in ALL_LAYERS else len(ALL_LAYERS))
    return sorted(names, key=order)


def _stack(outdir: Path, name: str) -> dict:
    return json.loads((outdir / "stacks" / name / "cdk.tf.json").read_text(encoding="utf-8"))


def main_resources(stack: dict) -> list[tuple[str, int]]:
    """(resource type, count) of the stack's main resources: every type but those that extend another
    type of the stack (``aws_s3_bucket_versioning`` belongs to ``aws_s3_bucket``), most numerous first."""
    counts = {kind: len(items) for kind, items in stack.get("resource", {}).items()}
    main = [k for k in counts if not any(k != other and k.startswith(other + "_") for other in counts)]
    return sorted(((k, counts[k]) for k in main), key=lambda kc: (-kc[1], kc[0]))


def _producer(name: str, config: dict, stacks: list[str]) -> str | None:
    if name.startswith(_REMOTE_PREFIX) and name[len(_REMOTE_PREFIX):] in stacks:
        return name[len(_REMOTE_PREFIX):]
    text = json.dumps(config)
    named = [s for s in stacks if s in text]
    return max(named, key=len) if named else None


def references(outdir: Path, names: list[str]) -> list[Reference]:
    """Every cross-stack reference among ``names``: each remote-state output a stack reads."""
    out: set[Reference] = set()
    stacks = {name: _stack(outdir, name) for name in names}
    for consumer, stack in stacks.items():
        remote = stack.get("data", {}).get("terraform_remote_state", {})
        text = json.dumps(stack)
        for state, output in _REMOTE_READ.findall(text):
            producer = _producer(state, remote.get(state, {}), names)
            if producer is None:
                continue
            value = stacks[producer].get("output", {}).get(output, {}).get("value")
            match = _REFERENCE.match(value) if isinstance(value, str) else None
            label = f"{match.group(1)}.{match.group(2)}" if match else output
            out.add(Reference(producer, consumer, output, label))
    return sorted(out, key=lambda r: (names.index(r.producer), names.index(r.consumer), r.label, r.output))


def _id(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def _text(label: str) -> str:
    return label.replace('"', "#quot;")


def mermaid(outdir: Path, env: str | None = None, limit: int = 8) -> str:
    """The graph (``flowchart LR``) of the stacks in ``outdir`` (of ``env`` only when given)."""
    names = stack_names(outdir, env)
    lines = ["flowchart LR"]
    for name in names:
        resources = main_resources(_stack(outdir, name))
        shown = [f"{kind} ×{count}" for kind, count in resources[:limit]]
        if len(resources) > limit:
            shown.append(f"+{len(resources) - limit} more types")
        lines.append(f'  {_id(name)}["<b>{name}</b><br>{"<br>".join(_text(s) for s in shown) or "no resources"}"]')
    edges: dict[tuple[str, str], Counter] = {}
    for ref in references(outdir, names):
        edges.setdefault((ref.producer, ref.consumer), Counter())[ref.label] += 1
    for (producer, consumer), labels in edges.items():
        text = "<br>".join(f"{label}{f' ×{n}' if n > 1 else ''}" for label, n in sorted(labels.items()))
        lines.append(f'  {_id(producer)} -->|"{_text(text)}"| {_id(consumer)}')
    return "\n".join(lines) + "\n"


def diagrams_page(env_files: tuple[str, ...], root: Path = ROOT) -> str:
    """docs/diagrams.md: one graph per environment file, each synthesized on its own."""
    graphs = {}
    with tempfile.TemporaryDirectory(prefix="diagram-") as tmp:
        for env_file in env_files:
            outdir = Path(tmp) / Path(env_file).stem
            synthesize([env_file], outdir, root)
            graphs[env_file] = mermaid(outdir)
    return page(graphs)


def page(graphs: dict[str, str]) -> str:
    """docs/diagrams.md from (environment file -> its graph)."""
    parts = [
        "# Stacks and cross-stack references, per cloud",
        "",
        "<!-- Generated by `make docs` (platform_tools/diagram.py) from a synth of each file; do not edit. -->",
        "",
        "Drawn from the synthesized Terraform JSON of one shipped environment per cloud: each box is a stack",
        "with its main resource types (a type that extends another, such as `aws_s3_bucket_versioning`, is",
        "left out for the one it extends), and each arrow a cross-stack reference (a `terraform_remote_state`",
        "output the later stack reads), labelled with what the output holds. A stack that finds an earlier",
        "stack's resources by name instead (much of GCP, all of `cloud: kubernetes`) draws no arrow. Draw your",
        "own file the same way:",
        "",
        "    make diagram ENV_FILE=environments/aws-dev.yaml",
    ]
    for env_file, graph in graphs.items():
        parts += ["", f"## `{env_file}`", "", "```mermaid", graph.rstrip("\n"), "```"]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m platform_tools.diagram", description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--env-file", help="synthesize this environment file (into a temporary folder) and draw it")
    source.add_argument("--outdir", help="draw an existing synth output folder")
    parser.add_argument("--env", help="with --outdir: only this environment's stacks")
    args = parser.parse_args(argv)
    if args.outdir:
        print(mermaid(Path(args.outdir), args.env), end="")
        return 0
    with tempfile.TemporaryDirectory(prefix="diagram-") as tmp:
        outdir = Path(tmp) / "out"
        synthesize([args.env_file], outdir)
        print(mermaid(outdir), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
