"""`terraform validate` with the real AWS provider on every synthesized AWS stack.

The provider comes from ``$PLATFORM_PROVIDER_MIRROR`` when set (air-gapped
machines; the Makefile finds one on this machine), else Terraform downloads it.
"""

import json
import shutil

import pytest

import main
from platform_constructs.spec import load_environment
from platform_tools.terraform import run, terraform_env
from tests.helpers import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.validate]

AWS_ENVS = [p for p in sorted((ROOT / "environments").glob("*.yaml")) if load_environment(p).cloud == "aws"]


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not on PATH; the README lists it as a prerequisite")
    out = tmp_path_factory.mktemp("validate") / "cdktf.out"
    args = [a for p in AWS_ENVS for a in ("--env-file", str(p))]
    assert main.main([*args, "--outdir", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def tf_env(tmp_path_factory):
    return terraform_env(tmp_path_factory.mktemp("tfconfig"))


#: Every AWS layer but addons: its helm and kubernetes providers have no binary on these machines
#: (the in-cluster side is proven on the synthesized JSON and parsed chart values instead, and its
#: AWS resources are applied on the emulator by tests/test_e2e_addon_resources.py).
VALIDATED_LAYERS = ("network", "cluster", "data")


def stack_names():
    return [f"{load_environment(p).name}-{layer}" for p in AWS_ENVS for layer in VALIDATED_LAYERS]


@pytest.mark.parametrize("stack", stack_names())
def test_stack_validates_with_the_real_provider(stack, synthesized, tf_env):
    folder = synthesized / "stacks" / stack
    run(["init", "-backend=false", "-input=false"], cwd=folder, env=tf_env)
    proc = run(["validate", "-json"], cwd=folder, env=tf_env, check=False)
    result = json.loads(proc.stdout)
    assert result["valid"] is True, json.dumps(result["diagnostics"], indent=1)
    assert result["error_count"] == 0 and result["warning_count"] == 0, json.dumps(result["diagnostics"], indent=1)
    selections = json.loads(run(["version", "-json"], cwd=folder, env=tf_env).stdout)["provider_selections"]
    assert selections == {"registry.terraform.io/hashicorp/aws": "5.100.0"}


def test_mirror_config_is_only_written_when_a_mirror_is_given(tmp_path, monkeypatch):
    monkeypatch.delenv("PLATFORM_PROVIDER_MIRROR", raising=False)
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(tmp_path / "absent.tfrc"))
    env = terraform_env(tmp_path / "a")
    assert "TF_CLI_CONFIG_FILE" not in env  # Terraform's defaults apply: providers download as usual
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    monkeypatch.setenv("PLATFORM_PROVIDER_MIRROR", str(mirror))
    env = terraform_env(tmp_path / "b")
    config = (tmp_path / "b/terraform.tfrc").read_text()
    assert env["TF_CLI_CONFIG_FILE"] == str(tmp_path / "b/terraform.tfrc")
    assert f'path    = "{mirror}"' in config and "filesystem_mirror" in config
