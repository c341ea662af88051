"""StorageClasses / NotDefaultStorageClass: the synthesized resources are the specs' manifests, schema-valid for 1.33."""

import kubernetes_validate
import pytest
from cdktf import TerraformVariable

from platform_constructs.kubernetes import storage_classes as sc
from platform_constructs.kubernetes.storage_class_resources import NotDefaultStorageClass, StorageClasses
from tests.helpers import in_cluster_probe, resources
from tests.kubernetes.test_storage_classes import KUBERNETES, SPECS, cloud_sets

#: The Terraform attribute of kubernetes_storage_class_v1 that holds each StorageClass field.
FIELDS = {
    "provisioner": "storage_provisioner",
    "parameters": "parameters",
    "reclaimPolicy": "reclaim_policy",
    "volumeBindingMode": "volume_binding_mode",
    "allowVolumeExpansion": "allow_volume_expansion",
    "mountOptions": "mount_options",
}


probe = in_cluster_probe



def as_manifest(body: dict) -> dict:
    """The StorageClass object a kubernetes_storage_class_v1 body makes the provider write."""
    metadata = body["metadata"]
    manifest = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                "metadata": {k: v for k, v in metadata.items() if k in ("name", "annotations", "labels")}}
    manifest.update({field: body[attr] for field, attr in FIELDS.items() if attr in body})
    return manifest


def synthesized(specs, **kwargs) -> list[dict]:
    doc = probe(lambda s: StorageClasses(s, "storage-classes", specs=specs, **kwargs))
    return resources(doc, "kubernetes_storage_class_v1")


def _fake_token(spec) -> bool:
    """Specs holding a made-up cdktf token (``${TfToken[TOKEN.42]}``): no app can resolve it."""
    return any("TfToken[" in v for v in spec.parameters.values())


# every spec the tests of storage_classes build (the three clouds' sets, Terraform references,
# overrides), in groups that make valid sets (unique names, one default); a real token is below
GROUPS = {cloud: list(specs) for cloud, specs in cloud_sets().items()}
GROUPS["overrides"] = [s for s in SPECS if s.name not in {x.name for specs in GROUPS.values() for x in specs}
                       and not _fake_token(s)]
WRITTEN = [s for s in SPECS if not _fake_token(s)]


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_each_resource_is_its_specs_manifest_field_by_field(group):
    specs = GROUPS[group]
    bodies = {b["metadata"]["name"]: b for b in synthesized(specs)}
    assert sorted(bodies) == sorted(s.name for s in specs)
    for spec in specs:
        body = bodies[spec.name]
        expected = spec.manifest()
        # no Terraform attribute beyond the ones that carry a manifest field
        assert set(body) - {"//"} == {"metadata"} | {FIELDS[f] for f in expected if f in FIELDS}
        assert as_manifest(body) == expected


@pytest.mark.parametrize("spec", WRITTEN, ids=[s.name for s in WRITTEN])
def test_every_class_the_project_writes_validates_against_the_kubernetes_schema(spec):
    (body,) = synthesized([spec], labels={"app.kubernetes.io/managed-by": "terraform"})
    manifest = as_manifest(body)
    assert manifest["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "terraform"}
    assert kubernetes_validate.validate(manifest, KUBERNETES, strict=True) == KUBERNETES


def test_parameter_names_and_references_reach_the_json_unchanged():
    # cdktf rewrites map keys in provider blocks (snake_case); resource maps must keep theirs
    ebs = sc.aws_ebs_gp3("${aws_kms_key.ebs.arn}")
    (body,) = synthesized([ebs])
    assert body["parameters"] == {"type": "gp3", "encrypted": "true", "kmsKeyId": "${aws_kms_key.ebs.arn}",
                                  "csi.storage.k8s.io/fstype": "ext4"}
    assert body["metadata"]["annotations"] == {"storageclass.kubernetes.io/is-default-class": "true"}


def test_a_cdktf_token_resolves_to_the_same_stacks_reference():
    holder = {}

    def build(stack):
        file_system = TerraformVariable(stack, "file_system_id", type="string")
        holder["construct"] = StorageClasses(stack, "storage-classes", specs=[sc.aws_efs(file_system.string_value)])

    (body,) = resources(probe(build), "kubernetes_storage_class_v1")
    assert body["parameters"]["fileSystemId"] == "${var.file_system_id}"
    assert body["allow_volume_expansion"] is False
    assert list(holder["construct"].classes) == ["efs-ap"]


@pytest.mark.parametrize(
    "specs, complaint",
    [
        (lambda: [sc.aws_ebs_gp3(sc_key()), sc.aws_ebs_gp3(sc_key(), default=False)],
         "names ebs-gp3 are used more than once"),
        (lambda: [sc.aws_ebs_gp3(sc_key()), sc.azure_disk(DES, name="disk")], "2 default classes (ebs-gp3, disk)"),
        (lambda: [sc.aws_ebs_gp3(sc_key()).manifest()], "are not StorageClassSpec"),
    ],
    ids=["duplicate-name", "two-defaults", "not-a-spec"],
)
def test_an_invalid_set_is_refused(specs, complaint):
    with pytest.raises(ValueError) as raised:
        synthesized(specs())
    assert complaint in str(raised.value)


DES = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/des"


def sc_key():
    return "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize("name", ["standard-rwo", "default"])
def test_not_default_storage_class_annotates_the_clouds_class_false(name):
    doc = probe(lambda s: NotDefaultStorageClass(s, "not-default", name=name))
    (body,) = resources(doc, "kubernetes_annotations")
    body = {k: v for k, v in body.items() if k != "//"}
    assert body == {
        "api_version": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": name},
        "annotations": {"storageclass.kubernetes.io/is-default-class": "false"},
        "force": True,
    }
    # what it writes, on the class the cloud made, is still a valid StorageClass
    patched = {"apiVersion": body["api_version"], "kind": body["kind"],
               "metadata": {**body["metadata"], "annotations": body["annotations"]},
               "provisioner": "pd.csi.storage.gke.io"}
    assert kubernetes_validate.validate(patched, KUBERNETES, strict=True) == KUBERNETES


def test_not_default_refuses_a_class_the_cloud_does_not_create():
    with pytest.raises(ValueError, match="not-default storage class 'ebs-gp3': not a class a managed cluster creates"):
        probe(lambda s: NotDefaultStorageClass(s, "not-default", name="ebs-gp3"))
