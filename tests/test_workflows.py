"""The GitHub workflows: valid YAML, only make targets that exist, actions pinned by commit SHA,
read-only by default, no secrets and no `pull_request_target` for pull requests."""

import re
import shlex

import pytest
import yaml

from tests.helpers import ROOT

WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")


def makefile_targets(text: str) -> set[str]:
    """Every explicit target of a Makefile (``a b: deps`` rules; not variables like ``X := y``)."""
    targets = set()
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9_.%/$() -]+?)\s*::?(?!=)", line)
        if match and not line.startswith(("\t", "#")):
            targets.update(t for t in match.group(1).split() if not t.startswith((".", "$")))
    return targets


def load(path):
    # PyYAML reads the key `on` as True (YAML 1.1); the workflow's triggers are under True.
    return yaml.safe_load(path.read_text())


def steps(doc):
    for job in doc["jobs"].values():
        yield from job.get("steps", [])


def make_targets_called(run: str) -> list[str]:
    """The targets of every `make ...` command in a `run:` script (commands split at ; && || | and
    parentheses; options, VAR=value arguments and redirections are not targets)."""
    found = []
    for line in run.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split, lexer.commenters = True, "#"
        try:
            words = list(lexer)
        except ValueError:  # not shell (a heredoc's Python): it must not hide a make command
            assert not re.search(r"(^|[;&|(]\s*)make\s", line.strip()), line
            continue
        start, in_make, redirect = True, False, False
        for word in words:
            if redirect:  # the file of a redirection
                redirect = False
            elif set(word) <= set("<>&") and set(word) & set("<>"):
                redirect = True
            elif set(word) <= set(";&|()"):
                start, in_make = True, False
            elif start:
                start, in_make = False, word == "make"
            elif in_make and word in ("-C", "-f", "-I", "-o", "-W", "--directory", "--file"):
                redirect = True  # the option's value is not a target either
            elif in_make and not word.startswith("-") and "=" not in word:
                found.append(word)
    return found


def test_there_are_a_pull_request_and_a_deploy_workflow():
    assert {p.name for p in WORKFLOWS} == {"pull-request.yml", "deploy.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_parses_and_calls_only_existing_make_targets(path):
    doc = load(path)
    assert isinstance(doc, dict) and doc["jobs"], path
    targets = makefile_targets((ROOT / "Makefile").read_text())
    called = [t for step in steps(doc) if "run" in step for t in make_targets_called(step["run"])]
    assert called, f"{path.name} calls no make target"
    missing = sorted(set(called) - targets)
    assert not missing, f"{path.name} calls make targets the Makefile lacks: {missing}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_a_full_commit_sha_with_its_version_beside_it(path):
    uses = [step["uses"] for step in steps(load(path)) if "uses" in step]
    assert uses
    for ref in uses:
        assert PINNED.fullmatch(ref), f"{path.name}: {ref} is not pinned by a 40-hex commit SHA"
    for line in path.read_text().splitlines():
        if "uses:" in line:
            assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), f"{path.name}: no version comment: {line.strip()}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_are_read_only_unless_a_job_says_otherwise(path):
    doc = load(path)
    assert doc["permissions"] == {"contents": "read"}
    for name, job in doc["jobs"].items():
        assert job.get("permissions") in (None, {"pull-requests": "write"}), f"{path.name}: job {name} asks for more"


def test_pull_requests_run_untrusted_code_without_secrets_or_write_access():
    text = (ROOT / ".github/workflows/pull-request.yml").read_text()
    doc = load(ROOT / ".github/workflows/pull-request.yml")
    assert list(doc[True]) == ["pull_request"]  # never pull_request_target: that one runs with secrets
    assert "secrets." not in text
    # only the comment job may write, and the job that runs the pull request's code may not
    writers = [name for name, job in doc["jobs"].items() if job.get("permissions")]
    assert writers == ["comment"] and doc["jobs"]["comment"]["permissions"] == {"pull-requests": "write"}
    assert not make_targets_called("\n".join(step.get("run", "") for step in doc["jobs"]["comment"]["steps"]))
    review_runs = "\n".join(step.get("run", "") for step in doc["jobs"]["review"]["steps"])
    assert make_targets_called(review_runs) == ["synth", "check", "review"]
    assert 'BASE="origin/$BASE_REF"' in review_runs
    review = next(step for step in doc["jobs"]["review"]["steps"] if step.get("name") == "make review")
    assert review["env"]["BASE_REF"] == "${{ github.base_ref }}"  # never expanded into the script itself


def test_one_review_comment_is_found_by_its_marker_and_edited_in_place():
    doc = load(ROOT / ".github/workflows/pull-request.yml")
    script = next(s for s in doc["jobs"]["comment"]["steps"] if "github-script" in s.get("uses", ""))["with"]["script"]
    assert "<!-- platform-review -->" in script
    assert "updateComment" in script and "createComment" in script and "listComments" in script


def test_deploy_runs_on_main_or_by_hand_behind_environment_protection():
    doc = load(ROOT / ".github/workflows/deploy.yml")
    assert doc[True]["push"] == {"branches": ["main"]} and "workflow_dispatch" in doc[True]
    deploy = doc["jobs"]["deploy"]
    assert deploy["environment"] == "${{ matrix.environment }}"
    assert deploy["env"]["TF_TOKEN_app_terraform_io"] == "${{ secrets.TF_TOKEN_APP_TERRAFORM_IO }}"
    runs = "\n".join(step.get("run", "") for step in deploy["steps"])
    assert "deploy" in make_targets_called(runs) and "stack_names" in runs
