"""The Azure addons layer: the StorageClasses the platform adds to what AKS runs itself."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.kubernetes.storage_class_resources import NotDefaultStorageClass, StorageClasses
from platform_constructs.kubernetes.storage_classes import StorageClassSpec, azure_disk, azure_files_premium

#: AKS's own default StorageClass (Azure Disk, StandardSSD, platform-managed keys). AKS marks only
#: this class default; ``managed-csi`` has the same parameters and no default mark, so it is left alone.
AKS_DEFAULT_CLASS = "default"


class AzureAddons(Construct):
    """StorageClasses on AKS; everything else the addons layer covers elsewhere is AKS's own.

    Installed (one ``kubernetes_storage_class_v1`` each, through :class:`StorageClasses`):

    - with ``block_storage``: ``azure-disk-premium`` (the cluster's default class), Premium ZRS
      managed disks encrypted with the cluster's disk encryption set (customer key in Key Vault);
      the cluster identity already reads that set (the cluster layer grants it, for the OS disks),
      and the disks land in the node resource group, where AKS gives it Contributor. AKS's
      ``default`` class stops being the default (:class:`NotDefaultStorageClass`), so a claim
      without a class gets an encrypted disk. Microsoft documents that AKS reconciles its own
      classes and may write the mark back; then two classes are default and Kubernetes (1.26+)
      gives a claim without a class the newest of them, which is the platform's (created after
      the cluster's), so such claims still get encrypted disks.
    - with ``file_storage``: ``azure-files-premium-nfs``, premium NFS shares reached through a
      private endpoint (``networkEndpointType: privateEndpoint``): the Azure Files driver (its
      controller runs in the AKS control plane, as the cluster identity) creates the storage
      account in the node resource group and, in the VNet's resource group, its private endpoint
      on the node subnet of AKS's cloud configuration, the ``privatelink.file.core.windows.net``
      zone, the zone's VNet link and the endpoint's DNS zone group. The cluster layer grants the
      cluster identity Network Contributor there (``AzureCluster``).

    Installed nowhere, because the cluster layer switches AKS's own on (``AzureCluster``): the
    load balancer (Application Gateway WAF_v2 and the AGIC add-on), metrics (AKS's metrics
    server), node autoscaling (native, with ``addons.autoscaler_profile``), the Disk and Files CSI
    drivers, and secrets (the Key Vault secrets provider add-on).

    :param disk_encryption_set_id: the cluster's disk encryption set; required with
        ``block_storage`` (``azure.enable_customer_managed_keys`` must be on).
    :param block_storage: add the premium disk class. Default: true.
    :param file_storage: add the premium NFS files class. Default: true.
    """

    def __init__(self, scope: Construct, id: str, *, disk_encryption_set_id: str | None,
                 block_storage: bool = True, file_storage: bool = True):
        if block_storage and not disk_encryption_set_id:
            raise ValueError("Azure addons: block_storage needs the cluster's disk encryption set, which exists only "
                             "with azure.enable_customer_managed_keys: true; turn the keys on, or set "
                             "addons.block_storage: false")
        super().__init__(scope, id)
        specs: list[StorageClassSpec] = []
        if block_storage:
            assert disk_encryption_set_id is not None
            specs.append(azure_disk(disk_encryption_set_id))
        if file_storage:
            specs.append(azure_files_premium())
        self.specs = tuple(specs)
        self.storage_classes = StorageClasses(self, "storage-classes", specs=specs) if specs else None
        self.not_default = NotDefaultStorageClass(self, "aks-default", name=AKS_DEFAULT_CLASS) if block_storage else None


def azure_integrations(scope: Construct, spec, network, cluster, data) -> None:
    """The integration services of ``spec`` on AKS, beside :class:`AzureAddons`: ExternalDNS when
    ``network.dns`` is set (:class:`platform_constructs.azure.external_dns.AzureExternalDns`), the
    CI/CD agent when ``addons.ci_agent`` is (:class:`platform_constructs.azure.ci_agent.AzureCiAgent`).
    Imported here only when asked."""
    dns = spec.network.dns
    if dns is not None:
        from platform_constructs.azure.external_dns import AzureExternalDns
        from platform_constructs.azure.provider import platform_tags

        if network.private_zone_id is None or (dns.public_zone and network.public_zone_id is None):
            raise ValueError("network.dns is set but the network contract lacks its zones: deploy <env>-network "
                             "from the same environment file")
        AzureExternalDns(
            scope, "external-dns", cluster_name=spec.cluster.name, cluster=cluster, location=spec.region,
            subscription_id=spec.azure.subscription_id, resource_group_name=network.resource_group_name,
            private_zone=(dns.private_zone, network.private_zone_id),
            public_zone=(dns.public_zone, network.public_zone_id) if dns.public_zone else None,
            tags=platform_tags(spec, "addons"), chart_repository=spec.addons.chart_repository,
        )
    agent = spec.addons.ci_agent
    if agent is not None:
        from platform_constructs.azure.ci_agent import AzureCiAgent
        from platform_constructs.azure.provider import platform_tags as tags_of

        AzureCiAgent(scope, "ci-agent", agent=agent, name=spec.name, cluster_name=spec.cluster.name, cluster=cluster,
                     location=spec.region, registry_id=getattr(data, "registry_id", None),
                     tags=tags_of(spec, "addons"), chart_repository=spec.addons.chart_repository)
