"""The environment model: defaults, derived subnets, and one-line errors naming the field."""

import pytest

from platform_constructs.aws.spec import aws_architecture, carve_subnets
from platform_constructs.spec import SpecError, load_environment, parse_environment
from platform_constructs.versions import KUBERNETES_MINORS
from tests.helpers import AWS_ADMIN, BASE, azure_spec, gcp_spec, make_spec, merge

#: BASE plus the admin principal the default authentication mode requires.
AWS_BASE = merge(BASE, {"cluster": {"admin_principals": [AWS_ADMIN]}})


def error_of(override=None, data=None) -> SpecError:
    with pytest.raises(SpecError) as info:
        parse_environment(data if data is not None else merge(AWS_BASE, override or {}), "env.yaml")
    return info.value


def test_defaults_are_filled():
    spec = make_spec()
    assert spec.network.nat == "per_zone"
    assert spec.cluster.endpoint == "private"
    assert spec.cluster.authentication_mode == "API_AND_CONFIG_MAP"
    assert spec.cluster.log_retention_days == 30
    assert spec.backend.type == "local"
    assert spec.aws.endpoint is None and spec.aws.managed_addons is True and spec.aws.support_type == "STANDARD"
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
    ({"cluster": {"endpoint": "public_and_private", "public_access_cidrs": ["0.0.0.0/0"]}}, "cluster.public_access_cidrs.0", "0.0.0.0/0"),
    ({"cluster": {"public_access_cidrs": ["203.0.113.0/24"]}}, "cluster.public_access_cidrs", "endpoint is private"),
    ({"cluster": {"log_retention_days": 31}}, "cluster.log_retention_days", "one of 1, 3, 5"),
    ({"cluster": {"admin_principals": ["bob"]}}, "cluster.admin_principals", "not an IAM role or user ARN"),
    ({"cluster": {"authentication_mode": "CONFIG_MAP", "admin_principals": ["arn:aws:iam::111122223333:role/a"]}},
     "cluster.admin_principals", "CONFIG_MAP"),
    ({"cluster": {"admin_principals": []}}, "cluster.admin_principals", "list at least one IAM role ARN"),
    ({"cluster": {"authentication_mode": "API", "admin_principals": []}}, "cluster.admin_principals",
     "with authentication_mode API only admin_principals administer the cluster"),
    ({"aws": {"support_type": "BASIC"}}, "aws.support_type", "STANDARD"),
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
    err = error_of(data=merge(BASE, {"cloud": "gcp", "region": "us-central1", "zones": ["us-central1-a", "us-central1-b", "us-central1-c"],
                                     "cluster": {"node_pools": [{"name": "general", "instance_types": ["e2-standard-4"]}]}}))
    assert (err.path, err.message) == ("gcp", "is required when cloud is gcp")


# --------------------------------------------------------------------------- values the stricter rules still accept
# (the refusals are in tests/spec/hostile/, one file each, run by tests/spec/test_hostile_corpus.py)


@pytest.mark.parametrize("region, zones", [
    ("us-east-1", ["us-east-1a", "us-east-1b", "us-east-1f"]),
    ("us-gov-west-1", ["us-gov-west-1a", "us-gov-west-1b"]),
    ("ap-southeast-2", ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"]),
    ("eu-central-2", ["eu-central-2a", "eu-central-2b"]),
    ("cn-north-1", ["cn-north-1a", "cn-north-1b"]),
    ("eusc-de-east-1", ["eusc-de-east-1a", "eusc-de-east-1b"]),
])
def test_aws_regions_and_zones_are_accepted(region, zones):
    spec = make_spec(region=region, zones=zones)
    assert (spec.region, spec.zones) == (region, zones)


@pytest.mark.parametrize("region, zones", [
    ("us-central1", ["us-central1-a", "us-central1-f"]),
    ("europe-west4", ["europe-west4-a", "europe-west4-b", "europe-west4-c"]),
    ("northamerica-northeast1", ["northamerica-northeast1-a", "northamerica-northeast1-b"]),
])
def test_gcp_regions_are_accepted(region, zones):
    assert gcp_spec(region=region, zones=zones).region == region


@pytest.mark.parametrize("region", ["westeurope", "eastus2", "southafricanorth"])
def test_azure_regions_are_accepted(region):
    assert azure_spec(region=region).region == region


def test_two_zones_are_enough():
    assert make_spec(zones=["us-east-1a", "us-east-1b"]).zones == ["us-east-1a", "us-east-1b"]


@pytest.mark.parametrize("cidr", ["10.0.0.0/16", "172.16.0.0/16", "192.168.0.0/20", "10.8.0.0/22"])
def test_vpc_cidrs_that_carve_subnets_of_at_least_a_28_are_accepted(cidr):
    layout = make_spec(network={"cidr": cidr}).subnet_layout()
    assert max(int(c.split("/")[1]) for c in layout.public + layout.private) <= 28


def test_a_24_with_explicit_28_subnets_is_accepted():
    subnets = {"public": ["10.0.0.0/28", "10.0.0.16/28", "10.0.0.32/28"],
               "private": ["10.0.0.64/28", "10.0.0.80/28", "10.0.0.96/28"]}
    assert make_spec(network={"cidr": "10.0.0.0/24", "subnets": subnets}).subnet_layout().public == subnets["public"]


@pytest.mark.parametrize("days", [1, 30, 3653])
def test_cloudwatch_retentions_are_accepted(days):
    spec = make_spec(network={"flow_log_retention_days": days}, cluster={"log_retention_days": days})
    assert (spec.network.flow_log_retention_days, spec.cluster.log_retention_days) == (days, days)


@pytest.mark.parametrize("cloud", sorted(KUBERNETES_MINORS))
def test_every_listed_kubernetes_minor_is_accepted(cloud):
    build = {"aws": make_spec, "gcp": gcp_spec, "azure": azure_spec}[cloud]
    assert {"1.33", "1.34"} <= set(KUBERNETES_MINORS[cloud])
    for version in KUBERNETES_MINORS[cloud]:
        assert build(cluster={"kubernetes_version": version}).cluster.kubernetes_version == version


def test_an_unlisted_kubernetes_minor_names_the_supported_list():
    err = error_of({"cluster": {"kubernetes_version": "1.99"}})
    assert err.path == "cluster.kubernetes_version"
    assert ", ".join(KUBERNETES_MINORS["aws"]) in err.message and "EKS" in err.message


def test_tags_within_aws_rules_are_accepted():
    tags = {"cost-center": "a b:c/d=e+f-g@h_i.j", "k" * 128: "v" * 256, "empty": "", "Team": "Ünïcode 1"}
    assert make_spec(tags=tags).tags == {"team": "platform", **tags}


def test_labels_and_taint_values_within_kubernetes_rules_are_accepted():
    pool = {"name": "g", "instance_types": ["m6i.large"], "labels": {"a": "", "b": "x", "c": "a.b-c_d", "d": "z" * 63},
            "taints": [{"key": "k", "value": "v" * 63, "effect": "NoSchedule"}, {"key": "e", "effect": "NoExecute"}]}
    spec = make_spec(cluster={"node_pools": [pool]})
    assert spec.cluster.node_pools[0].labels["d"] == "z" * 63


@pytest.mark.parametrize("types", [["m6i.large"], ["c6gn.16xlarge", "m7g.large"], ["u-6tb1.112xlarge"],
                                   ["m7i-flex.large", "m6i.xlarge"], ["r7iz.metal-16xl"]])
def test_ec2_instance_types_are_accepted(types):
    assert make_spec(cluster={"node_pools": [{"name": "g", "instance_types": types}]}).cluster.node_pools[0].instance_types == types


@pytest.mark.parametrize("machine", ["e2-standard-4", "n2d-highmem-8", "c3-standard-176-lssd", "e2-micro"])
def test_gcp_machine_types_are_accepted(machine):
    assert gcp_spec(cluster={"node_pools": [{"name": "g", "instance_types": [machine]}]}).cluster.node_pools[0].instance_types == [machine]


@pytest.mark.parametrize("size", ["Standard_D4ds_v5", "Standard_E4-2ds_v5", "Standard_NC24ads_A100_v4", "Standard_B2ms"])
def test_azure_vm_sizes_are_accepted(size):
    spec = azure_spec(cluster={"node_pools": [{"name": "g", "instance_types": [size]}]}, azure={"system_pool_vm_size": size})
    assert spec.azure.system_pool_vm_size == size


def test_architecture_comes_from_the_shared_graviton_rule():
    assert [aws_architecture(t) for t in ("m7g.large", "c6gn.xlarge", "t4g.small", "m6i.large", "g5.xlarge")] == \
        ["arm64", "arm64", "arm64", "x86_64", "x86_64"]


@pytest.mark.parametrize("bucket", ["abc", "officeless-state", "a.b.c", "b" * 63, "my-s3alias-bucket"])
def test_s3_bucket_names_within_s3_rules_are_accepted(bucket):
    assert make_spec(backend={"type": "s3", "bucket": bucket}).backend.bucket == bucket


@pytest.mark.parametrize("given, kept", [("envs/prod", "envs/prod"), ("/envs/prod/", "envs/prod"), ("platform", "platform")])
def test_key_prefixes_without_empty_segments_are_accepted(given, kept):
    assert make_spec(backend={"type": "s3", "bucket": "state", "key_prefix": given}).backend.key_prefix == kept


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:5000", "http://localhost:4566", "http://[::1]:5000", "https://10.1.2.3",
                                      "http://172.16.0.10:5000/", "http://192.168.1.5:9000"])
def test_emulator_endpoints_on_loopback_or_private_addresses_are_accepted(endpoint):
    spec = make_spec(aws={"endpoint": endpoint}, backend={"type": "s3", "bucket": "state", "endpoint": endpoint})
    assert spec.aws.endpoint == spec.backend.endpoint == endpoint


@pytest.mark.parametrize("override, path, words", [
    ({"cluster": {"node_pools": [{"name": "g", "instance_types": ["m6i.large"], "max_unavailable": True}]}},
     "cluster.node_pools.0.max_unavailable", "true is a boolean"),
    ({"cluster": {"node_pools": [{"name": "g", "instance_types": ["m6i.large"], "min_size": 3.0}]}},
     "cluster.node_pools.0.min_size", "write 3"),
    ({"network": {"flow_log_retention_days": 2}}, "network.flow_log_retention_days", "one of 1, 3, 5"),
    ({"tags": {"managed_by": "me"}}, "tags.managed_by", "set by the platform"),
    ({"aws": {"endpoint": "https://evil.example.com"}}, "aws.endpoint", "credential validation"),
])
def test_new_rules_name_the_field_and_the_fix(override, path, words):
    err = error_of(override)
    assert (err.path, words in err.message, "\n" in str(err)) == (path, True, False), str(err)


def test_yaml_integers_still_load(tmp_path):
    f = tmp_path / "env.yaml"
    f.write_text("name: t\ncloud: aws\nregion: us-east-1\nzones: [us-east-1a, us-east-1b]\n"
                 "network: {cidr: 10.0.0.0/16, flow_log_retention_days: 14}\n"
                 "cluster: {name: c, kubernetes_version: '1.34', authentication_mode: CONFIG_MAP,"
                 " node_pools: [{name: g, instance_types: [m6i.large],"
                 " min_size: 3, max_size: 5, max_unavailable: 2, disk_size_gb: 40}]}\n")
    pool = load_environment(f).cluster.node_pools[0]
    assert (pool.min_size, pool.max_size, pool.max_unavailable, pool.disk_size_gb) == (3, 5, 2, 40)


def test_yaml_anchors_and_merge_keys_are_not_duplicates(tmp_path):
    f = tmp_path / "env.yaml"
    f.write_text("name: t\ncloud: aws\nregion: us-east-1\nzones: [us-east-1a, us-east-1b]\nnetwork: {cidr: 10.0.0.0/16}\n"
                 "cluster:\n  name: c\n  kubernetes_version: '1.33'\n  authentication_mode: CONFIG_MAP\n  node_pools:\n"
                 "    - &pool {name: a, instance_types: [m6i.large], min_size: 3, max_size: 6}\n"
                 "    - <<: *pool\n      name: b\n")
    assert [p.name for p in load_environment(f).cluster.node_pools] == ["a", "b"]


@pytest.mark.parametrize("field, url", [
    ("addons.chart_repository", "oci://robot:s3cr3t-token@registry.example.com/charts"),
    ("aws.endpoint", "http://admin:s3cr3t-token@127.0.0.1:5000"),
])
def test_a_url_with_a_password_is_refused_without_repeating_the_password(field, url):
    """The one line that refuses a secret in the file must not print it to the terminal or CI log."""
    section, key = field.split(".")
    with pytest.raises(SpecError) as err:
        make_spec(**{section: {key: url}})
    message = str(err.value)
    assert field in message and "user name or password" in message
    assert "s3cr3t-token" not in message and "***@" in message
