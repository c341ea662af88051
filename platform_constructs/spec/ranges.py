"""Network ranges and DNS zones the environment file may name, and the ones it may not.

One module for every field that opens a path to an address range or names a DNS zone:

- address lists (:func:`address_list`): tenants' ``egress_cidrs``, ``cluster.public_access_cidrs``,
  ``azure.key_vault_allowed_cidrs``. No entry may reach into :data:`SPECIAL_RANGES` (loopback,
  link-local with the instance metadata service at 169.254.169.254, "this network", multicast,
  reserved), and the entries together may not cover the whole internet (:func:`covers_the_internet`:
  0.0.0.0/1 plus 128.0.0.0/1 is 0.0.0.0/0 too, and so is any set holding every public address);
- a VPN peer's networks (``network.vpn.peer_cidrs``, :func:`peer_network_problem`): private space
  only (:data:`PRIVATE_RANGES`), never the internet's addresses;
- overlaps with the cluster's pod and service ranges, the ones the cloud picks when the file sets
  none included (each cloud's ``cluster_ranges()``; :func:`overlap_violations`): tenant egress
  there would reach other tenants' pods and every Service past their NetworkPolicies, and a VPN
  route there would take the cluster's own traffic;
- DNS zones (``network.dns``): a zone may not be a public suffix (:data:`PUBLIC_SUFFIXES`: nobody
  can be delegated ``co.uk``, and a private ``co.uk`` answers for every name under it), nor equal,
  sit under or above a domain the cloud or Kubernetes answers itself (:data:`SERVICE_DOMAINS`:
  ``amazonaws.com``, ``googleapis.com``, ``core.windows.net``, ``cluster.local``...), which covers
  the zones the platform creates itself (Azure's ``privatelink.*`` zones, all under them).

The model accepts IPv4 only (``common.cidr``), so IPv6 metadata addresses (fd00:ec2::254) are
refused by the parser before these rules run.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Annotated

from pydantic import AfterValidator

from platform_constructs.spec.common import Problem, cidr, shown

Net = ipaddress.IPv4Network

#: Ranges no address list of the file may reach into, with what they are.
SPECIAL_RANGES: tuple[tuple[Net, str], ...] = (
    (Net("0.0.0.0/8"), "'this network' (RFC 791), never a destination"),
    (Net("127.0.0.0/8"), "loopback (the node or the pod itself)"),
    (Net("169.254.0.0/16"), "link-local, where the instance metadata service (169.254.169.254) and the "
                            "node's own agents answer"),
    (Net("224.0.0.0/4"), "multicast"),
    (Net("240.0.0.0/4"), "reserved (future use and broadcast)"),
)

#: Private space a VPN peer's networks must lie in: RFC 1918 and shared address space (RFC 6598).
PRIVATE_RANGES: tuple[Net, ...] = (Net("10.0.0.0/8"), Net("172.16.0.0/12"), Net("192.168.0.0/16"),
                                   Net("100.64.0.0/10"))

#: Everything that is not the internet's (public unicast) address space: the special and private
#: ranges, IETF protocol assignments, documentation (RFC 5737) and benchmarking (RFC 2544) ranges.
NOT_PUBLIC: tuple[Net, ...] = tuple(ipaddress.collapse_addresses(
    [net for net, _ in SPECIAL_RANGES] + list(PRIVATE_RANGES)
    + [Net(n) for n in ("192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24")]))
#: How many public addresses there are.
PUBLIC_ADDRESSES = 2**32 - sum(n.num_addresses for n in NOT_PUBLIC)


def special_range(block: Net) -> tuple[Net, str] | None:
    """The first of :data:`SPECIAL_RANGES` ``block`` reaches into, with what it is; else None."""
    return next(((net, what) for net, what in SPECIAL_RANGES if block.overlaps(net)), None)


def _within(block: Net, net: Net) -> str:
    """How ``block`` meets ``net``, for a message: ``is``, ``lies in`` or ``reaches into``."""
    return "is" if block == net else "lies in" if block.subnet_of(net) else "reaches into"


def covers_the_internet(blocks: Iterable[Net]) -> bool:
    """Whether ``blocks`` together hold every public address (0.0.0.0/0 by another spelling)."""
    public = 0
    for block in ipaddress.collapse_addresses(blocks):
        hidden = sum(min(block.num_addresses, n.num_addresses) for n in NOT_PUBLIC if block.overlaps(n))
        public += block.num_addresses - hidden
    return public >= PUBLIC_ADDRESSES


def address_list(what: str, instead: str):
    """The type of a list of IPv4 CIDRs that open ``what`` to the ranges they name: each entry a
    CIDR outside :data:`SPECIAL_RANGES` (the path names the entry), and the list not covering the
    internet. ``instead`` is the fix (what to list)."""

    def entry(value: str) -> str:
        block = Net(cidr(value))
        if block.prefixlen == 0:
            raise ValueError(f"0.0.0.0/0 opens {what} to the internet: {instead}")
        hit = special_range(block)
        if hit is not None:
            raise ValueError(f"{block} {_within(block, hit[0])} {hit[0]}, {hit[1]}: nothing there is reachable through {what}; "
                             f"{instead}")
        return str(block)

    def whole(value: list[str]) -> list[str]:
        if covers_the_internet(Net(v) for v in value):
            raise ValueError(f"{', '.join(value) if len(value) <= 4 else f'these {len(value)} ranges'} together "
                             f"cover every public address, which opens {what} to the internet as 0.0.0.0/0 "
                             f"would: {instead}")
        return value

    return Annotated[list[Annotated[str, AfterValidator(entry)]], AfterValidator(whole)]


def peer_network_problem(block: Net) -> str | None:
    """Why ``block`` cannot be a network behind a VPN peer (routed through the tunnels), else None:
    it must be private space (:data:`PRIVATE_RANGES`)."""
    if block.prefixlen == 0:
        return ("0.0.0.0/0 would send all traffic, the internet's included, through the VPN: list the peer's own "
                "networks (e.g. 192.168.0.0/16)")
    if any(block.subnet_of(net) for net in PRIVATE_RANGES):
        return None
    hit = special_range(block)
    kind = f"{_within(block, hit[0])} {hit[0]}, {hit[1]}" if hit else "holds public (internet) addresses"
    return (f"{block} {kind}: a VPN peer's networks are private, and routing public space through the tunnels "
            "would take the traffic of every pod and node for those addresses; list the peer's private ranges "
            "(inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10)")


def overlap_violations(path: str, blocks: Sequence[str], used: Sequence[tuple[str, str]], why: str,
                       fix: str) -> list[Problem]:
    """(``<path>.<i>``, message) for each of ``blocks`` overlapping one of ``used`` ((what, CIDR),
    what the cluster's ranges are, e.g. ``("gcp.pods_cidr", "10.0.0.0/17")``); ``why`` says what
    the overlap would do, ``fix`` what to do instead."""
    out: list[Problem] = []
    for i, text in enumerate(blocks):
        block = Net(text)
        hit = next(((where, c) for where, c in used if block.overlaps(Net(c))), None)
        if hit is not None:
            out.append((f"{path}.{i}", f"{block} overlaps {hit[1]} ({hit[0]}): {why}; {fix}"))
    return out


# ----------------------------------------------------------------------------------- DNS zones

#: The Kubernetes cluster domain every cluster answers itself (``<svc>.<ns>.svc.cluster.local``).
CLUSTER_DOMAIN = "cluster.local"

#: Domains each cloud (and Kubernetes, under ``"*"``) answers itself: a zone equal to one, under one
#: or above one would shadow the cloud's endpoints, its instance names, its metadata server or the
#: platform's own private-link zones for every resource of the network.
SERVICE_DOMAINS: dict[str, tuple[str, ...]] = {
    "*": (CLUSTER_DOMAIN,),
    "aws": ("amazonaws.com", "amazonaws.com.cn", "api.aws", "compute.internal", "ec2.internal",
            "amazontrust.com"),
    "gcp": ("googleapis.com", "google.com", "googleusercontent.com", "gstatic.com", "gcr.io", "pkg.dev",
            "goog", "google.internal"),
    "azure": ("azure.com", "azure.net", "windows.net", "azmk8s.io", "azurecr.io", "azure-api.net",
              "azure-automation.net", "cloudapp.net", "windowsazure.com", "microsoft.com",
              "microsoftonline.com", "azureedge.net", "azurewebsites.net", "azurefd.net", "trafficmanager.net"),
}

#: Public suffixes of more than one label (single labels are refused as zone names already): names
#: under which anyone may register a name, so none of them is a zone of one's own. A curated part of
#: the Public Suffix List (https://publicsuffix.org): the common country second levels and hosting
#: suffixes.
PUBLIC_SUFFIXES = frozenset({
    # country second levels
    "co.uk", "org.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "ac.uk", "gov.uk", "sch.uk", "nhs.uk",
    "com.au", "net.au", "org.au", "edu.au", "gov.au", "asn.au", "id.au",
    "co.nz", "net.nz", "org.nz", "govt.nz", "ac.nz",
    "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "ad.jp", "ed.jp", "gr.jp", "lg.jp",
    "co.kr", "or.kr", "ne.kr", "go.kr", "ac.kr",
    "com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "ac.cn",
    "com.hk", "net.hk", "org.hk", "gov.hk", "edu.hk",
    "com.tw", "net.tw", "org.tw", "gov.tw", "edu.tw",
    "com.sg", "net.sg", "org.sg", "gov.sg", "edu.sg",
    "com.my", "net.my", "org.my", "gov.my",
    "co.id", "or.id", "go.id", "ac.id", "web.id",
    "com.ph", "net.ph", "org.ph", "gov.ph",
    "com.vn", "net.vn", "org.vn", "gov.vn",
    "co.th", "in.th", "go.th", "ac.th", "or.th",
    "co.in", "net.in", "org.in", "firm.in", "gen.in", "ind.in", "gov.in", "ac.in",
    "com.pk", "net.pk", "org.pk", "gov.pk",
    "com.br", "net.br", "org.br", "gov.br", "edu.br",
    "com.mx", "net.mx", "org.mx", "gob.mx", "edu.mx",
    "com.ar", "net.ar", "org.ar", "gob.ar",
    "com.co", "net.co", "org.co", "gov.co",
    "com.pe", "gob.pe", "com.ve", "com.uy", "cl.cl",
    "co.za", "org.za", "net.za", "gov.za", "ac.za",
    "com.ng", "gov.ng", "co.ke", "or.ke", "com.eg", "gov.eg", "co.ma",
    "co.il", "org.il", "net.il", "ac.il", "gov.il",
    "com.tr", "net.tr", "org.tr", "gov.tr", "edu.tr",
    "com.sa", "gov.sa", "com.qa", "co.ae", "gov.ae",
    "com.ua", "org.ua", "net.ua", "gov.ua",
    "com.ru", "net.ru", "org.ru", "msk.ru", "spb.ru",
    "com.pl", "net.pl", "org.pl", "gov.pl",
    "co.at", "or.at", "gv.at", "ac.at",
    "com.es", "org.es", "gob.es", "com.pt", "gov.pt", "com.gr", "gov.gr", "co.hu", "com.ro",
    "eu.org", "us.org", "uk.com", "us.com", "eu.com", "de.com", "cn.com", "jpn.com",
    # hosting and platform suffixes
    "github.io", "githubusercontent.com", "gitlab.io", "bitbucket.io", "herokuapp.com", "herokussl.com",
    "appspot.com", "web.app", "firebaseapp.com", "blogspot.com", "netlify.app", "netlify.com",
    "vercel.app", "now.sh", "pages.dev", "workers.dev", "fly.dev", "onrender.com", "railway.app",
    "readthedocs.io", "ngrok.io", "ngrok-free.app", "surge.sh", "glitch.me", "repl.co", "myshopify.com",
    "wixsite.com", "azurewebsites.net", "azurestaticapps.net", "cloudapp.net", "cloudfront.net",
    "elasticbeanstalk.com", "s3.amazonaws.com", "execute-api.amazonaws.com", "run.app", "a.run.app",
    "duckdns.org", "ddns.net", "no-ip.org", "dyndns.org", "dynu.net", "freeddns.org", "servebeer.com",
})


def public_suffix_problem(zone: str) -> str | None:
    """Why ``zone`` cannot be a zone of one's own because it is a public suffix, else None."""
    if zone in PUBLIC_SUFFIXES:
        return (f"{zone} is a public suffix: anyone registers names under it, nobody can be delegated the suffix "
                f"itself, and a zone of that name would answer for every name under it: use a domain you own "
                f"under it (like example.{zone}) or a private name like corp.internal")
    return None


def service_domains(cloud: str, extra: Sequence[str] = ()) -> tuple[str, ...]:
    """The domains a zone of ``cloud`` may not shadow: Kubernetes', the cloud's, and ``extra``."""
    return SERVICE_DOMAINS["*"] + SERVICE_DOMAINS.get(cloud, ()) + tuple(extra)


def shadowed_domain(zone: str, domains: Sequence[str]) -> str | None:
    """The first of ``domains`` that ``zone`` equals, lies under, or lies above; else None."""
    for domain in domains:
        if zone == domain or zone.endswith("." + domain) or domain.endswith("." + zone):
            return domain
    return None


#: The clouds by name, for messages.
CLOUD_NAMES = {"aws": "AWS", "gcp": "Google Cloud", "azure": "Azure"}


def zone_violations(path: str, zones: Sequence[tuple[str, str]], cloud: str, extra: Sequence[str] = ()) -> list[Problem]:
    """(``<path>.<field>``, message) for each (field, zone) of ``zones`` that shadows one of
    :func:`service_domains` or, on Azure, is a Private Link zone (``privatelink.*``)."""
    out: list[Problem] = []
    domains = service_domains(cloud, extra)
    for field, zone in zones:
        hit = shadowed_domain(zone, domains)
        if hit is not None:
            owner = "Kubernetes" if hit in SERVICE_DOMAINS["*"] else CLOUD_NAMES.get(cloud, "the cloud")
            out.append((f"{path}.{field}", f"{zone} {'is' if zone == hit else 'overlaps'} {hit}, a domain {owner} "
                                           "answers itself: a zone there would shadow its endpoints, instance "
                                           "names or the platform's own zones for the whole network; use a "
                                           "domain of your own, like corp.internal or apps.example.com"))
        elif cloud == "azure" and zone.split(".")[0] == "privatelink":
            out.append((f"{path}.{field}", f"{zone} is an Azure Private Link zone name (privatelink.*), which "
                                           "Azure's private endpoints and the platform's own use: use a domain "
                                           "of your own, like corp.internal"))
    return out
