"""``backend.type: cloud``: one HCP Terraform / Terraform Enterprise workspace per stack, and
cross-stack references read through the producer's workspace."""

import json
import re

import pytest

import main
from platform_constructs.backend import CLUSTER_ACCESS_LAYERS, workspace_settings
from platform_constructs.spec import SpecError, parse_environment
from platform_tools.synth import remote_state_consumers, stack_names
from tests.helpers import AWS_ADMIN, BASE, make_spec, merge, synth

CLOUD = {"type": "cloud", "organization": "acme-platform"}
REFERENCE = re.compile(r"data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)")


def cloud_block(stack: dict) -> dict:
    assert list(stack["terraform"]) != [] and "backend" not in stack["terraform"], stack["terraform"]
    return stack["terraform"]["cloud"]


def test_every_stack_has_its_own_named_workspace_on_hcp_terraform_by_default():
    spec = make_spec(name="tfc", backend=CLOUD)
    stacks = synth(spec)
    assert sorted(stacks) == sorted(n.removeprefix("tfc-") for n in stack_names(spec))
    for layer, stack in stacks.items():
        assert cloud_block(stack) == {"organization": "acme-platform", "hostname": "app.terraform.io",
                                      "workspaces": {"name": f"tfc-{layer}"}}


def test_terraform_enterprise_host_project_and_prefix():
    spec = make_spec(name="tfe", backend={**CLOUD, "hostname": "tfe.example.com", "project": "Platform Team",
                                          "workspace_prefix": "infra_"})
    for layer, stack in synth(spec).items():
        assert cloud_block(stack) == {"organization": "acme-platform", "hostname": "tfe.example.com",
                                      "workspaces": {"name": f"infra_tfe-{layer}", "project": "Platform Team"}}


@pytest.mark.parametrize("backend", [CLOUD, {**CLOUD, "hostname": "tfe.example.com", "workspace_prefix": "p-"}])
def test_consumers_read_each_producers_outputs_from_the_producers_workspace(backend):
    spec = make_spec(name="xref", backend=backend)
    stacks = {f"xref-{layer}": doc for layer, doc in synth(spec).items()}
    workspace_of = {name: cloud_block(doc)["workspaces"]["name"] for name, doc in stacks.items()}
    read = 0
    for name, doc in stacks.items():
        remotes = doc.get("data", {}).get("terraform_remote_state", {})
        for key, remote in remotes.items():
            producer = key.removeprefix("cross-stack-reference-input-")
            assert remote == {"backend": "remote", "config": {
                "organization": backend["organization"], "hostname": backend.get("hostname", "app.terraform.io"),
                "workspaces": {"name": workspace_of[producer]}}}, (name, key)
        # every output a consumer reads exists in the producer named by its remote state
        for source, output in REFERENCE.findall(json.dumps(doc)):
            producer = source.removeprefix("cross-stack-reference-input-")
            assert output in stacks[producer].get("output", {}), (name, producer, output)
            read += 1
    assert read > 0  # the platform's stacks really do share values


def test_workspace_settings_tags_execution_modes_and_state_sharing(tmp_path):
    doc = merge(BASE, {"name": "ws", "backend": {**CLOUD, "workspace_prefix": "x-"}, "cluster": {"admin_principals": [AWS_ADMIN]}})
    env_file = tmp_path / "ws.yaml"
    env_file.write_text(json.dumps(doc))  # JSON is YAML
    spec = make_spec(name="ws", backend={**CLOUD, "workspace_prefix": "x-"})
    assert main.main(["--env-file", str(env_file), "--outdir", str(tmp_path / "out"), "--quiet"]) == 0
    consumers = remote_state_consumers(tmp_path / "out")
    settings = {s.name: s for s in workspace_settings(spec, consumers)}
    assert sorted(settings) == sorted(f"x-{n}" for n in stack_names(spec))
    for stack in stack_names(spec):
        layer = stack.removeprefix("ws-")
        s = settings[f"x-{stack}"]
        assert s.tags == {"environment": "ws", "layer": layer}
        assert s.execution_mode == ("agent" if layer in CLUSTER_ACCESS_LAYERS else "remote")
        # shared with exactly the workspaces whose configuration reads this one's state
        readers = [n for n in stack_names(spec)
                   if f"cross-stack-reference-input-{stack}" in
                   json.loads((tmp_path / "out/stacks" / n / "cdk.tf.json").read_text()).get("data", {})
                   .get("terraform_remote_state", {})]
        assert sorted(s.share_state_with) == sorted(f"x-{r}" for r in readers)
    assert settings["x-ws-network"].share_state_with  # the network is read by later stacks
    assert settings["x-ws-observability"].share_state_with == ()  # nothing reads the last layer


def test_workspace_settings_need_the_cloud_backend():
    with pytest.raises(ValueError, match="backend type 'local' has no workspaces: use type: cloud"):
        workspace_settings(make_spec(), {"t-network": []})


@pytest.mark.parametrize("backend, path, words", [
    ({"type": "cloud"}, "backend.organization", "is required"),
    ({**CLOUD, "organization": "acme platform"}, "backend.organization", "is not an HCP Terraform organization name"),
    ({**CLOUD, "hostname": "https://tfe.example.com"}, "backend.hostname", "without https://"),
    ({**CLOUD, "hostname": "tfe.example.com/app"}, "backend.hostname", "is not a host name"),
    ({**CLOUD, "project": "a/b"}, "backend.project", "is not an HCP Terraform project name"),
    ({**CLOUD, "workspace_prefix": "has space-"}, "backend.workspace_prefix", "is not a workspace name prefix"),
    ({**CLOUD, "workspace_prefix": "p" * 37}, "backend.workspace_prefix", "at most 36"),
    ({**CLOUD, "workspaces": {"name": "x"}}, "backend.workspaces", "unknown key"),
    ({**CLOUD, "token": "secret"}, "backend.token", "unknown key"),
])
def test_bad_cloud_backend_values_give_one_line(backend, path, words):
    with pytest.raises(SpecError) as info:
        parse_environment(merge(BASE, {"backend": backend, "cluster": {"admin_principals": [AWS_ADMIN]}}),
                          "env.yaml")
    err = info.value
    assert (err.path, "\n" in str(err)) == (path, False), str(err)
    assert words in err.message and str(err).startswith(f"env.yaml: {path}: "), str(err)


def test_the_longest_prefix_and_stack_name_fit_a_workspace_name():
    spec = make_spec(name="e" * 40, backend={**CLOUD, "workspace_prefix": "p" * 36})
    longest = max(stack_names(spec), key=len)
    assert len(spec.backend.workspace_prefix + longest) <= 90


def test_workspaces_command_lists_each_workspace_from_the_output(tmp_path, capsys):
    from platform_tools import workspaces

    doc = merge(BASE, {"name": "wc", "backend": {**CLOUD, "project": "platform"}, "cluster": {"admin_principals": [AWS_ADMIN]}})
    env_file = tmp_path / "wc.yaml"
    env_file.write_text(json.dumps(doc))
    assert workspaces.main(["--env-file", str(env_file), "--outdir", str(tmp_path / "none")]) == 2
    assert capsys.readouterr().err.strip() == f"{tmp_path / 'none'}: (outdir): holds no synth output: run make synth " \
                                               f"(or main.py --outdir {tmp_path / 'none'}) first"
    assert main.main(["--env-file", str(env_file), "--outdir", str(tmp_path / "out"), "--quiet"]) == 0
    assert workspaces.main(["--env-file", str(env_file), "--outdir", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.splitlines()
    spec = parse_environment(doc, str(env_file))
    assert [line.split()[0] for line in out] == stack_names(spec)
    consumers = remote_state_consumers(tmp_path / "out")
    for line, stack in zip(out, stack_names(spec)):
        layer = stack.removeprefix("wc-")
        assert f"project=platform  tags=environment:wc,layer:{layer}  " in line
        assert f"execution_mode={'agent' if layer in CLUSTER_ACCESS_LAYERS else 'remote'}" in line
        assert line.endswith(f"share_state_with={','.join(consumers[stack]) or '-'}")


def test_workspaces_command_refuses_other_backends(tmp_path, capsys):
    from platform_tools import workspaces

    env_file = tmp_path / "loc.yaml"
    env_file.write_text(json.dumps(merge(BASE, {"name": "loc", "cluster": {"admin_principals": [AWS_ADMIN]}})))
    assert workspaces.main(["--env-file", str(env_file)]) == 2
    assert capsys.readouterr().err.strip() == f"{env_file}: backend.type: is local, not cloud: workspaces exist only with type: cloud"
