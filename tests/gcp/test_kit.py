"""The GCP kit: registered, typed bindings only (no overrides), and no other cloud's provider loaded."""

import os
import subprocess
import sys
from pathlib import Path

from platform_constructs.kits import kit_for
from tests.helpers import ROOT, stack_names
from tests.test_provider_loader import PROBE

GCP_KIT = Path(ROOT, "platform_constructs", "gcp")


def test_gcp_kit_is_registered_and_loads():
    kit = kit_for("gcp")
    assert type(kit).__name__ == "GcpKit"
    assert all(hasattr(kit, m) for m in ("configure_stack", "network", "cluster"))


def test_no_gcp_kit_file_uses_escape_hatches():
    files = sorted(GCP_KIT.glob("*.py"))
    assert len(files) >= 8
    for path in files:
        text = path.read_text()
        for word in ("add_override", "add_property_override", "cdktf_cdktf_provider_aws", "cdktf_cdktf_provider_azurerm"):
            assert word not in text, f"{path.name} uses {word}"


def test_gcp_kit_imports_resources_from_submodules_only():
    for path in GCP_KIT.glob("*.py"):
        for line in path.read_text().splitlines():
            assert not line.startswith("from cdktf_cdktf_provider_google import"), f"{path.name}: {line}"
            assert line.strip() != "import cdktf_cdktf_provider_google", path.name


def test_gcp_synth_never_imports_other_clouds(tmp_path):
    env = {**os.environ, "PLATFORM_EAGER_PROVIDERS": "0"}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "--env-file", "environments/gcp-prod.yaml", "--outdir", str(tmp_path / "out")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    packages, submodules = proc.stdout.splitlines()[-1].split()
    # helm and kubernetes: the addons stack's in-cluster providers, shared by every cloud
    assert packages.split(",") == ["cdktf_cdktf_provider_google", "cdktf_cdktf_provider_helm", "cdktf_cdktf_provider_kubernetes"]
    assert int(submodules) < 120  # only the resources the kit uses (87 with VPN, DNS, tenants), not the package's ~1,000
    assert sorted(p.name for p in (tmp_path / "out" / "stacks").iterdir()) == stack_names("gcp-prod")
