"""The collector: an Alloy DaemonSet, pod logs through the API, OTLP and remote-write in, the endpoints."""

from platform_constructs.observability.collector import NODE_NAME_ENV, SERVICE_ACCOUNT, alloy_config
from platform_constructs.observability.endpoints import (
    COLLECTOR, COLLECTOR_RELEASE, LOKI_PUSH_URL, MIMIR_PUSH_URL, TEMPO_OTLP_GRPC_ENDPOINT,
)
from tests.observability.test_releases import release_of, releases_doc


def collector(**spec):
    return release_of(releases_doc(**spec), COLLECTOR_RELEASE)


def test_a_daemonset_without_host_paths_or_crds():
    _, values = collector()
    assert values["controller"] == {"type": "daemonset"}
    assert values["alloy"]["mounts"] == {"varlog": False, "dockercontainers": False}
    assert values["crds"] == {"create": False}
    assert "hostNetwork" not in values["controller"]


def test_pod_logs_of_its_own_node_go_to_loki():
    config = alloy_config()
    assert f'field = "spec.nodeName=" + sys.env("{NODE_NAME_ENV}")' in config
    assert 'loki.source.kubernetes "pods"' in config
    assert f'url = "{LOKI_PUSH_URL}"' in config
    _, values = collector()
    assert {"name": NODE_NAME_ENV, "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}} in \
        values["alloy"]["extraEnv"]


def test_otlp_in_to_tempo_and_remote_write_in_to_mimir():
    config = alloy_config()
    assert 'endpoint = "0.0.0.0:4317"' in config and 'endpoint = "0.0.0.0:4318"' in config
    assert f'endpoint = "{TEMPO_OTLP_GRPC_ENDPOINT}"' in config
    assert "listen_port    = 9090" in config
    assert f'url = "{MIMIR_PUSH_URL}"' in config
    assert "{{" not in config  # the chart passes the content through tpl


def test_the_service_ports_are_the_endpoints_module():
    _, values = collector()
    ports = {p["name"]: p["port"] for p in values["alloy"]["extraPorts"]}
    assert ports == {"otlp-grpc": 4317, "otlp-http": 4318, "prom-write": 9090}
    assert all(len(name) <= 15 for name in ports)
    assert (COLLECTOR.name, COLLECTOR.namespace) == ("alloy", "observability")
    assert COLLECTOR.otlp_grpc_endpoint == "alloy.observability.svc.cluster.local:4317"
    assert COLLECTOR.remote_write_url == "http://alloy.observability.svc.cluster.local:9090/api/v1/metrics/write"
    assert values["alloy"]["configMap"]["content"] == alloy_config()


def test_its_service_account_gets_no_cloud_identity():
    _, values = collector()
    assert values["serviceAccount"] == {"create": True, "name": SERVICE_ACCOUNT.name}
    assert str(SERVICE_ACCOUNT) == "observability/alloy"


def test_sizes():
    _, small = collector(size="small")
    _, medium = collector(size="medium")
    assert small["alloy"]["resources"]["limits"]["memory"] == "512Mi"
    assert medium["alloy"]["resources"]["limits"]["memory"] == "1Gi"
