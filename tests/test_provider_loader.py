"""The provider loader: byte-identical JSON to an eager import, and only the needed modules loaded."""

import os
import subprocess
import sys

import pytest

from platform_constructs.spec import load_environment
from tests.helpers import ROOT, snapshot

ENV_FILES = sorted((ROOT / "environments").glob("*.yaml"))

PROBE = """
import sys, main
code = main.main(sys.argv[1:])
loaded = sorted({m.split('.')[0] for m in sys.modules if m.startswith('cdktf_cdktf_provider_')})
submodules = sum(1 for m in sys.modules if m.startswith('cdktf_cdktf_provider_') and '.' in m)
print(','.join(loaded), submodules)
sys.exit(code)
"""


def synth_with(tmp_path, eager: bool, env_file):
    out = tmp_path / ("eager" if eager else "lazy")
    env = {**os.environ, "PLATFORM_EAGER_PROVIDERS": "1" if eager else "0"}
    proc = subprocess.run([sys.executable, "-c", PROBE, "--env-file", str(env_file), "--outdir", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    packages, count = proc.stdout.splitlines()[-1].split()
    return out, packages.split(","), int(count)


@pytest.mark.slow
@pytest.mark.parametrize("env_file", ENV_FILES, ids=lambda p: p.stem)
def test_lazy_loading_gives_byte_identical_json(env_file, tmp_path):
    lazy, lazy_packages, lazy_count = synth_with(tmp_path, False, env_file)
    eager, _, eager_count = synth_with(tmp_path, True, env_file)
    assert snapshot(lazy) == snapshot(eager)
    assert lazy_count < 150 and lazy_count < eager_count
    if load_environment(env_file).cloud != "kubernetes":  # only the kubernetes and helm packages there
        assert 500 < eager_count  # each cloud provider package has 500-2,000 submodules


def test_aws_synth_never_imports_other_clouds(tmp_path):
    _, packages, _ = synth_with(tmp_path, False, ROOT / "environments/aws-prod.yaml")
    # helm and kubernetes: the addons stack's in-cluster providers, shared by every cloud
    assert packages == ["cdktf_cdktf_provider_aws", "cdktf_cdktf_provider_helm", "cdktf_cdktf_provider_kubernetes"]
