"""TenantObjects: each of a tenant's manifests as one kubernetes_manifest, after its Namespace."""

from __future__ import annotations

import pytest

from platform_constructs.tenants.manifests import tenant_manifests
from platform_constructs.tenants.network import TenantIngress
from platform_constructs.tenants.objects import TenantObjects, logical_id
from tests.helpers import in_cluster_probe, make_spec

TEAM = {"name": "team-a", "quota": {"cpu": "2", "memory": "4Gi", "pods": 10}, "egress_cidrs": ["10.9.0.0/16"]}
SUBJECT = {"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "devs@example.com"}


def team_manifests() -> list[dict]:
    spec = make_spec(tenants=[TEAM])
    return tenant_manifests(spec, spec.tenants[0], ingress=TenantIngress(cidrs=("10.0.0.0/22",)), identity=None,
                            rbac_subjects={"edit": [SUBJECT]})


def written(manifests: list[dict]) -> dict[str, dict]:
    doc = in_cluster_probe(lambda stack: TenantObjects(stack, "team-a", manifests=manifests))
    return doc["resource"]["kubernetes_manifest"]


def test_every_manifest_is_written_unchanged_once():
    manifests = team_manifests()
    resources = written(manifests)
    assert len(resources) == len(manifests)
    assert sorted((r["manifest"]["kind"], r["manifest"]["metadata"]["name"]) for r in resources.values()) == \
        sorted((m["kind"], m["metadata"]["name"]) for m in manifests)
    by_id = {(r["manifest"]["kind"], r["manifest"]["metadata"]["name"]): r["manifest"] for r in resources.values()}
    for m in manifests:
        assert by_id[(m["kind"], m["metadata"]["name"])] == m


def test_logical_ids_come_from_kind_and_name_and_namespaced_objects_wait_for_the_namespace():
    resources = written(team_manifests())
    (ns_id,) = [k for k, r in resources.items() if r["manifest"]["kind"] == "Namespace"]
    assert ns_id.startswith("team-a_namespace-team-a_")
    for key, resource in resources.items():
        m = resource["manifest"]
        assert key.startswith(f"team-a_{m['kind'].lower()}-{m['metadata']['name']}_"), key
        if key != ns_id:
            assert resource["depends_on"] == [f"kubernetes_manifest.{ns_id}"], key
        else:
            assert "depends_on" not in resource


def test_logical_id():
    assert logical_id({"kind": "NetworkPolicy", "metadata": {"name": "allow-dns"}}) == "networkpolicy-allow-dns"
    assert logical_id({"kind": "ConfigMap", "metadata": {"name": "a.b"}}) == "configmap-a-b"


@pytest.mark.parametrize("change, match", [
    (lambda ms: ms[1:], "0 Namespace objects"),
    (lambda ms: ms + [ms[0]], "2 Namespace objects"),
    (lambda ms: ms + [dict(ms[3])], "both networkpolicy-default-deny"),
    (lambda ms: ms + [{**ms[3], "metadata": {**ms[3]["metadata"], "name": "x", "namespace": "team-b"}}],
     "in namespace 'team-b'"),
    (lambda ms: ms + [{"kind": "ConfigMap", "metadata": {}}], "no kind or metadata.name"),
])
def test_manifests_of_more_or_less_than_one_tenant_are_refused(change, match):
    with pytest.raises(ValueError, match=match):
        in_cluster_probe(lambda stack: TenantObjects(stack, "team-a", manifests=change(team_manifests())))
