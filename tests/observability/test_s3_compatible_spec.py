"""``observability.storage`` (issue 18's names): parsed on ``cloud: kubernetes``, required there,
refused on aws/gcp/azure, and every bad value refused with one line naming the field."""

import copy
from pathlib import Path

import pytest
import yaml

from platform_constructs.spec.common import SpecError
from platform_constructs.spec.loading import parse_environment

ROOT = Path(__file__).resolve().parents[2]

#: Issue 18's example, verbatim (the YAML names are the contract).
ISSUE_EXAMPLE = """
name: onprem-prod
cloud: kubernetes
kubernetes:
  kubeconfig: ~/.kube/config
  context: prod
  storage_classes: {block: standard, file: null}
observability:
  storage:
    endpoint: https://s3.example.internal
    region: us-east-1
    path_style: true
    credentials_secret: observability-s3     # keys AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the observability namespace
"""


def issue_example() -> dict:
    return yaml.safe_load(ISSUE_EXAMPLE)


def refused(data: dict) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse_environment(data, "env.yaml")
    assert "\n" not in str(caught.value)
    return caught.value


def with_storage(**fields) -> dict:
    data = issue_example()
    data["observability"]["storage"].update(fields)
    return data


def test_the_issue_example_parses_with_its_four_names():
    storage = parse_environment(issue_example(), "env.yaml").observability.storage
    assert storage.endpoint == "https://s3.example.internal"
    assert storage.host == "s3.example.internal"
    assert (storage.region, storage.path_style, storage.credentials_secret) == ("us-east-1", True, "observability-s3")
    assert storage.insecure is False and storage.uses_http is False


def test_a_port_stays_in_the_host():
    spec = parse_environment(with_storage(endpoint="https://minio.minio.svc:9000/"), "env.yaml")
    storage = spec.observability.storage
    assert storage.host == "minio.minio.svc:9000"


def test_path_style_defaults_to_virtual_hosted():
    data = issue_example()
    del data["observability"]["storage"]["path_style"]
    assert parse_environment(data, "env.yaml").observability.storage.path_style is False


def test_http_needs_insecure_true_and_then_parses():
    err = refused(with_storage(endpoint="http://minio.minio.svc:9000"))
    assert err.path == "observability.storage.endpoint"
    assert "insecure: true" in err.message
    storage = parse_environment(with_storage(endpoint="http://minio.minio.svc:9000", insecure=True),
                                "env.yaml").observability.storage
    assert storage.uses_http and storage.host == "minio.minio.svc:9000"


def test_insecure_with_https_is_contradictory():
    err = refused(with_storage(insecure=True))
    assert err.path == "observability.storage.insecure"


def test_required_on_kubernetes():
    data = issue_example()
    del data["observability"]["storage"]
    err = refused(data)
    assert err.path == "observability.storage"
    assert "required for cloud: kubernetes" in err.message


def test_not_required_when_observability_is_off():
    data = issue_example()
    data["observability"] = {"enabled": False}
    data["kubernetes"]["storage_classes"]["block"] = None  # only observability uses it (else refused: no effect)
    assert parse_environment(data, "env.yaml").observability.storage is None


def test_medium_is_refused_on_kubernetes_no_zones_to_spread_over():
    data = issue_example()
    data["observability"]["size"] = "medium"
    err = refused(data)
    assert err.path == "observability.size"
    assert "size small" in err.message


@pytest.mark.parametrize("field", ["endpoint", "region", "credentials_secret"])
def test_each_of_endpoint_region_and_secret_is_required(field):
    data = issue_example()
    del data["observability"]["storage"][field]
    err = refused(data)
    assert err.path == f"observability.storage.{field}"


@pytest.mark.parametrize(("field", "value", "says"), [
    ("endpoint", "s3.example.internal", "scheme"),
    ("endpoint", "ftp://s3.example.internal", "scheme"),
    ("endpoint", "https://s3.example.internal/bucket", "path"),
    ("endpoint", "https://s3.example.internal/?x=1", "query"),
    ("endpoint", "https://AKIAIOSFODNN7EXAMPLE:secret@s3.example.internal", "credentials_secret"),
    ("region", "US East", "region"),
    ("credentials_secret", "Observability_S3", "Secret name"),
    ("credentials_secret", "x" * 254, "Secret name"),
    ("path_style", "yes", "bool"),
])
def test_bad_values_name_the_field(field, value, says):
    err = refused(with_storage(**{field: value}))
    assert err.path == f"observability.storage.{field}"
    assert says.lower() in err.message.lower()
    # A user:password pasted into the URL is never echoed back.
    assert "secret@" not in str(err)


def test_unknown_keys_are_refused():
    err = refused(with_storage(access_key_id="AKIAIOSFODNN7EXAMPLE"))
    assert err.path.startswith("observability.storage")


@pytest.mark.parametrize("env", ["aws-dev", "gcp-dev", "azure-dev"])
def test_refused_on_the_clouds_that_build_their_own_buckets(env):
    data = yaml.safe_load((ROOT / "environments" / f"{env}.yaml").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data.setdefault("observability", {})["storage"] = issue_example()["observability"]["storage"]
    err = refused(data)
    assert err.path == "observability.storage"
    assert f"on {data['cloud']} the platform creates the observability buckets itself" in err.message
