"""AzureWorkloadIdentity: a user-assigned identity federated with one Kubernetes service account, through the kit."""

import json
import re
from pathlib import Path

import pytest
from cdktf import App, TerraformOutput, TerraformStack, TerraformVariable
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures

from platform_constructs.azure.contracts import AzureClusterContract
from platform_constructs.azure.kit import AzureKit
from platform_constructs.azure.workload_identity import AzureWorkloadIdentity, credential_name
from platform_constructs.workload_identity import (
    AwsGrants,
    AzureGrants,
    AzureRoleAssignment,
    InvalidWorkloadIdentity,
    ServiceAccount,
)
from tests.helpers import azure_spec, ref

CSI = ServiceAccount("kube-system", "secrets-store.provider-azure")


def contract(issuer: str) -> AzureClusterContract:
    return AzureClusterContract(
        cluster_name="tc", endpoint="https://tc.privatelink.westeurope.azmk8s.io", certificate_authority_data="Q0E=",
        oidc_issuer_url=issuer, workload_identity_provider=issuer, cluster_id="/subscriptions/s/aks/tc",
        resource_group_name="t-rg", node_resource_group="t-nodes", control_plane_identity_id="cp",
        kubelet_identity_object_id="ko", kubelet_identity_client_id="kc", log_analytics_workspace_id="law",
        node_security_group_id="nsg",
    )


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    """The issuer and the vault's id are references, as they are from the cluster and data layers."""
    app = App(outdir=str(tmp_path_factory.mktemp("workload-identity")))
    stack = TerraformStack(app, "probe")
    AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()])
    issuer = TerraformVariable(stack, "issuer", type="string").string_value
    vault = TerraformVariable(stack, "vault", type="string").string_value
    grants = AzureGrants(role_assignments=(
        AzureRoleAssignment("Key Vault Secrets User", vault),
        AzureRoleAssignment("Key Vault Certificate User", vault),
    ))
    identity = AzureKit().workload_identity(stack, azure_spec(), contract(issuer), name="secrets-store",
                                            layer="addons", service_account=CSI, grants=grants)
    TerraformOutput(stack, "out", value={
        "annotations": identity.annotations, "pod_labels": identity.pod_labels, "principal": identity.principal,
    })
    app.synth()
    return identity, json.loads(Path(app.outdir, "stacks", "probe", "cdk.tf.json").read_text())


def uai(doc):
    [body] = doc["resource"]["azurerm_user_assigned_identity"].values()
    return body


def test_identity_per_component_beside_the_cluster_tagged_for_its_layer(probe):
    _, doc = probe
    body = uai(doc)
    assert (body["name"], body["location"], body["resource_group_name"]) == ("tc-secrets-store", "westeurope", "t-rg")
    assert body["tags"]["stack"] == "t-addons" and body["tags"]["team"] == "platform"


def test_federated_credential_trusts_the_clusters_issuer_for_the_one_subject(probe):
    _, doc = probe
    [credential] = doc["resource"]["azurerm_federated_identity_credential"].values()
    assert {k: v for k, v in credential.items() if k != "//"} == {
        "name": "kube-system-secrets-store-provider-azure",
        "resource_group_name": "t-rg",
        "parent_id": ref(doc, "azurerm_user_assigned_identity", uai(doc)),
        "issuer": "${var.issuer}",
        "subject": "system:serviceaccount:kube-system:secrets-store.provider-azure",
        "audience": ["api://AzureADTokenExchange"],
    }


def test_one_role_assignment_per_grant_to_the_identitys_principal(probe):
    _, doc = probe
    principal = ref(doc, "azurerm_user_assigned_identity", uai(doc), "principal_id")
    assignments = sorted(({k: v for k, v in a.items() if k != "//"}
                          for a in doc["resource"]["azurerm_role_assignment"].values()),
                         key=lambda a: a["role_definition_name"])
    assert assignments == [
        {"role_definition_name": role, "scope": "${var.vault}", "principal_id": principal,
         "principal_type": "ServicePrincipal"}
        for role in ("Key Vault Certificate User", "Key Vault Secrets User")
    ]


def test_annotation_names_the_client_id_and_pods_opt_in_by_label(probe):
    identity, doc = probe
    body = uai(doc)
    assert identity.service_account == CSI
    assert doc["output"]["out"]["value"] == {
        "annotations": {"azure.workload.identity/client-id": ref(doc, "azurerm_user_assigned_identity", body, "client_id")},
        "pod_labels": {"azure.workload.identity/use": "true"},
        "principal": ref(doc, "azurerm_user_assigned_identity", body, "principal_id"),
    }


def test_credential_names_fit_azures_limit():
    name = credential_name(ServiceAccount("n" * 63, "s" * 200))
    assert len(name) == 120 and re.fullmatch(r"[A-Za-z0-9][-\w]*", name)


def test_the_kit_refuses_another_clouds_grants():
    with pytest.raises(TypeError, match="takes AzureGrants, got AwsGrants"):
        AzureKit().workload_identity(TerraformStack(App(), "s"), azure_spec(), contract("https://issuer"), name="x",
                                     layer="addons", service_account=CSI, grants=AwsGrants())


def test_the_construct_refuses_an_invalid_identity_name():
    with pytest.raises(ValueError, match="identity name 'x' must be 3-128"):
        AzureWorkloadIdentity(TerraformStack(App(), "s"), "x", name="x", cluster=contract("https://issuer"),
                              location="westeurope", service_account=CSI)


@pytest.mark.parametrize("kwargs, problem", [
    ({"role_assignments": (AzureRoleAssignment("Reader", "/subscriptions/s"),) * 2}, "same role on the same scope twice"),
    ({"role_assignments": (("Reader", "/subscriptions/s"),)}, "use AzureRoleAssignment"),
    ({"role_assignments": "Reader"}, "must be a tuple of AzureRoleAssignment"),
])
def test_grants_refuse_malformed_assignments(kwargs, problem):
    with pytest.raises(InvalidWorkloadIdentity, match=problem):
        AzureGrants(**kwargs)


@pytest.mark.parametrize("role, scope, problem", [
    ("Owner", "/subscriptions/s", "lets the workload grant access itself"),
    ("User Access Administrator", "/subscriptions/s", "lets the workload grant access itself"),
    ("", "/subscriptions/s", "must be a role's name"),
    ("Reader", " ", "must be a resource id"),
])
def test_an_assignment_refuses_roles_that_grant_and_empty_fields(role, scope, problem):
    with pytest.raises(InvalidWorkloadIdentity, match=problem):
        AzureRoleAssignment(role, scope)


def test_a_conditioned_grant_carries_its_condition_version_2(tmp_path):
    from platform_constructs.azure.workload_identity import CONDITION_VERSION
    from platform_constructs.workload_identity import blob_prefix_condition

    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "probe")
    AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()])
    condition = blob_prefix_condition("app", "team-a", write=False)
    AzureWorkloadIdentity(stack, "id", name="tc-app", cluster=contract("issuer"), location="westeurope",
                          service_account=CSI, grants=AzureGrants((
                              AzureRoleAssignment("Storage Blob Data Reader", "container", condition),
                              AzureRoleAssignment("Key Vault Secrets User", "vault"),
                          )))
    app.synth()
    doc = json.loads(Path(app.outdir, "stacks", "probe", "cdk.tf.json").read_text())
    by_role = {r["role_definition_name"]: r for r in doc["resource"]["azurerm_role_assignment"].values()}
    assert by_role["Storage Blob Data Reader"]["condition"] == condition
    assert by_role["Storage Blob Data Reader"]["condition_version"] == CONDITION_VERSION == "2.0"
    assert "condition" not in by_role["Key Vault Secrets User"]
    assert "condition_version" not in by_role["Key Vault Secrets User"]
