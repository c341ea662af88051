"""AwsPrivateDns: the private hosted zone on the VPC, Resolver query logging, the optional public zone."""

import pytest

from platform_constructs.aws.private_dns import AwsPrivateDns
from tests.helpers import make_spec, one, ref, resources, synth

DNS = {"private_zone": "corp.internal", "public_zone": "apps.example.com"}


@pytest.fixture(scope="module")
def network():
    return synth(make_spec(name="dns", network={"cidr": "10.0.0.0/16", "dns": DNS}))["network"]


def zones(stack):
    return {z["name"]: z for z in resources(stack, "aws_route53_zone")}


def test_the_private_zone_is_associated_with_the_vpc_only(network):
    private = zones(network)["corp.internal"]
    assert private["vpc"] == [{"vpc_id": ref(network, "aws_vpc", one(network, "aws_vpc"))}]
    assert private["force_destroy"] is False


def test_the_public_zone_has_no_vpc_and_its_name_servers_are_an_output(network):
    public = zones(network)["apps.example.com"]
    assert "vpc" not in public
    assert "aws_route53_zone" in network["output"]["public_zone_name_servers"]["value"]


def test_the_vpcs_dns_queries_are_logged_to_an_encrypted_group_kept_a_year(network):
    group = next(g for g in resources(network, "aws_cloudwatch_log_group") if "route53resolver" in g["name"])
    assert group["retention_in_days"] >= 365 and group["kms_key_id"].startswith("${aws_kms_key.")
    config = one(network, "aws_route53_resolver_query_log_config")
    assert config["destination_arn"] == ref(network, "aws_cloudwatch_log_group", group, "arn")
    association = one(network, "aws_route53_resolver_query_log_config_association")
    assert association["resource_id"] == ref(network, "aws_vpc", one(network, "aws_vpc"))
    assert association["resolver_query_log_config_id"] == ref(network, "aws_route53_resolver_query_log_config", config)


def test_zone_ids_are_outputs_for_the_later_stacks(network):
    assert network["output"]["private_zone_id"]["value"].endswith(".zone_id}")
    assert network["output"]["public_zone_id"]["value"].endswith(".zone_id}")


def test_without_dns_there_is_no_zone():
    network = synth(make_spec())["network"]
    assert not resources(network, "aws_route53_zone")
    assert not resources(network, "aws_route53_resolver_query_log_config")


def test_without_a_public_zone_only_the_private_one_exists():
    network = synth(make_spec(name="priv", network={"cidr": "10.0.0.0/16",
                                                     "dns": {"private_zone": "corp.internal"}}))["network"]
    assert list(zones(network)) == ["corp.internal"]


def test_query_logging_without_a_key_is_refused():
    with pytest.raises(ValueError, match="query_logging needs kms_key_arn"):
        AwsPrivateDns(None, "x", name="n", vpc_id="vpc-1", private_zone="corp.internal")


def test_a_bad_zone_name_is_refused_by_the_construct():
    with pytest.raises(ValueError, match="'Corp.internal' has the label 'Corp'"):
        AwsPrivateDns(None, "x", name="n", vpc_id="vpc-1", private_zone="Corp.internal", query_logging=False)
