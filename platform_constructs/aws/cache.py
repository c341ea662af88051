"""ElastiCache for Valkey: a replication group reachable from the cluster's nodes only, no password anywhere."""

from __future__ import annotations

import re
from collections.abc import Mapping

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.elasticache_replication_group import (
    ElasticacheReplicationGroup,
    ElasticacheReplicationGroupLogDeliveryConfiguration,
)
from cdktf_cdktf_provider_aws.elasticache_subnet_group import ElasticacheSubnetGroup
from cdktf_cdktf_provider_aws.elasticache_user import ElasticacheUser, ElasticacheUserAuthenticationMode
from cdktf_cdktf_provider_aws.elasticache_user_group import ElasticacheUserGroup
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress

from platform_constructs.versions import ELASTICACHE_VALKEY_VERSION

ENGINE = "valkey"
PORT = 6379
#: What the application user may do: every key and channel, every command but the ``@dangerous``
#: category (FLUSHALL, KEYS, CONFIG, DEBUG ...).
DEFAULT_ACCESS_STRING = "on ~* &* +@all -@dangerous"
#: Daily snapshot window and weekly maintenance window (UTC, not overlapping).
SNAPSHOT_WINDOW = "03:00-04:00"
MAINTENANCE_WINDOW = "sun:05:00-sun:06:00"
#: ElastiCache ids: a letter, then letters, digits and single hyphens, at most 40, not ending in '-'.
_ID = re.compile(r"[a-z]([a-z0-9]|-(?=[a-z0-9])){0,39}")


class ValkeyCache(Construct):
    """An ElastiCache for Valkey replication group (cluster mode off: one shard, a primary and
    ``replicas`` replicas).

    - Engine ``valkey`` at :data:`~platform_constructs.versions.ELASTICACHE_VALKEY_VERSION` (minor
      and patch upgrades in the maintenance window: ``auto_minor_version_upgrade``).
    - Multi-AZ with automatic failover: ElastiCache places the replicas in other zones of the subnet
      group (one private subnet per zone) and promotes one when the primary fails.
    - Encrypted at rest with ``kms_key_arn`` and in transit (TLS required).
    - Access control without a secret: the replication group takes one RBAC user group (engine
      valkey) holding one user with IAM authentication (``user_id`` = ``user_name`` = ``name``-app).
      A client connects over TLS as that user with a short-lived IAM auth token signed by a role
      that may ``elasticache:Connect`` to the replication group and the user; no password or auth
      token exists, in the file, the state or a secret store. The group holds no ``default`` user,
      so an unauthenticated connection can do nothing.
    - A subnet group on the private subnets; a security group admitting TCP :data:`PORT` from the
      node security group only, no egress rule (replies need none).
    - Daily snapshots kept ``snapshot_retention_days``, a final snapshot ``<id>-final`` when the
      group is deleted; ``prevent_destroy`` (when asked) makes Terraform refuse to delete it.
    - The slow log delivered as JSON to CloudWatch Logs ``/aws/elasticache/<id>/slow-log``,
      encrypted with ``kms_key_arn`` (the key policy lets this region's CloudWatch Logs use it).

    :param name: the replication group id and prefix of the other names (a letter, then at most 39
        lowercase letters, digits and single '-').
    :param node_type: the cache node type, like ``cache.t4g.medium``.
    :param replicas: replicas of the primary (1-5). Default: 1.
    :param kms_key_arn: customer key encrypting the data, snapshots and the slow log.
    :param subnet_ids_by_zone: zone -> private subnet id.
    :param vpc_id: the VPC of those subnets.
    :param node_security_group_id: the only source allowed to reach the cache.
    :param snapshot_retention_days: days daily snapshots are kept (1-35). Default: 7.
    :param log_retention_days: days the slow log is kept (a value CloudWatch accepts). Default: 30.
    :param access_string: the application user's permissions. Default: :data:`DEFAULT_ACCESS_STRING`.
    :param prevent_destroy: Terraform refuses to destroy the replication group. Default: True.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, node_type: str, kms_key_arn: str,
                 subnet_ids_by_zone: Mapping[str, str], vpc_id: str, node_security_group_id: str, replicas: int = 1,
                 snapshot_retention_days: int = 7, log_retention_days: int = 30,
                 access_string: str = DEFAULT_ACCESS_STRING, prevent_destroy: bool = True):
        problems = []
        if not _ID.fullmatch(name) or len(name) + len("-final") > 255:
            problems.append(f"name {name!r} is not an ElastiCache id: use a letter, then at most 39 lowercase "
                            "letters, digits and single '-', not ending in '-' (like prod-cache)")
        elif len(f"{name}-app") > 40:
            problems.append(f"name {name!r} leaves no room for the user id {name}-app (40 characters at most): "
                            "shorten it")
        if not node_type.startswith("cache."):
            problems.append(f"node type {node_type!r} is not an ElastiCache node type like cache.t4g.medium")
        if not isinstance(replicas, int) or isinstance(replicas, bool) or not 1 <= replicas <= 5:
            problems.append(f"replicas {replicas!r} must be 1 to 5 (multi-AZ failover needs at least one)")
        if len(subnet_ids_by_zone) < 2:
            problems.append(f"{len(subnet_ids_by_zone)} zone(s): multi-AZ needs private subnets in at least 2 zones")
        if not isinstance(snapshot_retention_days, int) or not 1 <= snapshot_retention_days <= 35:
            problems.append(f"snapshot_retention_days {snapshot_retention_days!r} must be 1 to 35")
        if problems:
            raise ValueError("Valkey cache: " + "; ".join(problems))
        super().__init__(scope, id)
        guard = TerraformResourceLifecycle(prevent_destroy=True) if prevent_destroy else None

        self.subnet_group = ElasticacheSubnetGroup(
            self, "subnet-group", name=name, description=f"Private subnets of the {name} cache",
            subnet_ids=list(subnet_ids_by_zone.values()),
        )
        self.security_group = SecurityGroup(
            self, "security-group", name_prefix=f"{name}-", vpc_id=vpc_id,
            description=f"Valkey {name} from the cluster nodes only",
            ingress=[SecurityGroupIngress(description="Valkey (TLS) from the cluster nodes", protocol="tcp",
                                          from_port=PORT, to_port=PORT, security_groups=[node_security_group_id])],
            egress=[],  # replies need no rule; the cache opens no connections
            tags={"Name": f"{name}-cache"},
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
        )
        self.user = ElasticacheUser(
            self, "user", user_id=f"{name}-app", user_name=f"{name}-app", engine=ENGINE, access_string=access_string,
            authentication_mode=ElasticacheUserAuthenticationMode(type="iam"),
        )
        self.user_group = ElasticacheUserGroup(self, "user-group", user_group_id=name, engine=ENGINE,
                                               user_ids=[self.user.user_id])
        self.slow_log = CloudwatchLogGroup(
            self, "slow-log", name=f"/aws/elasticache/{name}/slow-log", kms_key_id=kms_key_arn,
            retention_in_days=log_retention_days,
        )
        self.replication_group = ElasticacheReplicationGroup(
            self, "replication-group", replication_group_id=name, description=f"Valkey cache {name}",
            engine=ENGINE, engine_version=ELASTICACHE_VALKEY_VERSION, node_type=node_type, port=PORT,
            cluster_mode="disabled", num_node_groups=1, replicas_per_node_group=replicas,
            automatic_failover_enabled=True, multi_az_enabled=True,
            at_rest_encryption_enabled="true", kms_key_id=kms_key_arn, transit_encryption_enabled=True,
            user_group_ids=[self.user_group.user_group_id],
            subnet_group_name=self.subnet_group.name, security_group_ids=[self.security_group.id],
            snapshot_retention_limit=snapshot_retention_days, snapshot_window=SNAPSHOT_WINDOW,
            final_snapshot_identifier=f"{name}-final", maintenance_window=MAINTENANCE_WINDOW,
            auto_minor_version_upgrade="true",
            log_delivery_configuration=[ElasticacheReplicationGroupLogDeliveryConfiguration(
                destination=self.slow_log.name, destination_type="cloudwatch-logs", log_format="json",
                log_type="slow-log")],
            lifecycle=guard,
        )

    @property
    def endpoint(self) -> str:
        """The primary endpoint's host (reads and writes; follows a failover)."""
        return self.replication_group.primary_endpoint_address

    @property
    def reader_endpoint(self) -> str:
        return self.replication_group.reader_endpoint_address

    @property
    def arn(self) -> str:
        return self.replication_group.arn

    @property
    def user_name(self) -> str:
        """The IAM-authenticated user a client connects as (also its IAM auth token's user)."""
        return self.user.user_name

    @property
    def user_arn(self) -> str:
        return self.user.arn
