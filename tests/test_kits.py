"""The cloud registry and the cloud-neutral stacks."""

from pathlib import Path

import pytest

from platform_constructs.kits import KITS, UnsupportedCloud, kit_for
from tests.helpers import ROOT


def test_aws_kit_is_registered_and_loads():
    kit = kit_for("aws")
    assert all(hasattr(kit, m) for m in ("configure_stack", "network", "cluster"))


def test_every_known_cloud_has_a_kit_and_unknown_ones_name_them():
    from platform_constructs.spec import KNOWN_CLOUDS

    assert sorted(KITS) == sorted(KNOWN_CLOUDS)
    with pytest.raises(UnsupportedCloud, match="'nimbus' has no kit yet: supported clouds are aws, azure, gcp"):
        kit_for("nimbus")


def test_stacks_never_branch_on_the_cloud():
    for path in Path(ROOT, "stacks").glob("*.py"):
        text = path.read_text()
        for word in ("\"aws\"", "'aws'", "\"gcp\"", "'azure'", "cdktf_cdktf_provider_"):
            assert word not in text, f"{path.name} mentions {word}"
