"""The AWS network layer: a VPC with public and private subnets in every zone."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_aws.default_security_group import DefaultSecurityGroup
from cdktf_cdktf_provider_aws.eip import Eip
from cdktf_cdktf_provider_aws.internet_gateway import InternetGateway
from cdktf_cdktf_provider_aws.nat_gateway import NatGateway
from cdktf_cdktf_provider_aws.route import Route
from cdktf_cdktf_provider_aws.route_table import RouteTable
from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from cdktf_cdktf_provider_aws.vpc_endpoint import VpcEndpoint

from platform_constructs.aws.flow_logs import VpcFlowLogs
from platform_constructs.aws.kms_key import EncryptionKey
from platform_constructs.aws.vpn import AwsVpn
from platform_constructs.aws.private_dns import AwsPrivateDns
from platform_constructs.contracts import NetworkContract
from platform_constructs.outputs import named_output
from platform_constructs.spec import EnvironmentSpec

ANYWHERE = "0.0.0.0/0"


class AwsNetwork(Construct):
    """VPC, subnets, internet and NAT gateways, routes, flow logs, S3 endpoint.

    - DNS support and hostnames on; the default security group keeps no rules.
    - One public and one private subnet per zone (explicit or carved from the CIDR),
      tagged for the AWS Load Balancer Controller and the cluster.
    - NAT: one per zone (``nat: per_zone``, default) or one in the first zone (``single``);
      each private subnet gets its own route table either way.
    - Public subnets do not assign public IPs on launch; nodes live in private subnets.
    - With ``network.vpn``: a site-to-site VPN whose routes reach every private route table
      (:class:`platform_constructs.aws.vpn.AwsVpn`).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec):
        super().__init__(scope, id)
        name = spec.name
        cluster_tag = {f"kubernetes.io/cluster/{spec.cluster.name}": "shared"}
        layout = spec.subnet_layout()

        self.vpc = Vpc(
            self,
            "vpc",
            cidr_block=spec.network.cidr,
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags={"Name": name},
        )
        DefaultSecurityGroup(self, "default-sg", vpc_id=self.vpc.id, tags={"Name": f"{name}-default-unused"})

        self.key = EncryptionKey(
            self, "logs-key", alias=f"{name}-network-logs", description=f"{name}: VPC flow logs", region=spec.region,
        )
        self.flow_logs = VpcFlowLogs(
            self, "flow-logs", name=name, vpc_id=self.vpc.id, kms_key_arn=self.key.arn,
            retention_days=spec.network.flow_log_retention_days,
        )

        igw = InternetGateway(self, "igw", vpc_id=self.vpc.id, tags={"Name": name})
        public_rt = RouteTable(self, "public-rt", vpc_id=self.vpc.id, tags={"Name": f"{name}-public"})
        Route(self, "public-default", route_table_id=public_rt.id, destination_cidr_block=ANYWHERE, gateway_id=igw.id)

        self.public_subnets: dict[str, Subnet] = {}
        self.private_subnets: dict[str, Subnet] = {}
        private_tables: list[RouteTable] = []
        nat_by_zone: dict[str, NatGateway] = {}
        for i, zone in enumerate(spec.zones):
            public = Subnet(
                self,
                f"public-{zone}",
                vpc_id=self.vpc.id,
                availability_zone=zone,
                cidr_block=layout.public[i],
                map_public_ip_on_launch=False,
                tags={"Name": f"{name}-public-{zone}", "kubernetes.io/role/elb": "1", **cluster_tag},
            )
            RouteTableAssociation(self, f"public-rta-{zone}", subnet_id=public.id, route_table_id=public_rt.id)
            self.public_subnets[zone] = public

            if spec.network.nat == "per_zone" or i == 0:
                eip = Eip(self, f"nat-eip-{zone}", domain="vpc", tags={"Name": f"{name}-nat-{zone}"})
                nat_by_zone[zone] = NatGateway(
                    self, f"nat-{zone}", allocation_id=eip.allocation_id, subnet_id=public.id,
                    tags={"Name": f"{name}-{zone}"}, depends_on=[igw],
                )

            private = Subnet(
                self,
                f"private-{zone}",
                vpc_id=self.vpc.id,
                availability_zone=zone,
                cidr_block=layout.private[i],
                map_public_ip_on_launch=False,
                tags={"Name": f"{name}-private-{zone}", "kubernetes.io/role/internal-elb": "1", **cluster_tag},
            )
            rt = RouteTable(self, f"private-rt-{zone}", vpc_id=self.vpc.id, tags={"Name": f"{name}-private-{zone}"})
            nat = nat_by_zone.get(zone) or nat_by_zone[spec.zones[0]]
            Route(self, f"private-default-{zone}", route_table_id=rt.id, destination_cidr_block=ANYWHERE, nat_gateway_id=nat.id)
            RouteTableAssociation(self, f"private-rta-{zone}", subnet_id=private.id, route_table_id=rt.id)
            self.private_subnets[zone] = private
            private_tables.append(rt)

        self.nat_gateways = list(nat_by_zone.values())
        VpcEndpoint(
            self,
            "s3-endpoint",
            vpc_id=self.vpc.id,
            service_name=f"com.amazonaws.{spec.region}.s3",
            vpc_endpoint_type="Gateway",
            route_table_ids=[public_rt.id, *(rt.id for rt in private_tables)],
            tags={"Name": f"{name}-s3"},
        )
        self.vpn: AwsVpn | None = None
        if spec.network.vpn is not None:
            self.vpn = AwsVpn(
                self, "vpn", name=name, vpn=spec.network.vpn, vpc_id=self.vpc.id,
                route_table_ids=[rt.id for rt in private_tables], kms_key_arn=self.key.arn,
                log_retention_days=spec.network.flow_log_retention_days,
            )

        dns = spec.network.dns
        self.private_dns = AwsPrivateDns(
            self, "private-dns", name=name, vpc_id=self.vpc.id, private_zone=dns.private_zone,
            public_zone=dns.public_zone, kms_key_arn=self.key.arn,
            retention_days=max(spec.network.flow_log_retention_days, 365), query_logging=dns.query_logging,
        ) if dns else None

        self.contract = NetworkContract(
            network_id=self.vpc.id,
            private_subnet_ids_by_zone={z: s.id for z, s in self.private_subnets.items()},
            public_subnet_ids_by_zone={z: s.id for z, s in self.public_subnets.items()},
            private_zone_id=self.private_dns.private_zone_id if self.private_dns else None,
            public_zone_id=self.private_dns.public_zone_id if self.private_dns else None,
        )
        named_output(self, "vpc_id", self.vpc.id, "VPC id")
        named_output(self, "private_subnet_ids", self.contract.private_subnet_ids,
                     "Private subnet ids, in zone order")
        named_output(self, "public_subnet_ids", self.contract.public_subnet_ids,
                     "Public subnet ids, in zone order")
        named_output(self, "private_subnet_ids_by_zone", self.contract.private_subnet_ids_by_zone,
                     "Zone -> private subnet id")
        named_output(self, "public_subnet_ids_by_zone", self.contract.public_subnet_ids_by_zone,
                     "Zone -> public subnet id")
