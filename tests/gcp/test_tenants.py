"""GcpTenants (through the kit, on the synthesized tenants stack): per tenant a Google service account
holding its bucket folder, its own secrets and registry pull; Google groups bound in the namespace;
the load balancer path of GKE let in."""

import ipaddress
import re

import pytest
from cdktf import App, TerraformStack

from platform_constructs.gcp.contracts import GcpDataContract
from platform_constructs.gcp.tenants import GcpTenants
from tests.gcp.test_workload_identity import CLUSTER
from tests.helpers import gcp_spec, make_spec, one, ref, resources, synth

QUOTA = {"cpu": "4", "memory": "8Gi", "pods": 20}
#: Three tenants: ``team`` is a prefix of ``team-a`` (their secrets must not mix), ``team-b`` keeps
#: its objects under another folder than its name and names no group.
TENANTS = [
    {"name": "team", "quota": QUOTA, "admins": ["team-admins@example.com"],
     "developers": ["team-devs@example.com", "contractors@example.org"]},
    {"name": "team-a", "quota": QUOTA, "admins": ["team-a-admins@example.com"]},
    {"name": "team-b", "quota": QUOTA, "bucket_prefix": "apps/team-b"},
]
FULL = dict(
    name="ten", tenants=TENANTS, gcp={"rbac_security_group": "gke-security-groups@example.com"},
    data={"buckets": ["app", "backup"], "registry": {"repositories": ["api", "web"]}},
)
#: No app bucket, no registry, a proxy-only range given in the file.
BARE = dict(
    name="bare", tenants=TENANTS[:1], data={"buckets": ["backup"], "registry": {"repositories": []}},
    # Google Groups for RBAC on: without it the tenant's groups have no effect and are refused (spec/ignored.py)
    gcp={"proxy_only_cidr": "10.0.254.0/24", "rbac_security_group": "gke-security-groups@example.com"},
)


@pytest.fixture(scope="module")
def full():
    return synth(gcp_spec(**FULL))


@pytest.fixture(scope="module")
def tenants(full):
    return full["tenants"]


@pytest.fixture(scope="module")
def bare():
    return synth(gcp_spec(**BARE))


def account(doc, tenant):
    """The Google service account bound to ``<tenant>/workload``."""
    member = one_where(doc, "google_service_account_iam_member",
                       member=f"serviceAccount:proj-1.svc.id.goog[{tenant}/workload]")
    [found] = [a for a in resources(doc, "google_service_account")
               if member["service_account_id"] == ref(doc, "google_service_account", a, "name")]
    return found


def one_where(doc, rtype, **attrs):
    found = [b for b in resources(doc, rtype) if all(b.get(k) == v for k, v in attrs.items())]
    assert len(found) == 1, f"{rtype} with {attrs}: {len(found)} found"
    return found[0]


def member_of(doc, tenant):
    return ref(doc, "google_service_account", account(doc, tenant), "member")


def held_by(doc, rtype, tenant):
    return [b for b in resources(doc, rtype) if b["member"] == member_of(doc, tenant)]


def manifests(doc, tenant, kind):
    return [r["manifest"] for r in resources(doc, "kubernetes_manifest")
            if r["manifest"]["kind"] == kind and r["manifest"]["metadata"].get("namespace", r["manifest"]["metadata"]
                                                                                ["name"]) == tenant]


# --- the identity ---------------------------------------------------------------------------


def test_one_google_account_per_tenant_each_bound_to_its_own_service_account_only(tenants):
    accounts = [account(tenants, t["name"]) for t in TENANTS]
    assert len({a["account_id"] for a in accounts}) == 3 == len(resources(tenants, "google_service_account"))
    assert all(re.fullmatch(r"[a-z][-a-z0-9]{4,28}[a-z0-9]", a["account_id"]) and a["project"] == "proj-1"
               for a in accounts)
    bindings = resources(tenants, "google_service_account_iam_member")
    assert sorted(b["member"] for b in bindings) == sorted(
        f"serviceAccount:proj-1.svc.id.goog[{t['name']}/workload]" for t in TENANTS)
    assert {b["role"] for b in bindings} == {"roles/iam.workloadIdentityUser"}


def test_the_service_account_carries_its_own_tenants_google_account(tenants):
    for t in TENANTS:
        [sa] = manifests(tenants, t["name"], "ServiceAccount")
        assert sa["metadata"]["name"] == "workload"
        assert sa["metadata"]["annotations"]["iam.gke.io/gcp-service-account"] == ref(
            tenants, "google_service_account", account(tenants, t["name"]), "email")


def test_read_write_on_the_tenants_folder_of_the_app_bucket_only(full, tenants):
    [app_bucket] = [b["name"] for b in resources(full["data"], "google_storage_bucket") if b["name"].endswith("-app")]
    for t in TENANTS:
        [grant] = held_by(tenants, "google_storage_bucket_iam_member", t["name"])
        folder = t.get("bucket_prefix", t["name"])
        assert (grant["bucket"], grant["role"]) == (app_bucket, "roles/storage.objectUser")
        assert grant["condition"]["expression"].startswith(
            f'resource.name.startsWith("projects/_/buckets/{app_bucket}/objects/{folder}/")')


def secret_prefix_of(grant, doc):
    """The secret-name prefix a conditional secretAccessor member allows, and the project number it names."""
    match = re.fullmatch(r'resource\.name\.startsWith\("projects/(?P<number>[^/]+)/secrets/(?P<prefix>[^"]+)"\)',
                         grant["condition"]["expression"])
    assert match, grant["condition"]["expression"]
    return match["number"], match["prefix"]


def test_secret_access_is_conditioned_on_the_tenants_own_secret_names(tenants):
    [(logical_id, project)] = tenants["data"]["google_project"].items()
    assert project["project_id"] == "proj-1"
    number = f"${{data.google_project.{logical_id}.number}}"
    for t in TENANTS:
        [grant] = held_by(tenants, "google_project_iam_member", t["name"])
        assert (grant["role"], grant["project"]) == ("roles/secretmanager.secretAccessor", "proj-1")
        assert secret_prefix_of(grant, tenants) == (number, f"ten_tenants_{t['name']}_")
        assert len(grant["condition"]["title"]) <= 100


def allowed(doc, tenant, secret_id):
    [grant] = held_by(doc, "google_project_iam_member", tenant)
    _, prefix = secret_prefix_of(grant, doc)
    # A secret and each of its versions, as IAM conditions see them.
    return all(name.startswith(f"projects/123/secrets/{prefix}") for name in
               (f"projects/123/secrets/{secret_id}", f"projects/123/secrets/{secret_id}/versions/1"))


def test_a_tenant_whose_name_starts_another_tenants_name_cannot_read_its_secrets(tenants):
    assert allowed(tenants, "team", "ten_tenants_team_db-password")
    assert allowed(tenants, "team-a", "ten_tenants_team-a_db-password")
    assert not allowed(tenants, "team", "ten_tenants_team-a_db-password")
    assert not allowed(tenants, "team-a", "ten_tenants_team_db-password")
    assert not allowed(tenants, "team", "other-env_tenants_team_db-password")


def test_no_project_role_without_a_condition(tenants):
    assert all("condition" in m for m in resources(tenants, "google_project_iam_member"))


def test_pull_from_the_data_layers_repository(full, tenants):
    repo = one(full["data"], "google_artifact_registry_repository")
    name = f"projects/{repo['project']}/locations/{repo['location']}/repositories/{repo['repository_id']}"
    for t in TENANTS:
        [grant] = held_by(tenants, "google_artifact_registry_repository_iam_member", t["name"])
        assert (grant["repository"], grant["role"]) == (name, "roles/artifactregistry.reader")


def test_the_stack_reads_no_other_stacks_state(tenants):
    assert "terraform_remote_state" not in tenants.get("data", {})


def test_without_app_bucket_or_registry_only_the_secrets(bare):
    doc = bare["tenants"]
    for rtype in ("google_storage_bucket_iam_member", "google_artifact_registry_repository_iam_member"):
        assert resources(doc, rtype) == [], rtype
    [grant] = held_by(doc, "google_project_iam_member", "team")
    assert secret_prefix_of(grant, doc)[1] == "bare_tenants_team_"


# --- RBAC -----------------------------------------------------------------------------------


def test_admins_and_developers_are_google_group_subjects_bound_to_admin_and_edit(tenants):
    bindings = {b["roleRef"]["name"]: b for b in manifests(tenants, "team", "RoleBinding")}
    assert set(bindings) == {"admin", "edit"}
    assert all(b["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                                "name": role} for role, b in bindings.items())
    group = lambda email: {"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": email}  # noqa: E731
    assert bindings["admin"]["subjects"] == [group("team-admins@example.com")]
    assert bindings["edit"]["subjects"] == [group("team-devs@example.com"), group("contractors@example.org")]


def test_only_the_roles_with_groups_are_bound(tenants):
    assert [b["roleRef"]["name"] for b in manifests(tenants, "team-a", "RoleBinding")] == ["admin"]
    assert manifests(tenants, "team-b", "RoleBinding") == []


def test_the_cluster_asserts_google_groups_when_the_file_names_the_security_group(full):
    gke = one(full["cluster"], "google_container_cluster")
    assert gke["authenticator_groups_config"] == {"security_group": "gke-security-groups@example.com"}


# --- the load balancer path ---------------------------------------------------------------


def load_balancer_cidrs(doc, tenant):
    [policy] = [p for p in manifests(doc, tenant, "NetworkPolicy") if p["metadata"]["name"] == "allow-load-balancer"]
    [rule] = policy["spec"]["ingress"]
    return [peer["ipBlock"]["cidr"] for peer in rule["from"]]


@pytest.mark.parametrize("env", ["full", "bare"])
def test_ingress_from_google_front_ends_health_checks_and_the_proxy_only_subnet(env, request):
    stacks = request.getfixturevalue(env)
    proxy = one_where(stacks["network"], "google_compute_subnetwork", purpose="REGIONAL_MANAGED_PROXY")
    health = one_where(stacks["network"], "google_compute_firewall", direction="INGRESS",
                       description="Google Cloud load-balancer health checks to nodes")
    tenant = "team"
    cidrs = load_balancer_cidrs(stacks["tenants"], tenant)
    assert cidrs == [*health["source_ranges"], proxy["ip_cidr_range"]]
    assert {"35.191.0.0/16", "130.211.0.0/22"} <= set(cidrs)
    assert all(ipaddress.ip_network(c) for c in cidrs)


def evaluated(doc):
    from tests.tenants.netpol_eval import Cluster

    return Cluster([r["manifest"] for r in resources(doc, "kubernetes_manifest")])


def test_google_front_ends_reach_the_pods_and_other_addresses_do_not(tenants):
    from tests.tenants.netpol_eval import Endpoint

    pod = Endpoint("10.0.0.10", namespace="team", labels={"app": "web"})
    cluster = evaluated(tenants)
    assert cluster.can_connect(Endpoint("35.191.4.4"), pod, 8080)     # health check / front end
    assert cluster.can_connect(Endpoint("130.211.1.1"), pod, 8080)
    assert cluster.can_connect(Endpoint("10.0.176.5"), pod, 8080)     # the proxy-only subnet (carved)
    assert not cluster.can_connect(Endpoint("203.0.113.9"), pod, 8080)
    assert not cluster.can_connect(Endpoint("10.0.200.1"), pod, 8080)


def test_a_tenants_pods_reach_the_gke_metadata_server_for_their_tokens_and_nothing_else_there(tenants):
    from tests.tenants.netpol_eval import Endpoint

    pod = Endpoint("10.0.0.10", namespace="team-b", labels={"app": "worker"})
    cluster = evaluated(tenants)
    assert cluster.can_connect(pod, Endpoint("169.254.169.254"), 80)
    assert cluster.can_connect(pod, Endpoint("169.254.169.252"), 988)
    assert not cluster.can_connect(pod, Endpoint("169.254.169.254"), 443)
    assert not cluster.can_connect(pod, Endpoint("169.254.169.254"), 80, "UDP")
    assert not cluster.can_connect(pod, Endpoint("169.254.169.253"), 80)


# --- refusals ---------------------------------------------------------------------------------


def test_gcp_tenants_refuses_another_clouds_environment_or_data():
    with pytest.raises(ValueError, match="GcpTenants needs a GCP environment"):
        GcpTenants(TerraformStack(App(), "s"), "t", spec=make_spec(), cluster=CLUSTER, data=GcpDataContract(buckets={}))
    from platform_constructs.contracts import DataContract
    with pytest.raises(TypeError, match="takes the GCP data contract"):
        GcpTenants(TerraformStack(App(), "s"), "t", spec=gcp_spec(), cluster=CLUSTER, data=DataContract(buckets={}))


def test_a_long_tenant_name_still_gets_a_valid_account_id():
    from cdktf_cdktf_provider_google.service_account import ServiceAccount as GoogleServiceAccount

    long_name = "a-team-with-a-thirty-two-char-nm"
    stack = TerraformStack(App(), "s")
    GcpTenants(stack, "t", spec=gcp_spec(tenants=[{"name": long_name, "quota": QUOTA}]), cluster=CLUSTER,
               data=GcpDataContract(buckets={"app": "b-app"}))
    [built] = [c for c in stack.node.find_all() if isinstance(c, GoogleServiceAccount)]
    assert len(long_name) == 32 and re.fullmatch(r"[a-z][-a-z0-9]{4,28}[a-z0-9]", built.account_id_input)


def test_every_object_of_the_gcp_tenants_stack_validates_against_kubernetes_1_33(tenants):
    import kubernetes_validate

    objects = [r["manifest"] for r in resources(tenants, "kubernetes_manifest")]
    assert {"RoleBinding", "ServiceAccount", "NetworkPolicy"} <= {m["kind"] for m in objects}
    for manifest in objects:
        kubernetes_validate.validate(manifest, "1.33", strict=True)
