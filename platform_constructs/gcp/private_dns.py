"""Private DNS on GCP: a Cloud DNS private zone bound to the VPC, query logging, an optional public zone."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_google.dns_managed_zone import (
    DnsManagedZone,
    DnsManagedZoneCloudLoggingConfig,
    DnsManagedZoneDnssecConfig,
    DnsManagedZoneDnssecConfigDefaultKeySpecs,
    DnsManagedZonePrivateVisibilityConfig,
    DnsManagedZonePrivateVisibilityConfigNetworks,
)
from cdktf_cdktf_provider_google.dns_policy import DnsPolicy, DnsPolicyNetworks

from platform_constructs.gcp.names import managed_zone_name, managed_zone_name_problem
from platform_constructs.outputs import named_output
from platform_constructs.spec.dns import zone_name_problem

#: DNSSEC signing keys of the public zone: ECDSA P-256 (Cloud DNS's recommended algorithm), a
#: key-signing and a zone-signing key. RSASHA1 is never used.
DNSSEC_ALGORITHM = "ecdsap256sha256"


class GcpPrivateDns(Construct):
    """A private managed zone visible only to the VPC, and optionally a public zone with DNSSEC on.

    - Private zone: ``visibility = "private"`` bound to ``network`` (``private_visibility_config``).
    - Query logging: Cloud DNS logs a private zone's queries through a DNS server policy on the
      network (``google_dns_policy``, ``enable_logging``); a network takes one policy, so this is
      the network's only one (``query_logging``, default on). The public zone logs its queries
      itself (``cloud_logging_config``).
    - Public zone: DNSSEC on (ECDSA P-256 key- and zone-signing keys, NSEC3); publish the DS
      record at the parent once the zone is signed, and delegate to the output name servers.
    - ``force_destroy`` false: a zone holding records is not deleted by Terraform.

    :param name: the environment's name (the managed zones' names start with it).
    :param network: the VPC's id (``projects/<p>/global/networks/<name>``).
    :param private_zone: the private zone's DNS name (``corp.internal``).
    :param public_zone: a public zone's DNS name. Default: none.
    :param query_logging: the DNS server policy logging the network's queries. Default: True.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, network: str, private_zone: str,
                 public_zone: str | None = None, query_logging: bool = True):
        problems = [p for p in (zone_name_problem(private_zone),
                                zone_name_problem(public_zone) if public_zone is not None else None) if p]
        if public_zone is not None and public_zone == private_zone:
            problems.append(f"public zone {public_zone} is also the private zone: give it another name")
        elif not problems:
            made = [managed_zone_name(name, z) for z in (private_zone, public_zone) if z is not None]
            problems += [f"managed zone name {m!r} {managed_zone_name_problem(m)}" for m in made
                         if managed_zone_name_problem(m)]
            if len(set(made)) != len(made):
                problems.append(f"zones {private_zone} and {public_zone} make the same managed zone name {made[0]!r}: "
                                "rename one of them")
        if problems:
            raise ValueError("GCP private DNS: " + "; ".join(problems))
        super().__init__(scope, id)
        self.private_zone = DnsManagedZone(
            self, "private-zone", name=managed_zone_name(name, private_zone), dns_name=f"{private_zone}.",
            description=f"{name}: private zone of the VPC", visibility="private",
            private_visibility_config=DnsManagedZonePrivateVisibilityConfig(
                networks=[DnsManagedZonePrivateVisibilityConfigNetworks(network_url=network)],
            ),
            force_destroy=False,
        )
        self.public_zone = DnsManagedZone(
            self, "public-zone", name=managed_zone_name(name, public_zone), dns_name=f"{public_zone}.",
            description=f"{name}: public zone", visibility="public",
            dnssec_config=DnsManagedZoneDnssecConfig(
                state="on", non_existence="nsec3",
                default_key_specs=[
                    DnsManagedZoneDnssecConfigDefaultKeySpecs(algorithm=DNSSEC_ALGORITHM, key_length=256,
                                                              key_type="keySigning"),
                    DnsManagedZoneDnssecConfigDefaultKeySpecs(algorithm=DNSSEC_ALGORITHM, key_length=256,
                                                              key_type="zoneSigning"),
                ],
            ),
            cloud_logging_config=DnsManagedZoneCloudLoggingConfig(enable_logging=True),
            force_destroy=False,
        ) if public_zone else None
        self.policy = DnsPolicy(
            self, "query-logging", name=f"{name}-dns-logging"[:63],
            description=f"{name}: log the VPC's DNS queries", enable_logging=True,
            networks=[DnsPolicyNetworks(network_url=network)],
        ) if query_logging else None

        named_output(self, "private_zone_name", self.private_zone.name, "Cloud DNS private managed zone")
        if self.public_zone is not None:
            named_output(self, "public_zone_name", self.public_zone.name, "Cloud DNS public managed zone")
            named_output(self, "public_zone_name_servers", self.public_zone.name_servers,
                         "Name servers to delegate the public zone to (set them in the parent zone)")

    @property
    def private_zone_id(self) -> str:
        """The managed zone's name (what ``google_dns_managed_zone_iam_member.managed_zone`` takes)."""
        return self.private_zone.name

    @property
    def public_zone_id(self) -> str | None:
        return self.public_zone.name if self.public_zone is not None else None
