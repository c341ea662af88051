"""ExternalDNS on AKS: records in the Private DNS zone (and the public zone), each instance limited to its zone."""

from __future__ import annotations

import json
from dataclasses import dataclass

from constructs import Construct
from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_kubernetes.config_map_v1 import ConfigMapV1, ConfigMapV1Metadata

from platform_constructs.azure.contracts import AzureClusterContract
from platform_constructs.azure.workload_identity import AzureWorkloadIdentity
from platform_constructs.integration.external_dns import CHART, COMPONENT, DEFAULT_POLICY, NAMESPACE, external_dns_values
from platform_constructs.kubernetes.chart_release import chart_release
from platform_constructs.workload_identity import AzureGrants, AzureRoleAssignment, ServiceAccount, bounded_name

#: Where ExternalDNS's Azure providers read their configuration (``--azure-config-file``'s default).
CONFIG_DIRECTORY = "/etc/kubernetes"
CONFIG_FILE = "azure.json"
#: Listing the zones of the resource group needs read there (Azure filters nothing for a caller
#: without it); ``Reader`` changes nothing.
LIST_ROLE = "Reader"


@dataclass(frozen=True)
class ZoneKind:
    """One ExternalDNS instance: its provider, the role it gets on its zone, its names."""

    provider: str
    zone_role: str
    suffix: str

    @property
    def service_account(self) -> ServiceAccount:
        return ServiceAccount(NAMESPACE, f"{COMPONENT}-{self.suffix}")

    @property
    def component(self) -> str:
        return f"{COMPONENT}-{self.suffix}"


#: ExternalDNS's ``azure-private-dns`` provider handles Private DNS zones only, ``azure`` public zones
#: only: one instance per zone kind, each with the zone's own contributor role.
PRIVATE = ZoneKind("azure-private-dns", "Private DNS Zone Contributor", "private")
PUBLIC = ZoneKind("azure", "DNS Zone Contributor", "public")


def azure_config(tenant_id: str, subscription_id: str, resource_group: str) -> str:
    """The provider's ``azure.json``: where the zones are and to use workload identity (no secret in it)."""
    return json.dumps({"tenantId": tenant_id, "subscriptionId": subscription_id, "resourceGroup": resource_group,
                       "useWorkloadIdentityExtension": True}, sort_keys=True)


class AzureExternalDns(Construct):
    """One external-dns release per zone kind (``external-dns-private``, and ``external-dns-public``
    with a public zone), each with its own user-assigned identity:

    - ``Private DNS Zone Contributor`` on the private zone only (``DNS Zone Contributor`` on the
      public zone only), and ``Reader`` on the network's resource group (listing zones);
    - the provider's ``azure.json`` (tenant, subscription, resource group, workload identity on;
      nothing secret) in a ConfigMap mounted at ``/etc/kubernetes``;
    - TXT owner id = the cluster's name, ``upsert-only``, ``domainFilters`` = the instance's zone.

    :param cluster_name: the cluster's name.
    :param cluster: the cluster contract (resource group of the identities, OIDC issuer).
    :param location: the identities' region.
    :param subscription_id: the subscription of the zones.
    :param resource_group_name: the network's resource group (where the zones are).
    :param private_zone: (name, id) of the private zone.
    :param public_zone: (name, id) of the public zone. Default: none.
    :param tags: tags of the identities. Default: none.
    :param policy: ``upsert-only`` or ``sync``. Default: ``upsert-only``.
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the chart's own repository.
    """

    def __init__(self, scope: Construct, id: str, *, cluster_name: str, cluster: AzureClusterContract, location: str,
                 subscription_id: str, resource_group_name: str, private_zone: tuple[str, str],
                 public_zone: tuple[str, str] | None = None, tags: dict[str, str] | None = None,
                 policy: str = DEFAULT_POLICY, chart_repository: str | None = None):
        super().__init__(scope, id)
        tenant_id = DataAzurermClientConfig(self, "client").tenant_id
        resource_group_id = f"/subscriptions/{subscription_id}/resourceGroups/{resource_group_name}"
        self.workloads: dict[str, AzureWorkloadIdentity] = {}
        self.values: dict[str, dict] = {}
        self.releases = {}
        for kind, zone in ((PRIVATE, private_zone), (PUBLIC, public_zone)):
            if zone is None:
                continue
            zone_name, zone_id = zone
            workload = AzureWorkloadIdentity(
                self, f"{kind.component}-identity", name=bounded_name(f"{cluster_name}-{kind.component}", 128),
                cluster=cluster, location=location, service_account=kind.service_account, tags=tags,
                grants=AzureGrants(role_assignments=(AzureRoleAssignment(kind.zone_role, zone_id),
                                                     AzureRoleAssignment(LIST_ROLE, resource_group_id))),
            )
            config = ConfigMapV1(
                self, f"{kind.suffix}-config",
                metadata=ConfigMapV1Metadata(name=f"{kind.component}-azure", namespace=NAMESPACE),
                data={CONFIG_FILE: azure_config(tenant_id, subscription_id, resource_group_name)},
            )
            values = external_dns_values(
                provider=kind.provider, txt_owner_id=cluster_name, domain_filters=[zone_name],
                identity=workload.identity, service_account=kind.service_account, policy=policy,
                extra_volumes=[{"name": "azure-config", "configMap": {"name": f"{kind.component}-azure"}}],
                extra_volume_mounts=[{"name": "azure-config", "mountPath": CONFIG_DIRECTORY, "readOnly": True}],
            )
            self.workloads[kind.suffix] = workload
            self.values[kind.suffix] = values
            self.releases[kind.suffix] = chart_release(
                self, f"{kind.suffix}-release", chart=CHART, name=kind.component, namespace=NAMESPACE, values=values,
                chart_repository=chart_repository,
                depends_on=[workload.credential, *workload.role_assignments, config],
            )
