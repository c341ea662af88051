"""``network.vpn``: the neutral rules (peer address, peer ranges, ASN, secret name) and each cloud's
(overlaps with its own ranges, its own ASN, the secret's presence, AWS's and Azure's extra fields)."""

from __future__ import annotations

import pytest

from platform_constructs.spec import SpecError
from tests.helpers import azure_spec, gcp_spec, make_spec

# Not 172.20.0.0/16 on AWS: with a VPC in 10.0.0.0/8 that is the Services' range EKS picks.
AWS_VPN = {"peer_ip": "198.51.100.7", "peer_cidrs": ["192.168.0.0/16", "172.24.0.0/16"], "bgp_asn": 65010}
GCP_VPN = {**AWS_VPN, "shared_secret_name": "office-vpn-psk"}
KEY_VAULT = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.KeyVault/vaults/kv-net"
AZURE_VPN = {**GCP_VPN, "gateway_subnet_cidr": "10.1.0.0/27", "key_vault_id": KEY_VAULT}

FACTORIES = {"aws": (make_spec, AWS_VPN), "gcp": (gcp_spec, GCP_VPN), "azure": (azure_spec, AZURE_VPN)}


def with_vpn(cloud: str, **changes):
    factory, vpn = FACTORIES[cloud]
    body = {k: v for k, v in {**vpn, **changes}.items() if v is not ...}
    return factory(network={"vpn": body})


def refused(cloud: str, **changes) -> SpecError:
    with pytest.raises(SpecError) as info:
        with_vpn(cloud, **changes)
    return info.value


@pytest.mark.parametrize("cloud", FACTORIES)
def test_no_vpn_by_default_and_a_valid_one_parses(cloud):
    factory, _ = FACTORIES[cloud]
    assert factory().network.vpn is None
    vpn = with_vpn(cloud).network.vpn
    assert (vpn.peer_ip, vpn.peer_cidrs, vpn.bgp_asn) == ("198.51.100.7", ["192.168.0.0/16", "172.24.0.0/16"], 65010)


def test_the_issues_example_parses_with_its_documentation_address():
    vpn = with_vpn("gcp", peer_ip="203.0.113.10", peer_cidrs=["192.168.0.0/16"]).network.vpn
    assert vpn.peer_ip == "203.0.113.10"


@pytest.mark.parametrize("cloud", FACTORIES)
@pytest.mark.parametrize("address, phrase", [
    ("10.1.2.3", "private (RFC 1918)"),
    ("192.168.1.1", "private (RFC 1918)"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("127.0.0.1", "reserved"),
    ("169.254.10.10", "reserved"),
    ("224.0.0.5", "reserved"),
    ("0.0.0.0", "reserved"),
    ("255.255.255.255", "reserved"),
    ("198.18.0.1", "reserved"),
    ("240.0.0.1", "reserved"),
    ("vpn.example.com", "is not an IPv4 address"),
    ("2001:db8::1", "is not an IPv4 address"),
    ("203.0.113.10/32", "is not an IPv4 address"),
])
def test_the_peer_ip_must_be_a_public_ipv4_address(cloud, address, phrase):
    err = refused(cloud, peer_ip=address)
    assert err.path == "network.vpn.peer_ip" and phrase in err.message, err


@pytest.mark.parametrize("cloud", FACTORIES)
def test_a_public_peer_ip_is_accepted(cloud):
    assert with_vpn(cloud, peer_ip="8.8.4.4").network.vpn.peer_ip == "8.8.4.4"


@pytest.mark.parametrize("cidrs, path, phrase", [
    (["192.168.0.0/16", "172.20.0.1/16"], "network.vpn.peer_cidrs.1", "not an IPv4 CIDR"),
    (["192.168.0.0/16", "banana"], "network.vpn.peer_cidrs.1", "not an IPv4 CIDR"),
    (["0.0.0.0/0"], "network.vpn.peer_cidrs.0", "all traffic"),
    ([], "network.vpn.peer_cidrs", ""),
    (["192.168.0.0/16", "192.168.4.0/24"], "network.vpn.peer_cidrs.1", "overlaps 192.168.0.0/16 (network.vpn.peer_cidrs.0)"),
])
def test_peer_cidrs_are_valid_distinct_ranges(cidrs, path, phrase):
    err = refused("aws", peer_cidrs=cidrs)
    assert err.path == path and phrase in err.message, err


@pytest.mark.parametrize("cloud, block, used", [
    ("aws", "10.0.0.0/8", "10.0.0.0/16 (network.cidr)"),
    ("aws", "10.0.96.0/24", "10.0.0.0/16 (network.cidr)"),
    ("gcp", "10.0.0.0/20", "10.0.0.0/16 (network.cidr)"),
    ("gcp", "172.16.0.0/24", "172.16.0.0/28 (gcp.master_ipv4_cidr_block)"),
    ("azure", "10.0.255.0/24", "10.0.0.0/16 (network.cidr)"),
    ("azure", "10.244.10.0/24", "10.244.0.0/16 (azure.pod_cidr)"),
    ("azure", "172.16.0.0/12", "172.16.0.0/16 (azure.service_cidr)"),
])
def test_a_peer_range_overlapping_what_the_network_uses_is_refused_naming_both(cloud, block, used):
    err = refused(cloud, peer_cidrs=["192.168.0.0/16", block])
    assert err.path == "network.vpn.peer_cidrs.1"
    assert err.message.startswith(f"{block} overlaps {used}, which this network uses"), err


def test_gcp_ranges_given_outside_the_network_count_too():
    spec = dict(gcp={"project": "proj-1", "pods_cidr": "100.64.0.0/14"}, network={"vpn": {**GCP_VPN, "peer_cidrs": ["100.66.0.0/16"]}})
    with pytest.raises(SpecError) as info:
        gcp_spec(**spec)
    assert info.value.path == "network.vpn.peer_cidrs.0" and "(gcp.pods_cidr)" in info.value.message


@pytest.mark.parametrize("asn, phrase", [
    (0, "not a BGP ASN"),
    (4294967296, "not a BGP ASN"),
    (-1, "not a BGP ASN"),
    (23456, "AS_TRANS"),
    (64500, "documentation"),
    (65540, "documentation"),
    (65535, "reserved (RFC 7300)"),
    (4294967295, "not a BGP ASN"),
    (True, "boolean"),
    ("65010", "integer"),
])
def test_the_peer_asn_is_a_usable_asn(asn, phrase):
    err = refused("aws", bgp_asn=asn)
    assert err.path == "network.vpn.bgp_asn" and phrase in err.message.replace("valid integer", "integer"), err


@pytest.mark.parametrize("cloud, asn, phrase", [
    ("aws", 64512, "the AWS side's own ASN"),
    ("aws", 7224, "Amazon's own ASN"),
    ("gcp", 64514, "the GCP side's own ASN"),
    ("azure", 65515, "the Azure side's own ASN"),
    ("azure", 65518, "reserved by Azure"),
    ("azure", 12076, "reserved by Azure"),
])
def test_the_peer_asn_is_not_the_cloud_sides(cloud, asn, phrase):
    err = refused(cloud, bgp_asn=asn)
    assert err.path == "network.vpn.bgp_asn" and phrase in err.message, err


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_the_other_clouds_own_asn_is_fine(cloud):
    assert with_vpn(cloud, bgp_asn=64514).network.vpn.bgp_asn == 64514


def test_a_four_byte_asn_is_accepted():
    assert with_vpn("aws", bgp_asn=4200000001).network.vpn.bgp_asn == 4200000001


def test_aws_routes_statically_without_an_asn_but_gcp_needs_bgp():
    assert with_vpn("aws", bgp_asn=...).network.vpn.bgp_asn is None
    assert with_vpn("azure", bgp_asn=...).network.vpn.bgp_asn is None
    err = refused("gcp", bgp_asn=...)
    assert err.path == "network.vpn.bgp_asn" and "HA VPN routes only over BGP" in err.message


def test_aws_refuses_a_shared_secret_name_in_one_line():
    err = refused("aws", shared_secret_name="office-psk")
    assert (err.path, err.message) == ("network.vpn.shared_secret_name",
                                       "is not used on AWS: AWS generates the tunnels' pre-shared keys; remove it")


@pytest.mark.parametrize("cloud, store", [("gcp", "Secret Manager secret"), ("azure", "Key Vault secret")])
def test_gcp_and_azure_need_the_shared_secret_name(cloud, store):
    err = refused(cloud, shared_secret_name=...)
    assert err.path == "network.vpn.shared_secret_name" and store in err.message and "is required" in err.message


@pytest.mark.parametrize("name", ["", "has space", "a/b", "x" * 128, "psk!"])
def test_the_secret_name_is_a_name_both_stores_accept(name):
    err = refused("gcp", shared_secret_name=name)
    assert err.path == "network.vpn.shared_secret_name"


@pytest.mark.parametrize("cloud", ["gcp", "azure"])
def test_route_propagation_is_aws_only(cloud):
    err = refused(cloud, route_propagation=False)
    assert (err.path, err.message) == ("network.vpn.route_propagation",
                                       f"is only used with cloud: aws, and this file's cloud is {cloud}: remove it")


@pytest.mark.parametrize("cloud, field", [("aws", "gateway_subnet_cidr"), ("gcp", "key_vault_id"), ("aws", "gateway_sku")])
def test_azure_fields_are_azure_only(cloud, field):
    err = refused(cloud, **{field: AZURE_VPN.get(field, "VpnGw2AZ")})
    assert (err.path, err.message) == (f"network.vpn.{field}",
                                       f"is only used with cloud: azure, and this file's cloud is {cloud}: remove it")


def test_route_propagation_defaults_on_and_can_be_switched_off():
    assert with_vpn("aws").network.vpn.route_propagation is True
    assert with_vpn("aws", route_propagation=False).network.vpn.route_propagation is False


@pytest.mark.parametrize("field", ["gateway_subnet_cidr", "key_vault_id"])
def test_azure_needs_its_gateway_subnet_and_vault(field):
    err = refused("azure", **{field: ...})
    assert (err.path, err.message) == (f"network.vpn.{field}", "is required")


@pytest.mark.parametrize("block, phrase", [
    ("10.1.0.0/28", "needs a /27"),
    ("10.1.0.0/23", "needs a /27"),
    ("20.1.0.0/27", "not a private range"),
    ("10.1.0.1/27", "not an IPv4 CIDR"),
])
def test_the_gateway_subnet_is_a_private_27_to_24(block, phrase):
    err = refused("azure", gateway_subnet_cidr=block)
    assert err.path == "network.vpn.gateway_subnet_cidr" and phrase in err.message, err


@pytest.mark.parametrize("block, phrase", [
    ("10.0.255.224/27", "overlaps 10.0.0.0/16 (network.cidr)"),
    ("10.244.0.0/27", "overlaps 10.244.0.0/16 (azure.pod_cidr)"),
    ("192.168.0.0/27", "overlaps the peer range 192.168.0.0/16"),
])
def test_the_gateway_subnet_overlaps_nothing(block, phrase):
    err = refused("azure", gateway_subnet_cidr=block)
    assert err.path == "network.vpn.gateway_subnet_cidr" and phrase in err.message, err


@pytest.mark.parametrize("vault", [
    "kv-net",
    "/subscriptions/not-a-guid/resourceGroups/net/providers/Microsoft.KeyVault/vaults/kv-net",
    KEY_VAULT.replace("vaults/kv-net", "vaults/1kv"),
    KEY_VAULT.replace("Microsoft.KeyVault", "Microsoft.Storage"),
])
def test_the_key_vault_is_given_by_its_resource_id(vault):
    err = refused("azure", key_vault_id=vault)
    assert err.path == "network.vpn.key_vault_id" and "is not a Key Vault resource id" in err.message


def test_the_azure_sku_is_zone_redundant():
    assert with_vpn("azure").network.vpn.gateway_sku == "VpnGw1AZ"
    err = refused("azure", gateway_sku="VpnGw1")
    assert err.path == "network.vpn.gateway_sku" and "VpnGw1AZ" in err.message
