"""Site-to-site VPN on GCP: an HA VPN gateway, the peer as an external VPN gateway, a Cloud Router
speaking BGP, and two tunnels (one per HA VPN interface)."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_google.compute_external_vpn_gateway import (
    ComputeExternalVpnGateway,
    ComputeExternalVpnGatewayInterface,
)
from cdktf_cdktf_provider_google.compute_ha_vpn_gateway import ComputeHaVpnGateway
from cdktf_cdktf_provider_google.compute_router import ComputeRouter, ComputeRouterBgp
from cdktf_cdktf_provider_google.compute_router_interface import ComputeRouterInterface
from cdktf_cdktf_provider_google.compute_router_peer import ComputeRouterPeer
from cdktf_cdktf_provider_google.compute_vpn_tunnel import ComputeVpnTunnel
from cdktf_cdktf_provider_google.data_google_secret_manager_secret_version import (
    DataGoogleSecretManagerSecretVersion,
)

from platform_constructs.outputs import named_output
from platform_constructs.spec.vpn import CLOUD_SIDE_ASN, VpnSpec

#: The Cloud Router's own ASN (a private ASN; the model refuses it for the peer).
ROUTER_ASN = CLOUD_SIDE_ASN["gcp"]
#: Per tunnel: (the Cloud Router's BGP address with its /30, the peer's BGP address), link-local as
#: HA VPN requires; the peer device configures the mirror image (outputs ``vpn_bgp_sessions``).
BGP_SESSIONS = (("169.254.0.1/30", "169.254.0.2"), ("169.254.1.1/30", "169.254.1.2"))
#: BGP keepalive in seconds (Cloud Router's default, 20, stated so the peer can match it).
KEEPALIVE_SECONDS = 20


class GcpVpn(Construct):
    """HA VPN to one peer device, routed over BGP.

    - An HA VPN gateway (two interfaces, 99.99% SLA when both tunnels are up) in the network's region.
    - The peer as an external VPN gateway with one interface (``SINGLE_IP_INTERNALLY_REDUNDANT``):
      ``vpn.peer_ip``.
    - A Cloud Router of its own (``<name>-vpn``, ASN :data:`ROUTER_ASN`) advertising every subnet of
      the network (custom mode with the group ``ALL_SUBNETS``, what Cloud Router's subnet-range
      advertisement covers; stated explicitly so a later custom range is an addition, not a mode
      switch); the NAT's router is left alone.
    - Two IKEv2 tunnels, one per HA VPN interface, both to the peer's interface, each with a router
      interface and a BGP peer (``vpn.bgp_asn``) on :data:`BGP_SESSIONS`. GCP negotiates its own
      IKE/IPsec cipher list (the provider offers no per-tunnel cipher choice): AES-GCM/AES-CBC 128-256,
      SHA-2, DH groups 14+ are all on it; configure the peer with those.
    - The pre-shared key: the latest version of the Secret Manager secret ``vpn.shared_secret_name`` in
      ``project``, read by a data source at plan time: never in the file, but in the Terraform state
      (the data source's ``secret_data`` and the tunnels' ``shared_secret``, both marked sensitive).
    """

    def __init__(self, scope: Construct, id: str, *, name: str, vpn: VpnSpec, project: str, region: str,
                 network: str):
        super().__init__(scope, id)
        assert vpn.bgp_asn is not None and vpn.shared_secret_name is not None  # the model's GCP rules
        self.gateway = ComputeHaVpnGateway(
            self, "gateway", name=f"{name}-vpn", description=f"{name}: HA VPN to {vpn.peer_ip}",
            network=network, region=region, stack_type="IPV4_ONLY",
        )
        self.peer = ComputeExternalVpnGateway(
            self, "peer", name=f"{name}-vpn-peer", description=f"{name}: the peer VPN device",
            redundancy_type="SINGLE_IP_INTERNALLY_REDUNDANT",
            interface=[ComputeExternalVpnGatewayInterface(id=0, ip_address=vpn.peer_ip)],
        )
        self.router = ComputeRouter(
            self, "router", name=f"{name}-vpn", description=f"{name}: BGP for the VPN", network=network,
            region=region,
            bgp=ComputeRouterBgp(asn=ROUTER_ASN, advertise_mode="CUSTOM", advertised_groups=["ALL_SUBNETS"],
                                 keepalive_interval=KEEPALIVE_SECONDS),
        )
        secret = DataGoogleSecretManagerSecretVersion(
            self, "shared-secret", secret=vpn.shared_secret_name, project=project,
        )
        self.tunnels: list[ComputeVpnTunnel] = []
        for i, (router_range, peer_address) in enumerate(BGP_SESSIONS):
            tunnel = ComputeVpnTunnel(
                self, f"tunnel-{i}", name=f"{name}-vpn-{i}", description=f"{name}: HA VPN interface {i} to the peer",
                region=region, vpn_gateway=self.gateway.id, vpn_gateway_interface=i,
                peer_external_gateway=self.peer.id, peer_external_gateway_interface=0,
                shared_secret=secret.secret_data, router=self.router.id, ike_version=2,
            )
            interface = ComputeRouterInterface(
                self, f"interface-{i}", name=f"{name}-vpn-{i}", router=self.router.name, region=region,
                ip_range=router_range, vpn_tunnel=tunnel.name,
            )
            ComputeRouterPeer(
                self, f"bgp-peer-{i}", name=f"{name}-vpn-{i}", router=self.router.name, region=region,
                interface=interface.name, peer_ip_address=peer_address, peer_asn=vpn.bgp_asn,
                advertised_route_priority=100,
            )
            self.tunnels.append(tunnel)

        named_output(self, "vpn_gateway_addresses",
                     [self.gateway.vpn_interfaces.get(i).ip_address for i in range(len(BGP_SESSIONS))],
                     "Public addresses of the HA VPN gateway's two interfaces, for the peer device")
        named_output(self, "vpn_bgp_sessions",
                     [{"tunnel": f"{name}-vpn-{i}", "cloud_router_address": r.split("/")[0],
                       "peer_address": p, "cloud_router_asn": ROUTER_ASN}
                      for i, (r, p) in enumerate(BGP_SESSIONS)],
                     "Per tunnel: the BGP addresses (a /30 each) and the Cloud Router's ASN, for the peer device")
