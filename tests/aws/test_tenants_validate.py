"""`terraform validate` with the real AWS provider on the tenants layer's AWS side.

The tenants stack itself cannot be validated here: its Kubernetes objects need the kubernetes
provider, which has no binary on these machines. So the AWS side alone (the tenants' IAM roles and
their EKS access entries, built by the same constructs the stack uses) sits in a probe stack of its
own (tests/test_e2e_tenant_identity.py's, with the access entries added) and is validated in both
workload identity modes.
"""

import json
import shutil

import pytest

from platform_tools.terraform import run, terraform_env
from tests.test_e2e_tenant_identity import build_probe

pytestmark = [pytest.mark.slow, pytest.mark.validate]


@pytest.mark.parametrize("mode", ["pod_identity", "irsa"])
def test_tenant_identities_and_access_entries_validate_with_the_real_provider(mode, tmp_path):
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not on PATH; the README lists it as a prerequisite")
    folder = build_probe(tmp_path / "cdktf.out", None, mode=mode, access=True)
    stack = json.loads((folder / "cdk.tf.json").read_text())
    kinds = {rtype: len(bodies) for rtype, bodies in stack["resource"].items()}
    # what is validated: two tenant roles with their policies, two principals' entries (one shared by both
    # tenants) and their two associations (admin in team-a; edit in team-a and team-b)
    assert kinds["aws_iam_role"] == 2 and kinds["aws_iam_role_policy"] == 2
    assert kinds["aws_eks_access_entry"] == 2 and kinds["aws_eks_access_policy_association"] == 2
    assert kinds.get("aws_eks_pod_identity_association", 0) == (2 if mode == "pod_identity" else 0)
    env = terraform_env(tmp_path / "tf")
    run(["init", "-backend=false", "-input=false"], cwd=folder, env=env)
    proc = run(["validate", "-json"], cwd=folder, env=env, check=False)
    result = json.loads(proc.stdout)
    assert result["valid"] is True, json.dumps(result["diagnostics"], indent=1)
    assert result["error_count"] == 0 and result["warning_count"] == 0, json.dumps(result["diagnostics"], indent=1)
