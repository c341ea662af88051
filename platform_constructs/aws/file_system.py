"""An encrypted EFS file system reachable over NFS from the cluster's nodes only."""

from __future__ import annotations

import json
from collections.abc import Mapping

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.efs_backup_policy import EfsBackupPolicy, EfsBackupPolicyBackupPolicy
from cdktf_cdktf_provider_aws.efs_file_system import EfsFileSystem as _FileSystem
from cdktf_cdktf_provider_aws.efs_file_system import EfsFileSystemLifecyclePolicy
from cdktf_cdktf_provider_aws.efs_file_system_policy import EfsFileSystemPolicy
from cdktf_cdktf_provider_aws.efs_mount_target import EfsMountTarget
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress

NFS_PORT = 2049
PERFORMANCE_MODES = ("generalPurpose", "maxIO")
THROUGHPUT_MODES = ("bursting", "elastic", "provisioned")
#: The ``AFTER_<n>_DAY(S)`` values EFS accepts for a transition to Infrequent Access.
IA_AFTER_DAYS = (1, 7, 14, 30, 60, 90, 180, 270, 365)
#: What NFS clients may do, and only through a mount target (the file system policy).
CLIENT_ACTIONS = ("elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess")


def _check(*, performance_mode: str, throughput_mode: str, provisioned_throughput_mibps: float | None,
           subnet_ids_by_zone: Mapping[str, str], ia_after_days: int) -> None:
    """Every problem with the arguments, raised once as a one-line ``ValueError``."""
    problems = []
    if performance_mode not in PERFORMANCE_MODES:
        problems.append(f"performance mode {performance_mode!r} is not one of {', '.join(PERFORMANCE_MODES)}: "
                        "use generalPurpose (maxIO only for highly parallel workloads)")
    if throughput_mode not in THROUGHPUT_MODES:
        problems.append(f"throughput mode {throughput_mode!r} is not one of {', '.join(THROUGHPUT_MODES)}: "
                        "use elastic unless the load is steady")
    elif throughput_mode == "provisioned" and (provisioned_throughput_mibps is None or provisioned_throughput_mibps <= 0):
        problems.append(f"throughput mode 'provisioned' needs a throughput in MiB/s > 0 (got {provisioned_throughput_mibps}): "
                        "set provisioned_throughput_mibps, or use elastic")
    elif throughput_mode != "provisioned" and provisioned_throughput_mibps is not None:
        problems.append(f"provisioned_throughput_mibps {provisioned_throughput_mibps} applies only to throughput mode "
                        f"'provisioned', not {throughput_mode!r}: drop it or set throughput mode 'provisioned'")
    if performance_mode == "maxIO" and throughput_mode == "elastic":
        problems.append("performance mode 'maxIO' does not support throughput mode 'elastic': "
                        "use generalPurpose, or throughput mode bursting/provisioned")
    if not subnet_ids_by_zone:
        problems.append("no subnets: give one private subnet per zone so every zone has a mount target")
    if ia_after_days not in IA_AFTER_DAYS:
        problems.append(f"ia_after_days {ia_after_days} is not one of {', '.join(map(str, IA_AFTER_DAYS))}: pick one of them")
    if problems:
        raise ValueError("EFS file system: " + "; ".join(problems))


class EfsFileSystem(Construct):
    """An EFS file system for the EFS CSI driver's volumes (access point per volume).

    - Encrypted at rest with the customer key; the file system policy denies every
      request not made over TLS and lets NFS clients mount, write and act as root only
      through a mount target (no other access path).
    - One mount target per zone, each in that zone's private subnet, behind one security
      group whose only rule admits TCP 2049 from the nodes' security group (no CIDR).
      The group has no egress rule: security groups are stateful, so NFS replies to the
      nodes flow anyway, and a mount target never opens connections of its own.
    - Files unread for ``ia_after_days`` move to Infrequent Access and back to the
      standard class on their first access.
    - AWS Backup's daily backup on (``enable_backup``).
    - The data outlives clusters: ``prevent_destroy`` makes Terraform refuse any plan that
      destroys the file system (EFS has no deletion-protection flag of its own). The
      ``creation_token`` is ``name``, so an apply interrupted after EFS created the file
      system converges instead of creating a second one.

    :param name: file system ``Name`` tag and creation token; prefix of the security group name.
    :param kms_key_arn: customer key encrypting the file system.
    :param subnet_ids_by_zone: zone -> private subnet id; one mount target each (keyed by
        zone, so adding or removing a zone leaves the other mount targets alone).
    :param vpc_id: the VPC of those subnets (the security group's).
    :param node_security_group_id: the only source allowed to reach NFS (the EKS cluster
        security group the nodes carry).
    :param performance_mode: ``generalPurpose`` or ``maxIO``. Default: ``generalPurpose``
        (lowest latency; maxIO does not combine with elastic throughput).
    :param throughput_mode: ``bursting``, ``elastic`` or ``provisioned``. Default: ``elastic``
        (scales with the load, billed per use).
    :param provisioned_throughput_mibps: MiB/s; required with (and only with) ``provisioned``.
        Default: None.
    :param ia_after_days: days without access before a file moves to Infrequent Access.
        Default: 30.
    :param enable_backup: AWS Backup's daily backups (``aws_efs_backup_policy``); False omits
        the resource (the emulator does not implement PutBackupPolicy). Default: True.
    :param prevent_destroy: Terraform refuses to destroy the file system. Default: True; False
        only for throwaway environments that destroy what they apply (the emulator's runs).
    :param tags: extra tags on the file system and security group (the environment's tags
        come from the provider's default tags). Default: None.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, kms_key_arn: str, subnet_ids_by_zone: Mapping[str, str],
                 vpc_id: str, node_security_group_id: str, performance_mode: str = "generalPurpose",
                 throughput_mode: str = "elastic", provisioned_throughput_mibps: float | None = None,
                 ia_after_days: int = 30, enable_backup: bool = True, prevent_destroy: bool = True,
                 tags: Mapping[str, str] | None = None):
        _check(performance_mode=performance_mode, throughput_mode=throughput_mode,
               provisioned_throughput_mibps=provisioned_throughput_mibps, subnet_ids_by_zone=subnet_ids_by_zone,
               ia_after_days=ia_after_days)
        super().__init__(scope, id)
        extra_tags = dict(tags or {})

        self.file_system = _FileSystem(
            self,
            "file-system",
            creation_token=name,
            encrypted=True,
            kms_key_id=kms_key_arn,
            performance_mode=performance_mode,
            throughput_mode=throughput_mode,
            provisioned_throughput_in_mibps=provisioned_throughput_mibps,
            # EFS takes one transition per policy object: two blocks, not one with both fields.
            lifecycle_policy=[
                EfsFileSystemLifecyclePolicy(transition_to_ia=f"AFTER_{ia_after_days}_DAY{'S' if ia_after_days > 1 else ''}"),
                EfsFileSystemLifecyclePolicy(transition_to_primary_storage_class="AFTER_1_ACCESS"),
            ],
            tags={**extra_tags, "Name": name},
            lifecycle=TerraformResourceLifecycle(prevent_destroy=prevent_destroy) if prevent_destroy else None,
        )

        self.security_group = SecurityGroup(
            self,
            "security-group",
            # A prefix, not a fixed name: an interrupted apply must not block the next one, and a
            # replacement is created before the old group is released by the mount targets.
            name_prefix=f"{name}-efs-",
            description=f"NFS to EFS {name} from the cluster nodes only",
            vpc_id=vpc_id,
            ingress=[SecurityGroupIngress(
                description="NFS from the cluster nodes",
                protocol="tcp",
                from_port=NFS_PORT,
                to_port=NFS_PORT,
                security_groups=[node_security_group_id],
            )],
            egress=[],  # managed as "none": replies need no rule, and the mount targets open no connections
            tags={**extra_tags, "Name": f"{name}-efs"},
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
        )

        self.mount_targets = {
            zone: EfsMountTarget(
                self,
                f"mount-target-{zone}",
                file_system_id=self.file_system.id,
                subnet_id=subnet_id,
                security_groups=[self.security_group.id],
            )
            for zone, subnet_id in subnet_ids_by_zone.items()
        }

        self.backup_policy = EfsBackupPolicy(
            self,
            "backup-policy",
            file_system_id=self.file_system.id,
            backup_policy=EfsBackupPolicyBackupPolicy(status="ENABLED"),
        ) if enable_backup else None

        arn = self.file_system.arn
        self.policy = EfsFileSystemPolicy(
            self,
            "policy",
            file_system_id=self.file_system.id,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "DenyWithoutTls",
                        "Effect": "Deny",
                        "Principal": {"AWS": "*"},
                        "Action": "*",
                        "Resource": arn,
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    },
                    {
                        "Sid": "ClientsThroughMountTargets",
                        "Effect": "Allow",
                        "Principal": {"AWS": "*"},
                        "Action": list(CLIENT_ACTIONS),
                        "Resource": arn,
                        "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}},
                    },
                ],
            }),
        )

    @property
    def id(self) -> str:
        """The file system id (``fs-...``): the StorageClass's ``fileSystemId``."""
        return self.file_system.id

    @property
    def arn(self) -> str:
        return self.file_system.arn

    @property
    def security_group_id(self) -> str:
        return self.security_group.id
