"""kubernetes_providers: both provider blocks hold the API server, its CA and one credential, nothing else."""

import json
import tempfile
from pathlib import Path

import pytest
from cdktf import App, Fn, TerraformStack, TerraformVariable

from platform_constructs.kubernetes.providers import EXEC_API_VERSION, ClusterAccess, kubernetes_providers

HOST = "https://ABCDEF.gr7.us-east-1.eks.amazonaws.com"
CA = "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n"
TOKEN_REF = "${data.aws_eks_cluster_auth.cluster.token}"
KUBELOGIN = ("get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630")


def probe(build) -> dict:
    with tempfile.TemporaryDirectory() as out:
        app = App(outdir=out)
        stack = TerraformStack(app, "probe")
        build(stack)
        app.synth()
        return json.loads(Path(out, "stacks/probe/cdk.tf.json").read_text())


def blocks(doc) -> tuple[dict, dict]:
    providers = doc["provider"]
    assert sorted(providers) == ["helm", "kubernetes"]
    assert len(providers["kubernetes"]) == 1 and len(providers["helm"]) == 1
    return providers["kubernetes"][0], providers["helm"][0]


def test_a_token_from_a_data_source_is_all_either_provider_holds():
    doc = probe(lambda s: kubernetes_providers(s, ClusterAccess(host=HOST, cluster_ca_certificate=CA, token=TOKEN_REF)))
    kubernetes, helm = blocks(doc)
    expected = {"host": HOST, "cluster_ca_certificate": CA, "token": TOKEN_REF}
    assert kubernetes == expected
    # helm provider 3.x: ``kubernetes`` is a nested attribute object, not a block list
    assert helm == {"kubernetes": expected}


def test_a_credential_plugin_is_run_with_the_v1beta1_exec_api():
    access = ClusterAccess(host=HOST, cluster_ca_certificate=CA, exec_command="kubelogin", exec_args=KUBELOGIN,
                           exec_env={"AZURE_CONFIG_DIR": "/runner/.azure"})
    kubernetes, helm = blocks(probe(lambda s: kubernetes_providers(s, access)))
    plugin = {"api_version": EXEC_API_VERSION, "command": "kubelogin", "args": list(KUBELOGIN),
              "env": {"AZURE_CONFIG_DIR": "/runner/.azure"}}
    assert EXEC_API_VERSION == "client.authentication.k8s.io/v1beta1"
    # kubernetes provider 2.x: ``exec`` is a block (a list of one); helm 3.x: an object
    assert kubernetes == {"host": HOST, "cluster_ca_certificate": CA, "exec": [plugin]}
    assert helm == {"kubernetes": {"host": HOST, "cluster_ca_certificate": CA, "exec": plugin}}


def test_a_plugin_without_arguments_or_environment_writes_neither():
    access = ClusterAccess(host=HOST, cluster_ca_certificate=CA, exec_command="kubelogin")
    kubernetes, helm = blocks(probe(lambda s: kubernetes_providers(s, access)))
    assert kubernetes["exec"] == [{"api_version": EXEC_API_VERSION, "command": "kubelogin"}]
    assert helm["kubernetes"]["exec"] == {"api_version": EXEC_API_VERSION, "command": "kubelogin"}


def test_references_resolve_to_same_stack_expressions_and_the_pinned_providers_are_required():
    def build(stack):
        endpoint = TerraformVariable(stack, "endpoint", type="string")
        ca_data = TerraformVariable(stack, "ca_data", type="string")
        token = TerraformVariable(stack, "token", type="string", sensitive=True)
        access = ClusterAccess(host=endpoint.string_value, cluster_ca_certificate=Fn.base64decode(ca_data.string_value),
                               token=token.string_value)
        k8s, helm = kubernetes_providers(stack, access)
        assert (k8s.node.id, helm.node.id) == ("kubernetes", "helm")

    doc = probe(build)
    kubernetes, helm = blocks(doc)
    assert kubernetes == {"host": "${var.endpoint}", "cluster_ca_certificate": "${base64decode(var.ca_data)}",
                          "token": "${var.token}"}
    assert helm == {"kubernetes": kubernetes}
    assert doc["terraform"]["required_providers"] == {
        "helm": {"source": "helm", "version": "3.1.1"},
        "kubernetes": {"source": "kubernetes", "version": "2.38.0"},
    }


@pytest.mark.parametrize(
    "access, complaint",
    [
        (dict(host="", token=TOKEN_REF), "host is empty"),
        (dict(host="10.0.0.1", token=TOKEN_REF), "host '10.0.0.1' is not an https:// URL"),
        (dict(host=HOST, cluster_ca_certificate=" ", token=TOKEN_REF), "cluster_ca_certificate is empty"),
        (dict(host=HOST), "neither of token and exec_command given: set exactly one"),
        (dict(host=HOST, token=TOKEN_REF, exec_command="kubelogin"), "both of token and exec_command given: set exactly one"),
        (dict(host=HOST, token="eyJhbGciOiJSUzI1NiJ9.secret"), "token is a literal: pass a reference to a data source"),
        (dict(host=HOST, exec_command=""), "exec_command '' is empty"),
        (dict(host=HOST, token=TOKEN_REF, exec_args=("get-token",)), "exec_args/exec_env given without exec_command"),
        (dict(host=HOST, exec_command="kubelogin", exec_env={"AAD_SERVICE_PRINCIPAL_CLIENT_SECRET": "x"}),
         "exec_env 'AAD_SERVICE_PRINCIPAL_CLIENT_SECRET' looks like a credential"),
    ],
    ids=["empty-host", "http-host", "empty-ca", "no-credential", "two-credentials", "literal-token", "empty-command",
         "args-without-command", "secret-in-env"],
)
def test_invalid_access_is_refused_naming_the_value_and_the_fix(access, complaint):
    access.setdefault("cluster_ca_certificate", CA)
    with pytest.raises(ValueError, match="^cluster access: ") as raised:
        ClusterAccess(**access)
    assert complaint in str(raised.value)


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValueError) as raised:
        ClusterAccess(host="", cluster_ca_certificate="")
    message = str(raised.value)
    assert "host is empty" in message and "cluster_ca_certificate is empty" in message and "neither of token" in message
