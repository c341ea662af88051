"""`make mutate` (platform_tools/mutate.py): the target, its pins and its module table, checked without running mutmut."""

import re

import pytest

from platform_tools import mutate
from tests.helpers import ROOT


def test_make_mutate_installs_the_pinned_mutmut_and_runs_the_table():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^mutate: \.venv-mutate/\.installed$", makefile, re.M)
    assert "-m platform_tools.mutate" in makefile and "--modules $(MODULES)" in makefile
    assert "-r requirements/mutate.txt" in makefile
    test_target = re.search(r"^test: .*\n((?:\t.*\n)+)", makefile, re.M).group(0)
    assert "mutate" not in test_target
    pins = [line for line in (ROOT / "requirements/mutate.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    assert "mutmut==3.8.1" in pins
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][A-Za-z0-9.]*", line) for line in pins), pins


def test_the_workspaces_and_mutmut_copies_are_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert {".venv-mutate/", ".mutate/", "mutants/"} <= set(ignored)


@pytest.mark.parametrize("module", list(mutate.TARGETS))
def test_every_module_of_the_table_names_files_and_tests_that_exist(module):
    target = mutate.TARGETS[module]
    for pattern in target.files:
        assert list(ROOT.glob(pattern)), f"{module}: {pattern} matches no file"
    assert mutate.files_of(target), module
    assert all(path.endswith(".py") for path in mutate.files_of(target))
    for test in target.tests:
        assert (ROOT / test).exists(), f"{module}: {test} does not exist"
        assert test.startswith("tests/")
    # skipped functions must still exist, or the row silently tests more than it says
    names = {g.rsplit(".", 1)[1].split("__mutmut_")[0] for g in mutate.function_globs(target)}
    source = "\n".join((ROOT / f).read_text() for f in mutate.files_of(target))
    for skipped in target.skip_functions:
        assert skipped not in names
        assert f"def {skipped.removeprefix('x_').split('ǁ')[-1]}(" in source, f"{module}: {skipped} is gone"


def test_the_table_covers_the_modules_that_hold_the_rules():
    mutated = {f for t in mutate.TARGETS.values() for f in mutate.files_of(t)}
    wanted = [*(p.relative_to(ROOT).as_posix() for p in (ROOT / "platform_constructs/spec").glob("*.py")),
              *(f"platform_constructs/{cloud}/{name}.py" for cloud in ("aws", "gcp", "azure", "generic")
                for name in ("spec", "names")),
              *(p.relative_to(ROOT).as_posix() for p in (ROOT / "platform_constructs/invariants").glob("*.py")),
              "platform_tools/replacements.py", "platform_tools/destroys.py", "platform_tools/review.py",
              "platform_tools/policy.py"]
    assert sorted(set(wanted) - mutated) == []


def test_the_generated_config_is_relative_to_the_workspace(tmp_path):
    target = mutate.TARGETS["platform_constructs/invariants"]
    cfg = mutate.setup_cfg(target)
    assert "[mutmut]" in cfg and str(ROOT) not in cfg
    assert "\n    platform_constructs/invariants/node_pools.py" in cfg
    assert "\n    tests/invariants" in cfg
    space = mutate.prepare("platform_constructs/invariants", target, work=tmp_path)
    for name in mutate.SOURCE_PATHS:
        link = space / name
        assert link.is_symlink() and not str(link.readlink()).startswith("/") and link.resolve() == ROOT / name


def test_the_summary_replaces_only_its_module_in_the_generated_section(tmp_path):
    doc = tmp_path / "testing.md"
    doc.write_text("# Testing\n\nHand-written text.\n")
    policy = mutate.Summary("platform_tools/policy.py", {"killed": 9, "survived": 1}, seconds=60,
                            survivors=[mutate.Survivor("n", "platform_tools/policy.py", 7, "a > 0", "a >= 0")])
    mutate.update_doc([policy], doc)
    invariants = mutate.Summary("platform_constructs/invariants", {"killed": 4, "no tests": 1}, seconds=6)
    mutate.update_doc([invariants], doc)
    text = doc.read_text()
    assert text.startswith("# Testing\n\nHand-written text.\n") and text.count(mutate.BEGIN) == 1
    assert "| `platform_tools/policy.py` | 10 | 9 | 1 | 0 | 0 | 90.0% | 1.0 min |" in text
    assert "| `platform_constructs/invariants` | 5 | 4 | 0 | 0 | 1 | 80.0% | 0.1 min |" in text
    assert "- `platform_tools/policy.py:7` `a > 0` -> `a >= 0`. Needs a test." in text
    # table order, then a re-run of one module replaces its row and block only
    assert text.index("`platform_constructs/invariants` |") < text.index("`platform_tools/policy.py` |")
    mutate.update_doc([mutate.Summary("platform_tools/policy.py", {"killed": 10}, seconds=60)], doc)
    again = doc.read_text()
    assert "a >= 0" not in again and "| `platform_tools/policy.py` | 10 | 10 | 0 |" in again
    assert "| `platform_constructs/invariants` | 5 | 4 |" in again and again.count("#### `") == 2


def test_an_unknown_module_is_refused_with_the_choices(capsys):
    assert mutate.main(["--modules", "platform_constructs/nowhere"]) == 2
    err = capsys.readouterr().err
    assert "unknown module platform_constructs/nowhere" in err and "platform_constructs/invariants" in err
