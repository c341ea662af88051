"""The Azure kit: registered, typed bindings only, and no other cloud's provider loaded."""

import json
import os
import subprocess
import sys
from pathlib import Path

from cdktf import App, TerraformStack
from cdktf import Testing as CdktfTesting

from platform_constructs.kits import KITS, kit_for
from platform_constructs.kits import IN_CLUSTER_LAYERS
from tests.helpers import ROOT, azure_spec

PROBE = """
import sys, main
code = main.main(sys.argv[1:])
print(','.join(sorted({m.split('.')[0] for m in sys.modules if m.startswith('cdktf_cdktf_provider_')})))
sys.exit(code)
"""


def test_azure_kit_is_registered_and_loads():
    assert KITS["azure"] == "platform_constructs.azure.kit:AzureKit"
    kit = kit_for("azure")
    assert all(hasattr(kit, m) for m in ("configure_stack", "network", "cluster", "data", "addons", "workload_identity"))


def test_no_escape_hatches_in_the_azure_kit():
    files = sorted(Path(ROOT, "platform_constructs", "azure").glob("*.py"))
    assert files
    for path in files:
        text = path.read_text()
        for word in ("add_override", "add_property_override", "override_logical_id", "cdktf_cdktf_provider_azurerm import"):
            assert word not in text, f"{path.name} uses {word}"


def test_azure_synth_never_imports_other_clouds(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "--env-file", str(ROOT / "environments/azure-prod.yaml"), "--outdir", str(tmp_path / "out")],
        cwd=ROOT, env={**os.environ, "PLATFORM_EAGER_PROVIDERS": "0"}, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    # azurerm, plus the in-cluster providers of the addons stack; never aws or google.
    assert set(proc.stdout.split()[-1].split(",")) <= {
        "cdktf_cdktf_provider_azurerm", "cdktf_cdktf_provider_helm", "cdktf_cdktf_provider_kubernetes"}
    assert "cdktf_cdktf_provider_azurerm" in proc.stdout.split()[-1]
    assert (tmp_path / "out/stacks/azure-prod-cluster/cdk.tf.json").is_file()


def test_only_the_addons_layer_gets_kubernetes_and_helm_providers():
    kit, spec = kit_for("azure"), azure_spec()
    for layer in ("network", "cluster", "data", "addons"):
        stack = TerraformStack(App(), layer)
        kit.configure_stack(stack, spec, layer)
        providers = set(json.loads(CdktfTesting.synth(stack))["provider"])
        expected = {"azurerm", "kubernetes", "helm"} if layer in IN_CLUSTER_LAYERS else {"azurerm"}
        assert providers == expected, layer
