"""The GCP addons layer: the StorageClasses the platform adds to what GKE runs itself."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.kubernetes.storage_class_resources import NotDefaultStorageClass, StorageClasses
from platform_constructs.kubernetes.storage_classes import StorageClassSpec, gcp_filestore, gcp_pd

#: GKE's own default StorageClass (PD balanced, Google-managed encryption); the platform's
#: CMEK class takes the default from it.
GKE_DEFAULT_CLASS = "standard-rwo"


class GcpAddons(Construct):
    """StorageClasses on GKE; everything else the addons layer covers elsewhere is GKE's own.

    Installed (one ``kubernetes_storage_class_v1`` each, through :class:`StorageClasses`):

    - with ``block_storage``: ``pd-balanced`` (the cluster's default class) and ``pd-ssd``, every
      volume encrypted with ``disk_kms_key_id`` (CMEK); GKE's ``standard-rwo`` stops being the
      default (:class:`NotDefaultStorageClass`), so a claim without a class gets an encrypted disk.
    - with ``file_storage``: ``filestore``, a Filestore instance per volume of tier
      ``filestore_tier`` on the VPC ``network_name`` (direct peering), reclaim ``Retain``.

    Installed nowhere, because the cluster layer switches GKE's own on (``GcpCluster``):
    load balancing (HTTP load balancing add-on and the Gateway API channel), metrics (GKE's
    metrics server), node autoscaling (the cluster autoscaler with ``addons.autoscaling_profile``),
    the PD and Filestore CSI drivers, and secrets (the Secret Manager add-on).

    :param disk_kms_key_id: the Cloud KMS key of the block classes; required with ``block_storage``
        (the Compute Engine service agent must hold encrypter/decrypter on it, see ``DiskEncryptionKey``).
    :param network_name: the VPC the Filestore instances join (its name, or
        ``projects/<host>/global/networks/<name>``); required with ``file_storage``.
    :param block_storage: add the PD classes. Default: true.
    :param file_storage: add the Filestore class. Default: true.
    :param filestore_tier: one of ``storage_classes.GCP_FILESTORE_TIERS``. Default: ``standard`` (basic HDD).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        disk_kms_key_id: str | None,
        network_name: str | None,
        block_storage: bool = True,
        file_storage: bool = True,
        filestore_tier: str = "standard",
    ):
        problems = []
        if block_storage and not disk_kms_key_id:
            problems.append("block_storage needs disk_kms_key_id (the data stack's disk key): pass it, "
                            "or set block_storage=False")
        if file_storage and not network_name:
            problems.append("file_storage needs network_name (the cluster's VPC): pass it, or set file_storage=False")
        if problems:
            raise ValueError(f"GCP addons: {'; '.join(problems)}")
        super().__init__(scope, id)
        specs: list[StorageClassSpec] = []
        if block_storage:
            assert disk_kms_key_id is not None
            specs += [gcp_pd("pd-balanced", disk_kms_key_id, default=True), gcp_pd("pd-ssd", disk_kms_key_id)]
        if file_storage:
            assert network_name is not None
            specs.append(gcp_filestore(filestore_tier, network_name))
        self.specs = tuple(specs)
        self.storage_classes = StorageClasses(self, "storage-classes", specs=list(specs)) if specs else None
        self.not_default = NotDefaultStorageClass(self, "gke-default", name=GKE_DEFAULT_CLASS) if block_storage else None


def gcp_integrations(scope: Construct, spec, network, cluster, data) -> None:
    """The integration services of ``spec`` on GKE, beside :class:`GcpAddons`: ExternalDNS when
    ``network.dns`` is set (:class:`platform_constructs.gcp.external_dns.GcpExternalDns`), the CI/CD
    agent when ``addons.ci_agent`` is (:class:`platform_constructs.gcp.ci_agent.GcpCiAgent`). Imported
    here only when asked, so an environment without them loads neither."""
    dns = spec.network.dns
    if dns is not None:
        from platform_constructs.gcp.external_dns import GcpExternalDns

        if network.private_zone_id is None:
            raise ValueError("network.dns is set but the network contract has no private zone: deploy "
                             "<env>-network from the same environment file")
        zone_ids = [network.private_zone_id, network.public_zone_id]
        GcpExternalDns(scope, "external-dns", cluster_name=spec.cluster.name, cluster=cluster,
                       zones={zone: zone_id for zone, zone_id in zip(dns.zones, zone_ids)},
                       chart_repository=spec.addons.chart_repository)
    agent = spec.addons.ci_agent
    if agent is not None:
        from platform_constructs.gcp.ci_agent import GcpCiAgent

        GcpCiAgent(scope, "ci-agent", agent=agent, name=spec.name, cluster_name=spec.cluster.name, cluster=cluster,
                   repository_id=getattr(data, "registry_repository_id", None),
                   chart_repository=spec.addons.chart_repository)
