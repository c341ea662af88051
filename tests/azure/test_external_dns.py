"""AzureExternalDns: one instance per zone kind, each chart's service account federated, each role on its zone only."""

import json

import pytest

from platform_constructs.kubernetes.chart_release import release_values
from tests.helpers import azure_spec, resources, synth

DNS = {"cidr": "10.0.0.0/16", "nat": "single",
       "dns": {"private_zone": "corp.internal", "public_zone": "apps.example.com"}}
REMOTE = "${data.terraform_remote_state.cross-stack-reference-input-ax-network.outputs."


@pytest.fixture(scope="module")
def addons():
    return synth(azure_spec(name="ax", network=DNS))["addons"]


def releases(addons):
    return {b["name"]: (b, release_values(b)) for b in resources(addons, "helm_release") if b["chart"] == "external-dns"}


def identity_id(addons, name):
    (logical,) = [k for k, v in addons["resource"]["azurerm_user_assigned_identity"].items() if v["name"] == name]
    return logical


def test_one_instance_per_zone_kind_with_its_provider_and_zone(addons):
    found = releases(addons)
    assert set(found) == {"external-dns-private", "external-dns-public"}
    _, private = found["external-dns-private"]
    _, public = found["external-dns-public"]
    assert (private["provider"], private["domainFilters"]) == ({"name": "azure-private-dns"}, ["corp.internal"])
    assert (public["provider"], public["domainFilters"]) == ({"name": "azure"}, ["apps.example.com"])
    assert {v["txtOwnerId"] for _, v in found.values()} == {"tc"}
    assert {v["policy"] for _, v in found.values()} == {"upsert-only"}


@pytest.mark.parametrize("kind", ["private", "public"])
def test_each_charts_service_account_is_exactly_the_subject_its_identity_federates(addons, kind):
    body, values = releases(addons)[f"external-dns-{kind}"]
    logical = identity_id(addons, f"tc-external-dns-{kind}")
    credentials = [c for c in resources(addons, "azurerm_federated_identity_credential")
                   if c["parent_id"] == f"${{azurerm_user_assigned_identity.{logical}.id}}"]
    assert [c["subject"] for c in credentials] == [
        f"system:serviceaccount:{body['namespace']}:{values['serviceAccount']['name']}"]
    assert f"azurerm_user_assigned_identity.{logical}.client_id" in \
        values["serviceAccount"]["annotations"]["azure.workload.identity/client-id"]
    assert values["podLabels"] == {"azure.workload.identity/use": "true"}


@pytest.mark.parametrize("kind,role,zone_resource", [
    ("private", "Private DNS Zone Contributor", "azurerm_private_dns_zonenetwork_private-dns_private-zone"),
    ("public", "DNS Zone Contributor", "azurerm_dns_zonenetwork_private-dns_public-zone"),
])
def test_each_identity_writes_only_its_own_zone(addons, kind, role, zone_resource):
    logical = identity_id(addons, f"tc-external-dns-{kind}")
    mine = {(a["role_definition_name"], a["scope"]) for a in resources(addons, "azurerm_role_assignment")
            if a["principal_id"] == f"${{azurerm_user_assigned_identity.{logical}.principal_id}}"}
    writes = [(r, s) for r, s in mine if r != "Reader"]
    # The one writing role names the network stack's output of this zone's id (a cross-stack reference).
    assert len(writes) == 1 and writes[0][0] == role
    assert writes[0][1].startswith(f"{REMOTE}cross-stack-output-{zone_resource}") and writes[0][1].endswith("id}")
    (reader,) = [s for r, s in mine if r == "Reader"]
    assert reader.startswith("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/")


def test_the_provider_config_holds_no_secret_and_is_mounted(addons):
    maps = {m["metadata"]["name"]: m for m in resources(addons, "kubernetes_config_map_v1")}
    config = json.loads(maps["external-dns-private-azure"]["data"]["azure.json"])
    assert config["useWorkloadIdentityExtension"] is True
    assert set(config) == {"tenantId", "subscriptionId", "resourceGroup", "useWorkloadIdentityExtension"}
    _, values = releases(addons)["external-dns-private"]
    assert values["extraVolumeMounts"] == [{"name": "azure-config", "mountPath": "/etc/kubernetes", "readOnly": True}]


def test_without_a_public_zone_only_the_private_instance():
    addons = synth(azure_spec(name="ay", network={"cidr": "10.0.0.0/16", "nat": "single",
                                                  "dns": {"private_zone": "corp.internal"}}))["addons"]
    assert set(releases(addons)) == {"external-dns-private"}


def test_without_dns_there_is_no_external_dns():
    assert not releases(synth(azure_spec())["addons"])
