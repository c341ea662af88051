"""AzureEnvironment.tenant_group_problem: a tenant's admins and developers are Entra ID group object ids."""

import pytest

from platform_constructs.spec import SpecError, parse_environment
from tests.helpers import AZURE, BASE, azure_spec, merge

GROUP = "22222222-2222-2222-2222-222222222222"
OTHER = "33333333-3333-3333-3333-333333333333"


def tenant(**override) -> dict:
    return {"name": "team-a", "quota": {"cpu": "4", "memory": "8Gi", "pods": 20}, **override}


def error_of(*tenants: dict) -> SpecError:
    with pytest.raises(SpecError) as info:
        parse_environment(merge(merge(BASE, AZURE), {"tenants": list(tenants)}), "env.yaml")
    return info.value


def test_lowercase_object_ids_are_accepted_for_both_roles():
    spec = azure_spec(tenants=[tenant(admins=[GROUP], developers=[OTHER])])
    assert spec.tenants[0].admins == [GROUP] and spec.tenants[0].developers == [OTHER]


@pytest.mark.parametrize("role, value", [
    ("admins", "team-a-admins@example.com"),                      # a Google group
    ("developers", "arn:aws:iam::111122223333:role/team-a"),      # an IAM role
    ("admins", "22222222-2222-2222-2222-22222222222"),            # one digit short
    ("developers", "team-a developers"),                          # a display name
])
def test_anything_but_a_guid_is_one_line_naming_the_entry_and_the_fix(role, value):
    err = error_of(tenant(**{role: [OTHER if role == "admins" else GROUP, value]}))
    text = str(err)
    assert text.startswith(f"env.yaml: tenants.0.{role}.1: ")
    assert "not a Microsoft Entra ID group object id" in text and "az ad group show" in text
    assert "\n" not in text


def test_uppercase_guid_is_refused_so_duplicates_cannot_hide_behind_case():
    err = error_of(tenant(admins=[GROUP.upper().replace("2", "A")]))
    assert str(err).startswith("env.yaml: tenants.0.admins.0: ") and "lowercase" in str(err)


def test_the_second_tenant_is_named_by_its_index():
    err = error_of(tenant(admins=[GROUP]), tenant(name="team-b", developers=["nobody"]))
    assert str(err).startswith("env.yaml: tenants.1.developers.0: ")
