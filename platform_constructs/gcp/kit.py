"""The GCP kit: what the cloud-neutral stacks ask for, built from GCP constructs."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.contracts import DataContract
from platform_constructs.gcp.addons import GcpAddons, gcp_integrations
from platform_constructs.gcp.contracts import GcpClusterContract, GcpDataContract, GcpNetworkContract
from platform_constructs.gcp.cluster import GcpCluster
from platform_constructs.gcp.disk_key import DiskEncryptionKey
from platform_constructs.gcp.kubernetes_access import GkeClusterAccess
from platform_constructs.gcp.network import GcpNetwork
from platform_constructs.gcp.provider import google_provider
from platform_constructs.gcp.workload_identity import GcpWorkloadIdentity, account_id_for
from platform_constructs.kits import IN_CLUSTER_LAYERS
from platform_constructs.kubernetes.providers import kubernetes_providers
from platform_constructs.outputs import named_output
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.workload_identity import (
    GcpGrants, GcsBucketRole, Grants, ServiceAccount, WorkloadIdentity, check_component, grants_for,
)

#: Object read and list.
OBJECT_VIEWER = "roles/storage.objectViewer"
#: Object read, write, list and delete, multipart uploads included; no ACL or IAM changes.
OBJECT_USER = "roles/storage.objectUser"


def network_name(spec: EnvironmentSpec) -> str:
    """The VPC's name: ``GcpNetwork`` names it after the environment (a literal, known at plan time)."""
    return spec.name


def data_key_ring_name(spec: EnvironmentSpec) -> str:
    """The data stack's key ring: ``<env>-data`` (the cluster's own ring is ``<cluster>-gke``)."""
    return f"{spec.name}-data"


class GcpKit:
    def configure_stack(self, stack: Construct, spec: EnvironmentSpec, layer: str) -> None:
        """The google provider; in the in-cluster layers (``kits.IN_CLUSTER_LAYERS``) also the kubernetes
        and helm providers, configured from the cluster read by its literal name (:class:`GkeClusterAccess`)."""
        google_provider(stack, spec, layer)
        if layer in IN_CLUSTER_LAYERS:
            assert spec.gcp is not None
            access = GkeClusterAccess(stack, "kubernetes-access", name=spec.cluster.name, location=spec.region,
                                      project=spec.gcp.project)
            kubernetes_providers(stack, access.access)

    def network(self, scope: Construct, spec: EnvironmentSpec) -> GcpNetworkContract:
        return GcpNetwork(scope, "network", spec=spec).contract

    def cluster(self, scope: Construct, spec: EnvironmentSpec, network: GcpNetworkContract) -> GcpClusterContract:
        return GcpCluster(scope, "cluster", spec=spec, network=network).contract

    def data(self, scope: Construct, spec: EnvironmentSpec, network: GcpNetworkContract,
             cluster: GcpClusterContract) -> GcpDataContract:
        """Everything that outlives clusters, keys in the ``<env>-data`` ring: with
        ``addons.block_storage`` the Persistent Disk key (:class:`DiskEncryptionKey`, which makes the
        ring), then the buckets, the Artifact Registry repository and the Memorystore for Valkey
        cache (:class:`GcpData`). Filestore instances are the CSI driver's. Reads no other stack:
        network, subnet and node account are named literally."""
        from platform_constructs.gcp.data import GcpData

        assert spec.gcp is not None
        disk_key_id = key_ring = project_number = None
        if spec.addons.block_storage:
            key = DiskEncryptionKey(scope, "disk-key", name=data_key_ring_name(spec), project=spec.gcp.project,
                                    location=spec.region, rotation_days=spec.gcp.kms_rotation_days,
                                    protect=spec.gcp.deletion_protection)
            named_output(scope, "disk_kms_key_id", key.id, "Cloud KMS key encrypting the block StorageClasses' disks")
            disk_key_id, key_ring, project_number = key.id, key.key_ring.id, key.project.number
        data = GcpData(scope, "data", spec=spec, key_ring_name=data_key_ring_name(spec), key_ring=key_ring,
                       project_number=project_number)
        if data.bucket_names:
            named_output(scope, "data_buckets", data.bucket_names, "Cloud Storage bucket of each data.buckets name")
        registry_url = registry_id = None
        if data.registry is not None:
            registry_url, registry_id = data.registry.url, data.registry.resource_name
            named_output(scope, "registry_url", registry_url, "Artifact Registry Docker repository: push and pull "
                                                              "<registry_url>/<image>:<tag>")
        cache_endpoint = cache_port = cache_id = None
        if data.cache is not None:
            cache_endpoint, cache_port, cache_id = data.cache.endpoint, data.cache.port, data.cache.instance.id
            named_output(scope, "cache_endpoint", cache_endpoint, "Memorystore for Valkey primary endpoint (TLS, IAM "
                                                                  "authentication: no password)")
            named_output(scope, "cache_port", cache_port, "Memorystore for Valkey port")
        return GcpDataContract(
            buckets=data.bucket_names, registry_url=registry_url, cache_endpoint=cache_endpoint,
            cache_port=cache_port, disk_kms_key_id=disk_key_id, registry_repository_id=registry_id,
            cache_instance_id=cache_id,
        )

    def addons(self, scope: Construct, spec: EnvironmentSpec, network: GcpNetworkContract,
               cluster: GcpClusterContract, data: DataContract) -> None:
        """StorageClasses (:class:`GcpAddons`); load balancing, metrics, autoscaling, CSI drivers and
        secrets are GKE's own, switched on in the cluster layer."""
        assert isinstance(data, GcpDataContract)
        addons = spec.addons
        GcpAddons(
            scope, "addons", disk_kms_key_id=data.disk_kms_key_id, network_name=network_name(spec),
            block_storage=addons.block_storage, file_storage=addons.file_storage,
            filestore_tier=addons.filestore_tier,
        )
        gcp_integrations(scope, spec, network, cluster, data)

    def observability(self, scope: Construct, spec: EnvironmentSpec, network: GcpNetworkContract,
                      cluster: GcpClusterContract, data: DataContract) -> None:
        """The six buckets, their key and one identity per component (:class:`GcpObservabilityStorage`),
        then the neutral releases on them (``ObservabilityReleases``, imported here so the other layers
        never load the chart values). Cluster logs need nothing here: the cluster layer sends system
        and workload logs to Cloud Logging (``cluster.LOGGING_COMPONENTS``)."""
        from platform_constructs.gcp.observability_storage import GcpObservabilityStorage
        from platform_constructs.observability.releases import ObservabilityReleases

        storage = GcpObservabilityStorage(scope, "observability-storage", spec=spec, cluster=cluster)
        named_output(scope, "observability_buckets", storage.storage.store.buckets,
                     "Cloud Storage bucket of each observability seed bucket")
        ObservabilityReleases(scope, "observability", spec=spec.observability, storage=storage.storage,
                              zones=spec.zones, chart_repository=spec.addons.chart_repository)

    def tenants(self, scope: Construct, spec: EnvironmentSpec, network: GcpNetworkContract,
                cluster: GcpClusterContract, data: DataContract) -> None:
        """Per ``tenants:`` entry a Google service account (its folder of the ``app`` bucket, its
        ``<env>_tenants_<name>_`` secrets, registry pull), its Google groups bound to ``admin`` /
        ``edit`` in its namespace, and the neutral objects (:class:`GcpTenants`, imported here so
        the other layers never load it). Reads no other stack: bucket and repository names are
        literal."""
        from platform_constructs.gcp.tenants import GcpTenants

        assert isinstance(data, GcpDataContract)
        GcpTenants(scope, "tenants", spec=spec, cluster=cluster, data=data)

    def bucket_grants(self, spec: EnvironmentSpec, data: DataContract, *, bucket: str, write: bool,
                      prefix: str | None = None) -> GcpGrants:
        """``roles/storage.objectViewer`` (read) or ``roles/storage.objectUser`` (``write``: read,
        write, delete; no IAM or ACL changes) on the data bucket ``bucket``, limited to the objects
        under ``prefix/`` by an IAM condition when given."""
        del spec  # the contract names the buckets
        if bucket not in data.buckets:
            known = ", ".join(sorted(data.buckets)) or "none"
            raise ValueError(f"bucket_grants: {bucket!r} is not a data bucket (data.buckets: {known}): "
                             "name one of them, or add it to data.buckets")
        role = OBJECT_USER if write else OBJECT_VIEWER
        return GcpGrants(bucket_roles=(GcsBucketRole(bucket=data.buckets[bucket], role=role, prefix=prefix),))

    def workload_identity(self, scope: Construct, spec: EnvironmentSpec, cluster: GcpClusterContract, *, name: str,
                          layer: str, service_account: ServiceAccount,
                          grants: Grants | None = None) -> WorkloadIdentity:
        """Google service account ``<cluster>-<name>`` (see ``account_id_for``) for ``service_account``
        through GKE Workload Identity. Service accounts take no labels (``layer`` unused)."""
        return GcpWorkloadIdentity(
            scope, f"{check_component(name)}-identity", account_id=account_id_for(spec.cluster.name, name),
            cluster=cluster, service_account=service_account, grants=grants_for("GCP", grants, GcpGrants),
        ).identity
