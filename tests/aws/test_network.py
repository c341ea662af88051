"""AwsNetwork: VPC, subnets per zone, gateways, routes, S3 endpoint, outputs."""

import pytest

from tests.helpers import make_spec, one, ref, resources, synth

ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"]


@pytest.fixture(scope="module")
def network():
    return synth(make_spec())["network"]


@pytest.fixture(scope="module")
def single_nat_network():
    return synth(make_spec(name="single", network={"nat": "single"}))["network"]


def subnets(stack, kind):
    return [s for s in resources(stack, "aws_subnet") if s["tags"]["Name"].startswith(f"t-{kind}-")]


def test_vpc_has_dns_support_and_hostnames(network):
    vpc = one(network, "aws_vpc")
    assert vpc["cidr_block"] == "10.0.0.0/16"
    assert vpc["enable_dns_support"] is True and vpc["enable_dns_hostnames"] is True


def test_one_public_and_one_private_subnet_per_zone(network):
    for kind in ("public", "private"):
        found = subnets(network, kind)
        assert sorted(s["availability_zone"] for s in found) == ZONES
        assert all(s["map_public_ip_on_launch"] is False for s in found)


def test_subnets_are_tagged_for_load_balancers_and_the_cluster(network):
    for s in subnets(network, "public"):
        assert s["tags"]["kubernetes.io/role/elb"] == "1"
        assert s["tags"]["kubernetes.io/cluster/tc"] == "shared"
    for s in subnets(network, "private"):
        assert s["tags"]["kubernetes.io/role/internal-elb"] == "1"
        assert s["tags"]["kubernetes.io/cluster/tc"] == "shared"


def test_nat_per_zone_gives_each_private_route_table_its_own_zone_nat(network):
    nats = resources(network, "aws_nat_gateway")
    assert len(nats) == 3 and len(resources(network, "aws_eip")) == 3
    routes = [r for r in resources(network, "aws_route") if "nat_gateway_id" in r]
    assert len({r["nat_gateway_id"] for r in routes}) == 3
    public = {ref(network, "aws_subnet", s) for s in subnets(network, "public")}
    assert {n["subnet_id"] for n in nats} == public


def test_single_nat_serves_every_zone(single_nat_network):
    assert len(resources(single_nat_network, "aws_nat_gateway")) == 1
    routes = [r for r in resources(single_nat_network, "aws_route") if "nat_gateway_id" in r]
    assert len(routes) == 3 and len({r["nat_gateway_id"] for r in routes}) == 1


def test_public_route_goes_to_the_internet_gateway(network):
    igw = ref(network, "aws_internet_gateway", one(network, "aws_internet_gateway"))
    assert [r["destination_cidr_block"] for r in resources(network, "aws_route") if r.get("gateway_id") == igw] == ["0.0.0.0/0"]


def test_every_subnet_is_associated_with_a_route_table(network):
    associated = {a["subnet_id"] for a in resources(network, "aws_route_table_association")}
    assert associated == {ref(network, "aws_subnet", s) for s in resources(network, "aws_subnet")}


def test_default_security_group_keeps_no_rules(network):
    sg = one(network, "aws_default_security_group")
    assert "ingress" not in sg and "egress" not in sg


def test_s3_gateway_endpoint_on_every_route_table(network):
    ep = one(network, "aws_vpc_endpoint")
    assert ep["service_name"] == "com.amazonaws.us-east-1.s3" and ep["vpc_endpoint_type"] == "Gateway"
    assert len(ep["route_table_ids"]) == len(resources(network, "aws_route_table")) == 4


def test_outputs_give_vpc_and_subnets_per_zone(network):
    outputs = network["output"]
    for name in ("vpc_id", "private_subnet_ids", "public_subnet_ids", "private_subnet_ids_by_zone", "public_subnet_ids_by_zone"):
        assert name in outputs
    assert sorted(outputs["private_subnet_ids_by_zone"]["value"]) == ZONES


def test_explicit_subnets_reach_the_resources():
    layout = {"public": ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"], "private": ["10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20"]}
    stack = synth(make_spec(name="explicit", network={"subnets": layout}))["network"]
    assert sorted(s["cidr_block"] for s in subnets_named(stack, "explicit", "private")) == sorted(layout["private"])


def subnets_named(stack, env, kind):
    return [s for s in resources(stack, "aws_subnet") if s["tags"]["Name"].startswith(f"{env}-{kind}-")]
