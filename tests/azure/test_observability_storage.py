"""AzureObservabilityStorage: the six containers in one account, one identity per component on its own containers."""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformOutput, TerraformStack, TerraformVariable
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures

from platform_constructs.azure.contracts import AzureClusterContract, AzureNetworkContract
from platform_constructs.azure.observability_account import storage_account_name
from platform_constructs.azure.observability_storage import BLOB_ROLE, AzureObservabilityStorage
from platform_constructs.azure.workload_identity import CLIENT_ID_ANNOTATION, USE_LABEL
from platform_constructs.observability.storage import BUCKETS, COMPONENT_BUCKETS, SERVICE_ACCOUNTS
from tests.helpers import SUBSCRIPTION, azure_spec, ref, resources

VNET = "/subscriptions/s/resourceGroups/t-rg/providers/Microsoft.Network/virtualNetworks/t-vnet"
PE_SUBNET = f"{VNET}/subnets/private-endpoints"


def network_contract() -> AzureNetworkContract:
    return AzureNetworkContract(
        network_id=VNET, private_subnet_ids_by_zone={}, public_subnet_ids_by_zone={}, resource_group_name="t-rg",
        location="westeurope", system_subnet_id=f"{VNET}/subnets/system", user_subnet_id=f"{VNET}/subnets/user",
        api_server_subnet_id=f"{VNET}/subnets/api", private_endpoint_subnet_id=PE_SUBNET,
        load_balancer_subnet_id=f"{VNET}/subnets/lb", node_security_group_id="nsg",
        app_gateway_subnet_id=f"{VNET}/subnets/appgw", app_gateway_subnet_cidr="10.0.64.0/24",
    )


def cluster_contract(stack, key_vault: bool = True) -> AzureClusterContract:
    """Issuer, vault and workspace are references, as they are from the cluster layer."""
    var = lambda name: TerraformVariable(stack, name, type="string").string_value  # noqa: E731
    issuer = var("issuer")
    return AzureClusterContract(
        cluster_name="tc", endpoint="https://tc.privatelink.westeurope.azmk8s.io", certificate_authority_data="Q0E=",
        oidc_issuer_url=issuer, workload_identity_provider=issuer, cluster_id="/subscriptions/s/aks/tc",
        resource_group_name="t-rg", node_resource_group="t-nodes", control_plane_identity_id="cp",
        kubelet_identity_object_id="ko", kubelet_identity_client_id="kc", log_analytics_workspace_id=var("workspace"),
        node_security_group_id="nsg", key_vault_id=var("vault") if key_vault else None,
    )


def probe_storage(outdir: str, spec=None, **kwargs) -> tuple[AzureObservabilityStorage, dict]:
    """A stack holding only the azurerm provider and :class:`AzureObservabilityStorage`; its JSON."""
    spec = spec or azure_spec()
    app = App(outdir=outdir)
    stack = TerraformStack(app, "probe")
    AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()])
    storage = AzureObservabilityStorage(stack, "observability-storage", spec=spec, network=network_contract(),
                                        cluster=cluster_contract(stack), **kwargs)
    TerraformOutput(stack, "identities", value={
        c: {"annotations": i.annotations, "pod_labels": i.pod_labels} for c, i in storage.storage.identities.items()
    })
    app.synth()
    return storage, json.loads(Path(outdir, "stacks", "probe", "cdk.tf.json").read_text())


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    return probe_storage(str(tmp_path_factory.mktemp("observability-storage")))


def containers(doc) -> dict[str, dict]:
    return {c["name"]: c for c in resources(doc, "azurerm_storage_container")}


def identities(doc) -> dict[str, dict]:
    return {i["name"]: i for i in resources(doc, "azurerm_user_assigned_identity") if not i["name"].endswith("-key")}


def test_the_six_seed_containers_in_one_account_named_from_head_and_subscription(probe):
    storage, doc = probe
    [account] = resources(doc, "azurerm_storage_account")
    assert account["name"] == storage_account_name("t", SUBSCRIPTION) and account["resource_group_name"] == "t-rg"
    assert sorted(containers(doc)) == sorted(BUCKETS)
    store = storage.storage.store
    assert store.backend == "azure" and store.buckets == {b: b for b in BUCKETS}
    assert store.account_name == account["name"] and store.region is None and store.endpoint is None


def test_one_identity_per_component_federated_with_its_service_account(probe):
    storage, doc = probe
    assert sorted(identities(doc)) == ["tc-loki", "tc-mimir", "tc-tempo"]
    subjects = {c["subject"] for c in resources(doc, "azurerm_federated_identity_credential")}
    assert subjects == {f"system:serviceaccount:observability:{c}" for c in ("mimir", "loki", "tempo")}
    for component, identity in storage.storage.identities.items():
        assert identity.service_account == SERVICE_ACCOUNTS[component]
        assert identity.pod_labels == {USE_LABEL: "true"} and CLIENT_ID_ANNOTATION in identity.annotations
    tags = identities(doc)["tc-mimir"]["tags"]
    assert tags["stack"] == "t-observability"


def test_each_identity_holds_blob_data_contributor_on_its_own_containers_only(probe):
    _, doc = probe
    by_container = {ref(doc, "azurerm_storage_container", body): name for name, body in containers(doc).items()}
    grants = [g for g in resources(doc, "azurerm_role_assignment") if g["role_definition_name"] == BLOB_ROLE]
    assert len(grants) == sum(len(b) for b in COMPONENT_BUCKETS.values())
    for component, seeds in COMPONENT_BUCKETS.items():
        principal = ref(doc, "azurerm_user_assigned_identity", identities(doc)[f"tc-{component}"], "principal_id")
        mine = [g for g in grants if g["principal_id"] == principal]
        # the scope is the container's Resource Manager id (created by storage_account_id), never the account
        assert sorted(by_container[g["scope"]] for g in mine) == sorted(seeds), component
        assert all(g["principal_type"] == "ServicePrincipal" for g in mine)
    account_ref = ref(doc, "azurerm_storage_account", resources(doc, "azurerm_storage_account")[0])
    assert not [g for g in resources(doc, "azurerm_role_assignment") if g["scope"] == account_ref]


def test_releases_wait_for_credentials_grants_and_the_private_endpoint(probe):
    storage, _ = probe
    kinds = sorted({r.terraform_resource_type for r in storage.storage.depends_on})
    assert kinds == ["azurerm_federated_identity_credential", "azurerm_private_dns_zone_virtual_network_link",
                     "azurerm_private_endpoint", "azurerm_role_assignment"]
    assert sum(r.terraform_resource_type == "azurerm_role_assignment" for r in storage.storage.depends_on) == 6


def test_no_keys_or_secrets_anywhere(probe):
    _, doc = probe
    text = json.dumps(doc).lower()
    for word in ("access_key", "accountkey", "connection_string", "client_secret", "sas"):
        assert word not in text.replace("shared_access_key_enabled", ""), word


def test_bucket_prefix_changes_the_account_name():
    spec = azure_spec(observability={"bucket_prefix": "acme"})
    assert storage_account_name("acme-t", SUBSCRIPTION) != storage_account_name("t", SUBSCRIPTION)
    assert storage_account_name("acme-t", SUBSCRIPTION).startswith("acmetobs")
    assert spec.observability.bucket_prefix == "acme"


def test_needs_the_clusters_key_vault(tmp_path):
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "probe")
    with pytest.raises(ValueError, match="enable_customer_managed_keys: true"):
        AzureObservabilityStorage(stack, "s", spec=azure_spec(), network=network_contract(),
                                  cluster=cluster_contract(stack, key_vault=False))
