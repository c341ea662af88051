"""Private DNS on Azure: a Private DNS zone linked to the VNet, and an optional public DNS zone."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_azurerm.dns_zone import DnsZone
from cdktf_cdktf_provider_azurerm.private_dns_zone import PrivateDnsZone
from cdktf_cdktf_provider_azurerm.private_dns_zone_virtual_network_link import PrivateDnsZoneVirtualNetworkLink

from platform_constructs.outputs import named_output
from platform_constructs.spec.dns import zone_name_problem


class AzurePrivateDns(Construct):
    """An Azure Private DNS zone with a virtual network link to the VNet, and optionally a public zone.

    - The link has ``registration_enabled`` false: VMs' names are not registered automatically (the
      AKS nodes are scale-set instances with names of their own); records come from ExternalDNS.
    - Private DNS zones are global resources; the zone and its link live in the network's resource
      group. A peer network reached over the VPN resolves the zone through a DNS Private Resolver
      inbound endpoint it forwards to (not built here).
    - The public zone (``azurerm_dns_zone``) only hosts the records; delegate to its name servers
      (output ``public_zone_name_servers``) from the parent zone.

    :param name: the environment's name (the link's name).
    :param resource_group_name: the network's resource group.
    :param virtual_network_id: the VNet the private zone is linked to.
    :param private_zone: the private zone's name (``corp.internal``).
    :param public_zone: a public zone's name. Default: none.
    :param tags: tags of every resource. Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, resource_group_name: str, virtual_network_id: str,
                 private_zone: str, public_zone: str | None = None, tags: dict[str, str] | None = None):
        problems = [p for p in (zone_name_problem(private_zone),
                                zone_name_problem(public_zone) if public_zone is not None else None) if p]
        if public_zone is not None and public_zone == private_zone:
            problems.append(f"public zone {public_zone} is also the private zone: give it another name")
        if problems:
            raise ValueError("Azure private DNS: " + "; ".join(problems))
        super().__init__(scope, id)
        self.private_zone = PrivateDnsZone(
            self, "private-zone", name=private_zone, resource_group_name=resource_group_name, tags=tags,
        )
        self.link = PrivateDnsZoneVirtualNetworkLink(
            self, "vnet-link", name=f"{name}-vnet", resource_group_name=resource_group_name,
            private_dns_zone_name=self.private_zone.name, virtual_network_id=virtual_network_id,
            registration_enabled=False, tags=tags,
        )
        self.public_zone = DnsZone(
            self, "public-zone", name=public_zone, resource_group_name=resource_group_name, tags=tags,
        ) if public_zone else None

        named_output(self, "private_zone_id", self.private_zone.id, "Azure Private DNS zone id")
        if self.public_zone is not None:
            named_output(self, "public_zone_id", self.public_zone.id, "Azure public DNS zone id")
            named_output(self, "public_zone_name_servers", self.public_zone.name_servers,
                         "Name servers to delegate the public zone to (set them in the parent zone)")

    @property
    def private_zone_id(self) -> str:
        return self.private_zone.id

    @property
    def public_zone_id(self) -> str | None:
        return self.public_zone.id if self.public_zone is not None else None
