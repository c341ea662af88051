"""End to end: the addons layer's AWS cloud resources, applied by real Terraform to the local emulator (IRSA mode).

The in-cluster side of the addons layer needs helm/kubernetes providers (absent here), so its cloud
resources are proven the way DESIGN.md says: the constructs placed in a probe stack of their own,
applied to moto, checked through boto3, re-planned, and destroyed.

The probe stack holds a VPC with two private subnets in two zones, a node security group, a KMS key,
an IAM OIDC provider (a fake issuer), the EFS file system, and three IRSA roles (EBS CSI, load
balancer controller, cluster autoscaler).
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from platform_tools.local import Emulator, aws_env, client, destroy, free_port, init, terraform
from platform_tools.terraform import terraform_env
from tests.helpers import live_printer, make_spec
from tests.test_e2e_emulator import unexpected

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

REGION = "us-east-1"
ZONES = ("us-east-1a", "us-east-1b")
ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
AUDIENCE = "sts.amazonaws.com"
FS_NAME = "probe-shared"
STACK = "addon-resources-probe"
#: role id -> (IAM role name, namespace, service account)
ROLES = {
    "ebs-csi": ("probe-ebs-csi", "kube-system", "ebs-csi-controller-sa"),
    "lb-controller": ("probe-load-balancer-controller", "kube-system", "aws-load-balancer-controller"),
    "autoscaler": ("probe-cluster-autoscaler", "kube-system", "cluster-autoscaler"),
}


def build_probe(outdir: Path, endpoint: str) -> Path:
    """Synthesize the probe stack into ``outdir``; returns its stack folder."""
    from cdktf import App, LocalBackend, TerraformOutput, TerraformStack
    from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
    from cdktf_cdktf_provider_aws.security_group import SecurityGroup
    from cdktf_cdktf_provider_aws.subnet import Subnet
    from cdktf_cdktf_provider_aws.vpc import Vpc

    from platform_constructs.aws.addon_policies import (
        EBS_CSI_MANAGED_POLICY, cluster_autoscaler_policy, ebs_csi_kms_policy, load_balancer_controller_policy,
    )
    from platform_constructs.aws.file_system import EfsFileSystem
    from platform_constructs.aws.kms_key import EncryptionKey
    from platform_constructs.aws.provider import aws_provider
    from platform_constructs.aws.workload_identity import AwsWorkloadIdentity
    from platform_constructs.contracts import ClusterContract
    from platform_constructs.workload_identity import AwsGrants, ServiceAccount

    spec = make_spec(aws={"endpoint": endpoint})
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, STACK)
    LocalBackend(stack, path=str(outdir / "state" / f"{STACK}.tfstate"))
    aws_provider(stack, spec, "addons")

    vpc = Vpc(stack, "vpc", cidr_block="10.60.0.0/16", enable_dns_support=True, enable_dns_hostnames=True)
    subnets = {
        zone: Subnet(stack, f"private-{zone}", vpc_id=vpc.id, availability_zone=zone, cidr_block=f"10.60.{i}.0/24")
        for i, zone in enumerate(ZONES)
    }
    nodes = SecurityGroup(stack, "nodes", name="probe-nodes", description="probe cluster nodes", vpc_id=vpc.id)
    key = EncryptionKey(stack, "key", alias="probe-addons", description="probe addons key", region=REGION,
                        deletion_window_days=7)
    oidc = IamOpenidConnectProvider(stack, "oidc", url=ISSUER, client_id_list=[AUDIENCE],
                                    thumbprint_list=["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"])
    # moto does not implement EFS PutBackupPolicy: no aws_efs_backup_policy here (enable_backup=False),
    # and the probe is destroyed at the end (prevent_destroy=False).
    efs = EfsFileSystem(stack, "file-system", name=FS_NAME, kms_key_arn=key.arn,
                        subnet_ids_by_zone={z: s.id for z, s in subnets.items()}, vpc_id=vpc.id,
                        node_security_group_id=nodes.id, enable_backup=False, prevent_destroy=False)

    cluster = ClusterContract(cluster_name=spec.cluster.name, endpoint="https://probe.invalid",
                              certificate_authority_data="", oidc_issuer_url=ISSUER,
                              workload_identity_provider=oidc.arn)
    grants = {
        "ebs-csi": AwsGrants(managed_policies=(EBS_CSI_MANAGED_POLICY,), inline_policy=ebs_csi_kms_policy(key.arn)),
        "lb-controller": AwsGrants(inline_policy=load_balancer_controller_policy()),
        "autoscaler": AwsGrants(inline_policy=cluster_autoscaler_policy(spec.cluster.name)),
    }
    for rid, (name, namespace, sa) in ROLES.items():
        AwsWorkloadIdentity(stack, f"identity-{rid}", name=name, cluster=cluster,
                            service_account=ServiceAccount(namespace, sa), grants=grants[rid], mode="irsa")

    TerraformOutput(stack, "file_system_id", value=efs.id)
    TerraformOutput(stack, "efs_security_group_id", value=efs.security_group_id)
    TerraformOutput(stack, "node_security_group_id", value=nodes.id)
    TerraformOutput(stack, "kms_key_arn", value=key.arn)
    TerraformOutput(stack, "subnet_ids", value=[s.id for s in subnets.values()])
    app.synth()
    return outdir / "stacks" / STACK


class Probe:
    def __init__(self, folder: Path, endpoint: str, env: dict[str, str], say):
        self.folder, self.endpoint, self.env, self.say = folder, endpoint, env, say
        self.timings: dict[str, float] = {}

    def aws(self, service: str):
        return client(service, self.endpoint, REGION)

    def timed(self, phase: str, started: float) -> None:
        self.timings[phase] = time.monotonic() - started
        self.say(f"[e2e-addons] {phase}: {self.timings[phase]:.1f}s")

    def outputs(self) -> dict:
        return {k: v["value"] for k, v in json.loads(terraform(["output", "-json"], self.folder, self.env).stdout).items()}


@pytest.fixture(scope="module")
def probe(tmp_path_factory, request):
    base = tmp_path_factory.mktemp("e2e-addons")
    started = time.monotonic()
    emulator = Emulator(free_port(), base / "moto.log").start()
    try:
        folder = build_probe(base / "cdktf.out", emulator.endpoint)
        env = aws_env(REGION, terraform_env(base / "tf"))
        p = Probe(folder, emulator.endpoint, env, live_printer(request))
        p.timed("emulator + synth", started)
        yield p
        p.say("[e2e-addons] phases: " + ", ".join(f"{k} {v:.0f}s" for k, v in p.timings.items()))
    finally:
        emulator.stop()


def test_1_apply(probe):
    started = time.monotonic()
    init(probe.folder, probe.env)
    terraform(["apply", "-auto-approve", "-input=false"], probe.folder, probe.env)
    probe.timed("init + apply", started)


def test_2_file_system_encrypted_with_key_and_reachable_from_nodes_only(probe):
    out = probe.outputs()
    efs = probe.aws("efs")
    fs = efs.describe_file_systems(FileSystemId=out["file_system_id"])["FileSystems"][0]
    assert fs["Encrypted"] is True
    key_id = probe.aws("kms").describe_key(KeyId=out["kms_key_arn"])["KeyMetadata"]["KeyId"]
    assert fs["KmsKeyId"] in (out["kms_key_arn"], key_id)

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
    for name, namespace, sa in ROLES.values():
        doc = iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"]
        doc = json.loads(doc) if isinstance(doc, str) else doc
        [statement] = doc["Statement"]
        assert statement["Principal"] == {"Federated": provider_arn}
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Condition"] == {"StringEquals": {
            f"{issuer}:sub": f"system:serviceaccount:{namespace}:{sa}",
            f"{issuer}:aud": AUDIENCE,
        }}, name
        assert iam.list_role_policies(RoleName=name)["PolicyNames"] == [name]
    attached = iam.list_attached_role_policies(RoleName=ROLES["ebs-csi"][0])["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]


def test_4_replan_is_clean(probe):
    started = time.monotonic()
    proc = subprocess.run(["terraform", "plan", "-detailed-exitcode", "-input=false", "-no-color", "-out=replan.tfplan"],
                          cwd=probe.folder, env=probe.env, capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 2), proc.stdout + proc.stderr
    shown = json.loads(terraform(["show", "-json", "replan.tfplan"], probe.folder, probe.env).stdout)
    changes = [rc for rc in shown.get("resource_changes", []) if rc["change"]["actions"] not in (["no-op"], ["read"])]
    probe.timed("re-plan", started)
    # No allow-list entry is added for this stack: any diff here is a new finding to report.
    assert unexpected(changes) == [], "perpetual diff (not an emulator artifact):\n" + "\n".join(unexpected(changes))


def test_5_destroy_leaves_nothing(probe):
    started = time.monotonic()
    # moto does not implement DeleteFileSystemPolicy (it answers 500 NotImplementedError and the provider
    # retries for many minutes): forget the policy, which EFS deletes with its file system anyway.
    policy = next(r["address"] for r in json.loads(terraform(["show", "-json"], probe.folder, probe.env).stdout)
                  ["values"]["root_module"]["resources"] if r["type"] == "aws_efs_file_system_policy")
    terraform(["state", "rm", policy], probe.folder, probe.env)
    destroy(probe.folder, probe.env)
    probe.timed("destroy", started)
    assert probe.aws("efs").describe_file_systems()["FileSystems"] == []
    roles = {r["RoleName"] for r in probe.aws("iam").list_roles()["Roles"]}
    assert roles.isdisjoint(name for name, _, _ in ROLES.values())
    assert probe.aws("iam").list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
    assert [v for v in probe.aws("ec2").describe_vpcs()["Vpcs"] if not v.get("IsDefault")] == []
