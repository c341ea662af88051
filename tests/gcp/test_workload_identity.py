"""GcpWorkloadIdentity: a Google service account only one Kubernetes service account may act as, through the kit."""

import json
import re
from pathlib import Path

import pytest
from cdktf import App, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_google.provider import GoogleProvider

from platform_constructs.gcp.contracts import GcpClusterContract
from platform_constructs.gcp.kit import GcpKit
from platform_constructs.gcp.workload_identity import GcpWorkloadIdentity, account_id_for
from platform_constructs.workload_identity import (
    ArtifactRepositoryRole, AzureGrants, ConditionalProjectRole, GcpGrants, GcsBucketRole, InvalidWorkloadIdentity,
    ServiceAccount,
)
from tests.helpers import gcp_spec, ref

CLUSTER = GcpClusterContract(
    cluster_name="tc", endpoint="https://10.0.0.2", certificate_authority_data="Q0E=",
    oidc_issuer_url="https://container.googleapis.com/v1/projects/proj-1/locations/us-central1/clusters/tc",
    workload_identity_provider="proj-1.svc.id.goog", cluster_id="projects/proj-1/locations/us-central1/clusters/tc",
    location="us-central1", project="proj-1", kms_key_id="k", node_service_account_email="tc-nodes@proj-1.iam.gserviceaccount.com",
    node_network_tag="tc-nodes",
)
LOKI = ServiceAccount("observability", "loki")
ROLES = ("roles/storage.objectUser", "projects/proj-1/roles/lokiCompactor")
#: What GCP accepts as a service account id.
ACCOUNT_ID = re.compile(r"[a-z][-a-z0-9]{4,28}[a-z0-9]")


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    app = App(outdir=str(tmp_path_factory.mktemp("workload-identity")))
    stack = TerraformStack(app, "probe")
    GoogleProvider(stack, "google", project="proj-1", region="us-central1")
    identity = GcpKit().workload_identity(stack, gcp_spec(), CLUSTER, name="loki", layer="observability",
                                          service_account=LOKI, grants=GcpGrants(project_roles=ROLES))
    TerraformOutput(stack, "out", value={
        "annotations": identity.annotations, "pod_labels": identity.pod_labels, "principal": identity.principal,
    })
    app.synth()
    return identity, json.loads(Path(app.outdir, "stacks", "probe", "cdk.tf.json").read_text())


def account(doc):
    [body] = doc["resource"]["google_service_account"].values()
    return body


def test_one_google_account_per_component_in_the_clusters_project(probe):
    _, doc = probe
    body = account(doc)
    assert (body["account_id"], body["project"]) == ("tc-loki", "proj-1")
    assert body["display_name"] == "Kubernetes observability/loki"


def test_only_the_one_kubernetes_service_account_may_act_as_it(probe):
    _, doc = probe
    [binding] = doc["resource"]["google_service_account_iam_member"].values()
    assert {k: v for k, v in binding.items() if k != "//"} == {
        "service_account_id": ref(doc, "google_service_account", account(doc), "name"),
        "role": "roles/iam.workloadIdentityUser",
        "member": "serviceAccount:proj-1.svc.id.goog[observability/loki]",
    }


def test_one_project_member_per_granted_role(probe):
    _, doc = probe
    members = list(doc["resource"]["google_project_iam_member"].values())
    assert sorted(m["role"] for m in members) == sorted(ROLES)
    assert all(m["project"] == "proj-1" and m["member"] == ref(doc, "google_service_account", account(doc), "member")
               for m in members)


def test_the_annotation_names_the_accounts_email(probe):
    identity, doc = probe
    email = ref(doc, "google_service_account", account(doc), "email")
    assert identity.service_account == LOKI
    assert doc["output"]["out"]["value"] == {
        "annotations": {"iam.gke.io/gcp-service-account": email}, "pod_labels": {}, "principal": email,
    }


@pytest.mark.parametrize("cluster, name", [
    ("tc", "a"),  # 4 characters: padded to GCP's minimum of 6
    ("tc", "loki"),
    ("a-very-long-cluster-name-of-38-chars-x", "load-balancer-controller"),
    ("twenty-three-characters", "x-" * 19 + "yz"),
])
def test_account_ids_are_valid_and_deterministic(cluster, name):
    account_id = account_id_for(cluster, name)
    assert ACCOUNT_ID.fullmatch(account_id), account_id
    assert account_id == account_id_for(cluster, name)


def test_long_names_sharing_a_prefix_stay_distinct():
    assert account_id_for("platform-production", "loki-write") != account_id_for("platform-production", "loki-read")


def test_the_kit_refuses_another_clouds_grants():
    with pytest.raises(TypeError, match="takes GcpGrants, got AzureGrants"):
        GcpKit().workload_identity(TerraformStack(App(), "s"), gcp_spec(), CLUSTER, name="x", layer="addons",
                                   service_account=LOKI, grants=AzureGrants())


def test_the_construct_refuses_an_invalid_account_id():
    with pytest.raises(ValueError, match="service account id 'tc-' must be 6-30"):
        GcpWorkloadIdentity(TerraformStack(App(), "s"), "x", account_id="tc-", cluster=CLUSTER, service_account=LOKI)


def test_grants_take_lists():
    assert GcpGrants(project_roles=["roles/storage.objectViewer"]).project_roles == ("roles/storage.objectViewer",)


@pytest.mark.parametrize("role, problem", [
    ("roles/editor", "basic role spanning every service"),
    ("roles/owner", "basic role"),
    ("storage.objectViewer", "is not a role name like roles/"),
    ("", "non-empty string"),
])
def test_grants_refuse_basic_and_malformed_roles(role, problem):
    with pytest.raises(InvalidWorkloadIdentity, match=problem):
        GcpGrants(project_roles=(role,))


# --- bucket roles and the kit's bucket_grants -------------------------------------------------


@pytest.fixture(scope="module")
def granted(tmp_path_factory):
    """Two identities through the kit: read-write on ``app`` under ``team-a``, and read on ``backup``."""
    from platform_constructs.gcp.contracts import GcpDataContract

    data = GcpDataContract(buckets={"app": "acme-t-1234abcd-app", "backup": "acme-t-1234abcd-backup"})
    app = App(outdir=str(tmp_path_factory.mktemp("bucket-grants")))
    stack = TerraformStack(app, "probe")
    GoogleProvider(stack, "google", project="proj-1", region="us-central1")
    kit, spec = GcpKit(), gcp_spec()
    kit.workload_identity(stack, spec, CLUSTER, name="team-a", layer="tenants",
                          service_account=ServiceAccount("team-a", "app"),
                          grants=kit.bucket_grants(spec, data, bucket="app", write=True, prefix="team-a"))
    kit.workload_identity(stack, spec, CLUSTER, name="restore", layer="tenants",
                          service_account=ServiceAccount("ops", "restore"),
                          grants=kit.bucket_grants(spec, data, bucket="backup", write=False))
    app.synth()
    doc = json.loads(Path(app.outdir, "stacks", "probe", "cdk.tf.json").read_text())
    return {m["bucket"]: m for m in doc["resource"]["google_storage_bucket_iam_member"].values()}, doc


def test_a_write_grant_under_a_prefix_is_object_user_with_a_condition(granted):
    members, doc = granted
    member = members["acme-t-1234abcd-app"]
    assert member["role"] == "roles/storage.objectUser"
    assert member["member"] == ref(doc, "google_service_account", account_of(doc, "tc-team-a"), "member")
    assert member["condition"] == {
        "title": "only team-a/", "description": "Objects under team-a/ only",
        "expression": 'resource.name.startsWith("projects/_/buckets/acme-t-1234abcd-app/objects/team-a/") || '
                      'resource.type == "storage.googleapis.com/Bucket"',
    }
    assert "google_project_iam_member" not in doc["resource"]  # nothing on the project


def test_a_read_grant_on_the_whole_bucket_is_object_viewer_without_condition(granted):
    members, doc = granted
    member = members["acme-t-1234abcd-backup"]
    assert member["role"] == "roles/storage.objectViewer" and "condition" not in member
    assert member["member"] == ref(doc, "google_service_account", account_of(doc, "tc-restore"), "member")


def test_bucket_grants_refuse_an_unknown_bucket_naming_the_known_ones():
    from platform_constructs.gcp.contracts import GcpDataContract

    with pytest.raises(ValueError, match=r"'logs' is not a data bucket \(data.buckets: app, backup\)"):
        GcpKit().bucket_grants(gcp_spec(), GcpDataContract(buckets={"app": "a", "backup": "b"}), bucket="logs",
                               write=False)


def account_of(doc, account_id):
    [found] = [a for a in doc["resource"]["google_service_account"].values() if a["account_id"] == account_id]
    return found


# --- conditional project roles and repository roles -------------------------------------------

SECRETS = ConditionalProjectRole(role="roles/secretmanager.secretAccessor", title="only app-",
                                 expression='resource.name.startsWith("projects/123/secrets/app-")',
                                 description="Secrets named app-*")
REPOSITORY = "projects/proj-1/locations/us-central1/repositories/t"


@pytest.fixture(scope="module")
def conditioned(tmp_path_factory):
    app = App(outdir=str(tmp_path_factory.mktemp("conditioned")))
    stack = TerraformStack(app, "probe")
    GoogleProvider(stack, "google", project="proj-1", region="us-central1")
    GcpKit().workload_identity(stack, gcp_spec(), CLUSTER, name="app", layer="tenants",
                               service_account=ServiceAccount("team-a", "workload"),
                               grants=GcpGrants(project_roles=("roles/logging.logWriter",),
                                                conditional_project_roles=(SECRETS,),
                                                repository_roles=(ArtifactRepositoryRole(REPOSITORY),)))
    app.synth()
    return json.loads(Path(app.outdir, "stacks", "probe", "cdk.tf.json").read_text())


def test_a_conditional_project_role_is_a_project_member_with_its_condition(conditioned):
    members = {m["role"]: m for m in conditioned["resource"]["google_project_iam_member"].values()}
    assert "condition" not in members["roles/logging.logWriter"]
    secrets = members["roles/secretmanager.secretAccessor"]
    assert (secrets["project"], secrets["member"]) == (
        "proj-1", ref(conditioned, "google_service_account", account(conditioned), "member"))
    assert secrets["condition"] == {"title": "only app-", "description": "Secrets named app-*",
                                    "expression": 'resource.name.startsWith("projects/123/secrets/app-")'}


def test_a_repository_role_is_a_member_of_that_repository_only(conditioned):
    [member] = conditioned["resource"]["google_artifact_registry_repository_iam_member"].values()
    assert {k: v for k, v in member.items() if k != "//"} == {
        "repository": REPOSITORY, "role": "roles/artifactregistry.reader",
        "member": ref(conditioned, "google_service_account", account(conditioned), "member"),
    }


@pytest.mark.parametrize("make, problem", [
    (lambda: ConditionalProjectRole(role="roles/editor", title="x", expression="true"), "basic role"),
    (lambda: ConditionalProjectRole(role="roles/secretmanager.secretAccessor", title="", expression="true"),
     "title '' must be 1-100 characters"),
    (lambda: ConditionalProjectRole(role="roles/secretmanager.secretAccessor", title="x" * 101, expression="true"),
     "must be 1-100 characters"),
    (lambda: ConditionalProjectRole(role="roles/secretmanager.secretAccessor", title="x", expression=" "),
     "condition expression must be a CEL expression"),
    (lambda: ArtifactRepositoryRole(REPOSITORY, role="roles/storage.objectViewer"), "not an Artifact Registry role"),
    (lambda: ArtifactRepositoryRole(""), "must be a repository's name"),
    (lambda: GcpGrants(conditional_project_roles=(SECRETS, SECRETS)), "same condition title twice"),
    (lambda: GcpGrants(repository_roles=(ArtifactRepositoryRole(REPOSITORY),) * 2), "same repository twice"),
    (lambda: GcpGrants(repository_roles=("roles/artifactregistry.reader",)), "tuple of ArtifactRepositoryRole"),
])
def test_conditional_and_repository_roles_refuse_what_is_not_least_privilege_or_malformed(make, problem):
    with pytest.raises(InvalidWorkloadIdentity, match=re.escape(problem)):
        make()


def test_grants_add_up():
    bucket = GcpGrants(bucket_roles=(GcsBucketRole(bucket="b", role="roles/storage.objectUser", prefix="a"),),
                       project_roles=("roles/logging.logWriter",))
    other = GcpGrants(project_roles=("roles/logging.logWriter", "roles/monitoring.metricWriter"),
                      conditional_project_roles=(SECRETS,), repository_roles=(ArtifactRepositoryRole(REPOSITORY),))
    both = bucket + other
    assert both.project_roles == ("roles/logging.logWriter", "roles/monitoring.metricWriter")
    assert (both.bucket_roles, both.conditional_project_roles, both.repository_roles) == (
        bucket.bucket_roles, (SECRETS,), (ArtifactRepositoryRole(REPOSITORY),))
