"""chart_release: pinned charts from versions.CHARTS (or the OCI mirror), safe settings, values as one YAML document."""

import json
import os
import subprocess

import pytest
import yaml
from cdktf import Fn, TerraformVariable, Token

from platform_constructs.kubernetes.chart_release import MAX_HISTORY, TIMEOUT_SECONDS, chart_release, release_values
from platform_constructs.versions import CHARTS
from tests.helpers import in_cluster_probe, resources

MIRROR = "oci://registry.internal.example.com/platform/charts"
SAFETY = {"atomic": True, "cleanup_on_fail": True, "wait": True, "timeout": 600, "max_history": 10,
          "dependency_update": False}


probe = in_cluster_probe



def release(**kwargs) -> dict:
    kwargs.setdefault("namespace", "kube-system")
    kwargs.setdefault("values", {})
    doc = probe(lambda s: chart_release(s, "release", **kwargs))
    (body,) = resources(doc, "helm_release")
    return body


@pytest.mark.parametrize("key", sorted(CHARTS))
def test_every_pinned_chart_comes_from_its_repository_at_its_version(key):
    body = release(chart=key)
    pinned = CHARTS[key]
    assert (body["name"], body["chart"], body["repository"], body["version"]) == (
        pinned.name, pinned.name, pinned.repository, pinned.version)
    assert body["namespace"] == "kube-system"
    assert body["create_namespace"] is False
    assert {k: body[k] for k in SAFETY} == SAFETY
    assert (TIMEOUT_SECONDS, MAX_HISTORY) == (600, 10)


@pytest.mark.parametrize("mirror", [MIRROR, MIRROR + "/"], ids=["plain", "trailing-slash"])
def test_a_mirror_serves_every_chart_by_name_at_the_pinned_version(mirror):
    for key, pinned in CHARTS.items():
        body = release(chart=key, chart_repository=mirror)
        # the helm provider's OCI form: repository = the registry path, chart = the chart's name
        assert (body["repository"], body["chart"], body["version"]) == (MIRROR, pinned.name, pinned.version)


@pytest.mark.parametrize("mirror", ["https://registry.example.com/charts", "registry.example.com/charts", "oci://", ""])
def test_a_mirror_that_is_not_an_oci_url_is_refused_with_the_fix(mirror):
    with pytest.raises(ValueError) as raised:
        release(chart="metrics-server", chart_repository=mirror)
    message = str(raised.value)
    assert f"chart_repository {mirror!r} is not an OCI registry URL" in message
    assert "oci://<host>/<path>" in message


def test_an_unknown_chart_is_refused_listing_the_known_ones():
    with pytest.raises(ValueError) as raised:
        release(chart="metric-server")
    assert f"chart 'metric-server' is not pinned in versions.CHARTS: use one of {', '.join(sorted(CHARTS))}" in str(raised.value)


def test_values_round_trip_through_one_sorted_yaml_document():
    values = {
        "clusterName": "prod-eks",
        "replicaCount": 2,
        "enableServiceMutatorWebhook": False,
        "ratio": 0.5,
        "empty": None,
        "podLabels": {"azure.workload.identity/use": "true", "app.kubernetes.io/part-of": "platform"},
        "args": ["--kubelet-insecure-tls=false", "--metric-resolution=15s"],
        "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"}],
        "quoted": "yes: no # not a comment",
        "version": "1.10",
    }
    body = release(chart="aws-load-balancer-controller", values=values)
    assert len(body["values"]) == 1
    assert release_values(body) == values
    document = body["values"][0]
    top_level = [line.split(":")[0] for line in document.splitlines() if line and not line.startswith((" ", "-"))]
    assert top_level == sorted(values)


def token_values(stack):
    role = TerraformVariable(stack, "role_arn", type="string")
    minor = TerraformVariable(stack, "minor", type="number")
    return {
        "rbac": {"serviceAccount": {"annotations": {"eks.amazonaws.com/role-arn": role.string_value}}},
        "image": {"tag": Token.as_string(minor.number_value)},
        "extraArgs": ["--plain", "prefix-" + role.string_value],
    }


def test_string_tokens_become_json_encoded_terraform_interpolations():
    def build(stack):
        chart_release(stack, "release", chart="cluster-autoscaler", namespace="kube-system", values=token_values(stack))

    (body,) = resources(probe(build), "helm_release")
    assert release_values(body) == {
        "rbac": {"serviceAccount": {"annotations": {"eks.amazonaws.com/role-arn": "${jsonencode(tostring(var.role_arn))}"}}},
        "image": {"tag": "${jsonencode(tostring(var.minor))}"},
        "extraArgs": ["--plain", '${jsonencode("prefix-${var.role_arn}")}'],
    }


@pytest.mark.slow
@pytest.mark.parametrize("resolved", ["123456789012", "true", "1.10", 'a "quoted" \\ value: # not a comment', "two\nlines"])
def test_terraform_renders_each_interpolation_as_a_yaml_string(tmp_path, resolved):
    # Terraform itself evaluates the document, with values that would turn into a number, a bool
    # or broken YAML if they were interpolated unquoted.
    def build(stack):
        chart_release(stack, "release", chart="cluster-autoscaler", namespace="kube-system", values=token_values(stack))

    (body,) = resources(probe(build), "helm_release")
    config = {"variable": {"role_arn": {"type": "string"}, "minor": {"type": "number"}},
              "locals": {"doc": body["values"][0]}}
    (tmp_path / "main.tf.json").write_text(json.dumps(config))
    console = subprocess.run(
        ["terraform", "console", "-var", f"role_arn={resolved}", "-var", "minor=33"],
        input="jsonencode(local.doc)\n", cwd=tmp_path, capture_output=True, text=True, check=True,
        env={**os.environ, "CHECKPOINT_DISABLE": "1"},
    )
    rendered = json.loads(json.loads(console.stdout.strip()))
    assert yaml.safe_load(rendered) == {
        "rbac": {"serviceAccount": {"annotations": {"eks.amazonaws.com/role-arn": resolved}}},
        "image": {"tag": "33"},
        "extraArgs": ["--plain", f"prefix-{resolved}"],
    }


def test_number_and_list_tokens_are_refused_with_the_fix():
    def build(stack):
        count = TerraformVariable(stack, "count", type="number")
        chart_release(stack, "release", chart="metrics-server", namespace="kube-system",
                      values={"replicas": count.number_value, "args": Fn.split(",", "a,b")})

    with pytest.raises(ValueError) as raised:
        probe(build)
    message = str(raised.value)
    assert "values.replicas is a number token: it cannot be written into YAML; pass Token.as_string(...)" in message
    assert "values.args is a list token" in message


def test_name_namespace_creation_and_dependencies():
    def build(stack):
        first = chart_release(stack, "driver", chart="secrets-store-csi-driver", namespace="kube-system", values={})
        chart_release(stack, "provider", chart="secrets-store-csi-driver-provider-aws", namespace="secrets-store",
                      values={"secrets-store-csi-driver": {"install": False}}, name="secrets-provider-aws",
                      create_namespace=True, depends_on=[first])

    doc = probe(build)
    driver, provider = resources(doc, "helm_release")
    assert driver["create_namespace"] is False
    assert (provider["name"], provider["namespace"], provider["create_namespace"]) == (
        "secrets-provider-aws", "secrets-store", True)
    assert provider["depends_on"] == ["helm_release.driver"]
    assert "depends_on" not in driver


@pytest.mark.parametrize(
    "kwargs, complaint",
    [
        (dict(namespace="Kube_System"), "namespace 'Kube_System' is not a DNS-1123 label"),
        (dict(name="x" * 54), f"release name {'x' * 54!r} must be at most 53"),
        (dict(values=["a"]), "values must be a dict of the chart's values, not list"),
        (dict(values={1: "a"}), "values: key 1 must be a string"),
        (dict(values={"a": {"b": object}}), "values.a.b: type is not a YAML value"),
    ],
    ids=["namespace", "long-name", "values-not-dict", "int-key", "object-value"],
)
def test_invalid_arguments_are_refused(kwargs, complaint):
    with pytest.raises(ValueError, match="^helm release 'release': ") as raised:
        release(chart="metrics-server", **kwargs)
    assert complaint in str(raised.value)


def test_release_values_refuses_anything_but_one_document():
    with pytest.raises(ValueError, match="2 values documents"):
        release_values({"values": ["a: 1", "b: 2"]})
    assert release_values({"values": [""]}) == {}
