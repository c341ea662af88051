"""platform_tools/output.py: synth replaces only its own output, with ordinary permissions, one synth at a time."""

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

import main
from platform_tools import output
from tests.helpers import ROOT, snapshot, stack_names

DEV = str(ROOT / "environments/aws-dev.yaml")
PROD = str(ROOT / "environments/aws-prod.yaml")


def synth(outdir, *files, capsys=None):
    args = [a for f in (files or (DEV,)) for a in ("--env-file", str(f))]
    return main.main([*args, "--outdir", str(outdir)])


@pytest.fixture(scope="module")
def prod_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("prod") / "cdktf.out"
    assert synth(out, PROD) == 0
    return out


def refused(outdir, capsys, *files):
    code = synth(outdir, *files)
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith(f"{outdir}: (outdir): "), lines
    return lines[0]


def test_a_folder_holding_the_environment_files_is_refused_and_kept(tmp_path, capsys):
    envs = tmp_path / "environments"
    shutil.copytree(ROOT / "environments", envs)
    before = snapshot(envs)
    assert "aws-dev.yaml, which this synth reads" in refused(envs, capsys, envs / "aws-dev.yaml")
    assert "which this synth reads" in refused(tmp_path, capsys, envs / "aws-dev.yaml")  # an ancestor too
    assert snapshot(envs) == before


def test_the_project_root_is_refused(capsys):
    assert "which this synth reads" in refused(ROOT, capsys)
    assert (ROOT / "main.py").is_file() and (ROOT / "environments/aws-dev.yaml").is_file()


def test_a_regular_file_is_refused_not_replaced_by_a_folder(tmp_path, capsys):
    target = tmp_path / "notes.txt"
    target.write_text("mine")
    assert "is not a folder" in refused(target, capsys)
    assert target.read_text() == "mine"


def test_a_folder_a_synth_did_not_make_is_refused_and_kept(tmp_path, capsys):
    target = tmp_path / "work"
    (target / "stacks").mkdir(parents=True)
    (target / "thesis.tex").write_text("years of work")
    (target / "manifest.json").write_text('{"stacks": {}}')
    assert f"no {output.MARKER} in it" in refused(target, capsys)
    assert (target / "thesis.tex").read_text() == "years of work"


def test_absent_folder_is_created_with_ordinary_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        assert synth(tmp_path / "new/out") == 0
    finally:
        os.umask(umask)
    out = tmp_path / "new/out"
    assert (out / output.MARKER).is_file()
    assert out.stat().st_mode & 0o777 == 0o755
    assert [p.name for p in (tmp_path / "new").iterdir()] == ["out"]  # no staging left


def test_an_empty_folder_and_an_earlier_unmarked_output_are_accepted(tmp_path, prod_out):
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o700)
    assert synth(empty) == 0 and (empty / "stacks/aws-dev-network/cdk.tf.json").is_file()
    legacy = tmp_path / "legacy"
    shutil.copytree(prod_out, legacy)
    (legacy / output.MARKER).unlink()  # what versions before the marker wrote
    assert synth(legacy) == 0
    assert sorted(p.name for p in (legacy / "stacks").iterdir()) == stack_names("aws-dev")


def test_resynth_replaces_stacks_and_removes_ones_no_longer_synthesized(tmp_path, prod_out):
    out = tmp_path / "cdktf.out"
    shutil.copytree(prod_out, out)
    (out / "stacks/aws-prod-network/stale.txt").write_text("left by hand")
    assert synth(out) == 0
    assert sorted(p.name for p in (out / "stacks").iterdir()) == stack_names("aws-dev")
    assert sorted(json.loads((out / "manifest.json").read_text())["stacks"]) == stack_names("aws-dev")
    assert [p.name for p in tmp_path.iterdir()] == ["cdktf.out"]


def test_under_the_cdktf_cli_the_cli_removes_old_stack_folders_itself(tmp_path, prod_out, monkeypatch):
    out = tmp_path / "cdktf.out"
    shutil.copytree(prod_out, out)
    monkeypatch.setenv("CDKTF_OUTDIR", str(out))
    monkeypatch.setenv("CDKTF_CONTEXT_JSON", "{}")
    assert synth(out) == 0
    # the CLI listed these before running the app and deletes them afterwards: they must still exist
    assert sorted(p.name for p in (out / "stacks").iterdir()) == stack_names("aws-dev", "aws-prod")
    assert sorted(json.loads((out / "manifest.json").read_text())["stacks"]) == stack_names("aws-dev")


def test_a_failing_move_puts_the_previous_output_back(tmp_path, prod_out, monkeypatch, capsys):
    out = tmp_path / "cdktf.out"
    shutil.copytree(prod_out, out)
    before = snapshot(out)
    real_rename, calls = os.rename, []

    def flaky(src, dst):
        calls.append(src)
        if len(calls) == 4:
            raise OSError(28, "No space left on device")
        return real_rename(src, dst)

    monkeypatch.setattr(output.os, "rename", flaky)
    line = refused(out, capsys)
    assert "No space left on device" in line and "previous output is still there" in line
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["cdktf.out"]


@pytest.mark.slow
def test_two_synths_into_one_folder_are_serialized(tmp_path):
    out = tmp_path / "cdktf.out"
    fd = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a first synth holds it
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--env-file", DEV, "--outdir", str(out)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stderr.readline()  # printed once the lock is found taken
        time.sleep(1)
        assert proc.poll() is None and not out.exists(), "the second synth must wait for the lock"
    finally:
        os.close(fd)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert first.strip() == f"{out}: waiting for another synth into this folder to finish" and stderr == ""
    assert stdout.splitlines()[-1].startswith("synthesized 1 environment(s)")
    assert (out / "stacks/aws-dev-network/cdk.tf.json").is_file()
