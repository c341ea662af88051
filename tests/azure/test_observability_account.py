"""ObservabilityStorageAccount: private, key-less, customer-key encrypted, versioned, lifecycle per container, logged."""

import re

import pytest
from cdktf import App, TerraformStack

from platform_constructs.azure.observability_account import (
    BLOB_LOG_CATEGORIES,
    BLOB_PRIVATE_ZONE,
    KEY_USER_ROLE,
    ObservabilityStorageAccount,
    storage_account_name,
)
from platform_constructs.observability.storage import (
    BUCKETS,
    EXPIRY_MARGIN_DAYS,
    NONCURRENT_VERSION_DAYS,
)
from tests.azure.test_observability_storage import PE_SUBNET, VNET, probe_storage
from tests.helpers import SUBSCRIPTION, azure_spec, one, ref, resources


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    spec = azure_spec(observability={"retention_days": {"metrics": 100, "logs": 20, "traces": 5}})
    return probe_storage(str(tmp_path_factory.mktemp("observability-account")), spec=spec)[1]


def account(doc):
    return one(doc, "azurerm_storage_account")


def test_account_is_zone_redundant_tls12_https_only(doc):
    a = account(doc)
    assert (a["account_kind"], a["account_tier"], a["account_replication_type"]) == ("StorageV2", "Standard", "ZRS")
    assert a["min_tls_version"] == "TLS1_2" and a["https_traffic_only_enabled"] is True
    assert a["location"] == "westeurope"


def test_no_shared_keys_no_public_network_no_anonymous_blobs(doc):
    a = account(doc)
    assert a["shared_access_key_enabled"] is False and a["default_to_oauth_authentication"] is True
    assert a["public_network_access_enabled"] is False and a["allow_nested_items_to_be_public"] is False
    assert a["network_rules"]["default_action"] == "Deny"
    assert a["cross_tenant_replication_enabled"] is False
    assert a["local_user_enabled"] is False and a["sftp_enabled"] is False
    assert {c["container_access_type"] for c in resources(doc, "azurerm_storage_container")} == {"private"}


def test_encrypted_with_a_versionless_hsm_key_in_the_clusters_vault(doc):
    a, key = account(doc), one(doc, "azurerm_key_vault_key")
    assert key["key_vault_id"] == "${var.vault}" and key["name"] == "tc-observability"
    assert key["key_type"] == "RSA-HSM" and key["key_size"] == 3072
    assert key["rotation_policy"]["automatic"] == {"time_before_expiry": "P90D"}
    assert a["customer_managed_key"]["key_vault_key_id"] == ref(doc, "azurerm_key_vault_key", key, "versionless_id")
    assert a["infrastructure_encryption_enabled"] is True
    assert (a["queue_encryption_key_type"], a["table_encryption_key_type"]) == ("Account", "Account")


def test_account_identity_may_use_only_that_key_before_the_account_exists(doc):
    a, key = account(doc), one(doc, "azurerm_key_vault_key")
    [uai] = [i for i in resources(doc, "azurerm_user_assigned_identity") if i["name"].endswith("-key")]
    uai_id = ref(doc, "azurerm_user_assigned_identity", uai)
    assert a["identity"] == {"type": "UserAssigned", "identity_ids": [uai_id]}
    assert a["customer_managed_key"]["user_assigned_identity_id"] == uai_id
    principal = ref(doc, "azurerm_user_assigned_identity", uai, "principal_id")
    [grant] = [g for g in resources(doc, "azurerm_role_assignment") if g["principal_id"] == principal]
    assert grant["role_definition_name"] == KEY_USER_ROLE
    assert grant["scope"] == ref(doc, "azurerm_key_vault_key", key, "resource_versionless_id")
    assert ref(doc, "azurerm_role_assignment", grant).strip("${}").removesuffix(".id") in a["depends_on"]


def test_versioning_and_soft_delete(doc):
    blob = account(doc)["blob_properties"]
    assert blob["versioning_enabled"] is True
    assert blob["delete_retention_policy"] == {"days": NONCURRENT_VERSION_DAYS}
    assert blob["container_delete_retention_policy"] == {"days": NONCURRENT_VERSION_DAYS}


def test_containers_are_created_through_resource_manager(doc):
    a = account(doc)
    for container in resources(doc, "azurerm_storage_container"):
        assert container["storage_account_id"] == ref(doc, "azurerm_storage_account", a)
        assert "storage_account_name" not in container


def test_lifecycle_expires_each_signal_after_its_retention_plus_margin(doc):
    policy = one(doc, "azurerm_storage_management_policy")
    assert policy["storage_account_id"] == ref(doc, "azurerm_storage_account", account(doc))
    rules = {r["filters"]["prefix_match"][0]: r for r in policy["rule"]}
    assert sorted(rules) == sorted(f"{b}/" for b in BUCKETS)
    expected = {"mimir-metrics": 100, "loki-chunks": 20, "tempo-traces": 5}
    for bucket in BUCKETS:
        rule = rules[f"{bucket}/"]
        assert re.fullmatch(r"[A-Za-z0-9]+", rule["name"]) and rule["enabled"] is True
        actions = rule["actions"]
        assert actions["version"] == {"delete_after_days_since_creation": NONCURRENT_VERSION_DAYS}
        assert actions["snapshot"] == {"delete_after_days_since_creation_greater_than": NONCURRENT_VERSION_DAYS}
        if bucket in expected:
            assert actions["base_blob"] == {
                "delete_after_days_since_modification_greater_than": expected[bucket] + EXPIRY_MARGIN_DAYS}
        else:  # ruler and Alertmanager state never expires
            assert "base_blob" not in actions, bucket


def test_private_endpoint_for_blob_with_the_privatelink_zone_linked_to_the_vnet(doc):
    pe, zone = one(doc, "azurerm_private_endpoint"), one(doc, "azurerm_private_dns_zone")
    assert pe["subnet_id"] == PE_SUBNET and zone["name"] == BLOB_PRIVATE_ZONE
    connection = pe["private_service_connection"]
    assert connection["subresource_names"] == ["blob"] and connection["is_manual_connection"] is False
    assert connection["private_connection_resource_id"] == ref(doc, "azurerm_storage_account", account(doc))
    assert pe["private_dns_zone_group"]["private_dns_zone_ids"] == [ref(doc, "azurerm_private_dns_zone", zone)]
    link = one(doc, "azurerm_private_dns_zone_virtual_network_link")
    assert link["virtual_network_id"] == VNET and link["registration_enabled"] is False


def test_blob_service_access_is_logged_to_the_clusters_workspace(doc):
    setting = one(doc, "azurerm_monitor_diagnostic_setting")
    assert setting["target_resource_id"] == ref(doc, "azurerm_storage_account", account(doc)) + "/blobServices/default"
    assert setting["log_analytics_workspace_id"] == "${var.workspace}"
    assert [log["category"] for log in setting["enabled_log"]] == list(BLOB_LOG_CATEGORIES)


def test_account_containers_and_key_are_protected_from_destroy(doc):
    protected = [account(doc), one(doc, "azurerm_key_vault_key"), *resources(doc, "azurerm_storage_container")]
    assert all(body["lifecycle"] == {"prevent_destroy": True} for body in protected)


def test_default_account_names_fit_azure_rules():
    for head in ("t", "azure-dev", "acme-a-very-long-environment-name-indeed", "x"):
        name = storage_account_name(head, SUBSCRIPTION)
        assert re.fullmatch(r"[a-z0-9]{3,24}", name), name
        assert name == storage_account_name(head, SUBSCRIPTION)
    assert storage_account_name("azure-dev", SUBSCRIPTION).startswith("azuredevobs")
    assert storage_account_name("t", SUBSCRIPTION) != storage_account_name("t", "11111111-0000-0000-0000-000000000000")


def test_bad_names_are_refused_at_once(tmp_path):
    stack = TerraformStack(App(outdir=str(tmp_path)), "probe")
    with pytest.raises(ValueError) as info:
        ObservabilityStorageAccount(
            stack, "a", name="Not_Valid", location="westeurope", resource_group_name="rg",
            containers={"Bad_Container": None}, key_vault_id="kv", key_name="k", vnet_id=VNET,
            private_endpoint_subnet_id=PE_SUBNET, log_analytics_workspace_id="law", tags={},
        )
    assert "Not_Valid" in str(info.value) and "Bad_Container" in str(info.value)
