"""The kubernetes kit: only the in-cluster stacks, each with kubeconfig-configured kubernetes and helm
providers and no cloud provider; the kit refuses the layers it does not build."""

from __future__ import annotations

import pytest

from platform_constructs.clouds import ALL_LAYERS, CLOUDS, IN_CLUSTER_LAYERS, Cloud
from platform_constructs.generic.kit import GenericKit
from platform_constructs.kits import kit_for
from platform_tools.synth import stack_names
from platform_constructs.spec import parse_environment
from tests.helpers import KUBERNETES_LAYERS, kubernetes_doc, kubernetes_spec, synth

TEAM = {"name": "team-a", "quota": {"cpu": "2", "memory": "4Gi", "pods": 20}, "admins": ["team-a-admins"]}
#: Provider names of the three cloud kits, and their packages' resource prefixes.
CLOUD_PROVIDERS = ("aws", "google", "google-beta", "azurerm", "azuread")


def test_the_registry_builds_only_the_in_cluster_layers_on_kubernetes():
    assert CLOUDS["kubernetes"].layers == ("addons", "observability", "tenants")
    assert isinstance(kit_for("kubernetes"), GenericKit)
    for name in ("aws", "gcp", "azure"):
        assert CLOUDS[name].layers == ALL_LAYERS


@pytest.mark.parametrize("layers", [("data", "network", "addons"), ("cluster",), ("addons", "network"), ("addons", "vpn")])
def test_a_cloud_line_with_layers_out_of_order_or_without_addons_is_refused(layers):
    with pytest.raises(ValueError, match="subsequence"):
        Cloud("x", "X", "m:M", "k:K", layers=layers)


def test_synth_writes_exactly_the_three_in_cluster_stacks():
    spec = kubernetes_spec(tenants=[TEAM])
    assert set(synth(spec)) == set(KUBERNETES_LAYERS)
    assert stack_names(spec) == ["k-addons", "k-observability", "k-tenants"]


def test_without_tenants_or_observability_those_stacks_are_left_out():
    # observability off: its storage and the block StorageClass (only observability uses it) go too
    doc = kubernetes_doc(kubernetes={"storage_classes": {"block": None}})
    spec = parse_environment({**doc, "observability": {"enabled": False}}, "test.yaml")
    assert set(synth(spec)) == {"addons"}
    assert stack_names(spec) == ["k-addons"]


def test_no_stack_names_a_cloud_provider_or_a_cloud_resource():
    stacks = synth(kubernetes_spec(tenants=[TEAM]))
    for layer, doc in stacks.items():
        assert set(doc["provider"]) == {"kubernetes", "helm"}, layer
        assert set(doc["terraform"]["required_providers"]) == {"kubernetes", "helm"}, layer
        types = set(doc.get("resource", {})) | set(doc.get("data", {}))
        assert types and not [t for t in types if t.split("_")[0] in CLOUD_PROVIDERS], (layer, types)


def test_every_stack_reaches_the_cluster_through_the_files_kubeconfig_and_context_only():
    stacks = synth(kubernetes_spec(tenants=[TEAM], kubernetes={"kubeconfig": "/etc/platform/kubeconfig",
                                                                "context": "prod-admin"}))
    for layer, doc in stacks.items():
        (kubernetes,), (helm,) = doc["provider"]["kubernetes"], doc["provider"]["helm"]
        expected = {"config_path": "/etc/platform/kubeconfig", "config_context": "prod-admin"}
        assert kubernetes == expected, layer
        assert helm == {"kubernetes": expected}, layer


def test_later_stacks_depend_on_the_one_before_and_read_no_other_stack(tmp_path):
    from cdktf import App

    from stacks.environment import build_environment

    built = build_environment(App(outdir=str(tmp_path)), kubernetes_spec(tenants=[TEAM]))
    assert (built.network, built.cluster, built.data) == (None, None, None)
    assert built.addons.dependencies == []
    assert built.observability.dependencies == [built.addons]
    assert built.tenants.dependencies == [built.observability]
    for doc in synth(kubernetes_spec(tenants=[TEAM])).values():
        assert "terraform_remote_state" not in doc.get("data", {})


@pytest.mark.parametrize("layer", [layer for layer in ALL_LAYERS if layer not in IN_CLUSTER_LAYERS])
def test_the_kit_refuses_the_layers_it_does_not_build(layer):
    spec = kubernetes_spec()
    kit = GenericKit()
    with pytest.raises(ValueError, match=f"builds no {layer} layer"):
        kit.configure_stack(None, spec, layer)
    method = getattr(kit, layer)
    with pytest.raises(ValueError, match=f"builds no {layer} layer"):
        method(None, spec, *([None] * (ALL_LAYERS.index(layer))))


def test_no_cloud_identity_and_no_data_bucket_to_grant():
    from platform_constructs.workload_identity import ServiceAccount
    kit = GenericKit()
    with pytest.raises(ValueError, match="no cloud identity"):
        kit.workload_identity(None, kubernetes_spec(), None, name="x", layer="tenants",
                              service_account=ServiceAccount("a", "b"))
    with pytest.raises(ValueError, match="no data layer"):
        kit.bucket_grants(kubernetes_spec(), None, bucket="app", write=True)


def test_a_kubernetes_synth_never_imports_a_cloud_provider_package():
    import subprocess
    import sys

    from tests.helpers import ROOT
    script = (
        "import sys, tempfile\n"
        "from platform_constructs.spec import load_environment\n"
        "from platform_tools.synth import build_app\n"
        "spec = load_environment('environments/onprem-example.yaml')\n"
        "with tempfile.TemporaryDirectory() as out:\n"
        "    build_app([spec], out).synth()\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('cdktf_cdktf_provider_') and '.' not in m)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["cdktf_cdktf_provider_helm", "cdktf_cdktf_provider_kubernetes"]


def test_state_in_minio_takes_the_backends_own_region():
    spec = kubernetes_spec(backend={"type": "s3", "bucket": "tf-state", "key_prefix": "platform", "region": "us-east-1",
                                    "endpoint": "https://minio.example.internal"})
    for layer, doc in synth(spec).items():
        s3 = doc["terraform"]["backend"]["s3"]
        assert (s3["region"], s3["key"], s3["use_path_style"]) == ("us-east-1", f"platform/k-{layer}.tfstate", True)
