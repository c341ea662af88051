"""The ``data:`` section: defaults, the keep-these-names fields, and the neutral rules."""

import pytest

from platform_constructs.spec import SpecError
from tests.helpers import azure_spec, gcp_spec, make_spec


def refused(factory=make_spec, **override) -> SpecError:
    with pytest.raises(SpecError) as info:
        factory(**override)
    return info.value


@pytest.mark.parametrize("factory", [make_spec, gcp_spec, azure_spec])
def test_defaults_are_the_issues(factory):
    data = factory().data
    assert (data.cache, data.buckets, data.bucket_prefix, data.archive_after_days, data.backup_immutable_days,
            data.registry.repositories) == (None, ["app", "backup"], None, 30, 0, [])


def test_every_field_is_read_from_the_file():
    data = make_spec(data={"buckets": ["app", "backup", "media"], "bucket_prefix": "acme", "archive_after_days": 90,
                           "backup_immutable_days": 35, "registry": {"repositories": ["api", "web"]}}).data
    assert (data.buckets, data.bucket_prefix, data.archive_after_days, data.backup_immutable_days,
            data.registry.repositories) == (["app", "backup", "media"], "acme", 90, 35, ["api", "web"])


@pytest.mark.parametrize("name", ["App", "1app", "app-", "a--b", "a" * 19, "app.data", ""])
def test_a_bucket_name_every_cloud_cannot_hold_is_refused(name):
    err = refused(data={"buckets": [name]})
    assert err.path == "data.buckets.0" and "is not a bucket name" in err.message


def test_duplicates_are_refused():
    assert refused(data={"buckets": ["app", "app"]}).path == "data.buckets"
    assert refused(data={"registry": {"repositories": ["api", "api"]}}).path == "data.registry.repositories"


def test_immutability_needs_the_backup_bucket():
    err = refused(data={"buckets": ["app"], "backup_immutable_days": 7})
    assert (err.path, err.message) == (
        "data.backup_immutable_days", "locks the 'backup' bucket, which data.buckets does not list: add backup, or set 0")
    assert make_spec(data={"buckets": ["app"]}).data.backup_immutable_days == 0


@pytest.mark.parametrize("override, path", [
    ({"archive_after_days": 0}, "data.archive_after_days"),
    ({"backup_immutable_days": -1}, "data.backup_immutable_days"),
    ({"cache": {"size": "cache.t4g.small", "replicas": 0}}, "data.cache.replicas"),
    ({"cache": {"replicas": 1}}, "data.cache.size"),
    ({"registry": {"repositories": ["Api"]}}, "data.registry.repositories.0"),
    ({"bucket_prefix": "Acme"}, "data.bucket_prefix"),
    ({"colour": "blue"}, "data.colour"),
])
def test_out_of_range_and_unknown_values_are_refused(override, path):
    assert refused(data=override).path == path


def test_a_data_bucket_may_not_take_an_observability_buckets_name():
    err = refused(data={"buckets": ["app", "loki-chunks"]})
    assert (err.path, err.message) == (
        "data.buckets.1", "'loki-chunks' is also an observability bucket's name: rename it, or give "
        "data.bucket_prefix another value than observability.bucket_prefix")
    assert refused(data={"buckets": ["access-logs"]}).path == "data.buckets.0"
    make_spec(data={"buckets": ["loki-chunks"], "bucket_prefix": "d"})
    make_spec(data={"buckets": ["loki-chunks"]}, observability={"enabled": False})
