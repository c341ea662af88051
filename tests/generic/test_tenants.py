"""Tenants on an existing cluster: Kubernetes groups bound in the namespace, no cloud identity, ingress
from the Traefik namespace; every object the stacks write validates against Kubernetes 1.33."""

from __future__ import annotations

import kubernetes_validate
import pytest

from tests.helpers import kubernetes_spec, resources, synth

KUBERNETES = "1.33"
TEAM_A = {"name": "team-a", "quota": {"cpu": "4", "memory": "16Gi", "pods": 60},
          "admins": ["team-a-admins"], "developers": ["oidc:team-a-devs"], "egress_cidrs": ["192.0.2.0/24"]}
TEAM_B = {"name": "team-b", "quota": {"cpu": "2", "memory": "4Gi", "pods": 20}, "admins": ["team-b-admins"],
          "public_https_egress": False}


def manifests(spec, tenant: str | None = None) -> list[dict]:
    found = [r["manifest"] for r in resources(synth(spec)["tenants"], "kubernetes_manifest")]
    ns = lambda m: m["metadata"].get("namespace", m["metadata"]["name"])  # noqa: E731
    return [m for m in found if tenant is None or ns(m) == tenant]


def named(objects: list[dict], kind: str, name: str) -> dict:
    (found,) = [m for m in objects if m["kind"] == kind and m["metadata"]["name"] == name]
    return found


def test_groups_are_bound_to_admin_and_edit_as_kubernetes_group_subjects():
    objects = manifests(kubernetes_spec(tenants=[TEAM_A, TEAM_B]), "team-a")
    bindings = {m["roleRef"]["name"]: m["subjects"] for m in objects if m["kind"] == "RoleBinding"}
    group = lambda name: {"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": name}  # noqa: E731
    assert bindings == {"admin": [group("team-a-admins")], "edit": [group("oidc:team-a-devs")]}


def test_the_workload_service_account_has_no_cloud_identity():
    sa = named(manifests(kubernetes_spec(tenants=[TEAM_A]), "team-a"), "ServiceAccount", "workload")
    assert "annotations" not in sa["metadata"]


def test_load_balancer_traffic_comes_from_the_traefik_namespace_only():
    policy = named(manifests(kubernetes_spec(tenants=[TEAM_A]), "team-a"), "NetworkPolicy", "allow-load-balancer")
    sources = [peer for rule in policy["spec"]["ingress"] for peer in rule["from"]]
    assert sources == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "traefik"}}}]


def test_without_the_controller_nothing_outside_the_namespace_is_admitted():
    objects = manifests(kubernetes_spec(tenants=[TEAM_A], addons={"load_balancer_controller": False}), "team-a")
    assert not [m for m in objects if m["metadata"]["name"] == "allow-load-balancer"]


def test_public_https_egress_as_the_file_says():
    spec = kubernetes_spec(tenants=[TEAM_A, TEAM_B])
    assert named(manifests(spec, "team-a"), "NetworkPolicy", "allow-public-https")
    assert not [m for m in manifests(spec, "team-b") if m["metadata"]["name"] == "allow-public-https"]


def test_pod_security_enforce_follows_the_clusters_own_version():
    ns = named(manifests(kubernetes_spec(tenants=[TEAM_A]), "team-a"), "Namespace", "team-a")
    labels = ns["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
    assert labels["pod-security.kubernetes.io/enforce-version"] == "latest"


def every_written_object() -> list[dict]:
    spec = kubernetes_spec(tenants=[TEAM_A, TEAM_B], addons={"secrets_store_provider": "vault"})
    return [body["manifest"] for doc in synth(spec).values() for body in resources(doc, "kubernetes_manifest")]


def test_the_stacks_write_objects_to_validate():
    kinds = {m["kind"] for m in every_written_object()}
    assert {"Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy", "ServiceAccount", "RoleBinding"} <= kinds


@pytest.mark.parametrize("manifest", every_written_object(),
                         ids=lambda m: f"{m['metadata'].get('namespace', '-')}/{m['kind']}/{m['metadata']['name']}")
def test_every_kubernetes_object_of_every_stack_validates_against_1_33_strict(manifest):
    kubernetes_validate.validate(manifest, KUBERNETES, strict=True)


def test_a_broken_object_fails_the_same_check():
    broken = dict(every_written_object()[0], spec={"finalizers": "not-a-list"})
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)
