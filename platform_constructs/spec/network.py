"""The neutral ``network:`` section; each cloud's model adds what only it uses."""

from __future__ import annotations

import ipaddress

from pydantic import field_validator

from platform_constructs.spec.common import Model, cidr
from platform_constructs.spec.dns import DnsSpec
from platform_constructs.spec.vpn import VpnSpec


class NetworkSpec(Model):
    #: The environment's private address range (RFC 1918), /24 or larger.
    cidr: str
    #: Private DNS (``platform_constructs/spec/dns.py``): a private zone bound to the network, an
    #: optional public zone, and ExternalDNS in ``<env>-addons`` writing records into them.
    #: Default: none.
    dns: DnsSpec | None = None
    #: Site-to-site VPN to one peer (``platform_constructs/spec/vpn.py``): tunnels, routing to the
    #: peer's networks, the pre-shared key from the cloud's secret store (AWS generates it). Default: none.
    vpn: VpnSpec | None = None

    @field_validator("cidr")
    @classmethod
    def _valid_cidr(cls, value: str) -> str:
        net = ipaddress.IPv4Network(cidr(value))
        if net.prefixlen > 24:
            raise ValueError(f"{value} is too small for a cluster network: use a /24 or larger (e.g. 10.0.0.0/16)")
        if not net.is_private:
            raise ValueError(f"{value} is not a private range: use RFC 1918 space such as 10.0.0.0/16")
        return str(net)
