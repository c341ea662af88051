"""encrypted: disks, log groups, buckets and Kubernetes secrets."""

from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.eks_cluster import EksCluster, EksClusterVpcConfig
from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate, LaunchTemplateBlockDeviceMappings, LaunchTemplateBlockDeviceMappingsEbs
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket

from tests.invariants.helpers import messages, stack_doc


def test_unencrypted_disk_log_group_bucket_and_secrets():
    def build(stack):
        LaunchTemplate(stack, "lt", name="lt", block_device_mappings=[LaunchTemplateBlockDeviceMappings(
            device_name="/dev/xvda", ebs=LaunchTemplateBlockDeviceMappingsEbs(volume_size=20, encrypted="false"))])
        CloudwatchLogGroup(stack, "logs", name="/x")
        S3Bucket(stack, "bucket", bucket="b")
        EksCluster(stack, "eks", name="c", role_arn="arn:role", version="1.33",
                   vpc_config=EksClusterVpcConfig(subnet_ids=["a"], endpoint_public_access=False))
    found = messages("encrypted", stack_doc(build))
    assert found == [
        'disk /dev/xvda is not encrypted: set ebs.encrypted = "true"',
        "log group is not encrypted with a customer key: set kms_key_id",
        "bucket has no server-side encryption configuration: add aws_s3_bucket_server_side_encryption_configuration with a KMS key",
        "Kubernetes secrets are not envelope-encrypted: add encryption_config for secrets",
    ]


def test_file_system_without_a_customer_key():
    from cdktf_cdktf_provider_aws.efs_file_system import EfsFileSystem

    assert messages("encrypted", stack_doc(lambda s: EfsFileSystem(s, "fs", creation_token="fs"))) == [
        "file system is not encrypted with a customer key: set encrypted = true and kms_key_id"]
    assert messages("encrypted", stack_doc(lambda s: EfsFileSystem(s, "fs", creation_token="fs", encrypted=True))) == [
        "file system is not encrypted with a customer key: set encrypted = true and kms_key_id"]
    assert messages("encrypted", stack_doc(lambda s: EfsFileSystem(s, "fs", creation_token="fs", encrypted=True, kms_key_id="arn:key"))) == []

