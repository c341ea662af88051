"""A tenant's Kubernetes objects: each validates against the Kubernetes 1.33 schema (strict), and
says what the environment file says (Pod Security, quota, defaults, identity, RBAC)."""

from __future__ import annotations

from decimal import Decimal

import kubernetes_validate
import pytest
from hypothesis import given
from hypothesis import strategies as st

from platform_constructs.spec.quantity import parse_quantity
from platform_constructs.spec.tenants import DEFAULT_LIMIT, DEFAULT_REQUEST
from platform_constructs.tenants.manifests import (
    POD_LABELS_ANNOTATION,
    REASON_ANNOTATION,
    TENANT_LABEL,
    canonical_quantity,
    tenant_manifests,
)
from platform_constructs.tenants.names import service_account
from platform_constructs.tenants.network import TenantIngress
from platform_constructs.workload_identity import ServiceAccount, WorkloadIdentity
from tests.helpers import azure_spec, gcp_spec, make_spec

KUBERNETES = "1.33"

TEAM_A = {"name": "team-a", "quota": {"cpu": "20", "memory": "64Gi", "pods": 100}, "egress_cidrs": ["10.20.0.0/16"]}
TEAM_B = {"name": "team-b", "pod_security": "baseline",
          "pod_security_reason": "the vendor agent image runs as root and cannot be rebuilt",
          "quota": {"cpu": "4500m", "memory": "1536Mi", "pods": 20, "storage": "500Gi", "persistent_volume_claims": 10,
                    "services": 5, "load_balancers": 1, "config_maps": 30, "secrets": 40}}
GROUP = {"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "team-a-admins@example.com"}
DEV_GROUP = {"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "team-a-devs@example.com"}


def objects(spec=None, index: int = 0, *, ingress=TenantIngress(cidrs=("10.0.0.0/22",), namespaces=("ingress",)),
            identity=None, rbac_subjects=None, cloud_egress=()) -> list[dict]:
    spec = spec or make_spec(tenants=[TEAM_A, TEAM_B])
    return tenant_manifests(spec, spec.tenants[index], ingress=ingress, identity=identity, rbac_subjects=rbac_subjects,
                            cloud_egress=cloud_egress)


def by_kind(manifests: list[dict], kind: str) -> list[dict]:
    return [m for m in manifests if m["kind"] == kind]


def identity_for(spec, index=0, **kw) -> WorkloadIdentity:
    return WorkloadIdentity(service_account=service_account(spec.tenants[index]), principal="p", **kw)


# --------------------------------------------------------------------------- schema

def cases():
    aws = make_spec(tenants=[TEAM_A, TEAM_B])
    gcp = gcp_spec(tenants=[{**TEAM_A, "admins": [GROUP["name"]]}, TEAM_B],
                   gcp={"rbac_security_group": "gke-security-groups@example.com"})
    azure = azure_spec(tenants=[TEAM_A, TEAM_B], observability={"enabled": False})
    return [
        ("aws-restricted-irsa", objects(aws, 0, identity=identity_for(
            aws, annotations={"eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/t-tenant-team-a"}))),
        ("aws-baseline-every-quota-field", objects(aws, 1, ingress=TenantIngress())),
        ("gcp-with-role-bindings", objects(gcp, 0, identity=identity_for(
            gcp, annotations={"iam.gke.io/gcp-service-account": "t-team-a@proj-1.iam.gserviceaccount.com"}),
            rbac_subjects={"admin": [GROUP], "edit": [DEV_GROUP]})),
        ("azure-pod-labels-no-collector", objects(azure, 0, identity=identity_for(
            azure, annotations={"azure.workload.identity/client-id": "22222222-2222-2222-2222-222222222222"},
            pod_labels={"azure.workload.identity/use": "true"}),
            cloud_egress=[{"to": [{"ipBlock": {"cidr": "10.0.8.0/24"}}],
                           "ports": [{"protocol": "TCP", "port": 443}]}])),
    ]


CASES = cases()


@pytest.mark.parametrize("manifests", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_every_object_validates_against_kubernetes_1_33_strict(manifests):
    assert len(manifests) >= 7
    for manifest in manifests:
        kubernetes_validate.validate(manifest, KUBERNETES, strict=True)


def test_the_schema_check_is_strict_enough_to_fail():
    """The validation above is not vacuous: a misspelt field, a wrong type and a bad enum are refused."""
    manifests = objects()
    policy = by_kind(manifests, "NetworkPolicy")[1]
    broken = [
        {**policy, "spec": {**policy["spec"], "podselector": {}}},
        {**by_kind(manifests, "ResourceQuota")[0], "spec": {"hard": {"pods": ["100"]}}},
        {**by_kind(manifests, "LimitRange")[0], "spec": {"limits": [{"typo": "Container"}]}},
    ]
    for manifest in broken:
        with pytest.raises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(manifest, KUBERNETES, strict=True)


# --------------------------------------------------------------------------- what each object says

def test_apply_order_namespace_first_and_every_object_in_it_with_the_tenant_label():
    manifests = objects(rbac_subjects={"admin": [GROUP]})
    kinds = [m["kind"] for m in manifests]
    assert kinds[:3] == ["Namespace", "ResourceQuota", "LimitRange"]
    assert kinds.index("ServiceAccount") > max(i for i, k in enumerate(kinds) if k == "NetworkPolicy")
    assert kinds[-1] == "RoleBinding"
    assert all(m["metadata"]["labels"][TENANT_LABEL] == "team-a" for m in manifests)
    assert all(m["metadata"]["namespace"] == "team-a" for m in manifests[1:])
    assert "namespace" not in manifests[0]["metadata"]
    names = [(m["kind"], m["metadata"]["name"]) for m in manifests]
    assert len(set(names)) == len(names)


def test_restricted_namespace_enforces_restricted_pinned_to_the_cluster_version():
    spec = make_spec(tenants=[TEAM_A], cluster={"kubernetes_version": "1.35"})
    ns = objects(spec)[0]
    labels = ns["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
    assert labels["pod-security.kubernetes.io/enforce-version"] == "v1.35"
    assert labels["pod-security.kubernetes.io/audit"] == labels["pod-security.kubernetes.io/warn"] == "restricted"
    assert labels["pod-security.kubernetes.io/warn-version"] == "latest"
    assert "annotations" not in ns["metadata"]


def test_baseline_namespace_keeps_its_reason_and_still_warns_at_restricted():
    ns = objects(index=1)[0]
    labels = ns["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "baseline"
    assert labels["pod-security.kubernetes.io/warn"] == "restricted"
    assert ns["metadata"]["annotations"] == {REASON_ANNOTATION: TEAM_B["pod_security_reason"]}
    assert "privileged" not in labels.values()


def test_quota_bounds_requests_and_limits_and_forbids_load_balancers_by_default():
    hard = by_kind(objects(), "ResourceQuota")[0]["spec"]["hard"]
    assert hard == {"requests.cpu": "20", "limits.cpu": "20", "requests.memory": "64Gi", "limits.memory": "64Gi",
                    "pods": "100", "services.loadbalancers": "0"}


def test_quota_optional_fields_when_the_file_gives_them():
    hard = by_kind(objects(index=1), "ResourceQuota")[0]["spec"]["hard"]
    quota = TEAM_B["quota"]
    assert parse_quantity(hard["requests.cpu"]) == parse_quantity(hard["limits.cpu"]) == parse_quantity(quota["cpu"])
    assert parse_quantity(hard["limits.memory"]) == parse_quantity(quota["memory"])
    assert hard["requests.storage"] == "500Gi"
    assert (hard["persistentvolumeclaims"], hard["services"], hard["services.loadbalancers"],
            hard["configmaps"], hard["secrets"]) == ("10", "5", "1", "30", "40")


def test_limit_range_gives_every_container_the_defaults_that_fit_the_quota():
    manifests = objects()
    (limits,) = by_kind(manifests, "LimitRange")[0]["spec"]["limits"]
    assert limits["type"] == "Container"
    assert {k: parse_quantity(v) for k, v in limits["default"].items()} == \
        {k: parse_quantity(v) for k, v in DEFAULT_LIMIT.items()}
    assert {k: parse_quantity(v) for k, v in limits["defaultRequest"].items()} == \
        {k: parse_quantity(v) for k, v in DEFAULT_REQUEST.items()}
    hard = by_kind(manifests, "ResourceQuota")[0]["spec"]["hard"]
    for kind in ("cpu", "memory"):  # one pod without its own requests/limits is admitted
        assert parse_quantity(limits["default"][kind]) <= parse_quantity(hard[f"limits.{kind}"])
        assert parse_quantity(limits["defaultRequest"][kind]) <= parse_quantity(hard[f"requests.{kind}"])


def test_service_account_carries_the_identity_and_names_the_pod_labels():
    spec = azure_spec(tenants=[TEAM_A])
    identity = identity_for(spec, annotations={"azure.workload.identity/client-id": "${azurerm.x.client_id}"},
                            pod_labels={"azure.workload.identity/use": "true"})
    (sa,) = by_kind(objects(spec, identity=identity), "ServiceAccount")
    assert (sa["metadata"]["namespace"], sa["metadata"]["name"]) == ("team-a", "workload")
    assert sa["metadata"]["annotations"] == {"azure.workload.identity/client-id": "${azurerm.x.client_id}",
                                             POD_LABELS_ANNOTATION: "azure.workload.identity/use=true"}


def test_service_account_without_identity_has_no_annotations():
    (sa,) = by_kind(objects(), "ServiceAccount")
    assert "annotations" not in sa["metadata"]


def test_an_identity_bound_to_another_service_account_is_refused():
    spec = make_spec(tenants=[TEAM_A])
    wrong = WorkloadIdentity(service_account=ServiceAccount("team-a", "default"), principal="p")
    with pytest.raises(ValueError, match="team-a/default.*names.service_account"):
        objects(spec, identity=wrong)


def test_role_bindings_only_when_subjects_are_given():
    assert by_kind(objects(), "RoleBinding") == []
    assert by_kind(objects(rbac_subjects={"admin": [], "edit": []}), "RoleBinding") == []
    bindings = by_kind(objects(rbac_subjects={"admin": [GROUP], "edit": [DEV_GROUP]}), "RoleBinding")
    assert {b["roleRef"]["name"]: b["subjects"] for b in bindings} == {"admin": [GROUP], "edit": [DEV_GROUP]}
    assert all(b["roleRef"]["kind"] == "ClusterRole" for b in bindings)


@pytest.mark.parametrize("subjects, match", [
    ({"cluster-admin": [GROUP]}, "cluster-admin"),
    ({"admin": [{"kind": "Group"}]}, "need a kind and a name"),
])
def test_bad_rbac_subjects_are_refused(subjects, match):
    with pytest.raises(ValueError, match=match):
        objects(rbac_subjects=subjects)


# --------------------------------------------------------------------------- quantities as the API server writes them

@pytest.mark.parametrize("given_, canonical", [
    # resource.Quantity's canonical forms (k8s.io/apimachinery quantity_test.go examples)
    ("1024Mi", "1Gi"), ("1.5Gi", "1536Mi"), ("64Gi", "64Gi"), ("1000m", "1"), ("0.5", "500m"), ("2000", "2k"),
    ("1500", "1500"), ("4500m", "4500m"), ("100Ki", "100Ki"), ("1Ki", "1Ki"), ("512", "512"), ("0", "0"),
    ("1e3", "1e3"), ("1E3", "1e3"), ("1e0", "1"), ("10G", "10G"), ("1.0000000001", "1000000001n"),
])
def test_canonical_quantity_matches_the_api_server(given_, canonical):
    assert canonical_quantity(given_) == canonical


@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
       st.sampled_from(["", "m", "k", "Mi", "Gi", "M", "G"]))
def test_canonical_quantity_keeps_the_value(number: Decimal, suffix: str):
    text = f"{number}{suffix}"
    exact = parse_quantity(text).quantize(Decimal("1e-9"), rounding="ROUND_UP")
    assert parse_quantity(canonical_quantity(text)) == exact
    assert canonical_quantity(canonical_quantity(text)) == canonical_quantity(text)
