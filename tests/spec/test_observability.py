"""The ``observability:`` section: defaults, the keep-these-names fields, and its rules."""

import pytest

from platform_constructs.spec import SpecError
from tests.helpers import azure_spec, gcp_spec, make_spec


def refused(factory, **override) -> SpecError:
    with pytest.raises(SpecError) as info:
        factory(**override)
    return info.value


@pytest.mark.parametrize("factory", [make_spec, gcp_spec, azure_spec])
def test_defaults_are_the_issues(factory):
    obs = factory().observability
    assert (obs.enabled, obs.bucket_prefix, obs.size, obs.grafana) == (True, None, "small", True)
    days = obs.retention_days
    assert (days.metrics, days.logs, days.traces) == (400, 30, 14)


def test_every_field_is_read_from_the_file():
    obs = make_spec(observability={"enabled": True, "bucket_prefix": "acme", "size": "medium", "grafana": False,
                                   "retention_days": {"metrics": 90, "logs": 7, "traces": 3}}).observability
    assert (obs.bucket_prefix, obs.size, obs.grafana) == ("acme", "medium", False)
    assert (obs.retention_days.metrics, obs.retention_days.logs, obs.retention_days.traces) == (90, 7, 3)


def test_one_retention_may_be_given_alone():
    days = make_spec(observability={"retention_days": {"traces": 7}}).observability.retention_days
    assert (days.metrics, days.logs, days.traces) == (400, 30, 7)


@pytest.mark.parametrize("prefix", ["Acme", "acme.corp", "1acme", "acme-", "a--b", "a" * 21, ""])
def test_a_prefix_bucket_names_cannot_hold_is_refused(prefix):
    err = refused(make_spec, observability={"bucket_prefix": prefix})
    assert err.path == "observability.bucket_prefix"
    assert "lowercase letters, digits and single '-'" in err.message


@pytest.mark.parametrize("signal, days", [("metrics", 0), ("logs", -1), ("traces", 3651), ("logs", 7.5)])
def test_retention_out_of_range_is_refused(signal, days):
    assert refused(make_spec, observability={"retention_days": {signal: days}}).path == \
        f"observability.retention_days.{signal}"


def test_medium_needs_three_zones():
    err = refused(make_spec, zones=["us-east-1a", "us-east-1b"], observability={"size": "medium"})
    assert (err.path, err.message) == (
        "observability.size", "medium replicates across three zones and this environment has 2: list three zones, "
        "or use size small")
    # With observability off the zone rule stays silent; size is refused as having no effect instead.
    err = refused(make_spec, zones=["us-east-1a", "us-east-1b"], observability={"size": "medium", "enabled": False})
    assert err.path == "observability.size" and "has no effect" in err.message
    make_spec(zones=["us-east-1a", "us-east-1b"])


@pytest.mark.parametrize("key, value", [("size", "large"), ("enabled", "yes"), ("colour", "blue")])
def test_unknown_values_and_keys_are_refused(key, value):
    assert refused(make_spec, observability={key: value}).path.startswith(f"observability.{key}")
