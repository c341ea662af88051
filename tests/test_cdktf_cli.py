"""`cdktf synth` through the pinned npm CLI gives the same stacks as `python main.py`."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.helpers import PROJECT_PARTS, ROOT, snapshot, stack_names

pytestmark = [pytest.mark.slow, pytest.mark.cli]

CDKTF = ROOT / "node_modules/.bin/cdktf"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    if not CDKTF.exists():
        pytest.fail("node_modules/.bin/cdktf is missing: run `make setup-test` (npm ci) first")
    where = tmp_path_factory.mktemp("cli") / "project"
    where.mkdir()
    for part in (*PROJECT_PARTS, "cdktf.json"):
        src = ROOT / part
        (shutil.copytree(src, where / part, ignore=shutil.ignore_patterns("__pycache__"))
         if src.is_dir() else shutil.copy(src, where / part))
    (where / ".venv").symlink_to(sys.prefix)  # the virtualenv running these tests
    return where


def test_cdktf_synth_matches_main_py(project):
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
           "PLATFORM_ENV_FILES": "environments/aws-prod.yaml"}
    proc = subprocess.run([str(CDKTF), "synth"], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    manifest = json.loads((project / "cdktf.out/manifest.json").read_text())
    assert sorted(manifest["stacks"]) == stack_names("aws-prod")
    by_cli = snapshot(project / "cdktf.out/stacks")

    direct = project / "direct.out"
    proc = subprocess.run([sys.executable, "main.py", "--env-file", "environments/aws-prod.yaml", "--outdir", str(direct)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    by_main = snapshot(direct / "stacks")
    assert {k: v for k, v in by_cli.items() if k.endswith("cdk.tf.json")} == \
        {k: v for k, v in by_main.items() if k.endswith("cdk.tf.json")}
