"""The neutral ``network.vpn:`` section: a site-to-site IPsec VPN to one peer (an office or datacenter).

::

    network:
      vpn: {peer_ip: 203.0.113.10, peer_cidrs: [192.168.0.0/16], bgp_asn: 65010, shared_secret_name: office-vpn-psk}

Each kit builds it in ``<env>-network``: AWS a virtual private gateway, customer gateway and VPN
connection (``platform_constructs/aws/vpn.py``), GCP an HA VPN gateway with two tunnels and a Cloud
Router speaking BGP (``gcp/vpn.py``), Azure a zone-redundant route-based VPN gateway in a
``GatewaySubnet``, a local network gateway and a connection (``azure/vpn.py``). The pre-shared key
is never in the file: AWS generates it, GCP and Azure read it from their secret store by
``shared_secret_name``.

AWS and Azure narrow the section with fields of their own (:class:`AwsVpnSpec`,
:class:`AzureVpnSpec`); the rules that need the rest of the file are :func:`vpn_violations`, called
from each cloud's ``cloud_violations`` with the address ranges its network uses.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from platform_constructs.spec.common import Model, Problem, cidr, secret_name_problem, shown
from platform_constructs.spec.ranges import peer_network_problem

#: RFC 5737 documentation ranges: not routable, but what examples (and the issue's contract) use, and
#: what the clouds' APIs accept; a VPN to them simply never comes up.
DOCUMENTATION_NETWORKS = tuple(ipaddress.IPv4Network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"))

#: ASNs no BGP speaker may use as its own: 0 and 65535 / 4294967295 (reserved, RFC 7607 / 7300),
#: 23456 (AS_TRANS, RFC 6793), the documentation ranges (RFC 5398).
RESERVED_ASNS: tuple[tuple[int, int, str], ...] = (
    (0, 0, "reserved (RFC 7607)"),
    (23456, 23456, "AS_TRANS (RFC 6793), a placeholder for 4-byte ASNs"),
    (64496, 64511, "reserved for documentation (RFC 5398)"),
    (65535, 65535, "reserved (RFC 7300)"),
    (65536, 65551, "reserved for documentation (RFC 5398)"),
    (4294967295, 4294967295, "reserved (RFC 7300)"),
)
MAX_ASN = 4294967294

#: The cloud side's own BGP ASN per cloud (the peer may not use it):
#: AWS: the virtual private gateway's ``amazon_side_asn`` (64512, AWS's default, set explicitly);
#: GCP: the Cloud Router's ASN (64514, Google's documented example private ASN);
#: Azure: the VPN gateway's ASN (65515, which Azure requires for a VPN gateway without a custom ASN).
CLOUD_SIDE_ASN = {"aws": 64512, "gcp": 64514, "azure": 65515}

#: ASNs Azure reserves for its own use (a local network gateway may not take them).
AZURE_RESERVED_ASNS = (8074, 8075, 12076, 65515, 65517, 65518, 65519, 65520)


def _peer_ip(value: str) -> str:
    try:
        address = ipaddress.IPv4Address(value)
    except ValueError:
        raise ValueError(f"{shown(value)} is not an IPv4 address: give the peer VPN device's public address, "
                         "like 203.0.113.10") from None
    usable = address.is_global and not address.is_multicast
    if not usable and not any(address in net for net in DOCUMENTATION_NETWORKS):
        kind = ("a private (RFC 1918) address" if any(address in ipaddress.IPv4Network(n) for n in
                                                     ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
                else "a shared (carrier-grade NAT, RFC 6598) address" if address in ipaddress.IPv4Network("100.64.0.0/10")
                else "a reserved address (loopback, link-local, multicast, benchmarking or future use)")
        raise ValueError(f"{value} is {kind}, which the internet cannot reach: give the peer VPN device's public "
                         "IPv4 address (the one its tunnels leave from)")
    return str(address)


def _peer_cidr(value: str) -> str:
    block = ipaddress.IPv4Network(cidr(value))
    problem = peer_network_problem(block)
    if problem:
        raise ValueError(problem)
    return str(block)


def _asn(value: int) -> int:
    if not 1 <= value <= MAX_ASN:
        raise ValueError(f"{value} is not a BGP ASN: use 1 to {MAX_ASN} (a private ASN such as 65010 unless the "
                         "peer has a public one)")
    for low, high, why in RESERVED_ASNS:
        if low <= value <= high:
            raise ValueError(f"{value} is {why}: give the peer's real ASN, or a private one such as 65010")
    return value


class VpnSpec(Model):
    """``network.vpn``: one peer VPN device and the networks behind it."""

    #: The peer VPN device's public IPv4 address (its tunnels' outside address). Private, shared and
    #: reserved addresses are refused; RFC 5737 documentation addresses are accepted (examples).
    peer_ip: Annotated[str, AfterValidator(_peer_ip)]
    #: The networks behind the peer (at least one): routed through the tunnels, so private space only
    #: (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10; ``spec/ranges.py``), and refused when
    #: they overlap any range the environment's network uses (the cluster's pod and service ranges too).
    peer_cidrs: list[Annotated[str, AfterValidator(_peer_cidr)]] = Field(min_length=1)
    #: The peer's BGP ASN: routes are exchanged over BGP when given. Without it AWS and Azure route
    #: ``peer_cidrs`` statically; GCP's HA VPN requires BGP (and so this field). Default: none.
    bgp_asn: Annotated[int, AfterValidator(_asn)] | None = None
    #: The pre-shared key's name in the cloud's secret store: a Secret Manager secret (GCP; its
    #: latest version) or a Key Vault secret (Azure; the vault is ``key_vault_id``). Required on GCP
    #: and Azure; refused on AWS, which generates the keys. Default: none.
    shared_secret_name: str | None = None

    @field_validator("shared_secret_name")
    @classmethod
    def _secret_name(cls, value: str | None) -> str | None:
        problem = secret_name_problem(value, "GCP Secret Manager or the Azure Key Vault (key_vault_id)")
        if problem:
            raise ValueError(problem)
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,127}", value):
            raise ValueError(f"{shown(value)} is not a secret name: 1-127 letters, digits, '-' and '_' (the rules "
                             "Secret Manager and Key Vault share), e.g. office-vpn-psk")
        return value


class AwsVpnSpec(VpnSpec):
    #: How the private route tables learn the peer's networks. ``true`` (default): the virtual private
    #: gateway propagates its routes (BGP-learned, or the connection's static routes) into every private
    #: route table. ``false``: the platform writes one static route per ``peer_cidrs`` entry into every
    #: private route table instead (BGP-learned prefixes beyond them are then not routed). The emulator's
    #: file sets false: moto answers EnableVgwRoutePropagation "not implemented".
    route_propagation: bool = True


#: Route-based VPN gateway SKUs that are zone-redundant (the ``AZ`` SKUs).
AZURE_GATEWAY_SKUS = ("VpnGw1AZ", "VpnGw2AZ", "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ")

_KEY_VAULT_ID = re.compile(r"/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[\w.()-]{1,90}/providers/"
                           r"Microsoft\.KeyVault/vaults/[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]")


def _key_vault_id(value: str) -> str:
    if not _KEY_VAULT_ID.fullmatch(value):
        raise ValueError(f"{shown(value, 120)} is not a Key Vault resource id: give /subscriptions/<subscription id>/"
                         "resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<vault> "
                         "(az keyvault show --name <vault> --query id -o tsv)")
    return value


class AzureVpnSpec(VpnSpec):
    #: The ``GatewaySubnet`` of the VPN gateway: a /27 to /24 outside ``network.cidr`` (which the
    #: cluster's subnets fill completely), added to the VNet as a second address space. Required.
    gateway_subnet_cidr: str
    #: The existing Key Vault holding ``shared_secret_name`` (its resource id). Not the platform's own
    #: vault: that one is created by ``<env>-cluster``, after the network. Required.
    key_vault_id: Annotated[str, AfterValidator(_key_vault_id)]
    #: Zone-redundant VPN gateway SKU, VpnGw1AZ to VpnGw5AZ (throughput and tunnel count grow with
    #: the number). Default: VpnGw1AZ.
    gateway_sku: Literal[AZURE_GATEWAY_SKUS] = "VpnGw1AZ"

    @field_validator("gateway_subnet_cidr")
    @classmethod
    def _gateway_subnet(cls, value: str) -> str:
        block = ipaddress.IPv4Network(cidr(value))
        if not 24 <= block.prefixlen <= 27:
            raise ValueError(f"{block} is a /{block.prefixlen}: the GatewaySubnet needs a /27 (Azure's recommended "
                             "size for a VPN gateway) up to a /24, e.g. 10.1.0.0/27")
        if not block.is_private:
            raise ValueError(f"{block} is not a private range: use RFC 1918 space, e.g. 10.1.0.0/27")
        return str(block)


def vpn_violations(vpn: VpnSpec | None, cloud: str, used: list[tuple[str, str]]) -> list[Problem]:
    """The rules of ``network.vpn`` that need the rest of the file.

    ``used``: (field path, CIDR) of every range the cloud's network uses (the network's CIDR, its
    subnets, pod/service/control-plane ranges): no peer CIDR may overlap one, since the tunnels could
    not route to both.
    """
    if vpn is None:
        return []
    out: list[Problem] = []
    base = "network.vpn"
    seen: list[tuple[str, ipaddress.IPv4Network]] = []
    for i, text in enumerate(vpn.peer_cidrs):
        block = ipaddress.IPv4Network(text)
        path = f"{base}.peer_cidrs.{i}"
        hit = next(((p, c) for p, c in used if block.overlaps(ipaddress.IPv4Network(c))), None)
        twin = next(((p, c) for p, c in seen if block.overlaps(c)), None)
        if hit is not None:
            out.append((path, f"{block} overlaps {hit[1]} ({hit[0]}), which this network uses: the tunnels cannot "
                              "route to both; renumber one of them, or list only the peer's ranges outside it"))
        elif twin is not None:
            out.append((path, f"{block} overlaps {twin[1]} ({twin[0]}): list each peer range once"))
        seen.append((path, block))
    if cloud == "aws" and vpn.shared_secret_name is not None:
        out.append((f"{base}.shared_secret_name", "is not used on AWS: AWS generates the tunnels' pre-shared keys; "
                                                  "remove it"))
    if cloud in ("gcp", "azure") and vpn.shared_secret_name is None:
        store = "Secret Manager secret" if cloud == "gcp" else "Key Vault secret (in key_vault_id)"
        out.append((f"{base}.shared_secret_name", f"is required on {cloud.upper() if cloud == 'gcp' else 'Azure'}: "
                                                  f"give the name of the {store} holding the pre-shared key"))
    asn = vpn.bgp_asn
    if cloud == "gcp" and asn is None:
        out.append((f"{base}.bgp_asn", "is required on GCP: HA VPN routes only over BGP; give the peer's ASN "
                                       "(a private one such as 65010 unless it has a public one)"))
    if asn is not None:
        own = CLOUD_SIDE_ASN.get(cloud)
        if asn == own:
            out.append((f"{base}.bgp_asn", f"{asn} is the {cloud.upper() if cloud != 'azure' else 'Azure'} side's "
                                           "own ASN: the peer needs a different one (e.g. 65010)"))
        elif cloud == "azure" and asn in AZURE_RESERVED_ASNS:
            out.append((f"{base}.bgp_asn", f"{asn} is reserved by Azure (8074, 8075, 12076, 65515, 65517-65520): "
                                           "give the peer another ASN (e.g. 65010)"))
        elif cloud == "aws" and asn == 7224:
            out.append((f"{base}.bgp_asn", "7224 is Amazon's own ASN, which a customer gateway may not use: give the "
                                           "peer another ASN (e.g. 65010)"))
    if isinstance(vpn, AzureVpnSpec):
        gateway = ipaddress.IPv4Network(vpn.gateway_subnet_cidr)
        hit = next(((p, c) for p, c in used if gateway.overlaps(ipaddress.IPv4Network(c))), None)
        peer = next((c for c in vpn.peer_cidrs if gateway.overlaps(ipaddress.IPv4Network(c))), None)
        if hit is not None:
            out.append((f"{base}.gateway_subnet_cidr", f"{gateway} overlaps {hit[1]} ({hit[0]}): give the "
                                                       "GatewaySubnet a range of its own outside it"))
        elif peer is not None:
            out.append((f"{base}.gateway_subnet_cidr", f"{gateway} overlaps the peer range {peer}: give the "
                                                       "GatewaySubnet a range the peer does not use"))
    return out
