"""The neutral ``network.dns:`` section: a private zone bound to the network and an optional public one.

::

    network:
      dns: {private_zone: corp.internal, public_zone: null}

Each kit builds the zones in ``<env>-network`` (Route 53 hosted zones, Cloud DNS managed zones,
Azure Private DNS / DNS zones) and ExternalDNS in ``<env>-addons`` writes the records of Services
and Ingresses into them.
"""

from __future__ import annotations

import re

from pydantic import field_validator, model_validator

from platform_constructs.spec.common import Model, shown
from platform_constructs.spec.ranges import public_suffix_problem

#: One label of a zone name: lowercase letters, digits and '-', not at either end, 1-63 characters.
_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
#: The longest zone name DNS allows (without the root dot).
ZONE_NAME_MAX = 253
#: Names multicast DNS owns: a zone there is never asked (RFC 6762).
_MDNS = "local"


def zone_name_problem(value: object) -> str | None:
    """Why ``value`` is not a zone name like ``corp.internal``, else None."""
    example = "give a zone name like corp.internal or apps.example.com (lowercase, no trailing dot)"
    if not isinstance(value, str) or not value:
        return f"{shown(value)} is not a zone name: {example}"
    if value.endswith("."):
        return f"{shown(value)} ends with a dot: drop it ({example}); each cloud adds the root itself"
    labels = value.split(".")
    if len(labels) < 2:
        return f"{shown(value)} is a single label: a zone needs a parent, {example}"
    if len(value) > ZONE_NAME_MAX:
        return f"{shown(value)} is {len(value)} characters, DNS allows {ZONE_NAME_MAX}: use a shorter zone name"
    bad = [label for label in labels if not _LABEL.fullmatch(label)]
    if bad:
        return (f"{shown(value)} has the label {shown(bad[0])}: each label is 1-63 lowercase letters, digits and "
                f"'-', not starting or ending with '-' ({example})")
    if labels[-1] == _MDNS:
        return f"{shown(value)} is under .local, which multicast DNS owns (RFC 6762): use e.g. corp.internal"
    return None


class DnsSpec(Model):
    """``network.dns``.

    :param private_zone: the private zone's name (``corp.internal``), answered only inside the
        network (and over the VPN where the peer forwards to it).
    :param public_zone: a public zone's name (``apps.example.com``) the platform hosts as well;
        its name servers must then be delegated from the parent zone. Default: none.
    :param query_logging: log every DNS query made from the network (AWS: Route 53 Resolver query
        logging on the VPC; GCP: a DNS server policy with logging; Azure has no per-network DNS
        query log and ignores it). Switch it off only where the logging service is missing. Default:
        true.
    """

    private_zone: str
    public_zone: str | None = None
    query_logging: bool = True

    @field_validator("private_zone", "public_zone")
    @classmethod
    def _zone_name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        problem = zone_name_problem(value) or public_suffix_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _distinct(self) -> "DnsSpec":
        if self.public_zone is not None and self.public_zone == self.private_zone:
            raise ValueError(f"public_zone {self.public_zone} is also the private zone: give the public zone "
                             "another name (split-horizon zones of one name are not supported)")
        return self

    @property
    def zones(self) -> tuple[str, ...]:
        """Every zone name, private first."""
        return (self.private_zone,) + ((self.public_zone,) if self.public_zone else ())
