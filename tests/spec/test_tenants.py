"""The ``tenants:`` section: the keep-these-names fields, defaults, and every rule, each refused in
one line naming the field (``tenants.<i>.<field>``)."""

from __future__ import annotations

import functools

import pytest

from platform_constructs.spec import SpecError
from platform_constructs.spec.tenants import DEFAULT_LIMIT
from tests.helpers import azure_spec, gcp_spec, kubernetes_spec, make_spec, synth

QUOTA = {"cpu": "20", "memory": "64Gi", "pods": 100}
REASON = "the vendor agent image runs as root and cannot be rebuilt"
ROLE = "arn:aws:iam::111122223333:role/team-a-admins"
DEV_ROLE = "arn:aws:iam::111122223333:role/team-a-developers"


def tenant(**override) -> dict:
    return {"name": "team-a", "quota": dict(QUOTA), **override}


def refused(*tenants: dict, factory=make_spec, **override) -> SpecError:
    with pytest.raises(SpecError) as info:
        factory(tenants=list(tenants), **override)
    err = info.value
    assert "\n" not in str(err) and str(err).startswith(f"test.yaml: {err.path}: "), str(err)
    return err


# --------------------------------------------------------------------------- fields and defaults

def test_no_tenants_by_default():
    assert make_spec().tenants == []


def test_defaults_are_the_issues():
    t = make_spec(tenants=[tenant()]).tenants[0]
    assert (t.pod_security, t.pod_security_reason, t.admins, t.developers, t.egress_cidrs, t.bucket_prefix) == \
        ("restricted", None, [], [], [], None)
    assert t.object_prefix == "team-a"
    q = t.quota
    assert (q.storage, q.persistent_volume_claims, q.services, q.load_balancers, q.config_maps, q.secrets) == \
        (None, None, None, 0, None, None)


def test_every_field_of_the_issue_is_read_from_the_file():
    t = make_spec(tenants=[{
        "name": "team-a", "pod_security": "baseline", "pod_security_reason": REASON,
        "quota": {"cpu": "4500m", "memory": "8Gi", "pods": 30, "storage": "100Gi", "persistent_volume_claims": 5,
                  "services": 4, "load_balancers": 1, "config_maps": 20, "secrets": 20},
        "admins": [ROLE], "developers": [DEV_ROLE], "egress_cidrs": ["10.20.0.0/16", "192.0.2.0/24"],
        "bucket_prefix": "apps/team-a",
    }]).tenants[0]
    assert (t.pod_security, t.pod_security_reason) == ("baseline", REASON)
    assert (t.quota.cpu, t.quota.memory, t.quota.pods, t.quota.storage) == ("4500m", "8Gi", 30, "100Gi")
    assert (t.quota.persistent_volume_claims, t.quota.services, t.quota.load_balancers) == (5, 4, 1)
    assert (t.admins, t.developers, t.egress_cidrs) == ([ROLE], [DEV_ROLE], ["10.20.0.0/16", "192.0.2.0/24"])
    assert t.object_prefix == "apps/team-a"


def test_a_quota_exactly_at_one_default_container_is_accepted():
    floor = {"cpu": DEFAULT_LIMIT["cpu"], "memory": DEFAULT_LIMIT["memory"], "pods": 1}
    spec = make_spec(tenants=[tenant(quota=floor)])
    assert (spec.tenants[0].quota.cpu, spec.tenants[0].quota.memory) == (DEFAULT_LIMIT["cpu"], DEFAULT_LIMIT["memory"])


# --------------------------------------------------------------------------- names

def test_duplicate_names_are_refused_on_the_second():
    err = refused(tenant(), tenant(name="team-b"), tenant())
    assert err.path == "tenants.2.name"
    assert "tenants.0" in err.message and "unique" in err.message


@pytest.mark.parametrize("factory, name", [
    (make_spec, "kube-system"), (make_spec, "kube-public"), (make_spec, "kube-node-lease"), (make_spec, "default"),
    (make_spec, "observability"), (make_spec, "amazon-cloudwatch"), (make_spec, "eks-anything"),
    (gcp_spec, "gke-managed-system"), (gcp_spec, "gmp-system"), (gcp_spec, "observability"),
    (azure_spec, "aks-command"), (azure_spec, "azure-arc"), (azure_spec, "kube-system"),
    (kubernetes_spec, "traefik"), (kubernetes_spec, "gke-managed-system"), (kubernetes_spec, "aks-command"),
])
def test_system_and_platform_namespaces_are_refused(factory, name):
    err = refused(tenant(name=name), factory=factory)
    assert err.path == "tenants.0.name"
    assert "namespace Kubernetes, the cloud or the platform uses" in err.message


@pytest.mark.parametrize("factory, name", [(make_spec, "gke-managed-system"), (gcp_spec, "aks-command"),
                                           (azure_spec, "amazon-cloudwatch"), (make_spec, "cert-manager")])
def test_another_clouds_or_no_ones_namespaces_are_a_tenants_to_take(factory, name):
    """Only what a layer, Kubernetes or this file's cloud creates is reserved (platform_constructs/namespaces.py)."""
    assert factory(tenants=[tenant(name=name)]).tenants[0].name == name


@pytest.mark.parametrize("name", ["Team-A", "team_a", "1team", "team-", "-team", "a" * 33, ""])
def test_names_that_are_not_dns_labels_are_refused(name):
    assert refused(tenant(name=name)).path == "tenants.0.name"


@pytest.mark.slow
def test_every_namespace_the_platform_deploys_to_is_reserved():
    """Synthesize one environment per cloud and try each namespace its stacks write to as a tenant."""
    namespaces: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "namespace" and isinstance(value, str) and "${" not in value:
                    namespaces.add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    seen: set[str] = set()
    for factory in (make_spec, gcp_spec, azure_spec):
        namespaces.clear()
        for layer, doc in synth(factory()).items():
            walk(doc.get("resource", {}))
        assert "observability" in namespaces, factory.__name__
        seen |= namespaces
        for name in sorted(namespaces):
            assert refused(tenant(name=name), factory=factory).path == "tenants.0.name", (factory.__name__, name)
    assert "kube-system" in seen


# --------------------------------------------------------------------------- quantities

@pytest.mark.parametrize("field, value", [
    ("cpu", "20 cores"), ("cpu", "1.5.5"), ("cpu", "-1"), ("cpu", ""), ("memory", "64GB"), ("memory", "64gi"),
    ("memory", "1e"), ("storage", "lots"), ("storage", "-5Gi"),
])
def test_quantities_kubernetes_would_reject_are_refused(field, value):
    err = refused(tenant(quota={**QUOTA, field: value}))
    assert err.path == f"tenants.0.quota.{field}"
    assert repr(value) in err.message


@pytest.mark.parametrize("field, value", [("pods", 0), ("pods", "many"), ("pods", 2.5), ("load_balancers", -1),
                                          ("secrets", -3), ("colour", 1)])
def test_bad_counts_and_unknown_quota_keys_are_refused(field, value):
    assert refused(tenant(quota={**QUOTA, field: value})).path == f"tenants.0.quota.{field}"


@pytest.mark.parametrize("field", ["cpu", "memory", "pods"])
def test_the_required_quota_fields_are_required(field):
    quota = {k: v for k, v in QUOTA.items() if k != field}
    assert refused(tenant(quota=quota)).path == f"tenants.0.quota.{field}"


@pytest.mark.parametrize("field, value", [("cpu", "400m"), ("cpu", "0.1"), ("memory", "256Mi"), ("memory", "0")])
def test_a_quota_below_one_default_container_is_refused(field, value):
    err = refused(tenant(quota={**QUOTA, field: value}))
    assert err.path == f"tenants.0.quota.{field}"
    assert DEFAULT_LIMIT[field] in err.message


# --------------------------------------------------------------------------- pod security

def test_privileged_is_never_accepted():
    err = refused(tenant(pod_security="privileged", pod_security_reason=REASON))
    assert err.path == "tenants.0.pod_security"
    assert "'restricted'" in err.message and "'baseline'" in err.message


def test_baseline_needs_a_reason():
    err = refused(tenant(pod_security="baseline"))
    assert err.path == "tenants.0.pod_security_reason"
    assert "required with pod_security baseline" in err.message


def test_a_reason_without_baseline_is_refused():
    assert refused(tenant(pod_security_reason=REASON)).path == "tenants.0.pod_security_reason"


def test_a_reason_too_short_to_say_anything_is_refused():
    assert refused(tenant(pod_security="baseline", pod_security_reason="root")).path == "tenants.0.pod_security_reason"


# --------------------------------------------------------------------------- groups

def test_a_group_listed_twice_is_refused():
    err = refused(tenant(admins=[ROLE, ROLE]))
    assert (err.path, err.message) == ("tenants.0.admins", "names a group twice: list each once")


def test_a_group_under_both_roles_is_refused():
    err = refused(tenant(admins=[ROLE], developers=[DEV_ROLE, ROLE]))
    assert err.path == "tenants.0.developers" and "also an admin" in err.message


@pytest.mark.parametrize("factory, good, bad", [
    (make_spec, ROLE, "team-a-admins@example.com"),
    # Google groups bind only with Google Groups for RBAC on (else refused: no effect, spec/ignored.py).
    (functools.partial(gcp_spec, gcp={"rbac_security_group": "gke-security-groups@example.com"}),
     "team-a-admins@example.com", ROLE),
    (azure_spec, "22222222-2222-2222-2222-222222222222", "team-a-admins@example.com"),
])
def test_each_cloud_names_groups_its_own_way(factory, good, bad):
    factory(tenants=[tenant(admins=[good])])
    err = refused(tenant(developers=[good, bad]) if factory is not make_spec else tenant(developers=[DEV_ROLE, bad]),
                  factory=factory)
    assert err.path == "tenants.0.developers.1"


# --------------------------------------------------------------------------- egress and bucket prefix

@pytest.mark.parametrize("cidrs, fragment", [(["0.0.0.0/0"], "internet"), (["10.20.0.0/33"], ""),
                                             (["example.com"], "")])
def test_egress_cidrs_must_be_ranges_and_not_the_internet(cidrs, fragment):
    err = refused(tenant(egress_cidrs=["10.1.0.0/16", *cidrs]))
    assert err.path.startswith("tenants.0.egress_cidrs")
    assert fragment in err.message


@pytest.mark.parametrize("prefix", ["Team-A", "team a", "/", "a//b", "-team"])
def test_bad_bucket_prefixes_are_refused(prefix):
    assert refused(tenant(bucket_prefix=prefix)).path == "tenants.0.bucket_prefix"


def test_surrounding_slashes_of_a_bucket_prefix_are_dropped():
    assert make_spec(tenants=[tenant(bucket_prefix="/apps/team-a/")]).tenants[0].object_prefix == "apps/team-a"


def test_unknown_tenant_keys_are_refused():
    assert refused(tenant(namespace="x")).path == "tenants.0.namespace"
