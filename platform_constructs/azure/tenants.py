"""The tenants layer on Azure: per team a Key Vault, an identity, namespace-scoped Azure RBAC and its objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from constructs import Construct
from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_azurerm.private_dns_zone import PrivateDnsZone
from cdktf_cdktf_provider_azurerm.private_dns_zone_virtual_network_link import PrivateDnsZoneVirtualNetworkLink
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment

from platform_constructs.azure.contracts import AzureClusterContract, AzureDataContract, AzureNetworkContract
from platform_constructs.azure.key_vault import VAULT_PRIVATE_ZONE
from platform_constructs.azure.provider import platform_tags
from platform_constructs.azure.registry import PULL_ROLE
from platform_constructs.azure.tenant_access import NamespaceAccess, cluster_user_access
from platform_constructs.azure.tenant_vault import (
    SECRETS_READ_ROLE, SECRETS_WRITE_ROLE, TenantKeyVault, tenant_vault_name,
)
from platform_constructs.outputs import named_output
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.spec.data import APP_BUCKET
from platform_constructs.tenants.manifests import tenant_manifests
from platform_constructs.tenants.names import identity_component, service_account
from platform_constructs.tenants.network import TenantIngress
from platform_constructs.tenants.objects import TenantObjects
from platform_constructs.workload_identity import AzureGrants, AzureRoleAssignment, WorkloadIdentity

if TYPE_CHECKING:
    from platform_constructs.azure.kit import AzureKit

#: The stack layer (tags).
LAYER = "tenants"


def tenant_ingress(spec: EnvironmentSpec, network: AzureNetworkContract) -> TenantIngress:
    """Where the load balancer path reaches a tenant's pods from on AKS: the Application Gateway's
    subnet (:attr:`AzureNetworkContract.app_gateway_subnet_cidr`; the gateway proxies, so pods see its
    instances' addresses) when ``addons.load_balancer_controller`` runs it (AGIC), else nothing.
    Internal Services of type LoadBalancer (Azure's load balancer keeps the client's address) are
    not covered: a team opening one lists its clients' ranges itself."""
    if not spec.addons.load_balancer_controller:
        return TenantIngress()
    return TenantIngress(cidrs=(network.app_gateway_subnet_cidr,))


#: The port pods reach the private endpoints on (Blob Storage and Key Vault over HTTPS).
PRIVATE_ENDPOINT_PORT = 443


def tenant_cloud_egress(network: AzureNetworkContract) -> list[dict]:
    """What a tenant's pods need to use their identity on AKS, as NetworkPolicy egress rules: the
    private-endpoint subnet (:attr:`AzureNetworkContract.private_endpoint_subnet_cidr`, a literal) on
    TCP 443, where the tenant's Key Vault and the data storage account answer. None when the
    contract does not know the range. Microsoft Entra ID (``login.microsoftonline.com``, where the
    service account token is exchanged) is public and has no fixed range a NetworkPolicy could name:
    the tenant's ``public_https_egress`` (default on) opens it, else the team lists its ranges in
    ``egress_cidrs``; the Key Vault secrets provider add-on (``kube-system``) does it for them."""
    if not network.private_endpoint_subnet_cidr:
        return []
    return [{"to": [{"ipBlock": {"cidr": network.private_endpoint_subnet_cidr}}],
             "ports": [{"protocol": "TCP", "port": PRIVATE_ENDPOINT_PORT}]}]


@dataclass(frozen=True)
class AzureTenant:
    """What one tenant got: its vault, identity, namespace access and Kubernetes objects."""

    vault: TenantKeyVault
    identity: WorkloadIdentity
    access: NamespaceAccess
    #: Key Vault Secrets Officer on the vault, one per admin group.
    secret_admins: tuple[RoleAssignment, ...]
    objects: TenantObjects


class AzureTenants(Construct):
    """``tenants:`` on AKS, one construct scope ``tenant-<name>`` per team.

    Per tenant:

    - Secrets: its own :class:`TenantKeyVault` named :func:`tenant_vault_name` (RBAC, purge protection,
      soft delete, public access off, private endpoint only, audit log into the cluster's workspace);
      the admin groups hold Key Vault Secrets Officer on it (they put the team's secrets in, from
      inside the VNet).
    - Identity: ``kit.workload_identity`` ``<cluster>-tenant-<name>`` federated with
      ``<name>/workload``, holding Storage Blob Data Contributor on the ``app`` container limited to
      ``<bucket_prefix or name>/`` (when ``data.buckets`` lists ``app``), Key Vault Secrets User on its
      own vault, and AcrPull on the registry (when the data layer has one).
    - RBAC: :class:`NamespaceAccess`: Azure Kubernetes Service RBAC Admin for ``admins`` and RBAC Writer
      for ``developers`` at ``<cluster id>/namespaces/<name>`` (principal type Group). No RoleBinding.
    - Objects: :class:`TenantObjects` of ``tenant_manifests`` with :func:`tenant_ingress`,
      :func:`tenant_cloud_egress`, the identity's annotations and no RBAC subjects (the cluster
      authorizes through Azure RBAC; AKS enforces the NetworkPolicies with Cilium,
      ``network_policy = "cilium"`` in the cluster layer).

    Across tenants: Azure Kubernetes Service Cluster User Role on the cluster once per distinct group
    (to fetch the kubeconfig), and the vaults' private DNS zone: the cluster vault's
    ``privatelink.vaultcore.azure.net`` zone when the cluster layer has one
    (``azure.enable_customer_managed_keys``), else one zone created and linked to the VNet here.

    Output ``tenant_key_vaults``: tenant -> its vault's URI (a literal).

    :param kit: the Azure kit (its ``workload_identity`` and ``bucket_grants``).

    Attributes: ``tenants`` (name -> :class:`AzureTenant`), ``cluster_users``, ``dns_zone`` /
    ``dns_link`` (None when the cluster's zone is reused).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, network: AzureNetworkContract,
                 cluster: AzureClusterContract, data: AzureDataContract, kit: "AzureKit"):
        if spec.azure is None:
            raise ValueError(f"{spec.name}: AzureTenants needs the environment's azure: section")
        if not isinstance(data, AzureDataContract):
            raise TypeError(f"AzureTenants take the Azure data contract, got {type(data).__name__}")
        super().__init__(scope, id)
        tags = platform_tags(spec, LAYER)
        rg = network.resource_group_name
        self.client = DataAzurermClientConfig(self, "client")

        zone_id = cluster.key_vault_dns_zone_id
        self.dns_zone: PrivateDnsZone | None = None
        self.dns_link: PrivateDnsZoneVirtualNetworkLink | None = None
        if zone_id is None:
            self.dns_zone = PrivateDnsZone(self, "vault-dns-zone", name=VAULT_PRIVATE_ZONE, resource_group_name=rg,
                                           tags=tags)
            self.dns_link = PrivateDnsZoneVirtualNetworkLink(
                self, "vault-dns-link", name=f"{spec.cluster.name}-tenant-vaults-vnet", resource_group_name=rg,
                private_dns_zone_name=self.dns_zone.name, virtual_network_id=network.network_id,
                registration_enabled=False, tags=tags,
            )
            zone_id = self.dns_zone.id

        self.cluster_users = cluster_user_access(
            self, cluster_id=cluster.cluster_id,
            groups=[group for t in spec.tenants for group in (*t.admins, *t.developers)],
        )
        ingress = tenant_ingress(spec, network)
        cloud_egress = tenant_cloud_egress(network)
        self.tenants: dict[str, AzureTenant] = {}
        for tenant in spec.tenants:
            here = Construct(self, f"tenant-{tenant.name}")
            vault = TenantKeyVault(
                here, "key-vault", name=tenant_vault_name(spec.azure.subscription_id, spec.name, tenant.name),
                location=spec.region, resource_group_name=rg, tenant_id=self.client.tenant_id,
                vnet_id=network.network_id, private_endpoint_subnet_id=network.private_endpoint_subnet_id,
                dns_zone_id=zone_id, log_analytics_workspace_id=cluster.log_analytics_workspace_id, tags=tags,
            )
            grants: list[AzureRoleAssignment] = []
            if APP_BUCKET in data.buckets:
                bucket = kit.bucket_grants(spec, data, bucket=APP_BUCKET, write=True, prefix=tenant.object_prefix)
                grants.extend(bucket.role_assignments)
            grants.append(AzureRoleAssignment(SECRETS_READ_ROLE, vault.id))
            if data.registry_url and data.registry_id:
                grants.append(AzureRoleAssignment(PULL_ROLE, data.registry_id))
            identity = kit.workload_identity(
                here, spec, cluster, name=identity_component(tenant), layer=LAYER,
                service_account=service_account(tenant), grants=AzureGrants(tuple(grants)),
            )
            secret_admins = tuple(
                vault.grant(f"secrets-officer-{group}", principal_id=group, role=SECRETS_WRITE_ROLE,
                            principal_type="Group")
                for group in tenant.admins
            )
            access = NamespaceAccess(here, "namespace-access", cluster_id=cluster.cluster_id, namespace=tenant.name,
                                     admins=tenant.admins, developers=tenant.developers)
            objects = TenantObjects(here, "objects", manifests=tenant_manifests(
                spec, tenant, ingress=ingress, identity=identity, rbac_subjects=None, cloud_egress=cloud_egress))
            self.tenants[tenant.name] = AzureTenant(vault=vault, identity=identity, access=access,
                                                    secret_admins=secret_admins, objects=objects)

        named_output(self, "tenant_key_vaults",
                     {name: f"https://{t.vault.name}.vault.azure.net/" for name, t in self.tenants.items()},
                     "Tenant -> its Key Vault (private endpoint only; the admin groups write secrets, the "
                     "tenant's workload service account reads them)")
