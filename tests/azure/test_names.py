"""Azure's naming rules (platform_constructs/azure/names.py): one passing and one failing case per rule,
through the functions and through the model (the field that produced the name)."""

from __future__ import annotations

import pytest

from platform_constructs.azure.names import (
    MAX_TAGS, container_problem, container_registry_problem, default_vault_name, key_vault_problem,
    storage_account_problem, tag_count_problem, tag_name_problem, tag_problems,
)
from platform_constructs.spec import SpecError
from tests.helpers import azure_spec


@pytest.mark.parametrize("rule, good, bad", [
    (storage_account_problem, "devdat0123abcd", "dev-dat"),
    (storage_account_problem, "a" * 24, "a" * 25),
    (storage_account_problem, "abc", "ab"),
    (container_problem, "app", "ab"),
    (container_problem, "app-data", "app--data"),
    (container_problem, "a" * 63, "a" * 64),
    (container_problem, "app1", "-app"),
    (container_problem, "app", "App"),
    (container_registry_problem, "devacr01234567", "dev-acr"),
    (container_registry_problem, "abcde", "abcd"),
    (key_vault_problem, "kv-dev-abc123", "kv--dev"),
    (key_vault_problem, "kv" + "a" * 22, "kv" + "a" * 23),
    (key_vault_problem, "kv1", "1kv"),
    (key_vault_problem, "kv1", "kv-"),
    (tag_name_problem, "cost-center", "cost/center"),
    (tag_name_problem, "team", "a?b"),
])
def test_azure_name_rules(rule, good, bad):
    assert rule(good) is None
    assert rule(bad) is not None


def test_tag_count_and_the_constructs_tag_check():
    assert tag_count_problem(MAX_TAGS) is None
    assert "Azure allows 50" in tag_count_problem(MAX_TAGS + 1)
    assert tag_problems({"team": "a"}) == []
    assert tag_problems({"cost/center": "a"}) == ["tag 'cost/center' has /, which Azure does not allow in tag names (< > % & \\ ? /)"]


def test_the_default_vault_name_is_checked_by_the_same_rule():
    assert key_vault_problem(default_vault_name("dev", "s")) is None
    assert key_vault_problem(default_vault_name("dev--x", "s")) is not None


def error_of(**override) -> SpecError:
    with pytest.raises(SpecError) as info:
        azure_spec(**override)
    return info.value


@pytest.mark.parametrize("override, path, words", [
    ({"data": {"buckets": ["app", "ab"]}}, "data.buckets.1", "blob container"),
    ({"name": "dev--x"}, "name", "default Key Vault name"),
    ({"tags": {"cost/center": "x"}}, "tags.cost/center", "Azure does not allow"),
    ({"tags": {f"k{i}": "v" for i in range(46)}}, "tags", "Azure allows 50"),
    ({"backend": {"type": "azurerm", "resource_group_name": "rg", "storage_account_name": "state01",
                  "container_name": "tf--state"}}, "backend.container_name", "blob container"),
])
def test_the_model_names_the_field_that_made_the_name(override, path, words):
    err = error_of(**override)
    assert (err.path, words in err.message) == (path, True), str(err)


@pytest.mark.parametrize("override", [
    {"data": {"buckets": ["app", "abc"]}}, {"name": "dev-x"}, {"name": "dev--x", "azure": {"key_vault_name": "kv-dev-x"}},
    {"tags": {"cost-center": "x"}}, {"tags": {f"k{i}": "v" for i in range(45)}},  # with the base file's one: 46
])
def test_names_azure_accepts_load(override):
    azure_spec(**override)
