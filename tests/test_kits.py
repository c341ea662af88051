"""The cloud registry and the cloud-neutral stacks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from platform_constructs.kits import KITS, UnsupportedCloud, kit_for
from tests.helpers import ROOT

STACKS = Path(ROOT, "stacks")
#: Provider packages belong to the kits; a stack importing one is bound to a cloud.
PROVIDER_PREFIX = "cdktf_cdktf_provider_"
_COMPARISONS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.Is, ast.IsNot)


def test_aws_kit_is_registered_and_loads():
    kit = kit_for("aws")
    assert all(hasattr(kit, m) for m in ("configure_stack", "network", "cluster"))


def test_every_known_cloud_has_a_kit_and_unknown_ones_name_them():
    from platform_constructs.clouds import CLOUDS, load

    assert sorted(KITS) == sorted(CLOUDS)
    for cloud in CLOUDS.values():  # every model and kit the registry names exists
        assert load(cloud.model).model_fields["cloud"].annotation.__args__ == (cloud.name,)
        assert load(cloud.kit).__name__.endswith("Kit")
    with pytest.raises(UnsupportedCloud, match="'nimbus' has no kit yet: supported clouds are aws, azure, gcp"):
        kit_for("nimbus")


# --- stacks never branch on the cloud ------------------------------------------------------


def _is_cloud_attr(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "cloud"


def _is_registry(node: ast.AST) -> bool:
    """``KITS`` itself: ``spec.cloud in KITS`` validates against the registry, it does not branch."""
    return isinstance(node, ast.Name) and node.id == "KITS"


def cloud_branches(source: str, clouds=tuple(KITS)) -> list[str]:
    """Every place in ``source`` that names a cloud or compares ``<x>.cloud``; empty when neutral.

    - a cloud of the registry quoted either way (``"gcp"`` / ``'gcp'``, also in f-strings,
      comments and docstrings), and any string constant equal to one (``f"aws"``, ``r'gcp'``,
      triple quotes);
    - a ``.cloud`` compared with ``==``, ``!=``, ``in``, ``not in``, ``is``, ``is not``
      (on either side), except a membership test against the registry ``KITS``;
    - ``match <x>.cloud:``;
    - a cloud provider package (``cdktf_cdktf_provider_*``).
    """
    found = []
    for cloud in clouds:
        for quote in ('"', "'"):
            if f"{quote}{cloud}{quote}" in source:
                found.append(f"mentions {quote}{cloud}{quote}")
    if PROVIDER_PREFIX in source:
        found.append(f"mentions {PROVIDER_PREFIX}")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip().lower() in clouds:
            found.append(f"line {node.lineno}: string {node.value!r}")
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, operands, operands[1:]):
                if not isinstance(op, _COMPARISONS) or not (_is_cloud_attr(left) or _is_cloud_attr(right)):
                    continue
                if isinstance(op, (ast.In, ast.NotIn)) and _is_registry(right):
                    continue
                found.append(f"line {node.lineno}: compares .cloud ({type(op).__name__})")
        elif isinstance(node, ast.Match) and _is_cloud_attr(node.subject):
            found.append(f"line {node.lineno}: match on .cloud")
    return found


def stack_sources(root: Path = STACKS) -> list[Path]:
    return sorted(Path(root).rglob("*.py"))


def test_stacks_never_branch_on_the_cloud():
    sources = stack_sources()
    # An empty or wrong glob would make the loop below vacuous: the two layer stacks must be in it.
    assert {STACKS / "network.py", STACKS / "cluster.py"} <= set(sources), sources
    for path in sources:
        assert cloud_branches(path.read_text()) == [], path.relative_to(ROOT)


def test_every_registered_cloud_is_checked():
    assert set(KITS) >= {"aws", "gcp", "azure"}
    for cloud in KITS:
        for quote in ('"', "'"):
            assert cloud_branches(f"x = {quote}{cloud}{quote}\n"), (cloud, quote)


@pytest.mark.parametrize("source", [
    'if spec.cloud == "aws":\n    pass\n',
    "if spec.cloud == 'aws':\n    pass\n",
    "NAME = 'gcp'\n",
    'NAME = "azure"\n',
    'NAME = f"gcp"\n',
    "NAME = r'azure'\n",
    'NAME = """aws"""\n',
    "NAME = 'g' 'cp'\n",
    'if spec.cloud.upper() == "AWS":\n    pass\n',
    'label = f"{spec.cloud}" if spec.cloud != other else ""\n',
    "if spec.cloud == TARGET:\n    pass\n",
    "if TARGET == spec.cloud:\n    pass\n",
    "if self.spec.cloud!=TARGET:\n    pass\n",
    "if spec.cloud in ARM_CLOUDS:\n    pass\n",
    "if spec.cloud not in ARM_CLOUDS:\n    pass\n",
    "if spec.cloud is TARGET:\n    pass\n",
    "ok = (\n    spec.cloud\n    == TARGET\n)\n",
    "match spec.cloud:\n    case _:\n        pass\n",
    "from cdktf_cdktf_provider_aws.vpc import Vpc\n",
    "x = 1  # only for 'gcp'\n",
    'def f():\n    """Used when the cloud is "azure"."""\n',
])
def test_the_branch_check_flags_cloud_specific_source(source):
    assert cloud_branches(source), source


@pytest.mark.parametrize("source", [
    "kit = kit_for(spec.cloud)\n",
    "if spec.cloud not in KITS:\n    raise ValueError(spec.cloud)\n",
    "by_cloud.setdefault(spec.cloud, []).append(source)\n",
    'msg = f"{spec.cloud!r} has no kit yet"\n',
    'NAME = "aws-like"\n',
])
def test_the_branch_check_leaves_neutral_source_alone(source):
    assert cloud_branches(source) == []


def test_stack_sources_include_nested_packages(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "top.py").write_text("x = 1\n")
    (tmp_path / "sub" / "deeper" / "bad.py").write_text("if spec.cloud == 'gcp':\n    pass\n")
    found = {p.relative_to(tmp_path).as_posix(): cloud_branches(p.read_text()) for p in stack_sources(tmp_path)}
    assert set(found) == {"top.py", "sub/deeper/bad.py"}
    assert found["top.py"] == [] and found["sub/deeper/bad.py"]
