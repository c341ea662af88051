"""The azure: section and Azure rules: defaults, and one-line errors naming the field and the fix."""

import pytest

from platform_constructs.spec import SpecError, parse_environment
from tests.helpers import ADMIN_GROUP, AZURE, SUBSCRIPTION, azure_spec
from tests.helpers import BASE, merge


def error_of(override=None, drop_azure=False) -> SpecError:
    data = merge(merge(BASE, AZURE), override or {})
    if drop_azure:
        del data["azure"]
    with pytest.raises(SpecError) as info:
        parse_environment(data, "env.yaml")
    return info.value


def test_defaults_are_filled():
    az = azure_spec().azure
    assert az.resource_group("t") == "t-rg" and az.sku_tier == "Standard"
    assert (az.automatic_upgrade_channel, az.node_os_upgrade_channel) == ("patch", "NodeImage")
    assert (az.maintenance_day, az.maintenance_start_hour, az.maintenance_duration_hours) == ("Sunday", 2, 4)
    assert az.system_pool_vm_size == "Standard_D4ds_v5" and (az.system_pool_min_count, az.system_pool_max_count) == (3, 5)
    assert az.enable_customer_managed_keys is True and az.enable_host_encryption is True
    assert az.key_vault_allowed_cidrs == [] and az.key_vault_name is None
    assert az.enable_defender is True


def test_missing_azure_section_is_one_line():
    err = error_of(drop_azure=True)
    assert str(err) == "env.yaml: azure: is required when cloud is azure"


@pytest.mark.parametrize("override, path, words", [
    ({"cluster": {"node_pools": [{"name": "general", "instance_types": ["Standard_D4ds_v5", "Standard_D8ds_v5"]}]}},
     "cluster.node_pools.0.instance_types", "Azure takes exactly one VM size per pool"),
    ({"zones": ["1", "2", "westeurope-3"]}, "zones.2", "not an Azure availability zone"),
    ({"zones": ["a", "2", "3"]}, "zones.0", "use \"1\", \"2\" and \"3\""),
    ({"azure": {"subscription_id": "my-subscription"}}, "azure.subscription_id", "not a subscription id"),
    ({"azure": {"admin_group_object_ids": ["platform-admins"]}}, "azure.admin_group_object_ids.0", "not an Entra ID group object id"),
    ({"azure": {"admin_group_object_ids": []}}, "azure.admin_group_object_ids", "local accounts are disabled"),
    ({"cluster": {"node_pools": [{"name": "general-purpose", "instance_types": ["Standard_D4ds_v5"]}]}},
     "cluster.node_pools.0.name", "1-12 lowercase letters and digits"),
    ({"cluster": {"node_pools": [{"name": "system", "instance_types": ["Standard_D4ds_v5"]}]}},
     "cluster.node_pools.0.name", "system pool"),
    ({"network": {"nat": "per_zone"}}, "network.nat", "set nat: single"),
    ({"network": {"subnets": {"public": ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"], "private": ["10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20"]}}}, "network.subnets", "is only used with cloud: aws, and this file's cloud is azure"),
    ({"cluster": {"log_retention_days": 14}}, "cluster.log_retention_days", "30-730"),
    ({"azure": {"service_cidr": "10.0.0.0/16"}}, "azure.service_cidr", "overlaps network.cidr"),
    ({"azure": {"pod_cidr": "172.16.0.0/12"}}, "azure.service_cidr", "overlaps pod_cidr"),
    ({"azure": {"system_pool_min_count": 1}}, "azure.system_pool_min_count", "below 3"),
    ({"azure": {"key_vault_name": "kv_bad!"}}, "azure.key_vault_name", "not a Key Vault name"),
    ({"azure": {"enable_customer_managed_keys": True, "key_vault_allowed_cidrs": ["0.0.0.0/0"]}},
     "azure.key_vault_allowed_cidrs.0", "0.0.0.0/0"),
    ({"azure": {"sku_tier": "Gold"}}, "azure.sku_tier", "Standard"),
    ({"azure": {"maintenance_start_hour": 24}}, "azure.maintenance_start_hour", "23"),
    ({"azure": {"tenant": "x"}}, "azure.tenant", "unknown key"),
])
def test_bad_azure_input_gives_one_line(override, path, words):
    err = error_of(override)
    assert err.path == path, str(err)
    assert words in err.message
    line = str(err)
    assert line.startswith(f"env.yaml: {path}: ") and "\n" not in line and "(and " not in line


def test_guids_are_accepted_in_either_case():
    spec = azure_spec(azure={"subscription_id": SUBSCRIPTION.upper(), "admin_group_object_ids": [ADMIN_GROUP, "ABCDEF01-2345-6789-ABCD-EF0123456789"]})
    assert len(spec.azure.admin_group_object_ids) == 2


def test_observability_needs_customer_managed_keys():
    err = error_of({"azure": {"enable_customer_managed_keys": False}, "addons": {"block_storage": False}})
    assert err.path == "observability.enabled" and "enable_customer_managed_keys" in err.message
    assert "observability.enabled: false" in err.message
    spec = azure_spec(azure={"enable_customer_managed_keys": False}, addons={"block_storage": False},
                      observability={"enabled": False}, data={"buckets": []})
    assert spec.observability.enabled is False
