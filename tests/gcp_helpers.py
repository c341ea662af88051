"""Shared by the tests/test_gcp_*.py modules: a GCP environment built on tests.helpers.BASE."""

from __future__ import annotations

from typing import Any

from tests.helpers import make_spec, merge

GCP: dict[str, Any] = {
    "cloud": "gcp",
    "region": "us-central1",
    "zones": ["us-central1-a", "us-central1-b", "us-central1-c"],
    "gcp": {"project": "proj-1"},
    "cluster": {"node_pools": [{"name": "general", "instance_types": ["e2-standard-4"], "min_size": 3, "max_size": 6}]},
}


def gcp_spec(**override: Any):
    """A valid GCP spec (project proj-1, us-central1 a/b/c) with ``override`` merged in."""
    return make_spec(**merge(GCP, override))
