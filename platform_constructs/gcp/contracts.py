"""GCP's typed contracts: the neutral ones plus what only the GCP kit reads."""

from __future__ import annotations

from dataclasses import dataclass

from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract


@dataclass(frozen=True)
class GcpNetworkContract(NetworkContract):
    network_self_link: str
    #: The one regional node subnet (every zone's entry in private_subnet_ids_by_zone).
    subnet_self_link: str
    subnet_name: str
    #: Secondary ranges of the node subnet.
    pods_range_name: str
    services_range_name: str
    #: Network tag every node carries; GCP firewall rules target tags, not security groups.
    node_network_tag: str


@dataclass(frozen=True)
class GcpClusterContract(ClusterContract):
    cluster_id: str
    location: str
    project: str
    #: Cloud KMS key encrypting Kubernetes secrets.
    kms_key_id: str
    node_service_account_email: str
    #: Network tag of the nodes (what a security group id is on the other clouds).
    node_network_tag: str


@dataclass(frozen=True)
class GcpDataContract(DataContract):
    #: Cloud KMS key the block StorageClasses encrypt Persistent Disks with (CMEK), held by the
    #: data stack because volumes outlive clusters; None when ``addons.block_storage`` is off.
    disk_kms_key_id: str | None = None
    #: The Artifact Registry repository's id (``projects/<p>/locations/<r>/repositories/<id>``),
    #: what a pull or push grant names: a literal (the tenants stack grants on it without reading
    #: the data stack's state); None without ``data.registry.repositories``.
    registry_repository_id: str | None = None
    #: The Memorystore for Valkey instance's id; None without ``data.cache``. Connecting needs
    #: ``roles/memorystore.dbConnectionUser`` (IAM authentication: there is no password).
    cache_instance_id: str | None = None
