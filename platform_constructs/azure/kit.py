"""The Azure kit: what the cloud-neutral stacks ask for, built from Azure constructs."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.azure.addons import AzureAddons, azure_integrations
from platform_constructs.azure.cluster import AzureCluster
from platform_constructs.azure.kubernetes_access import AksClusterAccess
from platform_constructs.azure.network import AzureNetwork
from platform_constructs.azure.provider import azurerm_provider, platform_tags
from platform_constructs.azure.workload_identity import AzureWorkloadIdentity
from platform_constructs.azure.contracts import AzureClusterContract, AzureDataContract, AzureNetworkContract
from platform_constructs.contracts import DataContract
from platform_constructs.kits import IN_CLUSTER_LAYERS
from platform_constructs.kubernetes.providers import kubernetes_providers
from platform_constructs.outputs import named_output
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.workload_identity import (
    AzureGrants, AzureRoleAssignment, Grants, ServiceAccount, WorkloadIdentity, blob_prefix_condition, bounded_name,
    check_component, grants_for,
)

#: Blob data roles of ``bucket_grants``: read (and list), or read, write and delete.
BLOB_READ_ROLE = "Storage Blob Data Reader"
BLOB_WRITE_ROLE = "Storage Blob Data Contributor"


def aks_zone_labels(spec: EnvironmentSpec) -> list[str]:
    """The ``topology.kubernetes.io/zone`` values of the environment's AKS nodes: ``<region>-<zone>``
    (``westeurope-1``) for each of the file's zones (``"1"``)."""
    return [f"{spec.region}-{zone}" for zone in spec.zones]


class AzureKit:
    def configure_stack(self, stack: Construct, spec: EnvironmentSpec, layer: str) -> None:
        """The azurerm provider; in the in-cluster layers (``kits.IN_CLUSTER_LAYERS``) also the kubernetes
        and helm providers, configured from the cluster read by its literal name and resource group,
        with kubelogin (:class:`AksClusterAccess`)."""
        azurerm_provider(stack, spec)
        if layer in IN_CLUSTER_LAYERS:
            assert spec.azure is not None
            access = AksClusterAccess(stack, "kubernetes-access", name=spec.cluster.name,
                                      resource_group_name=spec.azure.resource_group(spec.name))
            kubernetes_providers(stack, access.access)

    def network(self, scope: Construct, spec: EnvironmentSpec) -> AzureNetworkContract:
        return AzureNetwork(scope, "network", spec=spec).contract

    def cluster(self, scope: Construct, spec: EnvironmentSpec, network: AzureNetworkContract) -> AzureClusterContract:
        return AzureCluster(scope, "cluster", spec=spec, network=network).contract

    def data(self, scope: Construct, spec: EnvironmentSpec, network: AzureNetworkContract,
             cluster: AzureClusterContract) -> AzureDataContract:
        """The data storage account with a container per ``data.buckets``, the registry and the cache
        (:class:`AzureData`); the disk encryption set lives with the cluster's key vault, Azure Files
        storage accounts are the CSI driver's."""
        from platform_constructs.azure.data import AzureData

        return AzureData(scope, "data", spec=spec, network=network, cluster=cluster).contract

    def bucket_grants(self, spec: EnvironmentSpec, data: DataContract, *, bucket: str, write: bool,
                      prefix: str | None = None) -> AzureGrants:
        """Storage Blob Data Reader (or, with ``write``, Contributor) on the container of ``bucket``,
        never on the account; with ``prefix`` an ABAC condition (version 2.0) limits blob reads,
        writes and deletes to ``<prefix>/`` (:func:`blob_prefix_condition`)."""
        if not isinstance(data, AzureDataContract):
            raise TypeError(f"the Azure kit's bucket_grants take the Azure data contract, got {type(data).__name__}")
        if bucket not in data.container_ids:
            known = ", ".join(sorted(data.container_ids)) or "none"
            raise ValueError(f"{spec.name}: bucket {bucket!r} is not in data.buckets (the data layer has {known}): "
                             "add it there or name one of those")
        if prefix is not None and (not isinstance(prefix, str) or not prefix.strip("/")):
            raise ValueError(f"bucket prefix {prefix!r} must be a folder name like team-a, or None")
        role = BLOB_WRITE_ROLE if write else BLOB_READ_ROLE
        condition = blob_prefix_condition(data.buckets[bucket], prefix, write=write) if prefix else None
        return AzureGrants((AzureRoleAssignment(role, data.container_ids[bucket], condition),))

    def addons(self, scope: Construct, spec: EnvironmentSpec, network: AzureNetworkContract,
               cluster: AzureClusterContract, data: DataContract) -> None:
        """StorageClasses (:class:`AzureAddons`); the load balancer (Application Gateway and AGIC),
        metrics, autoscaling, CSI drivers and the Key Vault secrets provider are AKS's own, switched
        on in the cluster layer."""
        addons = spec.addons
        AzureAddons(
            scope, "addons", disk_encryption_set_id=cluster.disk_encryption_set_id,
            block_storage=addons.block_storage, file_storage=addons.file_storage,
        )
        azure_integrations(scope, spec, network, cluster, data)

    def observability(self, scope: Construct, spec: EnvironmentSpec, network: AzureNetworkContract,
                      cluster: AzureClusterContract, data: DataContract) -> None:
        """The storage account with the six containers, its key and one identity per component
        (:class:`AzureObservabilityStorage`), then the neutral releases on them
        (``ObservabilityReleases``, imported here so the other layers never load the chart values),
        its private endpoint registered in the data layer's blob DNS zone when that layer has one
        (one ``privatelink.blob.core.windows.net`` zone per resource group). The releases' zones are the AKS node labels ``<region>-<zone>``
        (``topology.kubernetes.io/zone=westeurope-1``), not the file's bare zone numbers. Cluster
        logs need nothing here: the cluster layer runs Container Insights (``oms_agent``, managed
        identity auth) into the cluster's Log Analytics workspace."""
        from platform_constructs.azure.observability_storage import AzureObservabilityStorage
        from platform_constructs.observability.releases import ObservabilityReleases

        storage = AzureObservabilityStorage(scope, "observability-storage", spec=spec, network=network,
                                            cluster=cluster, blob_dns_zone_id=getattr(data, "blob_dns_zone_id", None))
        named_output(scope, "observability_storage_account", storage.account.name,
                     "Storage account holding the observability containers (private endpoint only)")
        ObservabilityReleases(scope, "observability", spec=spec.observability, storage=storage.storage,
                              zones=aks_zone_labels(spec), chart_repository=spec.addons.chart_repository)

    def tenants(self, scope: Construct, spec: EnvironmentSpec, network: AzureNetworkContract,
                cluster: AzureClusterContract, data: DataContract) -> None:
        """Per ``tenants:`` entry a Key Vault behind a private endpoint, an identity federated with
        ``<tenant>/workload`` (its folder of the ``app`` container, Key Vault Secrets User on its
        vault, AcrPull on the registry), Azure RBAC Admin / Writer for its groups at
        ``<cluster id>/namespaces/<tenant>``, and its Kubernetes objects (:class:`AzureTenants`,
        imported here so the other layers never load it)."""
        from platform_constructs.azure.tenants import AzureTenants

        if not isinstance(data, AzureDataContract):
            raise TypeError(f"the Azure kit's tenants take the Azure data contract, got {type(data).__name__}")
        AzureTenants(scope, "tenants", spec=spec, network=network, cluster=cluster, data=data, kit=self)

    def workload_identity(self, scope: Construct, spec: EnvironmentSpec, cluster: AzureClusterContract, *, name: str,
                          layer: str, service_account: ServiceAccount,
                          grants: Grants | None = None) -> WorkloadIdentity:
        """User-assigned identity ``<cluster>-<name>`` in the cluster's resource group, federated with
        ``service_account``; tagged for ``layer``."""
        return AzureWorkloadIdentity(
            scope, f"{check_component(name)}-identity", name=bounded_name(f"{spec.cluster.name}-{name}", 128),
            cluster=cluster, location=spec.region, service_account=service_account,
            grants=grants_for("Azure", grants, AzureGrants), tags=platform_tags(spec, layer),
        ).identity
