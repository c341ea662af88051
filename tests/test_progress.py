"""Progress lines of main.py: one per stack written, then the total, on stdout; --quiet silences them."""

import json
import re
import subprocess
import sys

import pytest

from platform_constructs.spec import load_environment
from platform_tools.synth import stack_names
from tests.helpers import ROOT

ENVS = ROOT / "environments"
LINE = re.compile(r"(?P<env>\S+) +(?P<stack>\S+) +(?P<resources>\d+) resources +(?P<seconds>\d+\.\d) s")


@pytest.fixture
def env_file(tmp_path):
    """A copy of ``environments/<name>.yaml`` (the test reads the same file main.py reads)."""
    def copy(name):
        path = tmp_path / f"{name}.yaml"
        path.write_text((ENVS / f"{name}.yaml").read_text())
        return path
    return copy


def run_main(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def resource_count(out, stack):
    doc = json.loads((out / "stacks" / stack / "cdk.tf.json").read_text())
    return sum(len(v) for v in doc.get("resource", {}).values())


def test_one_line_per_stack_in_deploy_order_then_the_total(tmp_path, env_file):
    DEV = env_file("aws-dev")
    out = tmp_path / "out"
    proc = run_main("--env-file", str(DEV), "--outdir", str(out))
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    lines = proc.stdout.splitlines()
    names = stack_names(load_environment(DEV))
    assert len(lines) == len(names) + 1
    matches = [LINE.fullmatch(line) for line in lines[:-1]]
    assert all(matches), lines
    assert [m["stack"] for m in matches] == names and {m["env"] for m in matches} == {"aws-dev"}
    assert [int(m["resources"]) for m in matches] == [resource_count(out, n) for n in names]
    total = sum(int(m["resources"]) for m in matches)
    assert re.fullmatch(rf"synthesized 1 environment\(s\) into {re.escape(str(out))}: aws-dev "
                        rf"\({len(names)} stacks, {total} resources, \d+\.\d s\)", lines[-1]), lines[-1]


def test_parallel_parts_print_whole_lines_in_the_order_of_the_files(tmp_path, env_file):
    DEV, GCP_DEV = env_file("aws-dev"), env_file("gcp-dev")
    proc = run_main("--env-file", str(GCP_DEV), "--env-file", str(DEV), "--outdir", str(tmp_path / "o"), "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    expected = stack_names(load_environment(GCP_DEV)) + stack_names(load_environment(DEV))
    assert [LINE.fullmatch(line)["stack"] for line in lines[:-1]] == expected  # whole lines, files' order
    assert lines[-1].startswith(f"synthesized 2 environment(s) into {tmp_path / 'o'} by 2 processes: gcp-dev, aws-dev (")


def test_quiet_prints_nothing(tmp_path, env_file):
    DEV = env_file("aws-dev")
    proc = run_main("--env-file", str(DEV), "--outdir", str(tmp_path / "q"), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""
    assert (tmp_path / "q/stacks/aws-dev-network/cdk.tf.json").is_file()


@pytest.mark.parametrize("quiet", [(), ("--quiet",)])
def test_a_bad_file_still_gives_its_one_line_and_exit_2(tmp_path, quiet):
    bad = tmp_path / "bad.yaml"
    bad.write_text((ENVS / "aws-dev.yaml").read_text().replace("name: aws-dev", "name: Not_A_Label", 1))
    proc = run_main("--env-file", str(bad), "--outdir", str(tmp_path / "b"), *quiet)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bad}: name: "), proc.stderr
    assert not (tmp_path / "b").exists()
