"""integration.objects_release: the project's own chart, copied into the stack, after the operator."""

import json

import pytest
import yaml
from cdktf import App, TerraformStack

from platform_constructs.integration.objects_release import CHART_DIRECTORY, CHART_VERSION, objects_release

OBJ = {"apiVersion": "external-secrets.io/v1", "kind": "SecretStore", "metadata": {"name": "s", "namespace": "n"},
       "spec": {"provider": {"aws": {"service": "SecretsManager", "region": "r"}}}}


def test_the_release_points_at_the_chart_copied_into_the_stack(tmp_path):
    from cdktf_cdktf_provider_helm.provider import HelmProvider

    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "s")
    HelmProvider(stack, "helm")
    objects_release(stack, "objects", name="o", namespace="n", objects=[OBJ])
    app.synth()
    folder = tmp_path / "stacks" / "s"
    (release,) = json.loads((folder / "cdk.tf.json").read_text())["resource"]["helm_release"].values()
    assert release["chart"].startswith("assets/") and release["version"] == CHART_VERSION
    copied = folder / release["chart"]
    assert (copied / "Chart.yaml").read_text() == (CHART_DIRECTORY / "Chart.yaml").read_text()
    assert yaml.safe_load(release["values"][0]) == {"objects": [OBJ]}
    assert release["atomic"] is True and release["wait"] is True


@pytest.mark.parametrize("objects,problem", [([], "no objects"), ([{"kind": "X"}], "objects\\[0\\]")])
def test_refusals(objects, problem):
    with pytest.raises(ValueError, match=problem):
        objects_release(TerraformStack(App(), "s"), "o", name="o", namespace="n", objects=objects)
