"""GcpExternalDns: the chart's service account is the one Workload Identity binds; dns.admin only per zone."""

import pytest

from platform_constructs.kubernetes.chart_release import release_values
from tests.helpers import gcp_spec, resources, synth

DNS = {"cidr": "10.0.0.0/16", "dns": {"private_zone": "corp.internal", "public_zone": "apps.example.com"}}
REMOTE = "${data.terraform_remote_state.cross-stack-reference-input-gx-network.outputs."


@pytest.fixture(scope="module")
def stacks():
    return synth(gcp_spec(name="gx", network=DNS))


@pytest.fixture(scope="module")
def addons(stacks):
    return stacks["addons"]


def release(addons):
    (body,) = [b for b in resources(addons, "helm_release") if b["chart"] == "external-dns"]
    return body, release_values(body)


def account(addons):
    (found,) = [a for a in resources(addons, "google_service_account") if a["account_id"] == "tc-external-dns"]
    return found


def test_the_charts_service_account_is_exactly_the_one_workload_identity_binds(addons):
    body, values = release(addons)
    assert values["serviceAccount"]["create"] is True
    bindings = [b for b in resources(addons, "google_service_account_iam_member")
                if b["role"] == "roles/iam.workloadIdentityUser" and "external-dns" in b["service_account_id"]]
    assert [b["member"] for b in bindings] == [
        f"serviceAccount:proj-1.svc.id.goog[{body['namespace']}/{values['serviceAccount']['name']}]"]
    assert values["serviceAccount"]["annotations"]["iam.gke.io/gcp-service-account"].endswith(".email))}")


def test_dns_admin_is_granted_on_each_managed_zone_and_never_on_the_project(addons):
    zone_grants = resources(addons, "google_dns_managed_zone_iam_member")
    assert {g["role"] for g in zone_grants} == {"roles/dns.admin"}
    assert len(zone_grants) == 2 and all(g["managed_zone"].startswith(REMOTE) for g in zone_grants)
    project_roles = {g["role"] for g in resources(addons, "google_project_iam_member")
                     if "external-dns" in g["member"] or "tc-external-dns" in str(g)}
    assert "roles/dns.admin" not in project_roles and project_roles <= {"roles/dns.reader"}


def test_the_network_stack_exports_the_zone_names_the_grants_read(stacks, addons):
    outputs = stacks["gx-network" if "gx-network" in stacks else "network"]["output"]
    wanted = {g["managed_zone"].removeprefix(REMOTE).rstrip("}") for g in resources(addons, "google_dns_managed_zone_iam_member")}
    assert wanted <= set(outputs)
    assert all("google_dns_managed_zone" in outputs[name]["value"] for name in wanted)


def test_values_name_the_project_zones_and_owner(addons):
    _, values = release(addons)
    assert values["provider"] == {"name": "google"} and values["policy"] == "upsert-only"
    assert values["txtOwnerId"] == "tc" and values["domainFilters"] == ["corp.internal", "apps.example.com"]
    assert values["extraArgs"] == ["--google-project=proj-1"]


def test_without_dns_there_is_no_external_dns():
    addons = synth(gcp_spec())["addons"]
    assert not [b for b in resources(addons, "helm_release") if b["chart"] == "external-dns"]
    assert not resources(addons, "google_dns_managed_zone_iam_member")
