"""`make diagram`: the Mermaid graph names every stack and every cross-stack reference of the synth output,
and docs/diagrams.md is what `make docs` draws from the shipped files now."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from platform_tools import diagram, docs
from tests.helpers import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    """One synth per diagram environment (one per cloud), as docs/diagrams.md draws them."""
    base = tmp_path_factory.mktemp("diagram")
    out = {}
    for env_file in docs.DIAGRAM_ENVIRONMENTS:
        outdir = base / re.sub(r"\W", "-", env_file)
        diagram.synthesize([env_file], outdir)
        out[env_file] = outdir
    return out


def remote_reads(outdir):
    """(producer, consumer, output, what the output holds) read straight from the JSON: every
    ``data.terraform_remote_state.<state>.outputs.<output>`` of a stack, the producer named by the state's
    backend settings (its state file, key or workspace holds the producer's stack name)."""
    stacks = {p.parent.name: json.loads(p.read_text()) for p in (outdir / "stacks").glob("*/cdk.tf.json")}
    found = set()
    for consumer, stack in stacks.items():
        states = stack.get("data", {}).get("terraform_remote_state", {})
        for state, output in re.findall(r"terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)", json.dumps(stack)):
            config = json.dumps(states[state])
            producer = max((s for s in stacks if s in config), key=len)
            value = stacks[producer]["output"][output]["value"]
            found.add((producer, consumer, output, value))
    return stacks, found


@pytest.mark.parametrize("env_file", docs.DIAGRAM_ENVIRONMENTS)
def test_the_graph_names_every_stack_and_every_cross_stack_reference(env_file, synthesized):
    outdir = synthesized[env_file]
    graph = diagram.mermaid(outdir)
    stacks, reads = remote_reads(outdir)
    assert graph.startswith("flowchart LR\n")
    for name in stacks:
        assert f"<b>{name}</b>" in graph, f"stack {name} is not drawn"
    if not env_file.endswith("onprem-example.yaml"):  # an existing cluster: its stacks read no remote state
        assert reads, "a cloud environment's later stacks read the earlier ones"
    edges = {}
    for line in graph.splitlines():
        match = re.fullmatch(r'\s*(\w+) -->\|"(.*)"\| (\w+)', line)
        if match:
            edges[(match.group(1), match.group(3))] = match.group(2)
    for producer, consumer, output, value in reads:
        key = (re.sub(r"\W", "_", producer), re.sub(r"\W", "_", consumer))
        assert key in edges, f"no arrow {producer} -> {consumer} (it reads {output})"
        kind, _name, attribute = re.fullmatch(r"\$\{(?:data\.)?([a-z0-9_]+)\.([\w-]+)\.(.+)\}", value).groups()
        assert f"{kind}.{attribute}" in edges[key], f"{producer} -> {consumer}: {output} ({value}) is not named"
    assert len(edges) == len({(p, c) for p, c, _o, _v in reads}), "an arrow no reference backs"


def test_the_readme_picture_has_the_arrows_of_aws_prod(synthesized):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    picture = re.search(r"```mermaid\n(.*?)```", readme, re.S).group(1)
    drawn = set(re.findall(r"^\s*(\w+) -->\|.*?\| (\w+)$", picture, re.M))
    graph = diagram.mermaid(synthesized["environments/aws-prod.yaml"])
    generated = {(p.removeprefix("aws_prod_"), c.removeprefix("aws_prod_"))
                 for p, c in re.findall(r"^\s*(\w+) -->\|.*?\| (\w+)$", graph, re.M)}
    assert drawn == generated, "README.md's picture and environments/aws-prod.yaml's stacks disagree"


def test_make_diagram_prints_the_graph_of_the_file(synthesized):
    done = subprocess.run([sys.executable, "-m", "platform_tools.diagram", "--env-file", "environments/aws-prod.yaml"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout == diagram.mermaid(synthesized["environments/aws-prod.yaml"])


def test_a_bad_file_gives_the_synth_line_and_its_status(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncloud: nowhere\n")
    done = subprocess.run([sys.executable, "-m", "platform_tools.diagram", "--env-file", str(bad)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"{bad}: cloud: 'nowhere' is not a supported cloud: use one of aws, gcp, azure, kubernetes"]
    assert done.stdout == ""


def test_docs_diagrams_is_what_make_docs_draws(synthesized):
    committed = (ROOT / docs.DIAGRAMS).read_text(encoding="utf-8")
    expected = diagram.page({env_file: diagram.mermaid(outdir) for env_file, outdir in synthesized.items()})
    assert committed == expected, f"{docs.DIAGRAMS} is stale: run `make docs` and commit it"
