"""StorageClasses of block CSI drivers encrypt with a customer key; EFS classes name their file system.

A StorageClass decides how every volume of its claims is created, so an unencrypted
block class would quietly produce unencrypted disks long after the stack was reviewed.
Checked on ``kubernetes_storage_class_v1``, the legacy ``kubernetes_storage_class`` and
``kubernetes_manifest`` objects of kind StorageClass:

- ``ebs.csi.aws.com``: ``encrypted: "true"`` and ``kmsKeyId``;
- ``pd.csi.storage.gke.io``: ``disk-encryption-kms-key``;
- ``disk.csi.azure.com``: ``diskEncryptionSetID``;
- ``efs.csi.aws.com``: ``fileSystemId`` (the file system's own encryption is the
  ``encrypted`` rule's, on ``aws_efs_file_system``).

The in-tree provisioner names (``kubernetes.io/aws-ebs``, ``kubernetes.io/gce-pd``,
``kubernetes.io/azure-disk``) are migrated to the same CSI drivers and checked the same
way. Parameter names are compared case-insensitively, as the drivers read them.
"""

from platform_constructs.invariants import Rule, Violation, resources

EBS = ("ebs.csi.aws.com", "kubernetes.io/aws-ebs")
PD = ("pd.csi.storage.gke.io", "kubernetes.io/gce-pd")
AZURE_DISK = ("disk.csi.azure.com", "kubernetes.io/azure-disk")
EFS = ("efs.csi.aws.com",)


def _classes(doc):
    """``(address, provisioner, parameters)`` of every StorageClass the stack writes."""
    for address, body in resources(doc, "kubernetes_storage_class_v1", "kubernetes_storage_class"):
        yield address, body.get("storage_provisioner"), body.get("parameters")
    for address, body in resources(doc, "kubernetes_manifest"):
        manifest = body.get("manifest")
        if isinstance(manifest, dict) and manifest.get("kind") == "StorageClass":
            yield address, manifest.get("provisioner"), manifest.get("parameters")


def _set(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def check(stack, doc, spec):
    for address, provisioner, parameters in _classes(doc):
        if provisioner not in EBS + PD + AZURE_DISK + EFS:
            continue
        if not isinstance(parameters, dict):
            yield Violation(stack, address, f"{provisioner} class has no literal parameters map, so its encryption "
                                            "cannot be checked: write the parameters out in the class")
            continue
        params = {str(k).lower(): v for k, v in parameters.items()}
        if provisioner in EBS:
            if str(params.get("encrypted")).lower() != "true" or not _set(params.get("kmsKeyId".lower())):
                yield Violation(stack, address, "EBS class does not encrypt its volumes with a customer key: set "
                                                "parameters encrypted = \"true\" and kmsKeyId = the KMS key's ARN")
        elif provisioner in PD:
            if not _set(params.get("disk-encryption-kms-key")):
                yield Violation(stack, address, "Persistent Disk class does not encrypt its disks with a customer key: "
                                                "set parameters disk-encryption-kms-key = the Cloud KMS key's id")
        elif provisioner in AZURE_DISK:
            if not _set(params.get("diskEncryptionSetID".lower())):
                yield Violation(stack, address, "Azure Disk class does not encrypt its disks with a customer key: "
                                                "set parameters diskEncryptionSetID = the disk encryption set's id")
        elif not _set(params.get("fileSystemId".lower())):
            yield Violation(stack, address, "EFS class names no file system: set parameters fileSystemId = the "
                                            "encrypted aws_efs_file_system's id")


RULE = Rule("storage-class-encrypted",
            "block StorageClasses encrypt with a customer key; EFS classes name their file system", check)
