"""`terraform init -backend=false` + `terraform validate` with the real AWS provider on every AWS
stack synthesized with ``backend.type: cloud`` (the cloud block and the ``remote`` remote state).

Only network, cluster and data: the addons, observability and tenants stacks need the helm and
kubernetes providers, which have no binary on these machines (the provider mirror holds only the
AWS provider); their cloud blocks and remote state are checked on the JSON in test_backend_cloud.py.
"""

import json
import shutil

import pytest
import yaml

import main
from platform_constructs.spec import load_environment
from platform_tools.terraform import run, terraform_env
from tests.helpers import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.validate]

AWS_ENVS = [p for p in sorted((ROOT / "environments").glob("*.yaml")) if load_environment(p).cloud == "aws"]
LAYERS = ("network", "cluster", "data")
BACKEND = {"type": "cloud", "organization": "acme-platform", "hostname": "tfe.example.com", "project": "platform",
           "workspace_prefix": "ci-"}


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not on PATH; the README lists it as a prerequisite")
    envs = tmp_path_factory.mktemp("envs")
    args = []
    for path in AWS_ENVS:
        doc = yaml.safe_load(path.read_text())
        doc["backend"] = BACKEND
        (envs / path.name).write_text(yaml.safe_dump(doc, sort_keys=False))
        args += ["--env-file", str(envs / path.name)]
    out = tmp_path_factory.mktemp("cloud") / "cdktf.out"
    assert main.main([*args, "--outdir", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def tf_env(tmp_path_factory):
    return terraform_env(tmp_path_factory.mktemp("tfconfig"))


@pytest.mark.parametrize("stack", [f"{load_environment(p).name}-{layer}" for p in AWS_ENVS for layer in LAYERS])
def test_stack_with_the_cloud_block_validates(stack, synthesized, tf_env):
    folder = synthesized / "stacks" / stack
    doc = json.loads((folder / "cdk.tf.json").read_text())
    assert doc["terraform"]["cloud"]["workspaces"] == {"name": f"ci-{stack}", "project": "platform"}
    run(["init", "-backend=false", "-input=false"], cwd=folder, env=tf_env)
    proc = run(["validate", "-json"], cwd=folder, env=tf_env, check=False)
    result = json.loads(proc.stdout)
    assert result["valid"] is True, json.dumps(result["diagnostics"], indent=1)
    assert result["error_count"] == 0 and result["warning_count"] == 0, json.dumps(result["diagnostics"], indent=1)
