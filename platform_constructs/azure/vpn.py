"""Site-to-site VPN on Azure: a zone-redundant route-based VPN gateway in a ``GatewaySubnet``, the peer
as a local network gateway, and an IPsec connection with a hardened policy."""

from __future__ import annotations

from collections.abc import Mapping

from constructs import Construct
from cdktf_cdktf_provider_azurerm.data_azurerm_key_vault_secret import DataAzurermKeyVaultSecret
from cdktf_cdktf_provider_azurerm.local_network_gateway import LocalNetworkGateway, LocalNetworkGatewayBgpSettings
from cdktf_cdktf_provider_azurerm.public_ip import PublicIp
from cdktf_cdktf_provider_azurerm.subnet import Subnet
from cdktf_cdktf_provider_azurerm.virtual_network_gateway import (
    VirtualNetworkGateway,
    VirtualNetworkGatewayBgpSettings,
    VirtualNetworkGatewayBgpSettingsPeeringAddresses,
    VirtualNetworkGatewayIpConfiguration,
)
from cdktf_cdktf_provider_azurerm.virtual_network_gateway_connection import (
    VirtualNetworkGatewayConnection,
    VirtualNetworkGatewayConnectionIpsecPolicy,
)

from platform_constructs.outputs import named_output
from platform_constructs.spec.vpn import CLOUD_SIDE_ASN, AzureVpnSpec

#: The subnet name Azure requires for a virtual network gateway.
GATEWAY_SUBNET = "GatewaySubnet"
#: The gateway's ip_configuration (one: active-standby; the AZ SKU spreads the instances over zones).
IP_CONFIGURATION = "vnetGatewayConfig"
#: The VPN gateway's ASN (Azure's default for VPN gateways).
GATEWAY_ASN = CLOUD_SIDE_ASN["azure"]
#: BGP over APIPA (Azure allows 169.254.21.0-169.254.22.255): the gateway's address and the peer's;
#: the peer device configures the mirror image (output ``vpn_bgp``).
GATEWAY_BGP_ADDRESS = "169.254.21.2"
PEER_BGP_ADDRESS = "169.254.21.1"
#: The generation each zone-redundant SKU runs on (VpnGw1AZ is Generation1 only; the rest Generation2).
GENERATION = {"VpnGw1AZ": "Generation1"}

#: IKEv2 with AES-256 and SHA-384 on DH group 14 (MODP 2048) for phase 1; AES-256-GCM with PFS on
#: group 14 for phase 2; an hour per child SA (Azure's own default is 27000 s).
IPSEC_POLICY = {
    "ike_encryption": "AES256",
    "ike_integrity": "SHA384",
    "dh_group": "DHGroup14",
    "ipsec_encryption": "GCMAES256",
    "ipsec_integrity": "GCMAES256",
    "pfs_group": "PFS2048",
    "sa_lifetime": 3600,
    "sa_datasize": 102400000,
}


class AzureVpn(Construct):
    """A route-based VPN gateway with a zone-redundant SKU, the peer, and one IPsec connection.

    - ``GatewaySubnet``: ``vpn.gateway_subnet_cidr``, an address space of the VNet of its own (the
      caller adds it to the VNet). No NSG and no NAT gateway: Azure supports neither on it.
    - A Standard, static public IP in zones 1-3 (zone-redundant) for the gateway.
    - The gateway: ``Vpn``, ``RouteBased``, ``vpn.gateway_sku`` (an ``AZ`` SKU, default VpnGw1AZ),
      active-standby; BGP (ASN :data:`GATEWAY_ASN`, APIPA :data:`GATEWAY_BGP_ADDRESS`) when
      ``vpn.bgp_asn`` is given.
    - The local network gateway: ``vpn.peer_ip`` and ``vpn.peer_cidrs``, and the peer's BGP speaker
      (``vpn.bgp_asn`` on :data:`PEER_BGP_ADDRESS`) when given.
    - The connection: IPsec, IKEv2 only, :data:`IPSEC_POLICY`, route-based traffic selectors.
    - The shared key: the Key Vault secret ``vpn.shared_secret_name`` in ``vpn.key_vault_id``, read by a
      data source at plan time: never in the file, but in the Terraform state (the data source's
      ``value`` and the connection's ``shared_key``, both marked sensitive). The deploying identity
      needs "Key Vault Secrets User" on that vault and network access to it.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, vpn: AzureVpnSpec, location: str,
                 resource_group_name: str, virtual_network_name: str, tags: Mapping[str, str]):
        super().__init__(scope, id)
        common = {"location": location, "resource_group_name": resource_group_name, "tags": dict(tags)}
        bgp = vpn.bgp_asn is not None
        self.subnet = Subnet(
            self, "gateway-subnet", name=GATEWAY_SUBNET, resource_group_name=resource_group_name,
            virtual_network_name=virtual_network_name, address_prefixes=[vpn.gateway_subnet_cidr],
        )
        self.public_ip = PublicIp(
            self, "public-ip", name=f"{name}-vpn", allocation_method="Static", sku="Standard",
            zones=["1", "2", "3"], **common,
        )
        self.gateway = VirtualNetworkGateway(
            self, "gateway", name=f"{name}-vpn", type="Vpn", vpn_type="RouteBased", sku=vpn.gateway_sku,
            generation=GENERATION.get(vpn.gateway_sku, "Generation2"), active_active=False, enable_bgp=bgp,
            ip_configuration=[VirtualNetworkGatewayIpConfiguration(
                name=IP_CONFIGURATION, public_ip_address_id=self.public_ip.id, subnet_id=self.subnet.id,
                private_ip_address_allocation="Dynamic",
            )],
            bgp_settings=VirtualNetworkGatewayBgpSettings(
                asn=GATEWAY_ASN,
                peering_addresses=[VirtualNetworkGatewayBgpSettingsPeeringAddresses(
                    ip_configuration_name=IP_CONFIGURATION, apipa_addresses=[GATEWAY_BGP_ADDRESS])],
            ) if bgp else None,
            **common,
        )
        self.peer = LocalNetworkGateway(
            self, "peer", name=f"{name}-vpn-peer", gateway_address=vpn.peer_ip, address_space=list(vpn.peer_cidrs),
            bgp_settings=LocalNetworkGatewayBgpSettings(asn=vpn.bgp_asn, bgp_peering_address=PEER_BGP_ADDRESS)
            if bgp else None,
            **common,
        )
        secret = DataAzurermKeyVaultSecret(self, "shared-key", name=vpn.shared_secret_name, key_vault_id=vpn.key_vault_id)
        self.connection = VirtualNetworkGatewayConnection(
            self, "connection", name=f"{name}-vpn", type="IPsec", virtual_network_gateway_id=self.gateway.id,
            local_network_gateway_id=self.peer.id, shared_key=secret.value, connection_protocol="IKEv2",
            enable_bgp=bgp, use_policy_based_traffic_selectors=False, dpd_timeout_seconds=45,
            ipsec_policy=VirtualNetworkGatewayConnectionIpsecPolicy(**IPSEC_POLICY),
            **common,
        )

        named_output(self, "vpn_gateway_address", self.public_ip.ip_address,
                     "Public address of the VPN gateway, for the peer device")
        named_output(self, "vpn_gateway_id", self.gateway.id, "Route-based VPN gateway")
        if bgp:
            named_output(self, "vpn_bgp", {"gateway_asn": GATEWAY_ASN, "gateway_address": GATEWAY_BGP_ADDRESS,
                                           "peer_address": PEER_BGP_ADDRESS},
                         "BGP of the VPN: the gateway's ASN and APIPA address, the address the peer speaks from")
