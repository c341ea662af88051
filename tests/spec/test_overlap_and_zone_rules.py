"""Every overlap rule and every zone rule of every cloud's environment model, one refused and one
accepted file each, the refusal naming the exact field.

The rules live in ``platform_constructs/spec/environment.py`` (zones, node pools against zones,
observability size against zones, tenant egress into the cluster's ranges, DNS zones),
``spec/ranges.py`` (the overlap and DNS-zone helpers), ``spec/vpn.py`` (peer networks and the Azure
GatewaySubnet against the network's ranges) and ``<cloud>/spec.py`` (aws: zones, subnets; gcp:
zones, GKE ranges; azure: zones, pod and service ranges, NAT per zone). ``cloud: kubernetes`` has
no zones and no ranges of its own (an existing cluster): nothing here applies to it.

Each case is a near miss on the accepted side (an adjacent range, one zone fewer), so a rule that
stops refusing, or starts refusing too much, fails one of the two tests. :data:`RULE_SITES` counts
the range comparisons in those modules: a new one fails :func:`test_every_overlap_site_has_cases`
until its cases are added here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest

from platform_constructs.spec import SpecError
from tests.helpers import ROOT, SUBSCRIPTION, azure_spec, gcp_spec, make_spec, merge

QUOTA = {"cpu": "20", "memory": "64Gi", "pods": 100}
AWS_VPN = {"peer_ip": "203.0.113.10"}
GCP_VPN = {"peer_ip": "203.0.113.10", "bgp_asn": 65010, "shared_secret_name": "office-vpn-psk"}
AZURE_VPN = {**GCP_VPN, "gateway_subnet_cidr": "10.1.0.0/27",
             "key_vault_id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/secrets-rg/providers/"
                             "Microsoft.KeyVault/vaults/kv-office"}
CLOUDS: dict[str, Callable[..., Any]] = {"aws": make_spec, "gcp": gcp_spec, "azure": azure_spec}
ZONES = {"aws": ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"],
         "gcp": ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"],
         "azure": ["1", "2", "3"]}


INSTANCE = {"aws": "m6i.large", "gcp": "e2-standard-4", "azure": "Standard_D4ds_v5"}


def pool(cloud: str, min_size: int) -> dict:
    return {"cluster": {"node_pools": [{"name": "general", "instance_types": [INSTANCE[cloud]], "min_size": min_size,
                                        "max_size": 8}]}}


def egress(*cidrs: str) -> dict:
    return {"tenants": [{"name": "team-a", "quota": dict(QUOTA), "egress_cidrs": list(cidrs)}]}


def vpn(base: dict, peers: list[str], **more: Any) -> dict:
    return {"network": {"vpn": {**base, "peer_cidrs": peers, **more}}}


def dns(zone: str) -> dict:
    return {"network": {"dns": {"private_zone": zone}}}


@dataclass(frozen=True)
class Case:
    id: str
    cloud: str
    refused: dict
    accepted: dict
    path: str
    says: str            # a phrase of the refusal, so another rule on the same field does not pass for it
    extra: dict = field(default_factory=dict)  # merged into both sides


CASES: list[Case] = [
    # ------------------------------------------------------------ neutral zone rules, on every cloud
    *[Case(f"{c}-one-zone", c, {"zones": ZONES[c][:1]}, {"zones": ZONES[c][:2]}, "zones", "at least two")
      for c in CLOUDS],
    *[Case(f"{c}-zone-twice", c, {"zones": [ZONES[c][0], ZONES[c][1], ZONES[c][0]]}, {"zones": ZONES[c][:3]},
           "zones", "lists a zone twice") for c in CLOUDS],
    Case("aws-eight-zones", "aws", {"zones": [f"us-east-1{x}" for x in "abcdefgh"]},
         {"zones": [f"us-east-1{x}" for x in "abcdefg"]}, "zones", "at most 7", {**pool("aws", 8)}),
    Case("gcp-eight-zones", "gcp", {"zones": [f"us-central1-{x}" for x in "abcdefgh"]},
         {"zones": [f"us-central1-{x}" for x in "abcdefg"]}, "zones", "at most 7", {**pool("gcp", 8)}),
    # a pool's minimum against the zones: 4 zones and min_size 3 meets the ">= 3" rule, not this one
    # (Azure has three zones at most, so its ">= 3" rule covers it: no distinguishing case there)
    *[Case(f"{c}-pool-min-below-zones", c, {"zones": ZONES[c], **pool(c, 3)}, {"zones": ZONES[c], **pool(c, 4)},
           "cluster.node_pools.0.min_size", "cannot cover 4 zones") for c in ("aws", "gcp")],
    *[Case(f"{c}-medium-observability-two-zones", c, {"zones": ZONES[c][:2]}, {"zones": ZONES[c][:3]},
           "observability.size", "three zones", {"observability": {"size": "medium"}}) for c in CLOUDS],
    # ------------------------------------------------------------ tenant egress into the cluster's ranges
    Case("aws-egress-into-a-private-subnet", "aws", egress("10.0.64.0/24"), egress("10.0.96.0/24"),
         "tenants.0.egress_cidrs.0", "overlaps 10.0.64.0/19"),
    Case("aws-egress-into-the-eks-service-range", "aws", egress("172.20.1.0/24"), egress("172.21.0.0/24"),
         "tenants.0.egress_cidrs.0", "overlaps 172.20.0.0/16"),
    Case("aws-egress-into-a-given-private-subnet", "aws", egress("10.0.1.0/24"), egress("10.0.200.0/24"),
         "tenants.0.egress_cidrs.0", "(network.subnets.private.0)",
         {"network": {"subnets": {"public": ["10.0.240.0/24", "10.0.241.0/24", "10.0.242.0/24"],
                                  "private": ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]}}}),
    Case("gcp-egress-into-the-pods", "gcp", egress("10.0.127.0/24"), egress("10.0.192.0/24"),
         "tenants.0.egress_cidrs.0", "(gcp.pods_cidr, carved from network.cidr)"),
    Case("gcp-egress-into-the-services", "gcp", egress("10.0.160.0/24"), egress("10.0.176.0/24"),
         "tenants.0.egress_cidrs.0", "(gcp.services_cidr, carved from network.cidr)"),
    Case("azure-egress-into-the-pods", "azure", egress("10.244.255.0/24"), egress("10.245.0.0/24"),
         "tenants.0.egress_cidrs.0", "(azure.pod_cidr, by default)"),
    Case("azure-egress-into-the-services", "azure", egress("172.16.0.0/24"), egress("172.17.0.0/24"),
         "tenants.0.egress_cidrs.0", "(azure.service_cidr, by default)"),
    # ------------------------------------------------------------ DNS zones over the cloud's own domains
    Case("aws-dns-under-a-service-domain", "aws", dns("corp.ec2.internal"), dns("corp.internal"),
         "network.dns.private_zone", "overlaps ec2.internal"),
    Case("gcp-dns-above-the-project-domain", "gcp", dns("proj-1.internal"), dns("proj-2.internal"),
         "network.dns.private_zone", "overlaps c.proj-1.internal"),
    Case("gcp-dns-under-a-service-domain", "gcp", dns("corp.googleapis.com"), dns("corp.internal"),
         "network.dns.private_zone", "overlaps googleapis.com"),
    Case("azure-dns-under-a-service-domain", "azure", dns("corp.azmk8s.io"), dns("corp.internal"),
         "network.dns.private_zone", "overlaps azmk8s.io"),
    Case("azure-dns-private-link", "azure", dns("privatelink.corp.example"), dns("links.corp.example"),
         "network.dns.private_zone", "Private Link zone"),
    # ------------------------------------------------------------ AWS: zones, subnets
    Case("aws-zone-of-another-region", "aws", {"zones": ["us-east-1a", "us-west-2b", "us-east-1c"]},
         {"zones": ["us-east-1a", "us-east-1b", "us-east-1c"]}, "zones.1", "not a zone of region us-east-1"),
    Case("aws-local-zone", "aws", {"zones": ["us-east-1a", "us-east-1-bos-1a", "us-east-1c"]},
         {"zones": ["us-east-1a", "us-east-1f", "us-east-1c"]}, "zones.1", "Local or Wavelength Zone"),
    Case("aws-subnets-per-zone", "aws",
         {"network": {"subnets": {"public": ["10.0.240.0/24", "10.0.241.0/24"],
                                  "private": ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]}}},
         {"network": {"subnets": {"public": ["10.0.240.0/24", "10.0.241.0/24", "10.0.242.0/24"],
                                  "private": ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]}}},
         "network.subnets.public", "has 2 entries for 3 zones"),
    Case("aws-subnet-outside-the-vpc", "aws",
         {"network": {"subnets": {"public": ["10.0.240.0/24", "10.0.241.0/24", "10.0.242.0/24"],
                                  "private": ["10.1.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]}}},
         {"network": {"subnets": {"public": ["10.0.240.0/24", "10.0.241.0/24", "10.0.242.0/24"],
                                  "private": ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]}}},
         "network.subnets.private.0", "outside network.cidr"),
    Case("aws-subnets-overlap", "aws",
         {"network": {"subnets": {"public": ["10.0.240.0/24", "10.0.241.0/24", "10.0.242.0/24"],
                                  "private": ["10.0.0.0/20", "10.0.15.0/24", "10.0.32.0/20"]}}},
         {"network": {"subnets": {"public": ["10.0.240.0/24", "10.0.241.0/24", "10.0.242.0/24"],
                                  "private": ["10.0.0.0/20", "10.0.16.0/24", "10.0.32.0/20"]}}},
         "network.subnets.private.1", "overlaps 10.0.0.0/20 (network.subnets.private.0)"),
    Case("aws-private-subnet-overlaps-a-public-one", "aws",
         {"network": {"subnets": {"public": ["10.0.240.0/24", "10.0.241.0/24", "10.0.242.0/24"],
                                  "private": ["10.0.0.0/20", "10.0.16.0/20", "10.0.240.0/20"]}}},
         {"network": {"subnets": {"public": ["10.0.240.0/24", "10.0.241.0/24", "10.0.242.0/24"],
                                  "private": ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]}}},
         "network.subnets.private.2", "(network.subnets.public.0)"),
    Case("aws-vpc-too-small-for-the-zones", "aws", {"network": {"cidr": "10.0.0.0/23"}},
         {"network": {"cidr": "10.0.0.0/22"}}, "network.cidr", "too small for the default subnets"),
    Case("aws-vpn-peer-overlaps-the-vpc", "aws", vpn(AWS_VPN, ["10.0.128.0/17"]), vpn(AWS_VPN, ["10.1.0.0/16"]),
         "network.vpn.peer_cidrs.0", "overlaps 10.0.0.0/16 (network.cidr)"),
    Case("aws-vpn-peer-overlaps-the-eks-service-range", "aws", vpn(AWS_VPN, ["172.20.0.0/24"]),
         vpn(AWS_VPN, ["172.21.0.0/24"]), "network.vpn.peer_cidrs.0", "overlaps 172.20.0.0/16"),
    Case("aws-vpn-peer-ranges-overlap", "aws", vpn(AWS_VPN, ["192.168.0.0/16", "192.168.1.0/24"]),
         vpn(AWS_VPN, ["192.168.0.0/24", "192.168.1.0/24"]), "network.vpn.peer_cidrs.1", "list each peer range once"),
    # ------------------------------------------------------------ GCP: zones, GKE ranges
    Case("gcp-zone-of-another-region", "gcp", {"zones": ["us-central1-a", "us-east1-b", "us-central1-c"]},
         {"zones": ["us-central1-a", "us-central1-f", "us-central1-c"]}, "zones.1", "not a zone of region us-central1"),
    Case("gcp-control-plane-overlaps-the-network", "gcp", {"gcp": {"master_ipv4_cidr_block": "10.0.255.240/28"}},
         {"gcp": {"master_ipv4_cidr_block": "10.1.0.0/28"}}, "gcp.master_ipv4_cidr_block", "overlaps network.cidr"),
    Case("gcp-given-pods-overlap-carved-nodes", "gcp", {"gcp": {"pods_cidr": "10.0.128.0/17"}},
         {"gcp": {"pods_cidr": "10.1.0.0/16"}}, "gcp.pods_cidr", "GKE ranges must not overlap"),
    Case("gcp-given-nodes-overlap-carved-pods", "gcp", {"gcp": {"nodes_cidr": "10.0.0.0/20"}},
         {"gcp": {"nodes_cidr": "10.0.192.0/20"}}, "gcp.nodes_cidr", "carved from network.cidr"),
    Case("gcp-control-plane-overlaps-given-services", "gcp", {"gcp": {"services_cidr": "172.16.0.0/20"}},
         {"gcp": {"services_cidr": "172.17.0.0/20"}}, "gcp.master_ipv4_cidr_block", "(gcp.services_cidr)"),
    Case("gcp-vpn-peer-overlaps-the-network", "gcp", vpn(GCP_VPN, ["10.0.0.0/8"]), vpn(GCP_VPN, ["192.168.0.0/16"]),
         "network.vpn.peer_cidrs.0", "(network.cidr)"),
    Case("gcp-vpn-peer-overlaps-the-control-plane", "gcp", vpn(GCP_VPN, ["172.16.0.0/24"]),
         vpn(GCP_VPN, ["172.16.1.0/24"]), "network.vpn.peer_cidrs.0", "(gcp.master_ipv4_cidr_block)"),
    Case("gcp-vpn-peer-overlaps-given-pods", "gcp", vpn(GCP_VPN, ["10.8.0.0/16"]),
         vpn(GCP_VPN, ["10.12.0.0/16"]), "network.vpn.peer_cidrs.0", "(gcp.pods_cidr)",
         {"gcp": {"pods_cidr": "10.8.0.0/14"}}),
    Case("gcp-vpn-peer-ranges-overlap", "gcp", vpn(GCP_VPN, ["192.168.0.0/16", "192.168.1.0/24"]),
         vpn(GCP_VPN, ["192.168.0.0/24", "192.168.1.0/24"]), "network.vpn.peer_cidrs.1", "list each peer range once"),
    # ------------------------------------------------------------ Azure: zones, pod and service ranges, NAT
    Case("azure-zone-not-1-2-3", "azure", {"zones": ["1", "2", "4"]}, {"zones": ["1", "2", "3"]}, "zones.2",
         "not an Azure availability zone"),
    Case("azure-nat-per-zone", "azure", {"network": {"nat": "per_zone"}}, {"network": {"nat": "single"}},
         "network.nat", "Azure subnets are regional"),
    Case("azure-pod-range-overlaps-the-vnet", "azure", {"azure": {"pod_cidr": "10.0.128.0/17"}},
         {"azure": {"pod_cidr": "10.1.0.0/16"}}, "azure.pod_cidr", "overlaps network.cidr 10.0.0.0/16"),
    Case("azure-pod-range-holds-the-vnet", "azure", {"azure": {"pod_cidr": "10.0.0.0/8"}},
         {"azure": {"pod_cidr": "10.128.0.0/9"}}, "azure.pod_cidr", "overlaps network.cidr 10.0.0.0/16"),
    Case("azure-service-range-overlaps-the-vnet", "azure", {"azure": {"service_cidr": "10.0.255.0/24"}},
         {"azure": {"service_cidr": "10.1.0.0/24"}}, "azure.service_cidr", "overlaps network.cidr 10.0.0.0/16"),
    Case("azure-service-range-overlaps-the-pods", "azure", {"azure": {"service_cidr": "10.244.0.0/20"}},
         {"azure": {"service_cidr": "10.245.0.0/20"}}, "azure.service_cidr", "overlaps pod_cidr 10.244.0.0/16"),
    Case("azure-vpn-peer-overlaps-the-vnet", "azure", vpn(AZURE_VPN, ["10.0.0.0/24"]),
         vpn(AZURE_VPN, ["192.168.0.0/16"]), "network.vpn.peer_cidrs.0", "(network.cidr)"),
    Case("azure-vpn-peer-overlaps-the-pods", "azure", vpn(AZURE_VPN, ["10.244.0.0/24"]),
         vpn(AZURE_VPN, ["10.245.0.0/24"]), "network.vpn.peer_cidrs.0", "(azure.pod_cidr)"),
    Case("azure-vpn-peer-overlaps-the-services", "azure", vpn(AZURE_VPN, ["172.16.5.0/24"]),
         vpn(AZURE_VPN, ["172.17.5.0/24"]), "network.vpn.peer_cidrs.0", "(azure.service_cidr)"),
    Case("azure-vpn-peer-ranges-overlap", "azure", vpn(AZURE_VPN, ["192.168.0.0/16", "192.168.1.0/24"]),
         vpn(AZURE_VPN, ["192.168.0.0/24", "192.168.1.0/24"]), "network.vpn.peer_cidrs.1", "list each peer range once"),
    Case("azure-gateway-subnet-inside-the-vnet", "azure", vpn(AZURE_VPN, ["192.168.0.0/16"], gateway_subnet_cidr="10.0.255.0/27"),
         vpn(AZURE_VPN, ["192.168.0.0/16"], gateway_subnet_cidr="10.1.0.0/27"), "network.vpn.gateway_subnet_cidr",
         "(network.cidr)"),
    Case("azure-gateway-subnet-inside-the-pods", "azure", vpn(AZURE_VPN, ["192.168.0.0/16"], gateway_subnet_cidr="10.244.0.0/27"),
         vpn(AZURE_VPN, ["192.168.0.0/16"], gateway_subnet_cidr="10.245.0.0/27"), "network.vpn.gateway_subnet_cidr",
         "(azure.pod_cidr)"),
    Case("azure-gateway-subnet-inside-a-peer-range", "azure", vpn(AZURE_VPN, ["192.168.0.0/16"], gateway_subnet_cidr="192.168.0.0/27"),
         vpn(AZURE_VPN, ["192.168.1.0/24"], gateway_subnet_cidr="192.168.0.0/27"), "network.vpn.gateway_subnet_cidr",
         "the peer range 192.168.0.0/16"),
]


def build(case: Case, side: dict):
    return CLOUDS[case.cloud](**merge(case.extra, side))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refused_naming_the_field(case):
    with pytest.raises(SpecError) as info:
        build(case, case.refused)
    err = info.value
    assert (err.path, "\n" in str(err)) == (case.path, False), str(err)
    assert case.says in err.message, err.message


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_near_miss_accepted(case):
    build(case, case.accepted)


def test_case_ids_are_unique_and_every_cloud_has_cases():
    assert len({c.id for c in CASES}) == len(CASES)
    assert {c.cloud for c in CASES} == set(CLOUDS)


#: How many range comparisons each module holds (``.overlaps(`` and calls of the overlap and DNS-zone
#: helpers): a new one fails the test below until its refused and accepted cases are in
#: :data:`CASES` (ranges.py's two in ``special_range`` / ``covers_the_internet`` are the address-list
#: rules of tests/spec/test_ranges.py).
SITE = re.compile(r"\.overlaps\(|(?<!def )\b(?:overlap_violations|zone_violations)\(")
RULE_SITES: dict[str, int] = {
    "platform_constructs/spec/environment.py": 2,
    "platform_constructs/spec/ranges.py": 3,
    "platform_constructs/spec/vpn.py": 4,
    "platform_constructs/aws/spec.py": 1,
    "platform_constructs/gcp/spec.py": 3,
    "platform_constructs/azure/spec.py": 2,
}


@pytest.mark.parametrize("module", sorted(RULE_SITES))
def test_every_overlap_site_has_cases(module):
    found = len(SITE.findall((ROOT / module).read_text()))
    assert found == RULE_SITES[module], (f"{module}: {found} range comparisons, {RULE_SITES[module]} known: add a "
                                         "refused and an accepted case for the new rule to CASES, then update RULE_SITES")
