"""The AWS data layer (``<env>-data``): the EFS file system, with a key of its own."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.aws.contracts import AwsClusterContract, AwsDataContract
from platform_constructs.aws.file_system import EfsFileSystem
from platform_constructs.aws.kms_key import EncryptionKey
from platform_constructs.contracts import NetworkContract
from platform_constructs.outputs import named_output
from platform_constructs.spec import EnvironmentSpec


class AwsData(Construct):
    """What must outlive the cluster and the addons. Today: the EFS file system behind the
    ``efs-ap`` StorageClass, when ``addons.file_storage`` is on (else nothing).

    - :class:`EfsFileSystem` with the file's ``addons.file_system`` settings (performance and
      throughput mode, AWS Backup's daily backups per ``backup``): a mount target in each
      zone's private subnet, NFS (TCP 2049) only from the node security group (the EKS
      cluster security group every managed node carries), TLS-only file system policy.
    - Encrypted with a KMS key of its own (``alias/<cluster>-data``, rotation on, 30-day
      deletion window), not the cluster's key: the cluster key lives in ``<env>-cluster``,
      and destroying or rebuilding that stack schedules it for deletion, after which a file
      system encrypted with it could no longer be read. The data layer's key lives and dies
      with the data it encrypts. (The EBS StorageClass keeps the cluster's key: its volumes
      belong to the cluster's pods and are deleted with their claims.)
    - ``prevent_destroy`` on the file system: Terraform refuses any plan that would destroy
      it. Environments on an emulator (``aws.endpoint`` set) are throwaway by definition
      and destroy what they apply, so there it is off.

    :param spec: the environment (``addons``, ``cluster.name``, ``region``, ``aws.endpoint``).
    :param network: its network contract (VPC id, private subnet per zone).
    :param cluster: its cluster contract (node security group).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, network: NetworkContract,
                 cluster: AwsClusterContract):
        if not isinstance(cluster, AwsClusterContract):
            raise TypeError(f"the AWS data layer needs an AwsClusterContract (node security group), "
                            f"got {type(cluster).__name__}")
        super().__init__(scope, id)
        self.key: EncryptionKey | None = None
        self.file_system: EfsFileSystem | None = None
        if spec.addons.file_storage:
            name = spec.cluster.name
            settings = spec.addons.file_system
            self.key = EncryptionKey(self, "key", alias=f"{name}-data",
                                     description=f"EKS {name}: data that outlives the cluster (EFS)", region=spec.region)
            self.file_system = EfsFileSystem(
                self, "file-system", name=f"{name}-shared", kms_key_arn=self.key.arn,
                subnet_ids_by_zone=network.private_subnet_ids_by_zone, vpc_id=network.network_id,
                node_security_group_id=cluster.node_security_group_id,
                performance_mode=settings.performance_mode, throughput_mode=settings.throughput_mode,
                provisioned_throughput_mibps=settings.provisioned_throughput_mibps,
                enable_backup=settings.backup, prevent_destroy=spec.aws.endpoint is None,
            )
            named_output(self, "file_system_id", self.file_system.id, "EFS file system id (the efs-ap StorageClass's)")
            named_output(self, "file_system_arn", self.file_system.arn, "EFS file system ARN")
            named_output(self, "efs_security_group_id", self.file_system.security_group_id,
                         "Security group of the EFS mount targets (NFS from the nodes only)")
            named_output(self, "data_kms_key_arn", self.key.arn, "KMS key encrypting the data layer")
        self.contract = AwsDataContract(file_system_id=self.file_system.id if self.file_system else None)
