"""StorageClass builders: schema-valid for Kubernetes 1.33, encrypted, one default per cloud."""

import copy

import kubernetes_validate
import pytest

from platform_constructs.kubernetes import storage_classes as sc

KUBERNETES = "1.33"

KMS_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
EFS_ID = "fs-0123456789abcdef0"
GCP_KEY = "projects/acme-prod/locations/europe-west1/keyRings/gke/cryptoKeys/disks"
DES_ID = "/subscriptions/0000/resourceGroups/rg-prod/providers/Microsoft.Compute/diskEncryptionSets/des-aks"

# Terraform references and cdktf tokens stand in for literal ids in real stacks.
KMS_REF = "${aws_kms_key.ebs.arn}"
EFS_REF = "${TfToken[TOKEN.42]}"
GCP_REF = "${google_kms_crypto_key.disks.id}"
DES_REF = "${azurerm_disk_encryption_set.aks.id}"


def cloud_sets():
    return {
        "aws": sc.aws_storage_classes(kms_key_arn=KMS_ARN, efs_file_system_id=EFS_ID),
        "gcp": sc.gcp_storage_classes(kms_key_id=GCP_KEY, filestore_network="platform-vpc"),
        "azure": sc.azure_storage_classes(disk_encryption_set_id=DES_ID),
    }


def every_spec():
    specs = [spec for specs in cloud_sets().values() for spec in specs]
    specs += [
        sc.aws_ebs_gp3(KMS_REF, name="ebs-gp3-ref", fs_type="xfs"),
        sc.aws_efs(EFS_REF, name="efs-ref", gid_range=(60000, 61000), directory_perms="0750"),
        sc.gcp_pd("pd-ssd", GCP_REF, name="pd-ssd-ref"),
        sc.gcp_filestore(
            "BASIC_SSD", "projects/host-project/global/networks/shared", name="filestore-psa",
            connect_mode="PRIVATE_SERVICE_ACCESS", kms_key_id=GCP_REF,
        ),
        sc.azure_disk(DES_REF, name="disk-lrs", sku="Premium_LRS", default=False),
        sc.azure_files_premium(name="files-lrs", sku="Premium_LRS"),
    ]
    return specs


SPECS = every_spec()


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_every_manifest_validates_against_the_kubernetes_schema(spec):
    # strict: the schema refuses any field StorageClass does not have
    assert kubernetes_validate.validate(spec.manifest(), KUBERNETES, strict=True) == KUBERNETES


@pytest.mark.parametrize(
    "break_it, complaint",
    [
        (lambda m: m.update(volumeBindingMod="WaitForFirstConsumer"), "volumeBindingMod"),
        (lambda m: m["metadata"].update(annotation={}), "annotation"),
        (lambda m: m["parameters"].update(encrypted=True), "is not of type 'string'"),
        (lambda m: m.update(allowVolumeExpansion="true"), "is not of type 'boolean'"),
        (lambda m: m.pop("provisioner"), "'provisioner' is a required property"),
    ],
    ids=["unknown-field", "unknown-metadata-field", "bool-parameter", "string-bool", "no-provisioner"],
)
def test_the_schema_check_can_fail(break_it, complaint):
    manifest = sc.aws_ebs_gp3(KMS_ARN).manifest()
    break_it(manifest)
    with pytest.raises(kubernetes_validate.ValidationError, match=complaint):
        kubernetes_validate.validate(manifest, KUBERNETES, strict=True)


def test_the_schema_does_not_check_enums_so_the_spec_does():
    # The 1.33 schema types volumeBindingMode and reclaimPolicy as free strings...
    manifest = sc.aws_ebs_gp3(KMS_ARN).manifest()
    manifest["volumeBindingMode"] = "Sometimes"
    assert kubernetes_validate.validate(copy.deepcopy(manifest), KUBERNETES, strict=True) == KUBERNETES
    # ...so StorageClassSpec refuses such values itself.
    with pytest.raises(ValueError, match="volume_binding_mode 'Sometimes' is not one of"):
        sc.StorageClassSpec(name="x", provisioner="p", kind="file", volume_binding_mode="Sometimes")
    with pytest.raises(ValueError, match="reclaim_policy 'Recycle' is not one of"):
        sc.StorageClassSpec(name="x", provisioner="p", kind="file", reclaim_policy="Recycle")


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_each_cloud_set_has_exactly_one_default_class(cloud):
    manifests = sc.storage_class_manifests(cloud_sets()[cloud])
    defaults = [
        m["metadata"]["name"]
        for m in manifests
        if m["metadata"].get("annotations", {}).get(sc.DEFAULT_CLASS_ANNOTATION) == "true"
    ]
    assert defaults == {"aws": ["ebs-gp3"], "gcp": ["pd-balanced"], "azure": ["azure-disk-premium"]}[cloud]
    assert len({m["metadata"]["name"] for m in manifests}) == len(manifests)


def test_block_classes_wait_for_their_consumer_expand_and_are_encrypted_with_the_given_key():
    given = {sc.AWS_EBS_PROVISIONER: KMS_ARN, sc.GCP_PD_PROVISIONER: GCP_KEY, sc.AZURE_DISK_PROVISIONER: DES_ID}
    block = [spec for specs in cloud_sets().values() for spec in specs if spec.kind == "block"]
    assert sorted(s.name for s in block) == ["azure-disk-premium", "ebs-gp3", "pd-balanced", "pd-ssd"]
    for spec in block:
        m = spec.manifest()
        assert m["volumeBindingMode"] == "WaitForFirstConsumer"
        assert m["allowVolumeExpansion"] is True
        assert m["reclaimPolicy"] == "Delete"
        assert spec.encrypted and spec.encryption_key == given[m["provisioner"]]


def test_aws_classes():
    ebs, efs = (s.manifest() for s in sc.aws_storage_classes(kms_key_arn=KMS_REF, efs_file_system_id=EFS_ID))
    assert ebs["provisioner"] == "ebs.csi.aws.com"
    assert ebs["parameters"] == {
        "type": "gp3", "encrypted": "true", "kmsKeyId": KMS_REF, "csi.storage.k8s.io/fstype": "ext4",
    }
    assert efs["provisioner"] == "efs.csi.aws.com"
    assert efs["parameters"] == {
        "provisioningMode": "efs-ap", "fileSystemId": EFS_ID, "directoryPerms": "700", "basePath": "/dynamic",
    }
    assert "annotations" not in efs["metadata"]
    assert (efs["reclaimPolicy"], efs["allowVolumeExpansion"]) == ("Retain", False)
    assert sc.aws_efs(EFS_ID, gid_range=(50000, 50999)).parameters["gidRangeEnd"] == "50999"
    assert len(sc.aws_storage_classes(kms_key_arn=KMS_ARN)) == 1


def test_gcp_classes():
    balanced, ssd, filestore = (
        s.manifest() for s in sc.gcp_storage_classes(kms_key_id=GCP_REF, filestore_network="vpc", filestore_tier="enterprise")
    )
    for m, disk_type in ((balanced, "pd-balanced"), (ssd, "pd-ssd")):
        assert m["metadata"]["name"] == disk_type
        assert m["provisioner"] == "pd.csi.storage.gke.io"
        assert m["parameters"]["type"] == disk_type
        assert m["parameters"]["disk-encryption-kms-key"] == GCP_REF
    assert filestore["provisioner"] == "filestore.csi.storage.gke.io"
    assert filestore["parameters"] == {"tier": "enterprise", "network": "vpc", "connect-mode": "DIRECT_PEERING"}
    assert filestore["reclaimPolicy"] == "Retain" and filestore["allowVolumeExpansion"] is True
    assert sc.gcp_filestore("BASIC_HDD", "vpc").parameters["tier"] == "basic_hdd"
    assert sc.gcp_filestore("zonal", "vpc", kms_key_id=GCP_KEY).parameters["instance-encryption-kms-key"] == GCP_KEY


def test_azure_classes():
    disk, files = (s.manifest() for s in sc.azure_storage_classes(disk_encryption_set_id=DES_REF))
    assert disk["provisioner"] == "disk.csi.azure.com"
    assert disk["parameters"] == {
        "skuName": "Premium_ZRS",
        "diskEncryptionSetID": DES_REF,
        "diskEncryptionType": "EncryptionAtRestWithCustomerKey",
        "networkAccessPolicy": "DenyAll",
    }
    assert files["provisioner"] == "file.csi.azure.com"
    assert files["parameters"] == {"skuName": "Premium_ZRS", "protocol": "nfs", "networkEndpointType": "privateEndpoint"}
    assert files["mountOptions"] == ["nconnect=4", "noresvport", "actimeo=30"]
    assert files["reclaimPolicy"] == "Retain"
    assert len(sc.azure_storage_classes(disk_encryption_set_id=DES_ID, files=False)) == 1


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: sc.aws_ebs_gp3(KMS_ARN, name="Fast_Disks"), "name 'Fast_Disks' must be a DNS-1123 subdomain"),
        (lambda: sc.aws_ebs_gp3(KMS_ARN, name="-gp3"), "must be a DNS-1123 subdomain"),
        (lambda: sc.aws_ebs_gp3(KMS_ARN, name="a" * 254), "at most 253 characters"),
        (lambda: sc.azure_disk(DES_ID, name="managed-csi"), "creates and reconciles itself"),
        (lambda: sc.aws_ebs_gp3("1234abcd-12ab"), "kms_key_arn '1234abcd-12ab' is not arn:aws:kms:"),
        (lambda: sc.aws_efs("efs-123"), "file_system_id 'efs-123' is not fs-"),
        (lambda: sc.aws_efs(EFS_ID, directory_perms="rwx"), "directory_perms 'rwx' must be 3 or 4 octal digits"),
        (lambda: sc.aws_efs(EFS_ID, base_path="dynamic"), "base_path 'dynamic' must be an absolute path"),
        (lambda: sc.aws_efs(EFS_ID, gid_range=(9, 1)), r"gid_range \(9, 1\) must be two integers start <= end"),
        (lambda: sc.gcp_pd("hyperdisk-balanced", GCP_KEY), "disk_type 'hyperdisk-balanced' is not one of pd-balanced"),
        (lambda: sc.gcp_pd("pd-ssd", "disks"), "kms_key_id 'disks' is not projects/"),
        (lambda: sc.gcp_filestore("platinum", "vpc"), "tier 'platinum' is not one of standard, premium, basic_hdd"),
        (lambda: sc.gcp_filestore("standard", "My VPC"), "network 'My VPC' is not the VPC's name"),
        (lambda: sc.gcp_filestore("standard", "vpc", connect_mode="PEERING"), "connect_mode 'PEERING' is not one of"),
        (lambda: sc.azure_disk("des-aks"), "disk_encryption_set_id 'des-aks' is not /subscriptions/"),
        (lambda: sc.azure_disk(DES_ID, sku="UltraSSD_LRS"), "sku 'UltraSSD_LRS' is not one of Premium_ZRS"),
        (lambda: sc.azure_files_premium(sku="Standard_LRS"), "sku 'Standard_LRS' is not one of Premium_ZRS"),
        (lambda: sc.StorageClassSpec(name="raw", provisioner="p", kind="block"), "must be encrypted with a customer key"),
        (
            lambda: sc.StorageClassSpec(
                name="raw", provisioner="p", kind="block", parameters={"k": "key"}, encryption_key="key",
                volume_binding_mode="Immediate", allow_volume_expansion=False,
            ),
            "must use volume_binding_mode WaitForFirstConsumer.*must allow volume expansion",
        ),
        (
            lambda: sc.StorageClassSpec(name="raw", provisioner="p", kind="file", parameters={"iops": 3000}),
            "parameter iops=3000 must be a non-empty string",
        ),
        (
            lambda: sc.StorageClassSpec(name="raw", provisioner="p", kind="file", encryption_key="key"),
            "encryption_key must be passed to the driver",
        ),
        (
            lambda: sc.storage_class_manifests([sc.aws_ebs_gp3(KMS_ARN), sc.aws_ebs_gp3(KMS_ARN, name="gp3-b")]),
            r"2 default classes \(ebs-gp3, gp3-b\); mark exactly one",
        ),
        (
            lambda: sc.storage_class_manifests([sc.aws_efs(EFS_ID), sc.aws_efs(EFS_ID)]),
            "names efs-ap are used more than once",
        ),
    ],
)
def test_bad_input_is_refused_with_one_line(build, message):
    with pytest.raises(ValueError, match=message) as caught:
        build()
    assert "\n" not in str(caught.value)


def test_all_problems_are_reported_at_once():
    with pytest.raises(ValueError) as caught:
        sc.gcp_filestore("platinum", "My VPC", name="Bad", connect_mode="x")
    text = str(caught.value)
    assert text.startswith("storage class 'Bad': ")
    problems = text.removeprefix("storage class 'Bad': ").split("; ")
    assert [p.split(" ")[0] for p in problems] == ["tier", "network", "connect_mode", "name"]


def test_spec_is_frozen_and_its_parameters_read_only():
    spec = sc.aws_ebs_gp3(KMS_ARN)
    with pytest.raises(AttributeError):
        spec.name = "other"
    with pytest.raises(TypeError):
        spec.parameters["encrypted"] = "false"
    spec.manifest()["parameters"]["encrypted"] = "false"  # a manifest is a fresh copy
    assert spec.manifest()["parameters"]["encrypted"] == "true"


def test_validation_needs_no_network(monkeypatch):
    # kubernetes-validate reads the 1.33 schema bundled in its wheel; nothing is fetched.
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("kubernetes-validate tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert kubernetes_validate.validate(sc.azure_files_premium().manifest(), KUBERNETES, strict=True) == KUBERNETES
