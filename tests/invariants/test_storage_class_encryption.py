"""storage-class-encrypted: block StorageClasses encrypt with a customer key, EFS classes name a file system."""

import pytest
from cdktf_cdktf_provider_kubernetes.manifest import Manifest
from cdktf_cdktf_provider_kubernetes.storage_class import StorageClass, StorageClassMetadata
from cdktf_cdktf_provider_kubernetes.storage_class_v1 import StorageClassV1, StorageClassV1Metadata

from platform_constructs.invariants import rules
from platform_constructs.kubernetes import storage_classes as sc
from platform_constructs.kubernetes.storage_class_resources import StorageClasses
from tests.helpers import in_cluster_probe
from tests.invariants.helpers import SPEC

KMS = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
GCP_KEY = "projects/p/locations/us-central1/keyRings/gke/cryptoKeys/disks"
DES = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/des"

EBS_FIX = 'EBS class does not encrypt its volumes with a customer key: set parameters encrypted = "true" and kmsKeyId = the KMS key\'s ARN'
PD_FIX = "Persistent Disk class does not encrypt its disks with a customer key: set parameters disk-encryption-kms-key = the Cloud KMS key's id"
AZURE_FIX = "Azure Disk class does not encrypt its disks with a customer key: set parameters diskEncryptionSetID = the disk encryption set's id"
EFS_FIX = "EFS class names no file system: set parameters fileSystemId = the encrypted aws_efs_file_system's id"


stack_doc = in_cluster_probe



def violations(doc) -> list[tuple[str, str]]:
    rule = next(r for r in rules() if r.id == "storage-class-encrypted")
    return [(v.address, v.message) for v in rule.check("probe", doc, SPEC)]


def raw_class(provisioner: str, parameters: dict | None):
    """A class written straight with the resource, past the StorageClassSpec checks."""
    return lambda s: StorageClassV1(s, "raw", metadata=StorageClassV1Metadata(name="raw"),
                                    storage_provisioner=provisioner, parameters=parameters)


PASSING = {
    "ebs": lambda: [sc.aws_ebs_gp3(KMS)],
    "pd": lambda: [sc.gcp_pd("pd-balanced", GCP_KEY)],
    "azure-disk": lambda: [sc.azure_disk(DES)],
    "efs": lambda: [sc.aws_efs("fs-0123456789abcdef0")],
}


@pytest.mark.parametrize("driver", sorted(PASSING))
def test_the_platforms_classes_pass(driver):
    doc = stack_doc(lambda s: StorageClasses(s, "classes", specs=PASSING[driver]()))
    assert len(doc["resource"]["kubernetes_storage_class_v1"]) == 1
    assert violations(doc) == []


def test_every_clouds_full_set_passes():
    sets = [
        sc.aws_storage_classes(kms_key_arn=KMS, efs_file_system_id="fs-0123456789abcdef0"),
        sc.gcp_storage_classes(kms_key_id=GCP_KEY, filestore_network="vpc"),
        sc.azure_storage_classes(disk_encryption_set_id=DES),
    ]
    for specs in sets:
        assert violations(stack_doc(lambda s: StorageClasses(s, "classes", specs=specs))) == []


@pytest.mark.parametrize(
    "provisioner, parameters, fix",
    [
        ("ebs.csi.aws.com", {"type": "gp3"}, EBS_FIX),
        ("ebs.csi.aws.com", {"type": "gp3", "encrypted": "true"}, EBS_FIX),
        ("ebs.csi.aws.com", {"type": "gp3", "encrypted": "false", "kmsKeyId": KMS}, EBS_FIX),
        ("pd.csi.storage.gke.io", {"type": "pd-balanced"}, PD_FIX),
        ("disk.csi.azure.com", {"skuName": "Premium_ZRS", "diskEncryptionSetID": " "}, AZURE_FIX),
        ("efs.csi.aws.com", {"provisioningMode": "efs-ap"}, EFS_FIX),
        ("kubernetes.io/aws-ebs", {"type": "gp3"}, EBS_FIX),
    ],
    ids=["ebs-plain", "ebs-no-key", "ebs-encrypted-false", "pd-no-cmek", "azure-disk-blank-set", "efs-no-file-system",
         "in-tree-ebs"],
)
def test_a_class_that_does_not_encrypt_fails_naming_the_resource_and_the_fix(provisioner, parameters, fix):
    assert violations(stack_doc(raw_class(provisioner, parameters))) == [("kubernetes_storage_class_v1.raw", fix)]


def test_a_spec_that_calls_a_block_driver_a_file_class_is_still_caught():
    # StorageClassSpec only demands a key of kind="block"; the invariant reads the driver itself
    spec = sc.StorageClassSpec(name="sneaky", provisioner=sc.AWS_EBS_PROVISIONER, kind="file", parameters={"type": "gp3"})
    doc = stack_doc(lambda s: StorageClasses(s, "classes", specs=[spec]))
    ((address, message),) = violations(doc)
    assert address.startswith("kubernetes_storage_class_v1.classes_sneaky") and message == EBS_FIX


def test_parameter_names_are_read_as_the_drivers_read_them_case_insensitively():
    doc = stack_doc(raw_class("ebs.csi.aws.com", {"Encrypted": "TRUE", "KmsKeyId": KMS}))
    assert violations(doc) == []


def test_no_parameters_at_all_fails_for_a_block_driver_and_file_drivers_are_left_alone():
    doc = stack_doc(raw_class("pd.csi.storage.gke.io", None))
    assert violations(doc) == [("kubernetes_storage_class_v1.raw", "pd.csi.storage.gke.io class has no literal "
                                "parameters map, so its encryption cannot be checked: write the parameters out in the class")]
    assert violations(stack_doc(raw_class("file.csi.azure.com", None))) == []
    assert violations(stack_doc(raw_class("filestore.csi.storage.gke.io", {"tier": "standard"}))) == []


def test_the_legacy_resource_and_manifests_are_checked_too():
    def build(stack):
        StorageClass(stack, "legacy", metadata=StorageClassMetadata(name="legacy"),
                     storage_provisioner="disk.csi.azure.com", parameters={"skuName": "Premium_LRS"})
        Manifest(stack, "manifest", manifest={
            "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "m"},
            "provisioner": "pd.csi.storage.gke.io", "parameters": {"type": "pd-ssd"}})
        Manifest(stack, "encrypted", manifest={
            "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "e"},
            "provisioner": "pd.csi.storage.gke.io", "parameters": {"disk-encryption-kms-key": GCP_KEY}})

    assert violations(stack_doc(build)) == [
        ("kubernetes_storage_class.legacy", AZURE_FIX),
        ("kubernetes_manifest.manifest", PD_FIX),
    ]
