"""platform_tools/synth.py: all or nothing, every error one line, parallel really parallel, signals clean up."""

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import main
from platform_constructs.invariants import Violation
from platform_tools import synth as pipeline
from tests.helpers import ROOT, snapshot

ENVS = ROOT / "environments"
DEV, PROD, GCP_DEV = (str(ENVS / f) for f in ("aws-dev.yaml", "aws-prod.yaml", "gcp-dev.yaml"))


@pytest.fixture(scope="module")
def prod_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("prod") / "cdktf.out"
    assert main.main(["--env-file", PROD, "--outdir", str(out)]) == 0
    return out


@pytest.fixture
def out(tmp_path, prod_out):
    target = tmp_path / "cdktf.out"
    shutil.copytree(prod_out, target)
    return target


def one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    return lines[0]


def test_failure_after_writing_keeps_the_earlier_output_byte_for_byte(out, monkeypatch, capsys):
    """The second environment's stacks are written, then an invariant fails: nothing reaches the output."""
    before = snapshot(out)
    real = pipeline.check_stack

    def second_env_violates(stack, doc, spec):
        found = list(real(stack, doc, spec))
        return found + ([Violation(stack, "resource.x", "planted violation")] if spec.name == "aws-local" else [])

    monkeypatch.setattr(pipeline, "check_stack", second_env_violates)
    code = main.main(["--env-file", DEV, "--env-file", str(ENVS / "aws-local.yaml"), "--outdir", str(out), "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "platform invariant: aws-local-network: resource.x: planted violation" in err
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir()] == ["cdktf.out"]


def test_an_error_raised_while_building_constructs_is_one_line_naming_the_file(out, monkeypatch, capsys):
    from platform_constructs.aws.kit import AwsKit

    def broken(self, scope, spec, network):
        raise RuntimeError("something deep in a construct\nwith a second line")

    before = snapshot(out)
    monkeypatch.setattr(AwsKit, "cluster", broken)
    assert main.main(["--env-file", DEV, "--outdir", str(out), "--jobs", "1"]) == 2
    assert one_error_line(capsys) == (f"{DEV}: (synth): building the stacks failed: RuntimeError: "
                                      "something deep in a construct with a second line")
    assert snapshot(out) == before


def test_a_construct_error_with_a_field_path_names_the_field(out, monkeypatch, capsys):
    from platform_constructs.aws.kit import AwsKit

    class PoolError(ValueError):
        field_path = "cluster.node_pools.0.instance_types"

    def broken(self, scope, spec, network):
        raise PoolError("mixes ARM and x86")

    monkeypatch.setattr(AwsKit, "cluster", broken)
    assert main.main(["--env-file", DEV, "--outdir", str(out)]) == 2
    assert one_error_line(capsys) == f"{DEV}: cluster.node_pools.0.instance_types: mixes ARM and x86"


def test_a_construct_error_in_a_real_process_prints_no_traceback(tmp_path):
    code = ("import sys, main\n"
            "from platform_constructs.aws.kit import AwsKit\n"
            "def broken(*a, **k): raise KeyError('zone')\n"
            "AwsKit.network = broken\n"
            f"sys.exit(main.main(['--env-file', {DEV!r}, '--outdir', {str(tmp_path / 'o')!r}]))\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"{DEV}: (synth): building the stacks failed: KeyError: 'zone'"]
    assert not (tmp_path / "o").exists()


def test_a_mixed_cloud_synth_really_runs_worker_processes(tmp_path):
    specs = pipeline.load_all([DEV, GCP_DEV])
    assert pipeline.synthesize(specs, tmp_path / "par", sources=[DEV, GCP_DEV], jobs=2) == 2
    assert pipeline.synthesize(specs, tmp_path / "ser", sources=[DEV, GCP_DEV], jobs=1) == 0
    assert snapshot(tmp_path / "par") == snapshot(tmp_path / "ser")


def test_a_failing_worker_reports_its_one_line_and_keeps_the_output(out, tmp_path, capsys):
    bad = tmp_path / "gcp-bad.yaml"
    bad.write_text((ENVS / "gcp-dev.yaml").read_text().replace("name: gcp-dev", "name: gcp-bad")
                   .replace("min_size: 3", "min_size: 1", 1))
    before = snapshot(out)
    assert main.main(["--env-file", DEV, "--env-file", str(bad), "--outdir", str(out), "--jobs", "2"]) == 2
    assert one_error_line(capsys).startswith(f"{bad}: cluster.node_pools.0.min_size: 1 is below 3")
    assert snapshot(out) == before


def test_success_line_goes_to_stdout_and_is_silent_under_the_cli(tmp_path, monkeypatch, capsys):
    assert main.main(["--env-file", DEV, "--outdir", str(tmp_path / "a")]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out.splitlines()[-1].startswith(
        f"synthesized 1 environment(s) into {tmp_path / 'a'}: aws-dev (")
    monkeypatch.setenv("CDKTF_OUTDIR", str(tmp_path / "b"))
    monkeypatch.setenv("CDKTF_CONTEXT_JSON", "{}")
    assert main.main(["--env-file", DEV]) == 0
    captured = capsys.readouterr()
    # under the CLI: the per-stack progress lines only (tests/test_progress.py); the CLI names the folder itself
    assert captured.err == "" and "synthesized" not in captured.out and "aws-dev-network" in captured.out
    assert (tmp_path / "b/stacks/aws-dev-network").is_dir()


@pytest.mark.parametrize("name, value, problem", [
    ("PLATFORM_SYNTH_JOBS", "abc", "PLATFORM_SYNTH_JOBS='abc': not a number of processes from 1 to 64"),
    ("PLATFORM_SYNTH_JOBS", "0", "PLATFORM_SYNTH_JOBS='0': not a number of processes from 1 to 64"),
    ("PLATFORM_ENV_FILES", " , ", "PLATFORM_ENV_FILES=' , ': names no file"),
])
def test_bad_settings_are_one_line_and_exit_2(name, value, problem, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(name, value)
    assert main.main(["--outdir", str(tmp_path / "o")]) == 2
    assert one_error_line(capsys).startswith(problem)
    assert not (tmp_path / "o").exists()


def test_bad_jobs_option(tmp_path, capsys):
    assert main.main(["--env-file", DEV, "--jobs", "-3", "--outdir", str(tmp_path / "o")]) == 2
    assert one_error_line(capsys).startswith("--jobs='-3': not a number of processes")


def test_two_environments_with_one_cluster_name_in_one_region_are_refused(tmp_path, capsys):
    twin = tmp_path / "aws-twin.yaml"
    twin.write_text((ENVS / "aws-dev.yaml").read_text().replace("name: aws-dev\n", "name: aws-twin\n", 1))
    assert main.main(["--env-file", DEV, "--env-file", str(twin), "--outdir", str(tmp_path / "o")]) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"{twin}: cluster.name: ") and f"already the cluster of {DEV}" in line


# --------------------------------------------------------------------------- signals


def _procs_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


@pytest.mark.slow
@pytest.mark.parametrize("sig, jobs", [(signal.SIGTERM, "1"), (signal.SIGTERM, "2"), (signal.SIGINT, "2"), (signal.SIGINT, "1")])
def test_a_signal_during_synth_cleans_up_and_keeps_the_output(sig, jobs, out):
    before = snapshot(out)
    # Default dispositions in the child: a harness that runs the suite in the background without job control
    # has SIGINT ignored, which the child would inherit (and rightly keep ignoring).
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--outdir", str(out), "--jobs", jobs],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not list(out.parent.glob(".cdktf.out.new-*/*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    staging = next(out.parent.glob(".cdktf.out.new-*"))
    time.sleep(1.5)  # inside the build: workers started, jsii busy
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 128 + sig, stderr
    assert stderr.strip().splitlines() == [
        f"interrupted ({signal.Signals(sig).name}): nothing was written, the previous output is unchanged"]
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir()] == ["cdktf.out"]
    time.sleep(0.5)
    assert _procs_mentioning(str(staging)) == [], "worker processes outlived the synth"
