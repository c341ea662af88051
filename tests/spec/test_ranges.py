"""``platform_constructs/spec/ranges.py``: the address ranges, DNS zones and endpoints the file may
not name, each refused in one line naming the exact field."""

from __future__ import annotations

import ast
import ipaddress

import pytest

from platform_constructs.spec import SpecError
from platform_constructs.spec.ranges import NOT_PUBLIC, PUBLIC_SUFFIXES, covers_the_internet
from tests.helpers import ROOT, azure_spec, gcp_spec, kubernetes_spec, make_spec

QUOTA = {"cpu": "20", "memory": "64Gi", "pods": 100}
Net = ipaddress.IPv4Network


def refused(factory=make_spec, **override) -> SpecError:
    with pytest.raises(SpecError) as info:
        factory(**override)
    err = info.value
    assert "\n" not in str(err) and str(err).startswith(f"test.yaml: {err.path}: "), str(err)
    return err


def egress(*cidrs: str) -> dict:
    return {"tenants": [{"name": "team-a", "quota": dict(QUOTA), "egress_cidrs": list(cidrs)}]}


def public_blocks() -> list[str]:
    """Every public address as CIDRs: 0.0.0.0/0 without :data:`NOT_PUBLIC`."""
    rest = [Net("0.0.0.0/0")]
    for net in NOT_PUBLIC:
        rest = [piece for block in rest
                for piece in (block.address_exclude(net) if net.subnet_of(block) else
                              [] if block.subnet_of(net) else [block])]
    return [str(b) for b in ipaddress.collapse_addresses(rest)]


# --------------------------------------------------------------------------- the whole internet

def test_covers_the_internet_by_any_spelling():
    assert covers_the_internet([Net("0.0.0.0/0")])
    assert covers_the_internet([Net("0.0.0.0/1"), Net("128.0.0.0/1")])
    assert covers_the_internet(Net(b) for b in public_blocks())
    assert not covers_the_internet([Net("0.0.0.0/1")])
    missing_one = [Net(b) for b in public_blocks()]
    missing_one[0] = next(missing_one[0].subnets(prefixlen_diff=1))
    assert not covers_the_internet(missing_one)


def test_egress_that_adds_up_to_every_public_address_is_refused_as_the_list():
    err = refused(**egress(*public_blocks()))
    assert err.path == "tenants.0.egress_cidrs" and "every public address" in err.message


@pytest.mark.parametrize("factory, override, path", [
    (make_spec, {"cluster": {"endpoint": "public_and_private", "public_access_cidrs": public_blocks()}},
     "cluster.public_access_cidrs"),
    (azure_spec, {"azure": {"key_vault_allowed_cidrs": public_blocks()}}, "azure.key_vault_allowed_cidrs"),
])
def test_other_allow_lists_that_add_up_to_the_internet_are_refused(factory, override, path):
    assert refused(factory, **override).path == path


# --------------------------------------------------------------------------- special ranges, entry by entry

@pytest.mark.parametrize("block, fragment", [
    ("169.254.169.254/32", "instance metadata"), ("169.254.0.0/16", "link-local"), ("127.0.0.1/32", "loopback"),
    ("0.0.0.0/8", "this network"), ("224.0.0.0/4", "multicast"), ("240.0.0.0/4", "reserved"),
    ("255.255.255.255/32", "reserved"), ("128.0.0.0/1", "169.254.0.0/16"),
])
def test_egress_into_special_ranges_is_refused_naming_the_entry(block, fragment):
    err = refused(**egress("192.0.2.0/24", block))
    assert err.path == "tenants.0.egress_cidrs.1" and fragment in err.message


def test_cluster_public_access_from_link_local_is_refused_naming_the_entry():
    err = refused(cluster={"endpoint": "public_and_private",
                           "public_access_cidrs": ["203.0.113.0/24", "169.254.0.0/16"]})
    assert err.path == "cluster.public_access_cidrs.1"


def test_key_vault_firewall_from_loopback_is_refused_naming_the_entry():
    assert refused(azure_spec, azure={"key_vault_allowed_cidrs": ["127.0.0.1/32"]}).path == \
        "azure.key_vault_allowed_cidrs.0"


def test_ipv6_metadata_is_refused_as_not_ipv4():
    assert "not an IPv4 CIDR" in refused(**egress("fd00:ec2::254/128")).message


# --------------------------------------------------------------------------- the cluster's own ranges

@pytest.mark.parametrize("factory, override, block, where", [
    (make_spec, {}, "10.0.0.0/24", "VPC CNI"),                                  # a carved private subnet
    (make_spec, {}, "172.20.0.10/32", "EKS picks"),                             # VPC in 10/8: 172.20.0.0/16
    (make_spec, {"network": {"cidr": "192.168.0.0/16"}}, "10.100.0.0/24", "EKS picks"),
    (make_spec, {"network": {"cidr": "10.0.0.0/16", "subnets": {
        "public": ["10.0.224.0/22", "10.0.228.0/22", "10.0.232.0/22"],
        "private": ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]}}}, "10.0.40.0/24", "network.subnets.private.1"),
    (gcp_spec, {}, "10.0.0.0/20", "gcp.pods_cidr, carved"),
    (gcp_spec, {}, "10.0.160.0/24", "gcp.services_cidr, carved"),
    (gcp_spec, {"gcp": {"project": "proj-1", "pods_cidr": "100.64.0.0/14"}}, "100.65.0.0/16", "(gcp.pods_cidr)"),
    (azure_spec, {}, "10.244.3.0/24", "azure.pod_cidr, by default"),
    (azure_spec, {}, "172.16.0.0/12", "azure.service_cidr, by default"),
])
def test_egress_into_the_clusters_pod_or_service_range_is_refused(factory, override, block, where):
    err = refused(factory, **override, **egress("192.0.2.0/24", block))
    assert err.path == "tenants.0.egress_cidrs.1" and where in err.message, err.message


@pytest.mark.parametrize("factory, block", [
    (make_spec, "10.0.224.0/24"),          # a public subnet: load balancers, not pods
    (make_spec, "10.100.0.0/16"),          # VPC in 10/8: EKS takes 172.20.0.0/16, not this
    (azure_spec, "10.50.0.0/24"),
    (kubernetes_spec, "10.244.0.0/16"),    # an existing cluster's ranges are not in the file
])
def test_egress_outside_the_clusters_ranges_is_accepted(factory, block):
    assert factory(**egress(block)).tenants[0].egress_cidrs == [block]


# --------------------------------------------------------------------------- VPN peer networks

AWS_VPN = {"peer_ip": "198.51.100.7", "bgp_asn": 65010}


@pytest.mark.parametrize("block, fragment", [
    ("8.8.8.0/24", "public"), ("192.0.2.0/24", "public"), ("169.254.0.0/16", "link-local"),
    ("127.0.0.0/8", "loopback"), ("0.0.0.0/1", "this network"),
])
def test_vpn_peer_networks_must_be_private(block, fragment):
    err = refused(network={"vpn": {**AWS_VPN, "peer_cidrs": ["192.168.0.0/16", block]}})
    assert err.path == "network.vpn.peer_cidrs.1" and fragment in err.message and "10.0.0.0/8" in err.message


def test_vpn_peer_in_shared_address_space_is_accepted():
    spec = make_spec(network={"vpn": {**AWS_VPN, "peer_cidrs": ["100.64.0.0/16"]}})
    assert spec.network.vpn.peer_cidrs == ["100.64.0.0/16"]


def test_vpn_peer_on_the_service_range_eks_picks_is_refused():
    err = refused(network={"vpn": {**AWS_VPN, "peer_cidrs": ["192.168.0.0/16", "172.20.0.0/16"]}})
    assert err.path == "network.vpn.peer_cidrs.1" and "EKS picks" in err.message


# --------------------------------------------------------------------------- DNS zones

@pytest.mark.parametrize("factory, zone", [
    (make_spec, "amazonaws.com"), (make_spec, "s3.us-east-1.amazonaws.com"), (make_spec, "ec2.internal"),
    (make_spec, "us-east-1.compute.internal"), (make_spec, "com.cn"),
    (gcp_spec, "googleapis.com"), (gcp_spec, "storage.googleapis.com"), (gcp_spec, "metadata.google.internal"),
    (gcp_spec, "c.proj-1.internal"), (gcp_spec, "proj-1.internal"), (gcp_spec, "cloud.goog"),
    (azure_spec, "core.windows.net"), (azure_spec, "privatelink.vaultcore.azure.net"), (azure_spec, "azmk8s.io"),
    (azure_spec, "privatelink.corp.internal"), (azure_spec, "login.microsoftonline.com"),
])
def test_a_zone_shadowing_the_clouds_own_domains_is_refused(factory, zone):
    err = refused(factory, network={"dns": {"private_zone": zone}})
    assert err.path == "network.dns.private_zone", err


def test_a_public_zone_under_the_clouds_domains_is_refused_too():
    assert refused(network={"dns": {"private_zone": "corp.internal", "public_zone": "apps.amazonaws.com"}}).path == \
        "network.dns.public_zone"


@pytest.mark.parametrize("zone", ["co.uk", "com.au", "github.io", "herokuapp.com"])
@pytest.mark.parametrize("field", ["private_zone", "public_zone"])
def test_a_public_suffix_is_never_a_zone(zone, field):
    dns = {"private_zone": "corp.internal", field: zone}
    err = refused(network={"dns": dns})
    assert err.path == f"network.dns.{field}" and "public suffix" in err.message


@pytest.mark.parametrize("factory", [make_spec, gcp_spec, azure_spec])
def test_zones_of_ones_own_are_accepted(factory):
    spec = factory(network={"dns": {"private_zone": "corp.internal", "public_zone": "apps.example.co.uk"}})
    assert spec.network.dns.zones == ("corp.internal", "apps.example.co.uk")


def test_the_public_suffix_list_holds_no_single_label():
    assert all("." in suffix for suffix in PUBLIC_SUFFIXES)


def _zone_constants() -> dict[str, str]:
    """Every ``*_ZONE = "privatelink...."`` the Azure kit creates (read from the source, without importing
    the provider package)."""
    found = {}
    for path in sorted((ROOT / "platform_constructs" / "azure").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                    and isinstance(node.value.value, str) and node.value.value.startswith("privatelink."):
                found[f"{path.name}:{node.targets[0].id}"] = node.value.value
    return found


def test_the_zones_the_azure_kit_creates_are_refused_as_the_users():
    zones = _zone_constants()
    assert len(zones) >= 3, zones
    for where, zone in zones.items():
        assert refused(azure_spec, network={"dns": {"private_zone": zone}}).path == "network.dns.private_zone", where


# --------------------------------------------------------------------------- endpoints that cannot work

STORE = {"endpoint": "https://minio.example.internal", "region": "us-east-1", "path_style": True,
         "credentials_secret": "observability-s3"}


@pytest.mark.parametrize("factory, override, path", [
    (kubernetes_spec, {"observability": {"storage": {**STORE, "endpoint": "https://minio.example.internal:0"}}},
     "observability.storage.endpoint"),
    (make_spec, {"backend": {"type": "s3", "bucket": "state-bucket", "endpoint": "http://127.0.0.1:0"}},
     "backend.endpoint"),
    (make_spec, {"aws": {"endpoint": "http://127.0.0.1:0"}}, "aws.endpoint"),
    (make_spec, {"addons": {"ci_agent": {"kind": "github", "url": "https://github.com:0/acme",
                                         "secret_name": "ci-runner-token"}}}, "addons.ci_agent.url"),
])
def test_port_zero_is_refused_in_every_url(factory, override, path):
    err = refused(factory, **override)
    assert err.path == path and "port 0" in err.message, err


@pytest.mark.parametrize("endpoint", ["https://10.0.0.5:9000", "https://[fd00::5]:9000"])
def test_virtual_hosted_buckets_on_an_ip_endpoint_are_refused(endpoint):
    err = refused(kubernetes_spec, observability={"storage": {**STORE, "endpoint": endpoint, "path_style": False}})
    assert err.path == "observability.storage.path_style" and "path_style: true" in err.message


def test_path_style_on_an_ip_endpoint_and_virtual_hosted_on_a_name_are_accepted():
    kubernetes_spec(observability={"storage": {**STORE, "endpoint": "https://10.0.0.5:9000", "path_style": True}})
    kubernetes_spec(observability={"storage": {**STORE, "path_style": False}})
