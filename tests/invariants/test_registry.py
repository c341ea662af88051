"""Every rule registered, shipped environments keep them, and a violation stops the synth."""

import pytest

import main
from platform_constructs import invariants
from platform_constructs.invariants import Rule, Violation, check_stack, rules
from platform_constructs.spec import load_environment
from tests.helpers import LAYERS, ROOT, synth


def test_every_rule_is_registered():
    assert {r.id for r in rules()} == {"api-not-public", "buckets-private", "encrypted", "private-data", "kubernetes-version", "node-pools-ha", "no-open-ports", "storage-class-encrypted", "tagged"}


@pytest.mark.parametrize("path", sorted((ROOT / "environments").glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_environments_keep_every_invariant(path):
    spec = load_environment(path)
    for layer, doc in synth(spec).items():
        assert check_stack(f"{spec.name}-{layer}", doc, spec) == []


def test_a_violation_stops_the_synth_and_keeps_the_previous_output(tmp_path, monkeypatch, capsys):
    out = tmp_path / "cdktf.out"
    args = ["--env-file", str(ROOT / "environments/aws-dev.yaml"), "--outdir", str(out)]
    assert main.main(args) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()
    always = Rule("always", "test", lambda stack, doc, spec: [Violation(stack, "resource.x", "broken on purpose")])
    monkeypatch.setattr(invariants, "rules", lambda: [always])
    assert main.main(args) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"platform invariant: aws-dev-{layer}: resource.x: broken on purpose" for layer in LAYERS
    ]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
