"""The data stack's cache on GCP: Memorystore for Valkey, reached through Private Service Connect."""

from __future__ import annotations

import re
from collections.abc import Sequence

from constructs import Construct
from cdktf import Fn, ITerraformDependable, TerraformLocal, TerraformResourceLifecycle, Token
from cdktf_cdktf_provider_google.memorystore_instance import (
    MemorystoreInstance,
    MemorystoreInstanceAutomatedBackupConfig,
    MemorystoreInstanceAutomatedBackupConfigFixedFrequencySchedule,
    MemorystoreInstanceAutomatedBackupConfigFixedFrequencyScheduleStartTime,
    MemorystoreInstanceDesiredAutoCreatedEndpoints,
    MemorystoreInstanceMaintenancePolicy,
    MemorystoreInstanceMaintenancePolicyWeeklyMaintenanceWindow,
    MemorystoreInstanceMaintenancePolicyWeeklyMaintenanceWindowStartTime,
    MemorystoreInstanceZoneDistributionConfig,
)
from cdktf_cdktf_provider_google.network_connectivity_service_connection_policy import (
    NetworkConnectivityServiceConnectionPolicy,
    NetworkConnectivityServiceConnectionPolicyPscConfig,
)

from platform_constructs.versions import MEMORYSTORE_VALKEY_VERSION
from platform_constructs.gcp.spec import CACHE_NODE_TYPES

#: Node types of Memorystore for Valkey (google provider 6.50: ``node_type``), smallest first.
NODE_TYPES = CACHE_NODE_TYPES
#: The engine, pinned in ``versions.py``.
ENGINE_VERSION = MEMORYSTORE_VALKEY_VERSION
#: Service connectivity automation's class for Memorystore for Valkey.
SERVICE_CLASS = "gcp-memorystore"
#: Days automated backups are kept (Memorystore allows 1-365).
BACKUP_RETENTION_DAYS = 7
#: Memorystore's weekday names, by the RFC 5545 code the maintenance window uses.
WEEKDAYS = {"MO": "MONDAY", "TU": "TUESDAY", "WE": "WEDNESDAY", "TH": "THURSDAY", "FR": "FRIDAY",
            "SA": "SATURDAY", "SU": "SUNDAY"}
#: An instance id: 4-63 lowercase letters, digits and '-', not ending with '-'.
_INSTANCE_ID = re.compile(r"[a-z0-9][-a-z0-9]{2,61}[a-z0-9]")


def network_id(project: str, network: str) -> str:
    """A VPC's id from its literal name: ``projects/<p>/global/networks/<name>``."""
    return f"projects/{project}/global/networks/{network}"


def subnetwork_id(project: str, region: str, subnetwork: str) -> str:
    """A subnet's id from its literal name: ``projects/<p>/regions/<r>/subnetworks/<name>``."""
    return f"projects/{project}/regions/{region}/subnetworks/{subnetwork}"


class GcpCache(Construct):
    """A Memorystore for Valkey instance (``google_memorystore_instance``) on the cluster's network.

    - Cluster mode disabled, one shard: one primary and ``replicas`` replicas spread over the
      region's zones (``MULTI_ZONE``); automatic failover to a replica.
    - Private Service Connect only: a service connection policy (class ``gcp-memorystore``) lets
      service connectivity automation place the endpoints in ``subnetwork`` of ``network``;
      ``desired_auto_created_endpoints`` asks for them there. No public address exists.
    - In-transit encryption (``SERVER_AUTHENTICATION``: TLS, clients check Memorystore's CA) and
      IAM authentication (``IAM_AUTH``): a workload connects with an access token of its own
      identity holding ``roles/memorystore.dbConnectionUser``; there is no password to keep.
    - At rest: ``kms_key_id`` (CMEK; the key's grant goes to Memorystore's service agent).
    - Automated daily backups kept :data:`BACKUP_RETENTION_DAYS` days; maintenance in the weekly
      window given (the first day of the environment's window, at its start hour).
    - ``protect``: ``deletion_protection_enabled`` and ``prevent_destroy``.

    Attributes: ``instance``, ``policy``, ``endpoint`` and ``port`` (the primary endpoint's
    address and port, tokens).

    :param instance_id: the instance's id (4-63 lowercase letters, digits and '-').
    :param project: the project of the instance and the network.
    :param region: the instance's and subnet's region.
    :param network: the VPC's id (:func:`network_id`).
    :param subnetwork: the subnet's id where the endpoints get their addresses (:func:`subnetwork_id`).
    :param node_type: one of :data:`NODE_TYPES`.
    :param kms_key_id: the Cloud KMS key (same region).
    :param replicas: replicas of the primary (1-5). Default: 1.
    :param maintenance_day: RFC 5545 day code (``SA``). Default: SA.
    :param maintenance_hour: start hour, UTC. Default: 3.
    :param protect: deletion protection. Default: true.
    :param depends_on: created after these (the key's grant to the service agent). Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, instance_id: str, project: str, region: str, network: str,
                 subnetwork: str, node_type: str, kms_key_id: str, replicas: int = 1, maintenance_day: str = "SA",
                 maintenance_hour: int = 3, protect: bool = True, depends_on: Sequence[ITerraformDependable] = ()):
        problems = []
        if not _INSTANCE_ID.fullmatch(instance_id):
            problems.append(f"cache instance id {instance_id!r} must be 4-63 lowercase letters, digits and '-', not "
                            "ending with '-' (rename the environment)")
        if node_type not in NODE_TYPES:
            problems.append(f"cache node type {node_type!r} is not a Memorystore for Valkey node type: use one of "
                            f"{', '.join(NODE_TYPES)}")
        if not 1 <= replicas <= 5:
            problems.append(f"cache replicas {replicas} must be 1-5 (a replica in another zone keeps the cache up)")
        if maintenance_day not in WEEKDAYS:
            problems.append(f"cache maintenance day {maintenance_day!r} must be one of {', '.join(WEEKDAYS)}")
        if not 0 <= maintenance_hour <= 23:
            problems.append(f"cache maintenance hour {maintenance_hour} must be 0-23 (UTC)")
        if problems:
            raise ValueError("; ".join(problems))
        super().__init__(scope, id)
        self.policy = NetworkConnectivityServiceConnectionPolicy(
            self, "service-connection-policy",
            name=f"{instance_id}-psc"[:63],
            project=project,
            location=region,
            service_class=SERVICE_CLASS,
            network=network,
            description="Private Service Connect endpoints of the environment's Memorystore for Valkey",
            psc_config=NetworkConnectivityServiceConnectionPolicyPscConfig(subnetworks=[subnetwork]),
        )
        self.instance = MemorystoreInstance(
            self, "instance",
            instance_id=instance_id,
            project=project,
            location=region,
            mode="CLUSTER_DISABLED",
            shard_count=1,
            replica_count=replicas,
            node_type=node_type,
            engine_version=ENGINE_VERSION,
            zone_distribution_config=MemorystoreInstanceZoneDistributionConfig(mode="MULTI_ZONE"),
            desired_auto_created_endpoints=[MemorystoreInstanceDesiredAutoCreatedEndpoints(
                network=network, project_id=project)],
            transit_encryption_mode="SERVER_AUTHENTICATION",
            authorization_mode="IAM_AUTH",
            kms_key=kms_key_id,
            automated_backup_config=MemorystoreInstanceAutomatedBackupConfig(
                fixed_frequency_schedule=MemorystoreInstanceAutomatedBackupConfigFixedFrequencySchedule(
                    start_time=MemorystoreInstanceAutomatedBackupConfigFixedFrequencyScheduleStartTime(
                        hours=maintenance_hour)),
                retention=f"{BACKUP_RETENTION_DAYS * 86400}s",
            ),
            maintenance_policy=MemorystoreInstanceMaintenancePolicy(weekly_maintenance_window=[
                MemorystoreInstanceMaintenancePolicyWeeklyMaintenanceWindow(
                    day=WEEKDAYS[maintenance_day],
                    start_time=MemorystoreInstanceMaintenancePolicyWeeklyMaintenanceWindowStartTime(
                        hours=maintenance_hour, minutes=0, seconds=0, nanos=0)),
            ]),
            deletion_protection_enabled=protect,
            lifecycle=TerraformResourceLifecycle(prevent_destroy=protect),
            depends_on=[self.policy, *depends_on],
        )
        # The primary endpoint among the PSC connections (the reader endpoint refuses writes).
        self.primary = TerraformLocal(self, "primary-endpoint", Fn.one(Token.as_list(
            f"[for c in flatten({self.instance.fqn}.endpoints[*].connections[*].psc_auto_connection) : c "
            'if c.connection_type == "CONNECTION_TYPE_PRIMARY"]')))
        self.endpoint: str = Token.as_string(Fn.lookup(self.primary.as_any_map, "ip_address"))
        self.port: str = Token.as_string(Fn.lookup(self.primary.as_any_map, "port"))
