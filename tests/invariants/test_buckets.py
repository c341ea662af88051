"""buckets-private: buckets are versioned, not public, customer-key encrypted, never force-destroyed."""

import json
import tempfile
from pathlib import Path

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA, S3BucketVersioningVersioningConfiguration

from tests.invariants.helpers import messages, stack_doc

RULE = "buckets-private"
BLOCK_ALL = dict(block_public_acls=True, block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)


def s3(force_destroy=None, versioning="Enabled", block=BLOCK_ALL):
    def build(stack):
        bucket = S3Bucket(stack, "b", bucket="b", force_destroy=force_destroy)
        if versioning:
            S3BucketVersioningA(stack, "v", bucket=bucket.id,
                                versioning_configuration=S3BucketVersioningVersioningConfiguration(status=versioning))
        if block is not None:
            S3BucketPublicAccessBlock(stack, "pab", bucket=bucket.id, **block)
    return stack_doc(build)


def test_a_versioned_blocked_bucket_passes():
    assert messages(RULE, s3()) == []


@pytest.mark.parametrize("doc_args, fix", [
    (dict(force_destroy=True), "bucket is force-destroyable: remove force_destroy (a destroy would delete every object)"),
    (dict(versioning="Suspended"), "bucket is not versioned: add aws_s3_bucket_versioning with status Enabled"),
    (dict(versioning=None), "bucket is not versioned: add aws_s3_bucket_versioning with status Enabled"),
    (dict(block={**BLOCK_ALL, "restrict_public_buckets": False}),
     "bucket's public access is not blocked: add aws_s3_bucket_public_access_block with all four switches true"),
    (dict(block=None),
     "bucket's public access is not blocked: add aws_s3_bucket_public_access_block with all four switches true"),
])
def test_each_aws_gap_is_named(doc_args, fix):
    assert messages(RULE, s3(**doc_args)) == [fix]


def other_cloud_doc(build) -> dict:
    with tempfile.TemporaryDirectory() as out:
        app = App(outdir=out)
        stack = TerraformStack(app, "probe")
        build(stack)
        app.synth()
        return json.loads(Path(out, "stacks/probe/cdk.tf.json").read_text())


def gcs(**override):
    from cdktf_cdktf_provider_google.provider import GoogleProvider
    from cdktf_cdktf_provider_google.storage_bucket import (
        StorageBucket, StorageBucketEncryption, StorageBucketVersioning,
    )
    fields = dict(name="b", location="US-CENTRAL1", uniform_bucket_level_access=True, public_access_prevention="enforced",
                  versioning=StorageBucketVersioning(enabled=True),
                  encryption=StorageBucketEncryption(default_kms_key_name="projects/p/locations/l/keyRings/r/cryptoKeys/k"))

    def build(stack):
        GoogleProvider(stack, "google", project="p")
        StorageBucket(stack, "b", **{k: v for k, v in {**fields, **override}.items() if v is not None})
    return other_cloud_doc(build)


def test_a_private_cmek_gcs_bucket_passes_and_each_gap_is_listed():
    from cdktf_cdktf_provider_google.storage_bucket import StorageBucketVersioning
    assert messages(RULE, gcs()) == []
    assert messages(RULE, gcs(force_destroy=True, uniform_bucket_level_access=False, public_access_prevention="inherited",
                              versioning=StorageBucketVersioning(enabled=False), encryption=None)) == [
        "bucket is not private, versioned and CMEK-encrypted: force_destroy is true (remove it); "
        "uniform_bucket_level_access is not true; public_access_prevention is not \"enforced\"; versioning is not "
        "enabled (nor a retention policy); encryption.default_kms_key_name is not set"]


def azure_account(separate_key: bool = False, **override):
    from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures
    from cdktf_cdktf_provider_azurerm.storage_account import (
        StorageAccount, StorageAccountBlobProperties, StorageAccountCustomerManagedKey,
    )
    from cdktf_cdktf_provider_azurerm.storage_account_customer_managed_key import StorageAccountCustomerManagedKeyA
    fields = dict(name="sa", resource_group_name="rg", location="westeurope", account_tier="Standard",
                  account_replication_type="ZRS", shared_access_key_enabled=False, public_network_access_enabled=False,
                  allow_nested_items_to_be_public=False, blob_properties=StorageAccountBlobProperties(versioning_enabled=True),
                  customer_managed_key=None if separate_key else StorageAccountCustomerManagedKey(
                      key_vault_key_id="https://v.vault.azure.net/keys/k", user_assigned_identity_id="/id"))

    def build(stack):
        AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()])
        account = StorageAccount(stack, "sa", **{k: v for k, v in {**fields, **override}.items()})
        if separate_key:
            StorageAccountCustomerManagedKeyA(stack, "cmk", storage_account_id=account.id, key_name="k",
                                              key_vault_id="/vault")
    return other_cloud_doc(build)


def test_a_private_cmk_storage_account_passes_either_way_its_key_is_given():
    assert messages(RULE, azure_account()) == []
    assert messages(RULE, azure_account(separate_key=True)) == []


def test_each_azure_gap_is_listed():
    from cdktf_cdktf_provider_azurerm.storage_account import StorageAccountBlobProperties
    assert messages(RULE, azure_account(shared_access_key_enabled=None, public_network_access_enabled=True,
                                        https_traffic_only_enabled=False, customer_managed_key=None,
                                        blob_properties=StorageAccountBlobProperties(versioning_enabled=False))) == [
        "storage account is not private, versioned and customer-key encrypted: shared_access_key_enabled is not "
        "false; public_network_access_enabled is not false; https_traffic_only_enabled is false; no customer-managed "
        "key; blob_properties.versioning_enabled is not true"]


def test_a_retention_policy_stands_in_for_versioning_on_gcs():
    """Cloud Storage refuses a retention policy on a versioned bucket: the immutable backup bucket keeps
    overwritten data through its policy instead."""
    from cdktf_cdktf_provider_google.storage_bucket import StorageBucketRetentionPolicy, StorageBucketVersioning
    retained = gcs(versioning=StorageBucketVersioning(enabled=False),
                   retention_policy=StorageBucketRetentionPolicy(retention_period=86400))
    assert messages(RULE, retained) == []
