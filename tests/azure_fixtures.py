"""Azure test inputs shared by the tests/test_azure_*.py modules."""

from __future__ import annotations

from typing import Any

from platform_constructs.spec import EnvironmentSpec
from tests.helpers import make_spec, merge

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
ADMIN_GROUP = "11111111-1111-1111-1111-111111111111"

AZURE: dict[str, Any] = {
    "cloud": "azure",
    "region": "westeurope",
    "zones": ["1", "2", "3"],
    "network": {"nat": "single"},
    "cluster": {"node_pools": [{"name": "general", "instance_types": ["Standard_D4ds_v5"], "min_size": 3, "max_size": 6}]},
    "azure": {"subscription_id": SUBSCRIPTION, "admin_group_object_ids": [ADMIN_GROUP]},
}


def azure_spec(**override: Any) -> EnvironmentSpec:
    """An Azure environment (``make_spec`` with the Azure basics), with ``override`` merged in."""
    return make_spec(**merge(AZURE, override))
