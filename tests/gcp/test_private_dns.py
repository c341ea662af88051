"""GcpPrivateDns: a private managed zone bound to the VPC, query logging, a DNSSEC-signed public zone."""

import pytest

from platform_constructs.gcp.private_dns import GcpPrivateDns, managed_zone_name
from tests.helpers import gcp_spec, one, ref, resources, synth

DNS = {"private_zone": "corp.internal", "public_zone": "apps.example.com"}


@pytest.fixture(scope="module")
def network():
    return synth(gcp_spec(name="gdns", network={"cidr": "10.0.0.0/16", "dns": DNS}))["network"]


def zones(stack):
    return {z["dns_name"]: z for z in resources(stack, "google_dns_managed_zone")}


def test_the_private_zone_is_visible_only_to_the_vpc(network):
    private = zones(network)["corp.internal."]
    vpc = ref(network, "google_compute_network", one(network, "google_compute_network"))
    assert private["visibility"] == "private"
    assert private["private_visibility_config"]["networks"] == [{"network_url": vpc}]
    assert private["force_destroy"] is False and private["name"] == "gdns-corp-internal"


def test_the_public_zone_is_signed_with_ecdsa_and_logs_its_queries(network):
    public = zones(network)["apps.example.com."]
    assert public["visibility"] == "public" and "private_visibility_config" not in public
    dnssec = public["dnssec_config"]
    assert dnssec["state"] == "on" and dnssec["non_existence"] == "nsec3"
    assert {(k["key_type"], k["algorithm"]) for k in dnssec["default_key_specs"]} == {
        ("keySigning", "ecdsap256sha256"), ("zoneSigning", "ecdsap256sha256")}
    assert public["cloud_logging_config"] == {"enable_logging": True}


def test_the_vpcs_queries_are_logged_by_its_dns_policy(network):
    policy = one(network, "google_dns_policy")
    vpc = ref(network, "google_compute_network", one(network, "google_compute_network"))
    assert policy["enable_logging"] is True and policy["networks"] == [{"network_url": vpc}]


def test_zone_names_are_outputs(network):
    assert network["output"]["private_zone_name"]["value"].endswith(".name}")
    assert network["output"]["public_zone_name_servers"]["value"].endswith(".name_servers}")


def test_without_dns_there_is_no_zone_and_no_policy():
    network = synth(gcp_spec())["network"]
    assert not resources(network, "google_dns_managed_zone") and not resources(network, "google_dns_policy")


def test_managed_zone_names_fit_cloud_dns():
    long = managed_zone_name("env", "a" * 60 + ".internal")
    assert len(long) <= 63 and long[0].isalpha() and not long.endswith("-")


def test_a_bad_zone_name_is_refused_by_the_construct():
    with pytest.raises(ValueError, match="ends with a dot"):
        GcpPrivateDns(None, "x", name="n", network="projects/p/global/networks/n", private_zone="corp.internal.")
