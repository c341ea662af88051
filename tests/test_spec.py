"""The environment model: defaults, derived subnets, and one-line errors naming the field."""

import pytest

from platform_constructs.spec import SpecError, carve_subnets, load_environment, parse_environment
from tests.helpers import BASE, make_spec, merge


def error_of(override=None, data=None) -> SpecError:
    with pytest.raises(SpecError) as info:
        parse_environment(data if data is not None else merge(BASE, override or {}), "env.yaml")
    return info.value


def test_defaults_are_filled():
    spec = make_spec()
    assert spec.network.nat == "per_zone"
    assert spec.cluster.endpoint == "private"
    assert spec.cluster.authentication_mode == "API_AND_CONFIG_MAP"
    assert spec.cluster.log_retention_days == 30
    assert spec.backend.type == "local"
    assert spec.aws.endpoint is None and spec.aws.managed_addons is True
    pool = spec.cluster.node_pools[0]
    assert (pool.capacity, pool.disk_size_gb, pool.max_unavailable, pool.initial_size) == ("on_demand", 100, 1, 3)


def test_subnets_are_carved_one_public_and_one_private_per_zone_without_overlap():
    layout = carve_subnets("10.0.0.0/16", 3)
    assert layout.private == ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]
    assert layout.public == ["10.0.224.0/22", "10.0.228.0/22", "10.0.232.0/22"]


def test_explicit_subnets_are_used_as_given():
    subnets = {"public": ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"], "private": ["10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20"]}
    spec = make_spec(network={"subnets": subnets})
    assert spec.subnet_layout().public == subnets["public"]


@pytest.mark.parametrize("override, path, words", [
    ({"cloud": "openstack"}, "cloud", "use one of aws, gcp, azure"),
    ({"name": "Bad_Name"}, "name", "DNS label"),
    ({"zones": ["us-east-1a", "us-east-1a", "us-east-1b"]}, "zones", "twice"),
    ({"zones": ["eu-west-1a", "us-east-1b", "us-east-1c"]}, "zones.0", "not a zone of region us-east-1"),
    ({"network": {"cidr": "10.0.0.0/33"}}, "network.cidr", "not an IPv4 CIDR"),
    ({"network": {"cidr": "10.0.0.0/26"}}, "network.cidr", "too small"),
    ({"network": {"cidr": "8.8.0.0/16"}}, "network.cidr", "not a private range"),
    ({"network": {"nat": "sometimes"}}, "network.nat", "per_zone"),
    ({"network": {"subnets": {"public": ["10.1.0.0/24", "10.0.1.0/24", "10.0.2.0/24"], "private": ["10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20"]}}},
     "network.subnets.public.0", "outside network.cidr"),
    ({"network": {"subnets": {"public": ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"], "private": ["10.0.0.0/20", "10.0.32.0/20", "10.0.48.0/20"]}}},
     "network.subnets.private.0", "overlaps 10.0.0.0/24"),
    ({"network": {"subnets": {"public": ["10.0.0.0/24"], "private": ["10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20"]}}},
     "network.subnets.public", "1 entries for 3 zones"),
    ({"cluster": {"kubernetes_version": "1.32"}}, "cluster.kubernetes_version", "below the supported minimum 1.33"),
    ({"cluster": {"kubernetes_version": 1.33}}, "cluster.kubernetes_version", "must be quoted"),
    ({"cluster": {"endpoint": "public"}}, "cluster.endpoint", "public_and_private"),
    ({"cluster": {"endpoint": "public_and_private"}}, "cluster.public_access_cidrs", "is required"),
    ({"cluster": {"endpoint": "public_and_private", "public_access_cidrs": ["0.0.0.0/0"]}}, "cluster.public_access_cidrs", "0.0.0.0/0"),
    ({"cluster": {"public_access_cidrs": ["203.0.113.0/24"]}}, "cluster.public_access_cidrs", "endpoint is private"),
    ({"cluster": {"log_retention_days": 31}}, "cluster.log_retention_days", "one of 1, 3, 5"),
    ({"cluster": {"admin_principals": ["bob"]}}, "cluster.admin_principals", "not an IAM role or user ARN"),
    ({"cluster": {"authentication_mode": "CONFIG_MAP", "admin_principals": ["arn:aws:iam::111122223333:role/a"]}},
     "cluster.admin_principals", "CONFIG_MAP"),
    ({"cluster": {"node_pools": []}}, "cluster.node_pools", "at least 1"),
    ({"cluster": {"node_pools": [{"name": "g", "instance_types": ["m6i.large"], "min_size": 2, "max_size": 6}]}},
     "cluster.node_pools.0.min_size", "below 3"),
    ({"cluster": {"node_pools": [{"name": "g", "instance_types": ["m6i.large"], "min_size": 5, "max_size": 4}]}},
     "cluster.node_pools.0.max_size", "min_size 5 can't be greater than max_size 4"),
    ({"cluster": {"node_pools": [{"name": "g", "instance_types": ["m6i.large"], "desired_size": 20}]}},
     "cluster.node_pools.0.desired_size", "between"),
    ({"cluster": {"node_pools": [{"name": "g", "instance_types": ["m6i.large"], "disk_size_gb": 5}]}},
     "cluster.node_pools.0.disk_size_gb", "greater than or equal to 20"),
    ({"cluster": {"node_pools": [{"name": "g", "instance_types": ["m6i.large"], "min_size": "three"}]}},
     "cluster.node_pools.0.min_size", "valid integer"),
    ({"cluster": {"node_pools": [{"name": "g", "instance_types": ["m6i.large"]}, {"name": "g", "instance_types": ["m6i.large"]}]}},
     "cluster.node_pools.1.name", "unique"),
    ({"cluster": {"node_pools": [{"name": "g", "instance_types": ["m6i.large"], "taints": [{"key": "a", "effect": "Never"}]}]}},
     "cluster.node_pools.0.taints.0.effect", "NoSchedule"),
    ({"cluster": {"nodes": 3}}, "cluster.nodes", "unknown key"),
    ({"backend": {"type": "consul"}}, "backend", "'consul' is not a supported backend type"),
    ({"backend": {"type": "s3"}}, "backend.bucket", "is required"),
    ({"backend": {"type": "s3", "bucket": "Bad Bucket"}}, "backend.bucket", "not a valid S3 bucket"),
    ({"aws": {"endpoint": "localhost:5000"}}, "aws.endpoint", "not a URL"),
])
def test_bad_values_name_the_field_and_the_fix(override, path, words):
    err = error_of(override)
    assert err.path == path, str(err)
    assert words in err.message, str(err)
    assert str(err).startswith(f"env.yaml: {path}: ")
    assert "\n" not in str(err)


def test_several_problems_still_give_one_line_with_a_count():
    err = error_of({"cluster": {"node_pools": [{"name": "g", "instance_types": ["m6i.large"], "min_size": 1, "max_size": 0}]}})
    assert "more problem" in err.message and "\n" not in str(err)


@pytest.mark.parametrize("data, words", [
    ([1, 2], "must be a YAML mapping"),
    ("just text", "must be a YAML mapping"),
])
def test_documents_that_are_not_mappings(data, words):
    err = error_of(data=data)
    assert err.path == "(file)" and words in err.message


@pytest.mark.parametrize("content, path, words", [
    (b"", "(file)", "is empty"),
    (b"name: [unclosed\n", "line 2 column 1", "invalid YAML"),
    (b"\xff\xfe\x00garbage", "(file)", "not UTF-8"),
])
def test_file_level_errors(tmp_path, content, path, words):
    f = tmp_path / "bad.yaml"
    f.write_bytes(content)
    with pytest.raises(SpecError) as info:
        load_environment(f)
    assert info.value.path == path and words in info.value.message
    assert str(info.value).startswith(f"{f}: ")


def test_missing_file(tmp_path):
    with pytest.raises(SpecError) as info:
        load_environment(tmp_path / "nope.yaml")
    assert "no such file" in str(info.value)


def test_cloud_sections_must_match_the_cloud():
    assert error_of({"gcp": {"project": "p"}}).path == "gcp"
    err = error_of({"cloud": "gcp", "region": "us-central1", "zones": ["us-central1-a", "us-central1-b", "us-central1-c"]})
    assert (err.path, err.message) == ("gcp", "is required when cloud is gcp")
