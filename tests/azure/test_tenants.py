"""AzureKit.tenants (AzureTenants) in ``<env>-tenants``: per team a vault, an identity, namespace RBAC, objects."""

import json

import pytest

from platform_constructs.azure.key_vault import VAULT_PRIVATE_ZONE
from platform_constructs.azure.kit import AzureKit
from platform_constructs.azure.network import carve_azure_subnets
from platform_constructs.azure.tenant_vault import tenant_vault_name
from platform_constructs.azure.workload_identity import CLIENT_ID_ANNOTATION
from tests.helpers import SUBSCRIPTION, azure_spec, one, ref, resources, synth

ADMINS = "22222222-2222-2222-2222-222222222222"
DEVS = "33333333-3333-3333-3333-333333333333"
B_ADMINS = "44444444-4444-4444-4444-444444444444"
QUOTA = {"cpu": "4", "memory": "8Gi", "pods": 20}
TENANTS = [
    {"name": "team-a", "quota": QUOTA, "admins": [ADMINS], "developers": [DEVS], "egress_cidrs": ["10.50.0.0/24"]},
    # shares its developers group with team-a's admins: one cluster-user assignment for both
    {"name": "team-b", "quota": QUOTA, "admins": [B_ADMINS], "developers": [ADMINS], "bucket_prefix": "apps/b"},
]


@pytest.fixture(scope="module")
def stacks():
    return synth(azure_spec(name="tenkit", data={"registry": {"repositories": ["api"]}}, tenants=TENANTS))


@pytest.fixture(scope="module")
def doc(stacks):
    return stacks["tenants"]


@pytest.fixture(scope="module")
def bare():
    """No customer-managed keys (so no cluster vault, no data buckets, no observability), no AGIC."""
    return synth(azure_spec(
        name="tenbare", azure={"enable_customer_managed_keys": False}, observability={"enabled": False},
        data={"buckets": [], "registry": {"repositories": []}},
        addons={"block_storage": False, "load_balancer_controller": False},
        # without the app bucket a tenant's bucket_prefix has no effect and is refused (spec/ignored.py)
        tenants=[{k: v for k, v in t.items() if k != "bucket_prefix"} for t in TENANTS],
    ))


def identity(doc, tenant: str) -> dict:
    return next(i for i in resources(doc, "azurerm_user_assigned_identity") if i["name"] == f"tc-tenant-{tenant}")


def vault(doc, tenant: str) -> dict:
    name = tenant_vault_name(SUBSCRIPTION, "tenkit", tenant)
    return next(v for v in resources(doc, "azurerm_key_vault") if v["name"] == name)


def grants_of(doc, tenant: str) -> dict[str, dict]:
    principal = ref(doc, "azurerm_user_assigned_identity", identity(doc, tenant), "principal_id")
    found = [g for g in resources(doc, "azurerm_role_assignment") if g["principal_id"] == principal]
    by_role = {g["role_definition_name"]: g for g in found}
    assert len(by_role) == len(found), "one assignment per role"
    return by_role


def manifests(doc, tenant: str, kind: str) -> list[dict]:
    return [m["manifest"] for m in resources(doc, "kubernetes_manifest")
            if m["manifest"]["kind"] == kind and m["manifest"]["metadata"].get("namespace", m["manifest"]["metadata"]
                                                                                ["name"]) == tenant]


def test_kit_has_the_tenants_layer():
    assert callable(getattr(AzureKit(), "tenants", None))


def test_the_cluster_enforces_network_policies_with_cilium(stacks):
    profile = one(stacks["cluster"], "azurerm_kubernetes_cluster")["network_profile"]
    assert profile["network_policy"] == "cilium" and profile["network_data_plane"] == "cilium"


def test_one_identity_per_tenant_federated_with_its_workload_service_account(doc):
    for tenant in ("team-a", "team-b"):
        principal = identity(doc, tenant)
        assert principal["tags"]["stack"] == "tenkit-tenants"
        [credential] = [c for c in resources(doc, "azurerm_federated_identity_credential")
                        if c["parent_id"] == ref(doc, "azurerm_user_assigned_identity", principal)]
        assert credential["subject"] == f"system:serviceaccount:{tenant}:workload"
        assert credential["audience"] == ["api://AzureADTokenExchange"]


def test_identity_reads_and_writes_only_its_folder_of_the_app_container(doc):
    for tenant, folder in (("team-a", "team-a"), ("team-b", "apps/b")):
        blob = grants_of(doc, tenant)["Storage Blob Data Contributor"]
        assert "azurerm_storage_container" in blob["scope"] and "container-app" in blob["scope"]
        assert blob["condition_version"] == "2.0"
        assert "StringEquals 'app' AND" in blob["condition"]
        assert f"StringStartsWith '{folder}/'" in blob["condition"]


def test_identity_reads_secrets_of_its_own_vault_only(doc):
    for tenant, other in (("team-a", "team-b"), ("team-b", "team-a")):
        secrets = grants_of(doc, tenant)["Key Vault Secrets User"]
        assert secrets["scope"] == ref(doc, "azurerm_key_vault", vault(doc, tenant))
        assert secrets["scope"] != ref(doc, "azurerm_key_vault", vault(doc, other))
        assert secrets["principal_type"] == "ServicePrincipal"


def test_identity_pulls_from_the_registry(doc):
    for tenant in ("team-a", "team-b"):
        pull = grants_of(doc, tenant)["AcrPull"]
        assert "cross-stack-reference-input-tenkit-data" in pull["scope"]
        assert "azurerm_container_registry" in pull["scope"]


def test_identity_holds_nothing_else(doc):
    assert sorted(grants_of(doc, "team-a")) == ["AcrPull", "Key Vault Secrets User", "Storage Blob Data Contributor"]


def test_groups_get_rbac_admin_and_writer_at_their_namespace_scope(doc):
    scoped = [(g["role_definition_name"], g["principal_id"], g["scope"].rsplit("/namespaces/", 1)[1])
              for g in resources(doc, "azurerm_role_assignment") if "/namespaces/" in g["scope"]]
    assert sorted(scoped) == sorted([
        ("Azure Kubernetes Service RBAC Admin", ADMINS, "team-a"),
        ("Azure Kubernetes Service RBAC Writer", DEVS, "team-a"),
        ("Azure Kubernetes Service RBAC Admin", B_ADMINS, "team-b"),
        ("Azure Kubernetes Service RBAC Writer", ADMINS, "team-b"),
    ])
    for g in resources(doc, "azurerm_role_assignment"):
        if "/namespaces/" in g["scope"]:
            assert g["principal_type"] == "Group"
            assert g["scope"].startswith("${data.terraform_remote_state.cross-stack-reference-input-tenkit-cluster")
            assert "azurerm_kubernetes_cluster" in g["scope"]


def test_each_group_fetches_the_kubeconfig_once(doc):
    users = [g for g in resources(doc, "azurerm_role_assignment")
             if g["role_definition_name"] == "Azure Kubernetes Service Cluster User Role"]
    assert sorted(g["principal_id"] for g in users) == sorted([ADMINS, DEVS, B_ADMINS])
    assert all("/namespaces/" not in g["scope"] and "azurerm_kubernetes_cluster" in g["scope"] for g in users)


def test_admins_manage_their_tenants_secrets(doc):
    officers = [g for g in resources(doc, "azurerm_role_assignment")
                if g["role_definition_name"] == "Key Vault Secrets Officer"]
    assert sorted((g["principal_id"], g["scope"]) for g in officers) == sorted([
        (ADMINS, ref(doc, "azurerm_key_vault", vault(doc, "team-a"))),
        (B_ADMINS, ref(doc, "azurerm_key_vault", vault(doc, "team-b"))),
    ])


def test_vaults_are_private_and_registered_in_the_cluster_vaults_zone(stacks, doc):
    assert len(resources(doc, "azurerm_key_vault")) == 2
    for tenant in ("team-a", "team-b"):
        body = vault(doc, tenant)
        assert body["public_network_access_enabled"] is False and body["rbac_authorization_enabled"] is True
        assert body["tags"]["stack"] == "tenkit-tenants"
    # one privatelink.vaultcore.azure.net zone per resource group: the cluster layer's
    assert resources(doc, "azurerm_private_dns_zone") == []
    everywhere = [z["name"] for layer in stacks.values() for z in resources(layer, "azurerm_private_dns_zone")]
    assert everywhere.count(VAULT_PRIVATE_ZONE) == 1
    for endpoint in resources(doc, "azurerm_private_endpoint"):
        [zone] = endpoint["private_dns_zone_group"]["private_dns_zone_ids"]
        assert "cross-stack-reference-input-tenkit-cluster" in zone and "key-vault_dns-zone" in zone
        assert "private-endpoints" in endpoint["subnet_id"]


def test_service_account_carries_the_identitys_client_id_and_no_rolebinding_is_written(doc):
    for tenant in ("team-a", "team-b"):
        [account] = manifests(doc, tenant, "ServiceAccount")
        assert account["metadata"]["name"] == "workload"
        assert account["metadata"]["annotations"][CLIENT_ID_ANNOTATION] == ref(
            doc, "azurerm_user_assigned_identity", identity(doc, tenant), "client_id")
        assert manifests(doc, tenant, "RoleBinding") == []
        assert len(manifests(doc, tenant, "Namespace")) == 1


def test_load_balancer_path_is_the_application_gateway_subnet(doc):
    gateway = carve_azure_subnets(azure_spec().network.cidr).app_gateway
    for tenant in ("team-a", "team-b"):
        [policy] = [p for p in manifests(doc, tenant, "NetworkPolicy") if p["metadata"]["name"] == "allow-load-balancer"]
        assert policy["spec"]["ingress"] == [{"from": [{"ipBlock": {"cidr": gateway}}]}]


def test_output_names_each_tenants_vault(doc):
    assert doc["output"]["tenant_key_vaults"]["value"] == {
        t: f"https://{tenant_vault_name(SUBSCRIPTION, 'tenkit', t)}.vault.azure.net/" for t in ("team-a", "team-b")}


def test_no_secret_material_in_the_stack(doc):
    text = json.dumps(doc).lower()
    for word in ("client_secret", "password", "access_key", "connection_string", "azurerm_key_vault_secret"):
        assert word not in text, word


def test_without_a_cluster_vault_the_layer_brings_one_zone_for_all_tenant_vaults(bare):
    doc = bare["tenants"]
    [zone] = resources(doc, "azurerm_private_dns_zone")
    assert zone["name"] == VAULT_PRIVATE_ZONE
    [link] = resources(doc, "azurerm_private_dns_zone_virtual_network_link")
    assert link["private_dns_zone_name"] == ref(doc, "azurerm_private_dns_zone", zone, "name")
    assert "azurerm_virtual_network" in link["virtual_network_id"] and link["registration_enabled"] is False
    endpoints = resources(doc, "azurerm_private_endpoint")
    assert len(endpoints) == 2
    assert {e["private_dns_zone_group"]["private_dns_zone_ids"][0] for e in endpoints} == {
        ref(doc, "azurerm_private_dns_zone", zone)}
    everywhere = [z["name"] for layer in bare.values() for z in resources(layer, "azurerm_private_dns_zone")]
    assert everywhere.count(VAULT_PRIVATE_ZONE) == 1


def test_without_app_bucket_registry_or_gateway_only_the_vault_grant_and_no_load_balancer_path(bare):
    doc = bare["tenants"]
    principal = next(i for i in resources(doc, "azurerm_user_assigned_identity") if i["name"] == "tc-tenant-team-a")
    mine = [g["role_definition_name"] for g in resources(doc, "azurerm_role_assignment")
            if g["principal_id"] == ref(doc, "azurerm_user_assigned_identity", principal, "principal_id")]
    assert mine == ["Key Vault Secrets User"]
    names = [p["metadata"]["name"] for p in manifests(doc, "team-a", "NetworkPolicy")]
    assert "allow-load-balancer" not in names and "default-deny" in names


def test_pods_reach_the_private_endpoints_on_443_and_nothing_else_of_the_cloud(doc):
    endpoints = carve_azure_subnets(azure_spec().network.cidr).private_endpoint
    for tenant in ("team-a", "team-b"):
        [policy] = [p for p in manifests(doc, tenant, "NetworkPolicy") if p["metadata"]["name"] == "allow-cloud-apis"]
        assert policy["spec"]["policyTypes"] == ["Egress"]
        assert policy["spec"]["egress"] == [{"to": [{"ipBlock": {"cidr": endpoints}}],
                                             "ports": [{"protocol": "TCP", "port": 443}]}]
