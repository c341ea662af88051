"""KubeconfigAccess: the one provider configuration that names a kubeconfig, and only from the file."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from cdktf import App, TerraformStack

from platform_constructs.kubernetes.providers import KubeconfigAccess, kubernetes_providers
from tests.helpers import kubernetes_spec


def probe(access) -> dict:
    with tempfile.TemporaryDirectory() as out:
        app = App(outdir=out)
        stack = TerraformStack(app, "probe")
        kubernetes_providers(stack, access)
        app.synth()
        return json.loads(Path(out, "stacks/probe/cdk.tf.json").read_text())


def test_path_and_context_come_from_the_environment_file_and_nothing_else_is_written():
    spec = kubernetes_spec(kubernetes={"kubeconfig": "~/clusters/lab.yaml", "context": "lab-admin"})
    doc = probe(KubeconfigAccess.from_environment(spec.kubernetes))
    expected = {"config_path": "~/clusters/lab.yaml", "config_context": "lab-admin"}
    assert doc["provider"]["kubernetes"] == [expected]
    assert doc["provider"]["helm"] == [{"kubernetes": expected}]


def test_synth_does_not_need_the_kubeconfig_file(tmp_path):
    missing = tmp_path / "no-such-kubeconfig"
    doc = probe(KubeconfigAccess(config_path=str(missing), config_context="lab"))
    assert doc["provider"]["kubernetes"][0]["config_path"] == str(missing)
    assert not missing.exists()


@pytest.mark.parametrize("path, context, complaint", [
    ("", "lab", "config_path is empty"),
    ("kube/config", "lab", "is relative"),
    ("~/.kube/config", "", "config_context is empty"),
    ("${var.kubeconfig}", "lab", "config_path is a Terraform reference"),
    ("~/.kube/config", "${data.x.y}", "config_context is a Terraform reference"),
])
def test_bad_access_is_refused_naming_the_value_and_the_fix(path, context, complaint):
    with pytest.raises(ValueError, match="^kubeconfig access: ") as raised:
        KubeconfigAccess(config_path=path, config_context=context)
    assert complaint in str(raised.value)


def test_anything_else_is_refused():
    with pytest.raises(TypeError, match="ClusterAccess or a KubeconfigAccess"):
        kubernetes_providers(None, {"config_path": "~/.kube/config"})
