"""A network security group on subnets: no inbound from the internet, stated explicitly."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_azurerm.network_security_group import NetworkSecurityGroup
from cdktf_cdktf_provider_azurerm.network_security_rule import NetworkSecurityRule
from cdktf_cdktf_provider_azurerm.subnet_network_security_group_association import (
    SubnetNetworkSecurityGroupAssociation,
)


class SubnetSecurityGroup(Construct):
    """NSG associated with ``subnet_ids``.

    Azure's default rules already allow VNet and Azure Load Balancer probes inbound and deny
    the rest; the explicit ``deny-internet-inbound`` rule (lowest custom priority, 4096) makes
    "no inbound from the internet" visible in review and survives anyone adding rules above it.

    :param allow_gateway_manager: let the GatewayManager service tag reach TCP 65200-65535,
        which Application Gateway v2 needs in its subnet (not internet traffic). Default: false.
    :param allow_internet_https: let the internet reach TCP 443 (HTTPS listeners of an
        internet-facing Application Gateway; the WAF inspects every request). Port 80 stays
        closed: plain HTTP is not served to the internet. Default: false.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, resource_group_name: str,
                 subnet_ids: list[str], tags: dict[str, str], allow_gateway_manager: bool = False,
                 allow_internet_https: bool = False):
        super().__init__(scope, id)
        self.nsg = NetworkSecurityGroup(
            self, "nsg", name=f"{name}-nsg", location=location, resource_group_name=resource_group_name, tags=tags,
        )
        rule = {"resource_group_name": resource_group_name, "network_security_group_name": self.nsg.name}
        self.rules = [NetworkSecurityRule(
            self, "deny-internet-inbound", name="deny-internet-inbound", priority=4096, direction="Inbound",
            access="Deny", protocol="*", source_address_prefix="Internet", source_port_range="*",
            destination_address_prefix="*", destination_port_range="*",
            description="No inbound traffic from the internet", **rule,
        )]
        if allow_gateway_manager:
            self.rules.append(NetworkSecurityRule(
                self, "allow-gateway-manager", name="allow-gateway-manager", priority=100, direction="Inbound",
                access="Allow", protocol="Tcp", source_address_prefix="GatewayManager", source_port_range="*",
                destination_address_prefix="*", destination_port_range="65200-65535",
                description="Application Gateway v2 infrastructure (Azure GatewayManager service tag)", **rule,
            ))
        if allow_internet_https:
            self.rules.append(NetworkSecurityRule(
                self, "allow-internet-https", name="allow-internet-https", priority=110, direction="Inbound",
                access="Allow", protocol="Tcp", source_address_prefix="Internet", source_port_range="*",
                destination_address_prefix="*", destination_port_range="443",
                description="HTTPS to the Application Gateway's listeners (WAF in Prevention mode)", **rule,
            ))
        self.associations = [
            SubnetNetworkSecurityGroupAssociation(self, f"subnet-{i}", subnet_id=subnet_id,
                                                  network_security_group_id=self.nsg.id)
            for i, subnet_id in enumerate(subnet_ids)
        ]
