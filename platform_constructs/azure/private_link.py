"""A private endpoint registered in a privatelink DNS zone linked to the VNet: how every Azure PaaS resource of the platform is reached."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct
from cdktf_cdktf_provider_azurerm.private_dns_zone import PrivateDnsZone
from cdktf_cdktf_provider_azurerm.private_dns_zone_virtual_network_link import PrivateDnsZoneVirtualNetworkLink
from cdktf_cdktf_provider_azurerm.private_endpoint import (
    PrivateEndpoint,
    PrivateEndpointPrivateDnsZoneGroup,
    PrivateEndpointPrivateServiceConnection,
)


@dataclass(frozen=True)
class PrivateLink:
    """What :func:`private_link` made: the zone and its VNet link (``None`` when an existing zone was
    given) and the endpoint."""

    zone: PrivateDnsZone | None
    link: PrivateDnsZoneVirtualNetworkLink | None
    endpoint: PrivateEndpoint

    @property
    def reachable(self) -> list:
        """What a client in the VNet needs before it reaches the resource: the endpoint (and the DNS link)."""
        return [r for r in (self.endpoint, self.link) if r is not None]


def private_link(scope: Construct, *, name: str, resource_id: str, label: str, zone_name: str, location: str,
                 resource_group_name: str, vnet_id: str, subnet_id: str, tags: dict[str, str],
                 subresource: str | None = None, endpoint_name: str | None = None,
                 zone_id: str | None = None) -> PrivateLink:
    """A private endpoint for ``resource_id``'s ``subresource`` in ``subnet_id``, registered in the
    private DNS zone ``zone_name`` (created in ``resource_group_name`` and linked to ``vnet_id``), or
    in the existing zone ``zone_id`` (already linked to the VNet) when given.

    The resources are children of ``scope`` itself (ids ``dns-zone``, ``dns-link``,
    ``private-endpoint``), not of a construct of their own: the owner's construct paths, and so the
    Terraform logical ids, are those of resources it declares itself.

    :param name: the owner's resource name: the link is ``<name>-vnet``, the connection ``<name>-<label>``.
    :param label: names the connection and the DNS zone group (like ``vault``, ``blob``).
    :param subresource: the endpoint's sub-resource (group id). Default: ``label``.
    :param endpoint_name: Default: ``<name>-pe``.
    :param zone_id: an existing zone to register in instead of creating one. Default: none.
    """
    zone = link = None
    if zone_id is None:
        zone = PrivateDnsZone(scope, "dns-zone", name=zone_name, resource_group_name=resource_group_name, tags=tags)
        link = PrivateDnsZoneVirtualNetworkLink(
            scope, "dns-link", name=f"{name}-vnet", resource_group_name=resource_group_name,
            private_dns_zone_name=zone.name, virtual_network_id=vnet_id, registration_enabled=False, tags=tags,
        )
        zone_id = zone.id
    endpoint = PrivateEndpoint(
        scope, "private-endpoint", name=endpoint_name or f"{name}-pe", location=location,
        resource_group_name=resource_group_name, subnet_id=subnet_id,
        private_service_connection=PrivateEndpointPrivateServiceConnection(
            name=f"{name}-{label}", private_connection_resource_id=resource_id,
            subresource_names=[subresource or label], is_manual_connection=False,
        ),
        private_dns_zone_group=PrivateEndpointPrivateDnsZoneGroup(name=label, private_dns_zone_ids=[zone_id]),
        tags=tags,
    )
    return PrivateLink(zone=zone, link=link, endpoint=endpoint)
