"""Grafana: the three data sources, traces-to-logs, no admin password in values or state."""

import pytest

from platform_constructs.observability.endpoints import GRAFANA_RELEASE, LOKI_URL, MIMIR_QUERY_URL, TEMPO_URL
from platform_constructs.observability.grafana import SERVICE_ACCOUNT
from tests.observability.test_releases import chart_values, missing_paths, release_of, releases_doc

PASSTHROUGH = {"grafana.ini"}


def grafana(**spec):
    return release_of(releases_doc(**spec), GRAFANA_RELEASE)


def sources(values) -> dict:
    return {d["name"]: d for d in values["datasources"]["datasources.yaml"]["datasources"]}


def test_mimir_loki_and_tempo_preconfigured():
    _, values = grafana()
    found = sources(values)
    assert {name: (d["type"], d["url"]) for name, d in found.items()} == {
        "Mimir": ("prometheus", MIMIR_QUERY_URL), "Loki": ("loki", LOKI_URL), "Tempo": ("tempo", TEMPO_URL)}
    assert found["Mimir"]["isDefault"] is True
    assert MIMIR_QUERY_URL == "http://mimir-query-frontend.observability.svc.cluster.local:8080/prometheus"


def test_traces_link_to_logs_in_loki():
    _, values = grafana()
    found = sources(values)
    links = found["Tempo"]["jsonData"]["tracesToLogsV2"]
    assert links["datasourceUid"] == found["Loki"]["uid"]
    assert {t["value"] for t in links["tags"]} == {"namespace", "pod"}  # the collector's labels


def test_no_admin_password_in_values_the_chart_generates_it():
    body, values = grafana()
    assert "adminPassword" not in values
    assert values.get("admin", {}).get("existingSecret") in (None, "")
    assert "password" not in body["values"][0].lower()
    assert "experiments" not in body  # no rendered manifest (with the generated Secret) in state


def test_service_account_and_no_test_pod():
    _, values = grafana()
    assert values["serviceAccount"] == {"create": True, "name": SERVICE_ACCOUNT.name}
    assert values["testFramework"] == {"enabled": False}
    chart = chart_values("grafana")
    if chart is None:
        pytest.skip("../shared/charts/grafana-12.11.1 is not beside this checkout")
    assert "name" in chart["serviceAccount"]


def test_every_value_set_is_a_key_of_the_charts_values():
    chart = chart_values("grafana")
    if chart is None:
        pytest.skip("../shared/charts/grafana-12.11.1 is not beside this checkout")
    _, values = grafana()
    assert missing_paths(values, chart, PASSTHROUGH) == []


def test_hand_made_dashboards_survive_a_restart():
    _, values = grafana()
    assert values["persistence"] == {"enabled": True, "type": "pvc", "size": "10Gi", "accessModes": ["ReadWriteOnce"]}
    # A rolling update would wait forever for the volume the old pod still holds.
    assert values["deploymentStrategy"] == {"type": "Recreate"}
    assert values["replicas"] == 1
