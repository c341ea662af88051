"""GenericAddons: each addons switch adds or removes its release, and storage creates nothing."""

from __future__ import annotations

from tests.helpers import kubernetes_spec, resources, synth


def charts(**addons) -> set[str]:
    stack = synth(kubernetes_spec(addons=addons))["addons"]
    return {r["chart"] for r in resources(stack, "helm_release")}


def test_by_default_the_controller_metrics_server_and_driver():
    assert charts() == {"traefik", "metrics-server", "secrets-store-csi-driver"}


def test_every_switch_off_leaves_an_empty_addons_stack():
    assert charts(load_balancer_controller=False, metrics_server=False, secrets_store=False) == set()


def test_metrics_server_is_the_same_highly_available_release_as_on_eks():
    from platform_constructs.kubernetes.chart_release import release_values
    stack = synth(kubernetes_spec())["addons"]
    (release,) = [r for r in resources(stack, "helm_release") if r["chart"] == "metrics-server"]
    values = release_values(release)
    assert release["namespace"] == "kube-system"
    assert values["replicas"] == 2 and values["podDisruptionBudget"]["minAvailable"] == 1


def test_storage_is_the_clusters_no_storage_class_is_written():
    # (a file class is refused: nothing uses one, spec/ignored.py)
    stack = synth(kubernetes_spec(kubernetes={"storage_classes": {"block": "ceph-rbd", "file": None}}))["addons"]
    assert set(stack.get("resource", {})) == {"helm_release"}
