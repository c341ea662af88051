"""``platform_constructs/namespaces.py``: the namespaces the layers install into, one table the
constructs and the model read, and the tenant names that collide with them or with each other."""

from __future__ import annotations

import pytest

from platform_constructs import namespaces
from platform_constructs.namespaces import namespace_owner, platform_namespaces, reserved_prefixes
from platform_constructs.spec import SpecError
from platform_constructs.tenants.names import IDENTITY_NAME_LIMITS, identity_name
from platform_constructs.workload_identity import bounded_name
from tests.helpers import azure_spec, gcp_spec, kubernetes_spec, make_spec

QUOTA = {"cpu": "20", "memory": "64Gi", "pods": 100}
CI_AGENT = {"kind": "github", "url": "https://github.com/acme", "secret_name": "ci-runner-token"}


def tenant(name: str) -> dict:
    return {"name": name, "quota": dict(QUOTA)}


def refused(factory, **override) -> SpecError:
    with pytest.raises(SpecError) as info:
        factory(**override)
    err = info.value
    assert "\n" not in str(err) and str(err).startswith(f"test.yaml: {err.path}: "), str(err)
    return err


# --------------------------------------------------------------------------- the table follows the settings

def test_the_ci_agents_namespaces_are_reserved_only_with_the_ci_agent():
    assert {"ci-agent", "external-secrets"}.isdisjoint(platform_namespaces(make_spec()))
    with_agent = platform_namespaces(make_spec(addons={"ci_agent": CI_AGENT}))
    assert {"ci-agent", "external-secrets"} <= set(with_agent)
    for name in ("ci-agent", "external-secrets"):
        err = refused(make_spec, addons={"ci_agent": CI_AGENT}, tenants=[tenant("team-a"), tenant(name)])
        assert err.path == "tenants.1.name" and "addons.ci_agent" in err.message
        assert make_spec(tenants=[tenant(name)]).tenants[0].name == name


@pytest.mark.parametrize("factory", [make_spec, gcp_spec, azure_spec])
def test_observability_is_reserved_only_while_the_layer_is_on(factory):
    assert refused(factory, tenants=[tenant("observability")]).path == "tenants.0.name"
    assert factory(observability={"enabled": False}, tenants=[tenant("observability")]).tenants[0].name == "observability"


def test_cloudwatch_is_aws_observabilitys():
    assert namespaces.CLOUDWATCH in platform_namespaces(make_spec())
    assert namespaces.CLOUDWATCH not in platform_namespaces(make_spec(observability={"enabled": False}))
    assert namespaces.CLOUDWATCH not in platform_namespaces(gcp_spec())


def test_the_ingress_controllers_namespace_is_reserved_only_with_it():
    assert refused(kubernetes_spec, tenants=[tenant("traefik")]).path == "tenants.0.name"
    spec = kubernetes_spec(addons={"load_balancer_controller": False}, tenants=[tenant("traefik")])
    assert spec.tenants[0].name == "traefik"
    assert namespaces.INGRESS not in platform_namespaces(make_spec())


def test_kubernetes_own_names_are_reserved_on_every_cloud():
    for factory in (make_spec, gcp_spec, azure_spec, kubernetes_spec):
        spec = factory()
        for name in ("default", "kube-system", "kube-public", "kube-node-lease", "kube-anything"):
            assert namespace_owner(spec, name) is not None, (factory.__name__, name)


def test_the_clouds_prefixes_are_its_own_and_an_existing_cluster_keeps_them_all():
    assert reserved_prefixes("aws") == ("kube-", "amazon-", "eks-")
    assert "gke-" in reserved_prefixes("gcp") and "aks-" not in reserved_prefixes("gcp")
    assert set(reserved_prefixes("kubernetes")) >= {"amazon-", "eks-", "gke-", "gmp-", "aks-", "azure-"}


def test_a_name_no_one_installs_into_is_free():
    assert namespace_owner(make_spec(), "team-a") is None


# --------------------------------------------------------------------------- the constructs read the same table

def test_the_constructs_take_their_namespace_from_the_table():
    from platform_constructs.integration import ci_agent, external_dns
    from platform_constructs.observability import storage
    from platform_constructs.tenants import network

    assert storage.NAMESPACE == namespaces.OBSERVABILITY
    assert ci_agent.NAMESPACE == namespaces.CI_AGENT and ci_agent.ESO_NAMESPACE == namespaces.EXTERNAL_SECRETS
    assert external_dns.NAMESPACE == network.DNS_NAMESPACE == namespaces.SYSTEM


@pytest.mark.slow
def test_the_in_cluster_constructs_take_their_namespace_from_the_table():
    from platform_constructs.aws import cloud_logging, secrets_store as aws_secrets_store
    from platform_constructs.generic import ingress_controller, secrets_store

    assert ingress_controller.NAMESPACE == namespaces.INGRESS
    assert cloud_logging.SERVICE_ACCOUNT.namespace == namespaces.CLOUDWATCH
    assert secrets_store.NAMESPACE == aws_secrets_store.NAMESPACE == namespaces.SYSTEM


# --------------------------------------------------------------------------- names that normalise to one

def _twin(cluster: str, long_name: str, limit: int) -> str:
    """A short tenant name spelling the shortened identity name of ``long_name``."""
    return bounded_name(f"{cluster}-tenant-{long_name}", limit)[len(f"{cluster}-tenant-"):]


def test_two_tenants_whose_identity_names_shorten_to_one_are_refused_on_gcp():
    twin = _twin("tc", "payments-reconciliation", IDENTITY_NAME_LIMITS["gcp"])
    err = refused(gcp_spec, tenants=[tenant("payments-reconciliation"), tenant(twin)])
    assert err.path == "tenants.1.name" and "share one identity" in err.message and "tenants.0" in err.message


def test_the_same_collision_on_aws_needs_a_long_cluster_name():
    cluster = "c" * 38
    twin = _twin(cluster, "payments-reconciliation", IDENTITY_NAME_LIMITS["aws"])
    err = refused(make_spec, cluster={"name": cluster}, tenants=[tenant("payments-reconciliation"), tenant(twin)])
    assert err.path == "tenants.1.name"
    # Azure's 128 characters never shorten a tenant's identity name; kubernetes creates none.
    azure_spec(cluster={"name": cluster}, tenants=[tenant("payments-reconciliation"), tenant(twin)])


def test_long_names_sharing_a_head_get_different_identities():
    spec = gcp_spec(tenants=[tenant("payments-reconciliation-a"), tenant("payments-reconciliation-b")])
    names = {identity_name("gcp", spec.cluster.name, t) for t in spec.tenants}
    assert len(names) == 2


@pytest.mark.slow
def test_the_models_identity_name_is_the_one_the_kits_build():
    from platform_constructs.gcp.workload_identity import account_id_for
    from platform_constructs.tenants.names import identity_component

    spec = gcp_spec(tenants=[tenant("payments-reconciliation"), tenant("a")])
    for t in spec.tenants:
        assert identity_name("gcp", spec.cluster.name, t) == account_id_for(spec.cluster.name, identity_component(t))
