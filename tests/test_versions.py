"""platform_constructs.versions: the pinned charts and the cluster-autoscaler image per minor.

Shape checks (they run from the repository alone); where ../shared/charts is present, each chart
is also compared with the Chart.yaml copied there.
"""

import re
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from platform_constructs.versions import CHARTS, CLUSTER_AUTOSCALER_IMAGE_TAGS, KUBERNETES_MINORS, Chart

SEMVER = re.compile(r"v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?")
SHARED_CHARTS = Path(__file__).resolve().parents[2] / "shared" / "charts"
ADDON_CHARTS = {
    "aws-load-balancer-controller", "cluster-autoscaler", "metrics-server",
    "secrets-store-csi-driver", "secrets-store-csi-driver-provider-aws",
}


def test_every_addon_chart_is_pinned():
    assert ADDON_CHARTS <= set(CHARTS)


@pytest.mark.parametrize("key", sorted(CHARTS))
def test_chart_shape(key):
    chart = CHARTS[key]
    assert isinstance(chart, Chart)
    assert chart.name == key
    assert SEMVER.fullmatch(chart.version) and not chart.version.startswith("v"), chart.version
    assert chart.app_version is None or SEMVER.fullmatch(chart.app_version), chart.app_version
    assert chart.repository.startswith(("https://", "oci://")) and " " not in chart.repository
    owner_repo, _, path = chart.source.partition(" ")
    assert re.fullmatch(r"[\w.-]+/[\w.-]+", owner_repo) and path, chart.source


def test_charts_are_frozen():
    with pytest.raises(FrozenInstanceError):
        CHARTS["metrics-server"].version = "9.9.9"


@pytest.mark.skipif(not SHARED_CHARTS.is_dir(), reason="../shared/charts is not beside this checkout")
@pytest.mark.parametrize("key", sorted(ADDON_CHARTS))
def test_chart_matches_the_copied_chart_yaml(key):
    yaml = pytest.importorskip("yaml")
    chart = CHARTS[key]
    chart_yaml = SHARED_CHARTS / f"{chart.name}-{chart.version}" / "Chart.yaml"
    assert chart_yaml.is_file(), f"no copy of {chart.name} {chart.version} in {SHARED_CHARTS}"
    meta = yaml.safe_load(chart_yaml.read_text(encoding="utf-8"))
    assert (meta["name"], str(meta["version"])) == (chart.name, chart.version)
    assert (str(meta["appVersion"]) if "appVersion" in meta else None) == chart.app_version


def test_every_aws_minor_has_an_autoscaler_of_the_same_minor():
    assert set(CLUSTER_AUTOSCALER_IMAGE_TAGS) == set(KUBERNETES_MINORS["aws"])
    for minor, tag in CLUSTER_AUTOSCALER_IMAGE_TAGS.items():
        match = re.fullmatch(r"v(\d+)\.(\d+)\.(\d+)", tag)
        assert match, tag
        assert f"{match[1]}.{match[2]}" == minor, (minor, tag)


def test_autoscaler_chart_default_is_no_newer_than_its_own_minor_pin():
    # The chart's appVersion is a release of one minor; the pin for that minor is that release or a later patch.
    app = CHARTS["cluster-autoscaler"].app_version
    major_minor = ".".join(app.split(".")[:2])
    pinned = CLUSTER_AUTOSCALER_IMAGE_TAGS[major_minor].lstrip("v")
    assert tuple(map(int, pinned.split("."))) >= tuple(map(int, app.split(".")))
