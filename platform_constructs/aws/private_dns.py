"""Private DNS on AWS: a Route 53 private hosted zone on the VPC, its query log, an optional public zone."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.route53_resolver_query_log_config import Route53ResolverQueryLogConfig
from cdktf_cdktf_provider_aws.route53_resolver_query_log_config_association import (
    Route53ResolverQueryLogConfigAssociation,
)
from cdktf_cdktf_provider_aws.route53_zone import Route53Zone, Route53ZoneVpc

from platform_constructs.outputs import named_output
from platform_constructs.spec.dns import zone_name_problem

#: Days the VPC's DNS query log is kept when the caller gives none (CloudWatch accepts this value).
QUERY_LOG_RETENTION_DAYS = 365


class AwsPrivateDns(Construct):
    """A Route 53 private hosted zone associated with the VPC, and optionally a public hosted zone.

    - The private zone answers only inside the VPC (Route 53 Resolver at the VPC's ``.2`` address;
      the VPC has DNS support and hostnames on). A peer network reached over the VPN resolves it
      through a Resolver inbound endpoint it forwards to (not built here).
    - Query logging: Route 53 query logs (``aws_route53_query_log``) exist only for *public*
      zones; queries to a private zone are logged by Route 53 Resolver query logging on the VPC.
      ``query_logging`` (default on) sends every DNS query made from the VPC to a CloudWatch log
      group encrypted with ``kms_key_arn`` and kept ``retention_days``.
    - The public zone (``public_zone``) only hosts the records; its name servers (output
      ``public_zone_name_servers``) must be delegated from the parent zone by whoever owns it.
    - ``force_destroy`` false: Terraform refuses to delete a zone still holding records other than
      its own SOA/NS (ExternalDNS's records stay until ExternalDNS or a person removes them).

    :param name: the environment's name (log group and query log config names).
    :param vpc_id: the VPC the private zone is associated with.
    :param private_zone: the private zone's name (``corp.internal``).
    :param public_zone: a public zone's name. Default: none.
    :param kms_key_arn: the key of the query log group (must allow CloudWatch Logs); required with
        ``query_logging``.
    :param retention_days: days the query log is kept. Default: :data:`QUERY_LOG_RETENTION_DAYS`.
    :param query_logging: log the VPC's DNS queries. Default: True.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, vpc_id: str, private_zone: str,
                 public_zone: str | None = None, kms_key_arn: str | None = None,
                 retention_days: int = QUERY_LOG_RETENTION_DAYS, query_logging: bool = True):
        problems = [p for p in (zone_name_problem(private_zone),
                                zone_name_problem(public_zone) if public_zone is not None else None) if p]
        if public_zone is not None and public_zone == private_zone:
            problems.append(f"public zone {public_zone} is also the private zone: give it another name")
        if query_logging and not kms_key_arn:
            problems.append("query_logging needs kms_key_arn (a key CloudWatch Logs may use): pass the network's "
                            "log key, or query_logging=False")
        if problems:
            raise ValueError("AWS private DNS: " + "; ".join(problems))
        super().__init__(scope, id)
        self.private_zone = Route53Zone(
            self, "private-zone", name=private_zone, comment=f"{name}: private zone of the VPC",
            vpc=[Route53ZoneVpc(vpc_id=vpc_id)], force_destroy=False,
        )
        self.public_zone = Route53Zone(
            self, "public-zone", name=public_zone, comment=f"{name}: public zone", force_destroy=False,
        ) if public_zone else None

        self.query_log_group: CloudwatchLogGroup | None = None
        if query_logging:
            self.query_log_group = CloudwatchLogGroup(
                self, "query-log", name=f"/aws/route53resolver/{name}/queries",
                retention_in_days=retention_days, kms_key_id=kms_key_arn,
            )
            self.query_log_config = Route53ResolverQueryLogConfig(
                self, "query-log-config", name=f"{name}-dns-queries", destination_arn=self.query_log_group.arn,
            )
            Route53ResolverQueryLogConfigAssociation(
                self, "query-log-vpc", resolver_query_log_config_id=self.query_log_config.id, resource_id=vpc_id,
            )

        named_output(self, "private_zone_id", self.private_zone.zone_id, "Route 53 private hosted zone id")
        if self.public_zone is not None:
            named_output(self, "public_zone_id", self.public_zone.zone_id, "Route 53 public hosted zone id")
            named_output(self, "public_zone_name_servers", self.public_zone.name_servers,
                         "Name servers to delegate the public zone to (set them in the parent zone)")

    @property
    def private_zone_id(self) -> str:
        return self.private_zone.zone_id

    @property
    def public_zone_id(self) -> str | None:
        return self.public_zone.zone_id if self.public_zone is not None else None
