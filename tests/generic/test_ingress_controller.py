"""Traefik on an existing cluster: the release, its pinned chart and its values as Helm receives them."""

from __future__ import annotations

from platform_constructs.kubernetes.chart_release import release_values
from platform_constructs.versions import CHARTS
from tests.helpers import kubernetes_spec, resources, synth


def traefik(spec) -> dict:
    releases = [r for r in resources(synth(spec)["addons"], "helm_release") if r["chart"] == "traefik"]
    assert len(releases) == 1
    return releases[0]


def test_the_pinned_chart_in_its_own_namespace_created_with_it():
    release = traefik(kubernetes_spec())
    pinned = CHARTS["traefik"]
    assert (release["repository"], release["version"]) == (pinned.repository, pinned.version)
    assert release["namespace"] == "traefik" and release["create_namespace"] is True
    assert release["atomic"] is True and release["wait"] is True


def test_ingress_and_gateway_api_on_the_default_class_traefik_crd_provider_off():
    values = release_values(traefik(kubernetes_spec()))
    assert values["providers"]["kubernetesIngress"]["enabled"] is True
    assert values["providers"]["kubernetesGateway"]["enabled"] is True
    assert values["providers"]["kubernetesCRD"]["enabled"] is False
    assert values["ingressClass"] == {"enabled": True, "isDefaultClass": True, "name": "traefik"}
    assert values["gatewayClass"]["name"] == "traefik"
    assert values["ingressRoute"]["dashboard"]["enabled"] is False


def test_two_replicas_spread_over_nodes_and_a_budget_keeping_one():
    values = release_values(traefik(kubernetes_spec()))
    assert values["deployment"]["replicas"] == 2
    assert values["podDisruptionBudget"] == {"enabled": True, "minAvailable": 1}
    term = values["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0]["podAffinityTerm"]
    assert term["topologyKey"] == "kubernetes.io/hostname"
    assert term["labelSelector"]["matchLabels"]["app.kubernetes.io/name"] == "traefik"


def test_a_chart_mirror_serves_it():
    release = traefik(kubernetes_spec(addons={"chart_repository": "oci://registry.example.internal/charts"}))
    assert release["repository"] == "oci://registry.example.internal/charts"
    assert release["chart"] == "traefik"


def test_switched_off_there_is_no_controller():
    releases = resources(synth(kubernetes_spec(addons={"load_balancer_controller": False}))["addons"], "helm_release")
    assert "traefik" not in {r["chart"] for r in releases}
