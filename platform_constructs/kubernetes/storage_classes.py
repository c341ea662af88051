"""StorageClasses for the block and file CSI drivers of each cloud (issue 12).

Each builder returns a frozen :class:`StorageClassSpec`; ``spec.manifest()`` is the
``storage.k8s.io/v1`` StorageClass as a plain dict, ready for the kubernetes provider.
``storage_class_manifests`` turns one cloud's set into manifests and checks the set
(unique names, at most one default class).

Rules every class here follows (and why):

- ``volumeBindingMode: WaitForFirstConsumer`` on every class, block and file: a zonal
  volume (EBS, PD, LRS disk, basic/zonal Filestore) is created in the zone the pod is
  scheduled to, never in a zone the pod cannot reach; for regional file systems (EFS,
  ZRS shares) it costs nothing.
- ``allowVolumeExpansion: true`` on every class whose driver can grow a volume (all
  block drivers, Filestore, Azure Files). EFS is elastic and its driver has no expand
  call, so its class says ``false`` rather than promise a resize that would hang.
- ``reclaimPolicy``: ``Delete`` for block classes (a disk belongs to one pod; a
  retained one is an orphaned, billed, encrypted disk nobody owns), ``Retain`` for
  file classes (a share is read by several workloads and usually holds data that must
  outlive a release: ``helm uninstall`` must not wipe it; the price is that released
  shares stay until an operator deletes them). Either can be overridden.
- Every block class is encrypted with the customer key it is given (EBS KMS key,
  PD CMEK, Azure disk encryption set): the builders take the key as a required
  argument, so an unencrypted block class cannot be built. File classes rely on the
  file service's own encryption (EFS: the file system's KMS key; Filestore: an
  optional CMEK; Azure Files: the storage service's encryption at rest).
- Names are DNS-1123 subdomains and must not be a class the cloud ships and
  reconciles itself (e.g. AKS ``managed-csi``, GKE ``standard-rwo``, EKS ``gp2``).

Key, file-system and network arguments accept Terraform references (any string that
contains ``${``, e.g. ``"${aws_kms_key.ebs.arn}"`` or a cdktf token); literal values
are checked for the shape the driver expects. Invalid arguments raise one
``ValueError`` whose message is a single line listing every problem and its fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

API_VERSION = "storage.k8s.io/v1"
KIND = "StorageClass"
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"

AWS_EBS_PROVISIONER = "ebs.csi.aws.com"
AWS_EFS_PROVISIONER = "efs.csi.aws.com"
GCP_PD_PROVISIONER = "pd.csi.storage.gke.io"
GCP_FILESTORE_PROVISIONER = "filestore.csi.storage.gke.io"
AZURE_DISK_PROVISIONER = "disk.csi.azure.com"
AZURE_FILE_PROVISIONER = "file.csi.azure.com"

ReclaimPolicy = Literal["Delete", "Retain"]
BindingMode = Literal["WaitForFirstConsumer", "Immediate"]
StorageKind = Literal["block", "file"]

_RECLAIM_POLICIES = ("Delete", "Retain")
_BINDING_MODES = ("WaitForFirstConsumer", "Immediate")
_KINDS = ("block", "file")

#: PD types the platform offers (hyperdisk needs other parameters and machine types).
GCP_PD_TYPES = ("pd-balanced", "pd-ssd", "pd-standard")
#: Filestore tiers as the Filestore CSI driver names them (``standard`` and
#: ``premium`` are the driver's aliases of ``basic_hdd`` and ``basic_ssd``).
GCP_FILESTORE_TIERS = ("standard", "premium", "basic_hdd", "basic_ssd", "high_scale_ssd", "zonal", "enterprise")
GCP_FILESTORE_CONNECT_MODES = ("DIRECT_PEERING", "PRIVATE_SERVICE_ACCESS")
#: Managed-disk SKUs for the disk class (Ultra/PremiumV2 need other parameters and no caching).
AZURE_DISK_SKUS = ("Premium_ZRS", "Premium_LRS", "StandardSSD_ZRS", "StandardSSD_LRS")
AZURE_DISK_ENCRYPTION_TYPES = ("EncryptionAtRestWithCustomerKey", "EncryptionAtRestWithPlatformAndCustomerKeys")
#: NFS shares exist only on premium (FileStorage) accounts.
AZURE_FILES_SKUS = ("Premium_ZRS", "Premium_LRS")
#: Mount options Microsoft recommends for NFS Azure Files on AKS.
AZURE_FILES_NFS_MOUNT_OPTIONS = ("nconnect=4", "noresvport", "actimeo=30")

#: StorageClasses the managed clusters create and reconcile themselves (EKS, GKE, AKS):
#: a class of ours with one of these names would fight the cloud's add-on manager.
CLOUD_OWNED_NAMES = frozenset(
    {
        "gp2",
        "standard",
        "standard-rwo",
        "premium-rwo",
        "standard-rwx",
        "premium-rwx",
        "enterprise-rwx",
        "enterprise-multishare-rwx",
        "zonal-rwx",
        "default",
        "managed",
        "managed-premium",
        "managed-csi",
        "managed-csi-premium",
        "azurefile",
        "azurefile-premium",
        "azurefile-csi",
        "azurefile-csi-premium",
    }
)

_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_AWS_KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/[A-Za-z0-9/_-]+$")
_AWS_EFS_ID = re.compile(r"^fs-[0-9a-f]{8,17}$")
_GCP_KMS_KEY = re.compile(r"^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$")
_GCP_NETWORK = re.compile(r"^(projects/[a-z][-a-z0-9]{4,28}[a-z0-9]/global/networks/)?[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
_AZURE_DES_ID = re.compile(
    r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Compute/diskEncryptionSets/[^/]+$",
    re.IGNORECASE,
)
_OCTAL_PERMS = re.compile(r"^[0-7]{3,4}$")


def is_reference(value: str) -> bool:
    """True for a Terraform reference or cdktf token (resolved at apply time)."""
    return "${" in value


@dataclass(frozen=True)
class StorageClassSpec:
    """One StorageClass, validated on construction.

    Prefer the cloud builders below; build a spec directly only for a driver they do
    not cover (and then say what encrypts it).
    """

    #: ``metadata.name``: a DNS-1123 subdomain, not a name the cloud owns.
    name: str
    #: The CSI driver name, e.g. ``ebs.csi.aws.com``.
    provisioner: str
    #: ``"block"`` (one pod's disk) or ``"file"`` (a shared file system).
    kind: StorageKind
    #: Driver parameters. Every value is a string (the API allows nothing else);
    #: Terraform references are fine. Default: none.
    parameters: Mapping[str, str] = field(default_factory=dict)
    #: The customer key (KMS key ARN, CMEK id, disk encryption set id) the driver
    #: encrypts volumes with; it must also appear among ``parameters``. Required for
    #: block classes. Default: None (the service's own encryption; file classes only).
    encryption_key: str | None = None
    #: Mark as the cluster's default class. Default: False.
    default: bool = False
    #: Default: ``Delete``.
    reclaim_policy: ReclaimPolicy = "Delete"
    #: Default: ``WaitForFirstConsumer`` (required for block classes).
    volume_binding_mode: BindingMode = "WaitForFirstConsumer"
    #: Default: True (required for block classes).
    allow_volume_expansion: bool = True
    #: Default: none.
    mount_options: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        object.__setattr__(self, "mount_options", tuple(self.mount_options))
        errors: list[str] = []
        _check_name(self.name, errors)
        if not isinstance(self.provisioner, str) or not self.provisioner:
            errors.append("provisioner must be the CSI driver's name, e.g. 'ebs.csi.aws.com'")
        if self.kind not in _KINDS:
            errors.append(f"kind {self.kind!r} is not one of {', '.join(_KINDS)}")
        if self.reclaim_policy not in _RECLAIM_POLICIES:
            errors.append(f"reclaim_policy {self.reclaim_policy!r} is not one of {', '.join(_RECLAIM_POLICIES)}")
        if self.volume_binding_mode not in _BINDING_MODES:
            errors.append(f"volume_binding_mode {self.volume_binding_mode!r} is not one of {', '.join(_BINDING_MODES)}")
        for key, value in self.parameters.items():
            if not isinstance(key, str) or not key:
                errors.append(f"parameter name {key!r} must be a non-empty string")
            elif not isinstance(value, str) or not value:
                errors.append(f"parameter {key}={value!r} must be a non-empty string (quote numbers and booleans)")
        for option in self.mount_options:
            if not isinstance(option, str) or not option:
                errors.append(f"mount option {option!r} must be a non-empty string")
        if self.encryption_key is not None and self.encryption_key not in self.parameters.values():
            errors.append("encryption_key must be passed to the driver as one of the parameters")
        if self.kind == "block":
            if self.encryption_key is None:
                errors.append("a block class must be encrypted with a customer key: set encryption_key")
            if self.volume_binding_mode != "WaitForFirstConsumer":
                errors.append("a block class must use volume_binding_mode WaitForFirstConsumer (zonal disks)")
            if not self.allow_volume_expansion:
                errors.append("a block class must allow volume expansion")
        _raise_if(self.name, errors)

    @property
    def encrypted(self) -> bool:
        """True when volumes are encrypted with a customer key this class names."""
        return self.encryption_key is not None

    def manifest(self) -> dict:
        """The StorageClass as a plain ``storage.k8s.io/v1`` dict."""
        metadata: dict = {"name": self.name}
        if self.default:
            metadata["annotations"] = {DEFAULT_CLASS_ANNOTATION: "true"}
        manifest: dict = {
            "apiVersion": API_VERSION,
            "kind": KIND,
            "metadata": metadata,
            "provisioner": self.provisioner,
            "parameters": dict(self.parameters),
            "reclaimPolicy": self.reclaim_policy,
            "volumeBindingMode": self.volume_binding_mode,
            "allowVolumeExpansion": self.allow_volume_expansion,
        }
        if self.mount_options:
            manifest["mountOptions"] = list(self.mount_options)
        return manifest


def storage_class_manifests(specs: Iterable[StorageClassSpec]) -> list[dict]:
    """Manifests of one cluster's classes; refuses duplicate names and two defaults."""
    specs = list(specs)
    errors: list[str] = []
    names = [spec.name for spec in specs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        errors.append(f"names {', '.join(duplicates)} are used more than once; give each class its own name")
    defaults = [spec.name for spec in specs if spec.default]
    if len(defaults) > 1:
        errors.append(f"{len(defaults)} default classes ({', '.join(defaults)}); mark exactly one default=True")
    if errors:
        raise ValueError(f"storage classes: {'; '.join(errors)}")
    return [spec.manifest() for spec in specs]


# --- AWS -------------------------------------------------------------------------


def aws_ebs_gp3(
    kms_key_arn: str,
    *,
    name: str = "ebs-gp3",
    default: bool = True,
    fs_type: Literal["ext4", "xfs"] = "ext4",
    reclaim_policy: ReclaimPolicy = "Delete",
) -> StorageClassSpec:
    """EBS gp3 volumes encrypted with the environment's KMS key.

    ``kms_key_arn``: the key's full ARN (the driver needs the ARN, not the key id).
    Defaults: name ``ebs-gp3``, the cluster's default class, ext4, reclaim Delete.
    gp3's baseline (3000 IOPS, 125 MiB/s) applies; the driver's ``iops`` and
    ``throughput`` parameters are not set.
    """
    errors: list[str] = []
    _check_value("kms_key_arn", kms_key_arn, _AWS_KMS_KEY_ARN, "arn:aws:kms:<region>:<account>:key/<key-id>", errors)
    _check_choice("fs_type", fs_type, ("ext4", "xfs"), errors)
    _check_name(name, errors)
    _raise_if(name, errors)
    return StorageClassSpec(
        name=name,
        provisioner=AWS_EBS_PROVISIONER,
        kind="block",
        parameters={
            "type": "gp3",
            "encrypted": "true",
            "kmsKeyId": kms_key_arn,
            # The driver's documented key for the file system (the bare ``fsType`` is legacy).
            "csi.storage.k8s.io/fstype": fs_type,
        },
        encryption_key=kms_key_arn,
        default=default,
        reclaim_policy=reclaim_policy,
    )


def aws_efs(
    file_system_id: str,
    *,
    name: str = "efs-ap",
    directory_perms: str = "700",
    base_path: str = "/dynamic",
    gid_range: tuple[int, int] | None = None,
    reclaim_policy: ReclaimPolicy = "Retain",
) -> StorageClassSpec:
    """EFS, one access point per volume (``provisioningMode: efs-ap``).

    Encryption at rest is the file system's (its customer KMS key, set in the data
    stack); the driver mounts with TLS. Defaults: name ``efs-ap``, not the default
    class, directories ``700`` under ``/dynamic``, the driver's GID range
    (50000-7000000), reclaim Retain, no volume expansion (EFS is elastic; the
    requested size is ignored).
    """
    errors: list[str] = []
    _check_value("file_system_id", file_system_id, _AWS_EFS_ID, "fs-<8 to 17 hex digits>", errors)
    if not isinstance(directory_perms, str) or not _OCTAL_PERMS.match(directory_perms):
        errors.append(f"directory_perms {directory_perms!r} must be 3 or 4 octal digits as a string, e.g. '700'")
    if not isinstance(base_path, str) or not base_path.startswith("/") or base_path != base_path.strip():
        errors.append(f"base_path {base_path!r} must be an absolute path, e.g. '/dynamic'")
    parameters = {
        "provisioningMode": "efs-ap",
        "fileSystemId": file_system_id,
        "directoryPerms": directory_perms,
        "basePath": base_path,
    }
    if gid_range is not None:
        start, end = gid_range
        if not (_is_int(start) and _is_int(end) and 0 < start <= end):
            errors.append(f"gid_range {gid_range!r} must be two integers start <= end, both above 0")
        else:
            parameters["gidRangeStart"] = str(start)
            parameters["gidRangeEnd"] = str(end)
    _check_name(name, errors)
    _raise_if(name, errors)
    return StorageClassSpec(
        name=name,
        provisioner=AWS_EFS_PROVISIONER,
        kind="file",
        parameters=parameters,
        reclaim_policy=reclaim_policy,
        allow_volume_expansion=False,
    )


def aws_storage_classes(*, kms_key_arn: str, efs_file_system_id: str | None = None) -> tuple[StorageClassSpec, ...]:
    """AWS's set: EBS gp3 (default) and, given a file system, EFS."""
    specs = [aws_ebs_gp3(kms_key_arn)]
    if efs_file_system_id is not None:
        specs.append(aws_efs(efs_file_system_id))
    return tuple(specs)


# --- GCP -------------------------------------------------------------------------


def gcp_pd(
    disk_type: str,
    kms_key_id: str,
    *,
    name: str | None = None,
    default: bool = False,
    fs_type: Literal["ext4", "xfs"] = "ext4",
    reclaim_policy: ReclaimPolicy = "Delete",
) -> StorageClassSpec:
    """Persistent Disk encrypted with a customer-managed key (CMEK).

    ``disk_type``: one of ``GCP_PD_TYPES``. ``kms_key_id``:
    ``projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`` (the Compute Engine
    service agent needs encrypter/decrypter on it). Defaults: name = the disk type,
    not the default class, ext4, reclaim Delete, zonal disks.
    """
    errors: list[str] = []
    _check_choice("disk_type", disk_type, GCP_PD_TYPES, errors)
    _check_value("kms_key_id", kms_key_id, _GCP_KMS_KEY, "projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>", errors)
    _check_choice("fs_type", fs_type, ("ext4", "xfs"), errors)
    name = disk_type if name is None else name
    _check_name(name, errors)
    _raise_if(name, errors)
    return StorageClassSpec(
        name=name,
        provisioner=GCP_PD_PROVISIONER,
        kind="block",
        parameters={
            "type": disk_type,
            "disk-encryption-kms-key": kms_key_id,
            "csi.storage.k8s.io/fstype": fs_type,
        },
        encryption_key=kms_key_id,
        default=default,
        reclaim_policy=reclaim_policy,
    )


def gcp_filestore(
    tier: str,
    network: str,
    *,
    name: str = "filestore",
    connect_mode: str = "DIRECT_PEERING",
    kms_key_id: str | None = None,
    reclaim_policy: ReclaimPolicy = "Retain",
) -> StorageClassSpec:
    """Filestore, one instance per volume, on the cluster's VPC.

    ``tier``: one of ``GCP_FILESTORE_TIERS`` (case-insensitive: ``BASIC_HDD`` is
    accepted and written as the driver's ``basic_hdd``). ``network``: the VPC's name,
    or ``projects/<host>/global/networks/<name>`` for a Shared VPC (then use
    ``connect_mode="PRIVATE_SERVICE_ACCESS"``). Defaults: name ``filestore``, not the
    default class, direct peering, Google-managed encryption unless ``kms_key_id``
    is given (then ``instance-encryption-kms-key``), reclaim Retain.
    """
    errors: list[str] = []
    if isinstance(tier, str) and not is_reference(tier):
        tier = tier.lower()
    _check_choice("tier", tier, GCP_FILESTORE_TIERS, errors)
    _check_value("network", network, _GCP_NETWORK, "the VPC's name or projects/<host>/global/networks/<name>", errors)
    _check_choice("connect_mode", connect_mode, GCP_FILESTORE_CONNECT_MODES, errors)
    parameters = {"tier": tier, "network": network, "connect-mode": connect_mode}
    if kms_key_id is not None:
        _check_value("kms_key_id", kms_key_id, _GCP_KMS_KEY, "projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>", errors)
        parameters["instance-encryption-kms-key"] = kms_key_id
    _check_name(name, errors)
    _raise_if(name, errors)
    return StorageClassSpec(
        name=name,
        provisioner=GCP_FILESTORE_PROVISIONER,
        kind="file",
        parameters=parameters,
        encryption_key=kms_key_id,
        reclaim_policy=reclaim_policy,
    )


def gcp_storage_classes(
    *, kms_key_id: str, filestore_network: str | None = None, filestore_tier: str = "standard"
) -> tuple[StorageClassSpec, ...]:
    """GCP's set: pd-balanced (default) and pd-ssd with CMEK; Filestore given a network."""
    specs = [gcp_pd("pd-balanced", kms_key_id, default=True), gcp_pd("pd-ssd", kms_key_id)]
    if filestore_network is not None:
        specs.append(gcp_filestore(filestore_tier, filestore_network))
    return tuple(specs)


# --- Azure -----------------------------------------------------------------------


def azure_disk(
    disk_encryption_set_id: str,
    *,
    name: str = "azure-disk-premium",
    sku: str = "Premium_ZRS",
    encryption_type: str = "EncryptionAtRestWithCustomerKey",
    default: bool = True,
    reclaim_policy: ReclaimPolicy = "Delete",
) -> StorageClassSpec:
    """Managed disks encrypted through a disk encryption set (customer key).

    Default SKU ``Premium_ZRS``: the disk is replicated across the region's zones and
    can attach to a node in any zone, so a stateful pod survives a zone outage and
    reschedules freely; it costs about 1.5x ``Premium_LRS``, writes are slightly
    slower, and a few regions lack it (then pass ``sku="Premium_LRS"``).
    ``encryption_type`` must match the encryption set's own type. Disks refuse
    export/import through SAS URLs (``networkAccessPolicy: DenyAll``). Defaults:
    name ``azure-disk-premium``, the cluster's default class, reclaim Delete.
    """
    errors: list[str] = []
    _check_value(
        "disk_encryption_set_id",
        disk_encryption_set_id,
        _AZURE_DES_ID,
        "/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Compute/diskEncryptionSets/<name>",
        errors,
    )
    _check_choice("sku", sku, AZURE_DISK_SKUS, errors)
    _check_choice("encryption_type", encryption_type, AZURE_DISK_ENCRYPTION_TYPES, errors)
    _check_name(name, errors)
    _raise_if(name, errors)
    return StorageClassSpec(
        name=name,
        provisioner=AZURE_DISK_PROVISIONER,
        kind="block",
        parameters={
            "skuName": sku,
            "diskEncryptionSetID": disk_encryption_set_id,
            "diskEncryptionType": encryption_type,
            "networkAccessPolicy": "DenyAll",
        },
        encryption_key=disk_encryption_set_id,
        default=default,
        reclaim_policy=reclaim_policy,
    )


def azure_files_premium(
    *,
    name: str = "azure-files-premium-nfs",
    sku: str = "Premium_ZRS",
    reclaim_policy: ReclaimPolicy = "Retain",
) -> StorageClassSpec:
    """Premium Azure Files over NFS 4.1, reached through a private endpoint.

    NFS rather than SMB: an SMB mount needs the storage account key in a Kubernetes
    Secret (a static key, which the platform forbids), while NFS authenticates by
    network, here a private endpoint in the cluster's VNet; NFS also gives Linux
    workloads POSIX permissions. NFS exists only on premium accounts. Encryption at
    rest is the storage service's. Defaults: name ``azure-files-premium-nfs``,
    ``Premium_ZRS`` (zone-redundant), not the default class, Microsoft's NFS mount
    options (``nconnect=4``, ``noresvport``, ``actimeo=30``), reclaim Retain.
    """
    errors: list[str] = []
    _check_choice("sku", sku, AZURE_FILES_SKUS, errors)
    _check_name(name, errors)
    _raise_if(name, errors)
    return StorageClassSpec(
        name=name,
        provisioner=AZURE_FILE_PROVISIONER,
        kind="file",
        parameters={"skuName": sku, "protocol": "nfs", "networkEndpointType": "privateEndpoint"},
        reclaim_policy=reclaim_policy,
        mount_options=AZURE_FILES_NFS_MOUNT_OPTIONS,
    )


def azure_storage_classes(*, disk_encryption_set_id: str, files: bool = True) -> tuple[StorageClassSpec, ...]:
    """Azure's set: premium disk (default) and, unless ``files=False``, premium NFS files."""
    specs = [azure_disk(disk_encryption_set_id)]
    if files:
        specs.append(azure_files_premium())
    return tuple(specs)


# --- helpers ---------------------------------------------------------------------


def _check_name(name: object, errors: list[str]) -> None:
    if not isinstance(name, str) or len(name) > 253 or not _DNS1123_SUBDOMAIN.match(name):
        errors.append(
            f"name {name!r} must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', "
            "starting and ending with a letter or digit, at most 253 characters)"
        )
    elif name in CLOUD_OWNED_NAMES:
        errors.append(f"name {name!r} is a class the managed cluster creates and reconciles itself; choose another")


def _check_value(field_name: str, value: object, pattern: re.Pattern[str], shape: str, errors: list[str]) -> None:
    if not isinstance(value, str) or not value:
        errors.append(f"{field_name} must be a string: {shape} or a Terraform reference to it")
    elif not is_reference(value) and not pattern.match(value):
        errors.append(f"{field_name} {value!r} is not {shape} (pass that or a Terraform reference to it)")


def _check_choice(field_name: str, value: object, choices: tuple[str, ...], errors: list[str]) -> None:
    if value not in choices:
        errors.append(f"{field_name} {value!r} is not one of {', '.join(choices)}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _raise_if(name: object, errors: list[str]) -> None:
    if errors:
        raise ValueError(f"storage class {name!r}: {'; '.join(errors)}")
