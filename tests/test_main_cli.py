"""main.py: synth all or some environments, deterministic output, and bad input that loses nothing."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import main
from tests.helpers import PROJECT_PARTS, ROOT, snapshot, stack_names

def run_main(*args, cwd=ROOT, env=None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, str(Path(cwd) / "main.py"), *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def good_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("good") / "cdktf.out"
    assert main.main(["--env-file", str(ROOT / "environments/aws-prod.yaml"), "--outdir", str(out)]) == 0
    return out


def test_env_file_option_synthesizes_only_that_environment(good_out):
    assert sorted(p.name for p in (good_out / "stacks").iterdir()) == stack_names("aws-prod")
    manifest = (good_out / "manifest.json").read_text()
    assert '"aws-prod-network"' in manifest and '"aws-dev-network"' not in manifest


def test_env_files_variable_selects_environments(tmp_path, monkeypatch):
    monkeypatch.setenv("PLATFORM_ENV_FILES", f"{ROOT}/environments/aws-dev.yaml")
    assert main.main(["--outdir", str(tmp_path / "o")]) == 0
    assert sorted(p.name for p in (tmp_path / "o/stacks").iterdir()) == stack_names("aws-dev")


def test_output_has_no_machine_paths_and_is_identical_from_any_checkout(tmp_path):
    outs = []
    for where in (tmp_path / "a", tmp_path / "deeper/checkout/b"):
        where.mkdir(parents=True)
        for part in PROJECT_PARTS:
            src = ROOT / part
            (shutil.copytree(src, where / part, ignore=shutil.ignore_patterns("__pycache__"))
             if src.is_dir() else shutil.copy(src, where / part))
        proc = run_main(cwd=where)
        assert proc.returncode == 0, proc.stderr
        outs.append(where / "cdktf.out")
    first, second = snapshot(outs[0]), snapshot(outs[1])
    assert first == second
    for rel, content in first.items():
        text = content.decode()
        for path in (str(tmp_path), str(ROOT), os.path.expanduser("~")):
            assert path not in text, f"{rel} contains the machine path {path}"


def test_local_state_survives_a_resynth(tmp_path):
    out = tmp_path / "cdktf.out"
    env = ["--env-file", str(ROOT / "environments/aws-dev.yaml"), "--outdir", str(out)]
    assert main.main(env) == 0
    state_dir = tmp_path / ".terraform-state"
    state_dir.mkdir()
    (state_dir / "aws-dev-network.tfstate").write_text('{"version": 4}')
    (out / "stacks/aws-dev-network/.terraform").mkdir()  # what `terraform init` leaves behind is replaced
    assert main.main(env) == 0
    assert (state_dir / "aws-dev-network.tfstate").read_text() == '{"version": 4}'


BAD_FILES = {
    "not-a-mapping.yaml": (b"- a\n- b\n", "(file)"),
    "empty.yaml": (b"", "(file)"),
    "unknown-key.yaml": (b"name: x\ncloud: aws\nregion: us-east-1\nzones: [us-east-1a]\nnetwork: {cidr: 10.0.0.0/16}\n"
                         b"cluster: {name: c, kubernetes_version: '1.33', node_pools: [{name: g, instance_types: [m6i.large]}]}\n"
                         b"colour: blue\n", "colour"),
    "old-version.yaml": (b"name: x\ncloud: aws\nregion: us-east-1\nzones: [us-east-1a]\nnetwork: {cidr: 10.0.0.0/16}\n"
                         b"cluster: {name: c, kubernetes_version: '1.29', node_pools: [{name: g, instance_types: [m6i.large]}]}\n",
                         "cluster.kubernetes_version"),
    "garbage.yaml": (bytes(range(256)), "(file)"),
    "bad-yaml.yaml": (b"name: x\n  cloud: [\n", "line"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_exits_2_with_one_line_and_leaves_output_untouched(name, tmp_path, good_out, capsys):
    content, field = BAD_FILES[name]
    out = tmp_path / "cdktf.out"
    shutil.copytree(good_out, out)
    before = snapshot(out)
    bad = tmp_path / name
    bad.write_bytes(content)
    code = main.main(["--env-file", str(ROOT / "environments/aws-prod.yaml"), "--env-file", str(bad), "--outdir", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bad}: {field}")
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".cdktf.out")] == []


def test_bad_file_through_the_real_process_prints_no_traceback(tmp_path, good_out):
    out = tmp_path / "cdktf.out"
    shutil.copytree(good_out, out)
    before = snapshot(out)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Not A Label\ncloud: aws\n")
    proc = run_main("--env-file", str(bad), "--outdir", str(out))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"{bad}: name: 'Not A Label' is not a DNS label of at most 40 characters "
                                               "(lowercase letters, digits, '-') (and 4 more problems)"]
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert snapshot(out) == before


def test_missing_file_and_duplicate_names(tmp_path, capsys):
    assert main.main(["--env-file", str(tmp_path / "none.yaml"), "--outdir", str(tmp_path / "o")]) == 2
    assert "none.yaml: (file): no such file" in capsys.readouterr().err
    prod = str(ROOT / "environments/aws-prod.yaml")
    assert main.main(["--env-file", prod, "--env-file", prod, "--outdir", str(tmp_path / "o")]) == 2
    assert "name: 'aws-prod' is already used" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main.main(["--env-file", str(ROOT / "environments/aws-dev.yaml"), "--outdir", str(blocker / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "(outdir): cannot create or open its parent folder" in err[0]
    assert blocker.read_text() == "not a folder"


def test_parallel_synth_by_cloud_equals_serial_and_lists_every_stack(tmp_path):
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    # Serial, so nothing a worker prints is lost: every shipped environment, quiet, leaves stderr empty
    # (stderr is for problems; cdktf's "escape sequences" warnings were noise there, issue 31).
    first = run_main("--jobs", "1", "--quiet", "--outdir", str(serial))
    assert first.returncode == 0 and first.stderr == "" and first.stdout == "", first.stderr
    proc = run_main("--jobs", "2", "--outdir", str(parallel))
    assert proc.returncode == 0, proc.stderr
    assert snapshot(parallel) == snapshot(serial)
    manifest = json.loads((parallel / "manifest.json").read_text())
    assert sorted(manifest["stacks"]) == sorted(p.name for p in (parallel / "stacks").iterdir())
    assert len({s.split("-")[0] for s in manifest["stacks"]}) >= 2  # several clouds really were split


def test_cloud_groups_never_exceed_jobs():
    from platform_constructs.spec import load_environment
    from platform_tools.synth import _cloud_groups

    files = sorted(str(p) for p in (ROOT / "environments").glob("*.yaml"))
    specs = [load_environment(f) for f in files]
    for jobs in (1, 2, 3, 8):
        groups = _cloud_groups(specs, files, jobs)
        assert len(groups) <= max(jobs, 1) and sorted(f for g in groups for f in g) == files
        for group in groups if jobs >= len({s.cloud for s in specs}) else []:
            assert len({load_environment(f).cloud for f in group}) == 1
