"""Egress for private subnets: a NAT gateway with one static public IP."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_azurerm.nat_gateway import NatGateway
from cdktf_cdktf_provider_azurerm.nat_gateway_public_ip_association import NatGatewayPublicIpAssociation
from cdktf_cdktf_provider_azurerm.public_ip import PublicIp
from cdktf_cdktf_provider_azurerm.subnet_nat_gateway_association import SubnetNatGatewayAssociation


class NatGatewayEgress(Construct):
    """Standard NAT gateway, a static Standard public IP, and the subnet associations.

    Azure subnets are regional and take one NAT gateway each, so there is one gateway for
    all zones (``network.nat: single``). Neither the gateway nor the IP is pinned to a zone.
    AKS uses it as its outbound path (``outbound_type: userAssignedNATGateway``).

    :param idle_timeout_minutes: TCP idle timeout. Default: 4 (the Azure default).
    """

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, resource_group_name: str,
                 subnet_ids: list[str], tags: dict[str, str], idle_timeout_minutes: int = 4):
        super().__init__(scope, id)
        self.public_ip = PublicIp(
            self, "public-ip", name=f"{name}-nat", location=location, resource_group_name=resource_group_name,
            allocation_method="Static", sku="Standard", tags=tags,
        )
        self.gateway = NatGateway(
            self, "gateway", name=f"{name}-nat", location=location, resource_group_name=resource_group_name,
            sku_name="Standard", idle_timeout_in_minutes=idle_timeout_minutes, tags=tags,
        )
        NatGatewayPublicIpAssociation(self, "public-ip-association", nat_gateway_id=self.gateway.id,
                                      public_ip_address_id=self.public_ip.id)
        self.associations = [
            SubnetNatGatewayAssociation(self, f"subnet-{i}", subnet_id=subnet_id, nat_gateway_id=self.gateway.id)
            for i, subnet_id in enumerate(subnet_ids)
        ]
