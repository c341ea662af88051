"""AzureCiAgent: runners as the service account their identity federates, AcrPush on the registry only,
the token read by External Secrets with a role on that one Key Vault secret."""

import pytest
import yaml

from platform_constructs.kubernetes.chart_release import release_values
from platform_constructs.spec.common import SpecError
from tests.helpers import azure_spec, resources, synth

GITHUB = {"kind": "github", "url": "https://github.com/acme", "secret_name": "ci-runner-token"}
DATA = {"registry": {"repositories": ["api"]}}


@pytest.fixture(scope="module")
def addons():
    return synth(azure_spec(name="aci", addons={"ci_agent": GITHUB}, data=DATA))["addons"]


def release(addons, chart):
    (body,) = [b for b in resources(addons, "helm_release") if b["chart"] == chart]
    return body, release_values(body)


def identity(addons, name):
    (logical,) = [k for k, v in addons["resource"]["azurerm_user_assigned_identity"].items() if v["name"] == name]
    subjects = [c["subject"] for c in resources(addons, "azurerm_federated_identity_credential")
                if c["parent_id"] == f"${{azurerm_user_assigned_identity.{logical}.id}}"]
    roles = {(a["role_definition_name"], a["scope"]) for a in resources(addons, "azurerm_role_assignment")
             if a["principal_id"] == f"${{azurerm_user_assigned_identity.{logical}.principal_id}}"}
    return logical, subjects, roles


def test_runners_run_as_the_service_account_their_identity_federates(addons):
    body, values = release(addons, "gha-runner-scale-set")
    logical, subjects, _ = identity(addons, "tc-ci-runner")
    sa = values["template"]["spec"]["serviceAccountName"]
    assert subjects == [f"system:serviceaccount:{body['namespace']}:{sa}"]
    assert values["template"]["metadata"]["labels"] == {"azure.workload.identity/use": "true"}
    (account,) = resources(addons, "kubernetes_service_account_v1")
    assert f"azurerm_user_assigned_identity.{logical}.client_id" in \
        account["metadata"]["annotations"]["azure.workload.identity/client-id"]


def test_the_runner_may_push_to_the_registry_only(addons):
    _, _, roles = identity(addons, "tc-ci-runner")
    assert [r for r, _ in roles] == ["AcrPush"]
    assert "cross-stack-reference-input-aci-data" in next(iter(roles))[1]


def test_external_secrets_reads_one_secret_of_the_clusters_vault(addons):
    body, values = release(addons, "external-secrets")
    _, subjects, roles = identity(addons, "tc-external-secrets")
    assert subjects == [f"system:serviceaccount:{body['namespace']}:{values['serviceAccount']['name']}"]
    ((role, scope),) = roles
    assert role == "Key Vault Secrets User" and scope.endswith("}/secrets/ci-runner-token")
    assert values["podLabels"] == {"azure.workload.identity/use": "true"}
    (objects,) = [b for b in resources(addons, "helm_release") if b["name"] == "ci-agent-secrets"]
    store, _ = yaml.safe_load(objects["values"][0])["objects"]
    provider = store["spec"]["provider"]["azurekv"]
    assert provider["authType"] == "WorkloadIdentity"
    # https://<name>.vault.azure.net/, the name read from the cluster stack's Key Vault id.
    assert '"https://${element(split("/", ' in provider["vaultUrl"] and "azurerm_key_vault" in provider["vaultUrl"]
    assert provider["vaultUrl"].endswith('.vault.azure.net/")}')


def test_without_the_clusters_key_vault_the_agent_is_refused():
    with pytest.raises(SpecError, match="addons.ci_agent on Azure .*enable_customer_managed_keys: true"):
        synth(azure_spec(name="anv", addons={"ci_agent": GITHUB, "block_storage": False},
                         observability={"enabled": False}, data={"buckets": []},
                         azure={"enable_customer_managed_keys": False}))
