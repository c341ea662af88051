"""The Azure network layer: resource group, VNet, role subnets, NAT gateway and NSGs."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from constructs import Construct
from cdktf_cdktf_provider_azurerm.resource_group import ResourceGroup
from cdktf_cdktf_provider_azurerm.subnet import Subnet, SubnetDelegation, SubnetDelegationServiceDelegation
from cdktf_cdktf_provider_azurerm.virtual_network import VirtualNetwork

from platform_constructs.azure.nat import NatGatewayEgress
from platform_constructs.azure.nsg import SubnetSecurityGroup
from platform_constructs.azure.vpn import AzureVpn
from platform_constructs.azure.private_dns import AzurePrivateDns
from platform_constructs.azure.provider import platform_tags
from platform_constructs.azure.contracts import AzureNetworkContract
from platform_constructs.outputs import named_output
from platform_constructs.spec import EnvironmentSpec

#: Delegation AKS API Server VNet Integration needs on its subnet.
AKS_DELEGATION = "Microsoft.ContainerService/managedClusters"


@dataclass(frozen=True)
class AzureSubnetLayout:
    """Regional subnets carved from ``network.cidr`` (a /16 gives the sizes in brackets).

    - ``user`` [/17]: the first half, user node pools (pods use the overlay range, not the VNet).
    - ``system`` [/18]: the third quarter, the system node pool.
    - the last quarter in four: ``load_balancer`` [/20] (internal load balancers of Services),
      ``private_endpoint`` [/20], ``api_server`` [/20] (API Server VNet Integration, needs at
      least a /28: a /24 network gives exactly that) and ``app_gateway`` [/20] (the Application
      Gateway, which allows nothing else in its subnet; Microsoft recommends a /24 for v2 so
      it can autoscale to 125 instances: a /16 network gives a /20, a /24 network only a /28,
      room for 10 instances and the private frontend address).
    """

    user: str
    system: str
    load_balancer: str
    private_endpoint: str
    api_server: str
    app_gateway: str


def carve_azure_subnets(cidr: str) -> AzureSubnetLayout:
    net = ipaddress.IPv4Network(cidr)
    halves = list(net.subnets(prefixlen_diff=1))
    quarters = list(halves[1].subnets(prefixlen_diff=1))
    last = list(quarters[1].subnets(prefixlen_diff=2))
    return AzureSubnetLayout(
        user=str(halves[0]), system=str(quarters[0]),
        load_balancer=str(last[0]), private_endpoint=str(last[1]), api_server=str(last[2]),
        app_gateway=str(last[3]),
    )


class AzureNetwork(Construct):
    """Resource group, VNet and six regional subnets, NAT egress, NSGs on every subnet.

    - Subnets are regional in Azure: one subnet spans zones 1-3, so each zone of the contract
      maps to the same subnet id.
    - No subnet has default outbound access; node subnets leave through the NAT gateway's
      static public IP.
    - NSGs deny inbound from the internet on every subnet (see :mod:`.nsg`), with one exception:
      with ``addons.load_balancer_controller`` (default on) the Application Gateway subnet admits
      HTTPS (TCP 443) from the internet, and Azure's GatewayManager on 65200-65535 (required by v2).
    - The Application Gateway subnet has no NAT gateway: Application Gateway v2 does not support
      one and leaves through its own public IP.
    - The API server subnet is delegated to AKS; private endpoints obey NSGs.
    - With ``network.vpn``: a VPN gateway in a ``GatewaySubnet`` on a second address space of the VNet
      (:class:`platform_constructs.azure.vpn.AzureVpn`).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec):
        super().__init__(scope, id)
        assert spec.azure is not None
        name, location = spec.name, spec.region
        tags = platform_tags(spec, "network")
        layout = carve_azure_subnets(spec.network.cidr)

        self.resource_group = ResourceGroup(
            self, "resource-group", name=spec.azure.resource_group(name), location=location, tags=tags,
        )
        rg = self.resource_group.name
        self.vnet = VirtualNetwork(
            self, "vnet", name=f"{name}-vnet", location=location, resource_group_name=rg,
            # With a VPN, the GatewaySubnet's range is a second address space (network.cidr is full).
            address_space=[spec.network.cidr, *([spec.network.vpn.gateway_subnet_cidr] if spec.network.vpn else [])],
            tags=tags,
        )

        def subnet(role: str, cidr: str, **kwargs) -> Subnet:
            return Subnet(
                self, f"subnet-{role}", name=f"{name}-{role}", resource_group_name=rg,
                virtual_network_name=self.vnet.name, address_prefixes=[cidr],
                default_outbound_access_enabled=False, **kwargs,
            )

        self.user_subnet = subnet("user-nodes", layout.user)
        self.system_subnet = subnet("system-nodes", layout.system)
        self.load_balancer_subnet = subnet("load-balancers", layout.load_balancer)
        self.private_endpoint_subnet = subnet(
            "private-endpoints", layout.private_endpoint, private_endpoint_network_policies="Enabled",
        )
        self.api_server_subnet = subnet(
            "api-server", layout.api_server,
            delegation=[SubnetDelegation(
                name="aks-api-server",
                service_delegation=SubnetDelegationServiceDelegation(
                    name=AKS_DELEGATION, actions=["Microsoft.Network/virtualNetworks/subnets/join/action"],
                ),
            )],
        )

        self.app_gateway_subnet = subnet("app-gateway", layout.app_gateway)

        node_subnets = [self.system_subnet.id, self.user_subnet.id]
        self.nat = NatGatewayEgress(
            self, "nat", name=name, location=location, resource_group_name=rg, subnet_ids=node_subnets, tags=tags,
        )

        common = {"location": location, "resource_group_name": rg, "tags": tags}
        self.node_nsg = SubnetSecurityGroup(self, "nsg-nodes", name=f"{name}-nodes", subnet_ids=node_subnets, **common)
        SubnetSecurityGroup(self, "nsg-load-balancers", name=f"{name}-load-balancers",
                            subnet_ids=[self.load_balancer_subnet.id], **common)
        ingress = spec.addons.load_balancer_controller
        self.app_gateway_nsg = SubnetSecurityGroup(
            self, "nsg-app-gateway", name=f"{name}-app-gateway", subnet_ids=[self.app_gateway_subnet.id],
            allow_gateway_manager=True, allow_internet_https=ingress, **common,
        )
        SubnetSecurityGroup(self, "nsg-private-endpoints", name=f"{name}-private-endpoints",
                            subnet_ids=[self.private_endpoint_subnet.id], **common)
        SubnetSecurityGroup(self, "nsg-api-server", name=f"{name}-api-server",
                            subnet_ids=[self.api_server_subnet.id], **common)
        self.vpn: AzureVpn | None = None
        if spec.network.vpn is not None:
            self.vpn = AzureVpn(self, "vpn", name=name, vpn=spec.network.vpn, location=location, resource_group_name=rg,
                                virtual_network_name=self.vnet.name, tags=tags)

        dns = spec.network.dns
        self.private_dns = AzurePrivateDns(
            self, "private-dns", name=name, resource_group_name=rg, virtual_network_id=self.vnet.id,
            private_zone=dns.private_zone, public_zone=dns.public_zone, tags=tags,
        ) if dns else None

        self.contract = AzureNetworkContract(
            private_zone_id=self.private_dns.private_zone_id if self.private_dns else None,
            public_zone_id=self.private_dns.public_zone_id if self.private_dns else None,
            network_id=self.vnet.id,
            # Regional subnets: every zone maps to the same user-node subnet.
            private_subnet_ids_by_zone={zone: self.user_subnet.id for zone in spec.zones},
            # Load balancer frontends of Services live in the load-balancer subnet (it holds no public
            # IPs itself); the internet-facing Application Gateway has a subnet of its own
            # (app_gateway_subnet_id).
            public_subnet_ids_by_zone={zone: self.load_balancer_subnet.id for zone in spec.zones},
            resource_group_name=rg,
            location=location,
            system_subnet_id=self.system_subnet.id,
            user_subnet_id=self.user_subnet.id,
            api_server_subnet_id=self.api_server_subnet.id,
            private_endpoint_subnet_id=self.private_endpoint_subnet.id,
            load_balancer_subnet_id=self.load_balancer_subnet.id,
            app_gateway_subnet_id=self.app_gateway_subnet.id,
            app_gateway_subnet_cidr=layout.app_gateway,
            private_endpoint_subnet_cidr=layout.private_endpoint,
            node_security_group_id=self.node_nsg.nsg.id,
        )
        named_output(self, "vnet_id", self.vnet.id, "VNet id")
        named_output(self, "resource_group_name", rg, "Resource group of the environment")
        named_output(self, "private_subnet_ids", self.contract.private_subnet_ids,
                     "User-node subnet id once per zone (Azure subnets are regional)")
        named_output(self, "public_subnet_ids", self.contract.public_subnet_ids,
                     "Load-balancer / application-gateway subnet id once per zone")
        named_output(self, "private_subnet_ids_by_zone", self.contract.private_subnet_ids_by_zone,
                     "Zone -> user-node subnet id (the same regional subnet)")
        named_output(self, "public_subnet_ids_by_zone", self.contract.public_subnet_ids_by_zone,
                     "Zone -> load-balancer subnet id (the same regional subnet)")
        for key in ("system_subnet_id", "user_subnet_id", "api_server_subnet_id", "private_endpoint_subnet_id",
                    "load_balancer_subnet_id", "app_gateway_subnet_id", "node_security_group_id"):
            named_output(self, key, getattr(self.contract, key), key.replace("_", " ").capitalize())
        named_output(self, "nat_public_ip", self.nat.public_ip.ip_address, "Static egress IP of the node subnets")
