"""AzureData through the kit: the data account, registry and cache of <env>-data, the contract, bucket_grants."""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformStack, TerraformVariable
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures

from platform_constructs.azure.contracts import AzureDataContract
from platform_constructs.azure.data_account import data_account_name
from platform_constructs.azure.kit import BLOB_READ_ROLE, BLOB_WRITE_ROLE, AzureKit
from platform_constructs.azure.workload_identity import CONDITION_VERSION
from platform_constructs.contracts import DataContract
from platform_constructs.workload_identity import AwsGrants, AzureGrants, ServiceAccount, blob_prefix_condition
from tests.azure.test_observability_storage import cluster_contract, network_contract
from tests.helpers import SUBSCRIPTION, azure_spec, ref, resources

FULL = {"data": {"cache": {"size": "Balanced_B5"}, "bucket_prefix": "acme", "backup_immutable_days": 7,
                 "registry": {"repositories": ["api", "web"]}}}
APP = ServiceAccount("team-a", "app")


def synth_data(outdir, spec, *, grants_for=None):
    """The kit's data layer (and, for ``grants_for=(bucket, write, prefix)``, a workload identity
    holding ``bucket_grants``) in one probe stack; returns (contract, grants, JSON)."""
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, "probe")
    AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()])
    kit = AzureKit()
    cluster = cluster_contract(stack)
    contract = kit.data(stack, spec, network_contract(), cluster)
    grants = None
    if grants_for:
        bucket, write, prefix = grants_for
        grants = kit.bucket_grants(spec, contract, bucket=bucket, write=write, prefix=prefix)
        kit.workload_identity(stack, spec, cluster, name="app", layer="tenants", service_account=APP, grants=grants)
    app.synth()
    return contract, grants, json.loads(Path(app.outdir, "stacks", "probe", "cdk.tf.json").read_text())


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    return synth_data(tmp_path_factory.mktemp("data-full"), azure_spec(**FULL), grants_for=("backup", True, "team-a"))


@pytest.fixture(scope="module")
def default(tmp_path_factory):
    return synth_data(tmp_path_factory.mktemp("data-default"), azure_spec())


def test_defaults_give_the_two_buckets_only(default):
    contract, _, doc = default
    assert isinstance(contract, AzureDataContract)
    assert contract.buckets == {"app": "app", "backup": "backup"} and set(contract.container_ids) == {"app", "backup"}
    assert contract.registry_url is None and contract.cache_endpoint is None and contract.cache_port is None
    assert contract.storage_account_name == data_account_name("t", SUBSCRIPTION)
    assert not resources(doc, "azurerm_container_registry") and not resources(doc, "azurerm_managed_redis")
    assert set(doc["output"]) == {"data_storage_account"}


def test_everything_when_the_file_asks(full):
    contract, _, doc = full
    [registry] = resources(doc, "azurerm_container_registry")
    [cache] = resources(doc, "azurerm_managed_redis")
    [account] = resources(doc, "azurerm_storage_account")
    assert account["name"] == data_account_name("acme-t", SUBSCRIPTION)
    assert doc["output"]["registry_login_server"]["value"] == ref(doc, "azurerm_container_registry", registry,
                                                                  "login_server")
    assert doc["output"]["cache_hostname"]["value"] == ref(doc, "azurerm_managed_redis", cache, "hostname")
    assert contract.registry_url and contract.cache_endpoint
    assert contract.cache_port == "10000"
    assert cache["name"].startswith("acme-t-") and cache["name"].endswith("-cache") and cache["sku_name"] == "Balanced_B5"
    assert set(doc["output"]) == {"data_storage_account", "registry_login_server", "cache_hostname", "cache_port"}
    assert not any(o.get("sensitive") for o in doc["output"].values())


def test_kubelet_identity_pulls_from_the_registry(full):
    _, _, doc = full
    [registry] = resources(doc, "azurerm_container_registry")
    pulls = [r for r in resources(doc, "azurerm_role_assignment") if r.get("role_definition_name") == "AcrPull"]
    assert [(p["principal_id"], p["scope"]) for p in pulls] == [("ko", ref(doc, "azurerm_container_registry", registry))]


def test_backup_is_immutable_for_the_file_s_days(full):
    _, _, doc = full
    [policy] = resources(doc, "azurerm_storage_container_immutability_policy")
    backup = next(c for c in resources(doc, "azurerm_storage_container") if c["name"] == "backup")
    assert policy["storage_container_resource_manager_id"] == ref(doc, "azurerm_storage_container", backup)
    assert policy["immutability_period_in_days"] == 7 and policy["locked"] is False


def test_bucket_grant_is_a_conditioned_role_on_one_container(full):
    contract, grants, doc = full
    assert isinstance(grants, AzureGrants)
    [grant] = [r for r in resources(doc, "azurerm_role_assignment") if r.get("role_definition_name") == BLOB_WRITE_ROLE]
    backup = next(c for c in resources(doc, "azurerm_storage_container") if c["name"] == "backup")
    assert grant["scope"] == ref(doc, "azurerm_storage_container", backup)
    assert grant["condition"] == blob_prefix_condition("backup", "team-a", write=True)
    assert grant["condition_version"] == CONDITION_VERSION
    [identity] = [i for i in resources(doc, "azurerm_user_assigned_identity") if not i["name"].endswith("-key")]
    assert grant["principal_id"] == ref(doc, "azurerm_user_assigned_identity", identity, "principal_id")


def test_read_grant_on_the_whole_bucket_has_no_condition(default):
    contract, _, _ = default
    [grant] = AzureKit().bucket_grants(azure_spec(), contract, bucket="app", write=False).role_assignments
    assert grant.role_definition_name == BLOB_READ_ROLE and grant.condition is None
    assert grant.scope == contract.container_ids["app"]


def test_unknown_bucket_or_foreign_contract_is_refused(default):
    contract, _, _ = default
    with pytest.raises(ValueError, match="'logs' is not in data.buckets.*app, backup"):
        AzureKit().bucket_grants(azure_spec(), contract, bucket="logs", write=False)
    with pytest.raises(TypeError, match="Azure data contract"):
        AzureKit().bucket_grants(azure_spec(), DataContract(buckets={"app": "x"}), bucket="app", write=False)
    with pytest.raises(ValueError, match="folder name"):
        AzureKit().bucket_grants(azure_spec(), contract, bucket="app", write=False, prefix="/")


def test_buckets_without_the_cluster_key_vault_are_refused(tmp_path):
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "probe")
    with pytest.raises(ValueError, match="enable_customer_managed_keys: true"):
        AzureKit().data(stack, azure_spec(), network_contract(), cluster_contract(stack, key_vault=False))


def test_no_buckets_no_account(tmp_path):
    contract, _, doc = synth_data(tmp_path, azure_spec(data={"buckets": []}))
    assert contract.buckets == {} and contract.storage_account_name is None
    assert not resources(doc, "azurerm_storage_account")
