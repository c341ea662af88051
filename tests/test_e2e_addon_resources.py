"""End to end: the addons layer's AWS cloud resources, applied by real Terraform to the local emulator (IRSA mode).

The in-cluster side of the addons layer needs helm/kubernetes providers and a cluster (absent here), so its
cloud resources are proven the way DESIGN.md says: the real constructs placed in a probe stack of their own,
applied to moto, checked through boto3, re-planned, and destroyed.

Applied, exactly:
- stand-ins for what the network and cluster stacks give (not under test): a VPC with two private subnets
  in two zones, a node security group, the cluster's KMS key (EncryptionKey) and an IAM OIDC provider
  (a fake issuer);
- the REAL data layer, :class:`AwsData` from the environment's spec: its KMS key and alias, the EFS file
  system, a mount target per subnet, the NFS-only security group, the TLS-only file system policy; the
  ``app`` and ``backup`` buckets (SSE-KMS, versioned, public access blocked, TLS-only, lifecycle, the backup
  bucket archiving and object-locked) with their access-log bucket; the ECR repository ``t/api``
  (immutable tags, scan on push, KMS, untagged images expire);
- the REAL :class:`AwsAddonIdentities` in IRSA mode: four IAM roles (EBS CSI, EFS CSI, load balancer
  controller, cluster autoscaler), their inline policies and AWS-managed policy attachments.
The emulator's gaps are switched off in the spec, as the environment file would: ``aws.workload_identity:
irsa`` (moto has no EKS Pod Identity associations) and ``addons.file_system.backup: false`` (moto does not
implement PutBackupPolicy); ``aws.endpoint`` makes the file system destroyable (AwsData's rule for
emulator environments). The cache stays out: moto cannot read back ElastiCache replication groups
(``data.cache`` null, as in the emulator's environment file).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from platform_tools.local import destroy, terraform
from tests.emulator_probe import probe_fixture
from tests.helpers import make_spec
from tests.test_e2e_emulator import unexpected

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

REGION = "us-east-1"
ZONES = ("us-east-1a", "us-east-1b")
ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
AUDIENCE = "sts.amazonaws.com"
STACK = "addon-resources-probe"
CLUSTER_NAME = "tc"
#: role name -> (namespace, service account, attached AWS-managed policy or None, has an inline policy)
ROLES = {
    "tc-ebs-csi": ("kube-system", "ebs-csi-controller-sa", "service-role/AmazonEBSCSIDriverPolicy", True),
    "tc-efs-csi": ("kube-system", "efs-csi-controller-sa", "service-role/AmazonEFSCSIDriverPolicy", False),
    "tc-load-balancer-controller": ("kube-system", "aws-load-balancer-controller", None, True),
    "tc-cluster-autoscaler": ("kube-system", "cluster-autoscaler", None, True),
}


def probe_spec(endpoint: str):
    """The environment as the emulator's file would give it (its gaps switched off by fields)."""
    return make_spec(aws={"endpoint": endpoint, "workload_identity": "irsa"},
                     addons={"file_system": {"backup": False}},
                     data={"archive_after_days": 45, "backup_immutable_days": 7, "registry": {"repositories": ["api"]}})


def build_probe(outdir: Path, endpoint: str) -> Path:
    """Synthesize the probe stack into ``outdir``; returns its stack folder."""
    from cdktf import App, LocalBackend, TerraformOutput, TerraformStack
    from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
    from cdktf_cdktf_provider_aws.security_group import SecurityGroup
    from cdktf_cdktf_provider_aws.subnet import Subnet
    from cdktf_cdktf_provider_aws.vpc import Vpc

    from platform_constructs.aws.addon_identities import AwsAddonIdentities
    from platform_constructs.aws.contracts import AwsClusterContract
    from platform_constructs.aws.data import AwsData
    from platform_constructs.aws.kms_key import EncryptionKey
    from platform_constructs.aws.provider import aws_provider
    from platform_constructs.contracts import NetworkContract

    spec = probe_spec(endpoint)
    assert spec.cluster.name == CLUSTER_NAME
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, STACK)
    LocalBackend(stack, path=str(outdir / "state" / f"{STACK}.tfstate"))
    aws_provider(stack, spec, "addons")

    # Stand-ins for the network and cluster layers.
    vpc = Vpc(stack, "vpc", cidr_block="10.60.0.0/16", enable_dns_support=True, enable_dns_hostnames=True)
    subnets = {
        zone: Subnet(stack, f"private-{zone}", vpc_id=vpc.id, availability_zone=zone, cidr_block=f"10.60.{i}.0/24")
        for i, zone in enumerate(ZONES)
    }
    nodes = SecurityGroup(stack, "nodes", name="probe-nodes", description="probe cluster nodes", vpc_id=vpc.id)
    cluster_key = EncryptionKey(stack, "cluster-key", alias="probe-cluster", description="probe cluster key",
                                region=REGION, deletion_window_days=7)
    oidc = IamOpenidConnectProvider(stack, "oidc", url=ISSUER, client_id_list=[AUDIENCE],
                                    thumbprint_list=["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"])
    network = NetworkContract(network_id=vpc.id, private_subnet_ids_by_zone={z: s.id for z, s in subnets.items()},
                              public_subnet_ids_by_zone={})
    cluster = AwsClusterContract(
        cluster_name=CLUSTER_NAME, endpoint="https://probe.invalid", certificate_authority_data="",
        oidc_issuer_url=ISSUER, workload_identity_provider=oidc.arn, node_security_group_id=nodes.id,
        kms_key_arn=cluster_key.arn, node_role_arn="arn:aws:iam::123456789012:role/probe-node",
    )

    # The real data layer and the addons layer's cloud resources, from the spec.
    data = AwsData(stack, "data", spec=spec, network=network, cluster=cluster)
    addons = spec.addons
    AwsAddonIdentities(stack, "identities", cluster=cluster, cluster_name=spec.cluster.name,
                       mode=spec.aws.workload_identity, kms_key_arn=cluster.kms_key_arn,
                       ebs_csi=addons.block_storage, efs_csi=addons.file_storage,
                       load_balancer_controller=addons.load_balancer_controller,
                       cluster_autoscaler=addons.cluster_autoscaler)
    assert data.file_system is not None and data.file_system.backup_policy is None

    TerraformOutput(stack, "node_security_group_id", value=nodes.id)
    TerraformOutput(stack, "cluster_kms_key_arn", value=cluster_key.arn)
    TerraformOutput(stack, "subnet_ids", value=[s.id for s in subnets.values()])
    app.synth()
    return outdir / "stacks" / STACK


@pytest.fixture(scope="module")
def probe(tmp_path_factory, request):
    yield from probe_fixture(tmp_path_factory, request, label="e2e-addons", region=REGION, build=build_probe)


def test_1_apply(probe):
    probe.apply()


def test_2_file_system_encrypted_with_its_own_key_and_reachable_from_nodes_only(probe):
    out = probe.outputs()
    efs = probe.aws("efs")
    fs = efs.describe_file_systems(FileSystemId=out["file_system_id"])["FileSystems"][0]
    assert fs["Encrypted"] is True
    # The data layer's own key, not the cluster's.
    key_id = probe.aws("kms").describe_key(KeyId=out["data_kms_key_arn"])["KeyMetadata"]["KeyId"]
    assert fs["KmsKeyId"] in (out["data_kms_key_arn"], key_id)
    assert out["data_kms_key_arn"] != out["cluster_kms_key_arn"]
    assert fs["PerformanceMode"] == "generalPurpose" and fs["ThroughputMode"] == "elastic"

    targets = efs.describe_mount_targets(FileSystemId=fs["FileSystemId"])["MountTargets"]
    assert sorted(t["SubnetId"] for t in targets) == sorted(out["subnet_ids"])
    for target in targets:
        groups = efs.describe_mount_target_security_groups(MountTargetId=target["MountTargetId"])["SecurityGroups"]
        assert groups == [out["efs_security_group_id"]]

    sg = probe.aws("ec2").describe_security_groups(GroupIds=[out["efs_security_group_id"]])["SecurityGroups"][0]
    rules = [(r["IpProtocol"], r.get("FromPort"), r.get("ToPort"), [g["GroupId"] for g in r.get("UserIdGroupPairs", [])],
              r.get("IpRanges", []), r.get("Ipv6Ranges", []), r.get("PrefixListIds", []))
             for r in sg["IpPermissions"]]
    assert rules == [("tcp", 2049, 2049, [out["node_security_group_id"]], [], [], [])]


def test_3_roles_trust_one_service_account_and_the_sts_audience(probe):
    iam = probe.aws("iam")
    issuer = ISSUER.removeprefix("https://")
    provider_arn = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"][0]["Arn"]
    for name, (namespace, sa, managed, inline) in ROLES.items():
        doc = iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"]
        doc = json.loads(doc) if isinstance(doc, str) else doc
        [statement] = doc["Statement"]
        assert statement["Principal"] == {"Federated": provider_arn}
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Condition"] == {"StringEquals": {
            f"{issuer}:sub": f"system:serviceaccount:{namespace}:{sa}",
            f"{issuer}:aud": AUDIENCE,
        }}, name
        assert iam.list_role_policies(RoleName=name)["PolicyNames"] == ([name] if inline else []), name
        attached = [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]]
        assert attached == ([f"arn:aws:iam::aws:policy/{managed}"] if managed else []), name
    ebs = iam.get_role_policy(RoleName="tc-ebs-csi", PolicyName="tc-ebs-csi")["PolicyDocument"]
    ebs = json.loads(ebs) if isinstance(ebs, str) else ebs
    assert {r for s in ebs["Statement"] for r in s["Resource"]} == {probe.outputs()["cluster_kms_key_arn"]}


def test_3b_data_buckets_private_encrypted_archived_and_locked(probe):
    out = probe.outputs()
    s3 = probe.aws("s3")
    key = out["data_kms_key_arn"]
    key_id = probe.aws("kms").describe_key(KeyId=key)["KeyMetadata"]["KeyId"]
    names = out["data_bucket_names"]
    assert set(names) == {"app", "backup"}
    for short, name in names.items():
        [rule] = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
        assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
        assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] in (key, key_id)
        assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled"
        block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        assert all(block.values()) and len(block) == 4
        policy = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
        assert policy["Statement"][0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        logging = s3.get_bucket_logging(Bucket=name)["LoggingEnabled"]
        assert logging["TargetBucket"] == out["data_access_log_bucket"] and logging["TargetPrefix"] == f"{name}/"
        rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]}
        assert rules["clean-up"]["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
        assert ("archive-current" in rules) == (short == "backup")
    rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=names["backup"])["Rules"]}
    assert rules["archive-current"]["Transitions"] == [{"Days": 45, "StorageClass": "GLACIER"}]
    lock = s3.get_object_lock_configuration(Bucket=names["backup"])["ObjectLockConfiguration"]
    assert lock["ObjectLockEnabled"] == "Enabled"
    retention = lock["Rule"]["DefaultRetention"]
    assert (retention["Mode"], retention["Days"]) == ("GOVERNANCE", 7) and not retention.get("Years")


def test_3c_registry_repository_immutable_scanned_and_encrypted(probe):
    out = probe.outputs()
    ecr = probe.aws("ecr")
    [repo] = ecr.describe_repositories()["repositories"]
    assert repo["repositoryName"] == "t/api"
    assert repo["repositoryUri"] == out["registry_repository_urls"]["api"]
    assert out["registry_url"] == repo["repositoryUri"].removesuffix("/api")
    assert repo["imageTagMutability"] == "IMMUTABLE"
    assert repo["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repo["encryptionConfiguration"]["encryptionType"] == "KMS"
    assert repo["encryptionConfiguration"]["kmsKey"] == out["data_kms_key_arn"]
    policy = json.loads(ecr.get_lifecycle_policy(repositoryName="t/api")["lifecyclePolicyText"])
    assert policy["rules"][0]["selection"]["tagStatus"] == "untagged"


def test_4_replan_is_clean(probe):
    status, changes, _ = probe.replan()
    # No allow-list entry is added for this stack: any diff here is a new finding to report.
    assert unexpected(changes) == [], "perpetual diff (not an emulator artifact):\n" + "\n".join(unexpected(changes))


def test_5_destroy_leaves_nothing(probe):
    started = time.monotonic()
    # moto does not implement DeleteFileSystemPolicy (it answers 500 NotImplementedError and the provider
    # retries for many minutes): forget the policy, which EFS deletes with its file system anyway.
    policy = next(r["address"] for r in json.loads(terraform(["show", "-json"], probe.folder, probe.env).stdout)
                  ["values"]["root_module"]["resources"] if r["type"] == "aws_efs_file_system_policy")
    terraform(["state", "rm", policy], probe.folder, probe.env)
    # The buckets are never force-destroyed, and moto delivers server access logs like S3 does: switch the
    # logging off and empty the access-log bucket (every version) first, as an operator would. The emulator
    # answers plain HTTP, which the TLS-only policy refuses: lift it to empty the bucket.
    s3 = probe.aws("s3")
    out = probe.outputs()
    for name in out["data_bucket_names"].values():
        s3.put_bucket_logging(Bucket=name, BucketLoggingStatus={})
    log_bucket = out["data_access_log_bucket"]
    s3.delete_bucket_policy(Bucket=log_bucket)
    listed = s3.list_object_versions(Bucket=log_bucket)
    assert not listed.get("IsTruncated")
    for version in [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]:
        s3.delete_object(Bucket=log_bucket, Key=version["Key"], VersionId=version["VersionId"])
    destroy(probe.folder, probe.env)
    probe.timed("destroy", started)
    assert probe.aws("efs").describe_file_systems()["FileSystems"] == []
    assert probe.aws("s3").list_buckets()["Buckets"] == []
    assert probe.aws("ecr").describe_repositories()["repositories"] == []
    roles = {r["RoleName"] for r in probe.aws("iam").list_roles()["Roles"]}
    assert roles.isdisjoint(ROLES)
    assert probe.aws("iam").list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
    assert [v for v in probe.aws("ec2").describe_vpcs()["Vpcs"] if not v.get("IsDefault")] == []
