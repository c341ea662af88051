"""Platform invariants: each rule catches a violating stack with an actionable message,
the shipped environments pass them all, and a violation stops the synth without touching output."""

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.eks_cluster import EksCluster, EksClusterEncryptionConfig, EksClusterEncryptionConfigProvider, EksClusterVpcConfig
from cdktf_cdktf_provider_aws.eks_node_group import EksNodeGroup, EksNodeGroupScalingConfig
from cdktf_cdktf_provider_aws.launch_template import (
    LaunchTemplate, LaunchTemplateBlockDeviceMappings, LaunchTemplateBlockDeviceMappingsEbs,
)
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress

import main
from platform_constructs import invariants
from platform_constructs.invariants import Rule, Violation, check_stack, rules
from platform_constructs.spec import load_environment
from tests.helpers import ROOT, make_spec, synth

SPEC = make_spec()  # zones a, b, c; tags {team: platform}
GOOD_TAGS = {"team": "platform", "environment": "t"}
ENCRYPTION = EksClusterEncryptionConfig(resources=["secrets"], provider=EksClusterEncryptionConfigProvider(key_arn="arn:key"))


def stack_doc(build, tags=GOOD_TAGS) -> dict:
    with tempfile.TemporaryDirectory() as out:
        app = App(outdir=out)
        stack = TerraformStack(app, "probe")
        AwsProvider(stack, "aws", region="us-east-1", default_tags=[AwsProviderDefaultTags(tags=tags)] if tags else None)
        build(stack)
        app.synth()
        return json.loads(Path(out, "stacks/probe/cdk.tf.json").read_text())


def messages(rule_id: str, doc: dict) -> list[str]:
    rule = next(r for r in rules() if r.id == rule_id)
    return [v.message for v in rule.check("probe", doc, SPEC)]


def cluster(stack, **vpc):
    return EksCluster(stack, "eks", name="c", role_arn="arn:role", version="1.33", encryption_config=ENCRYPTION,
                      vpc_config=EksClusterVpcConfig(subnet_ids=["a", "b", "c"], **vpc))


def test_every_rule_is_registered():
    assert {r.id for r in rules()} == {"api-not-public", "encrypted", "kubernetes-version", "node-pools-ha", "no-open-ports", "tagged"}


@pytest.mark.parametrize("path", sorted((ROOT / "environments").glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_environments_keep_every_invariant(path):
    spec = load_environment(path)
    for layer, doc in synth(spec).items():
        assert check_stack(f"{spec.name}-{layer}", doc, spec) == []


def test_api_open_to_the_world():
    assert messages("api-not-public", stack_doc(lambda s: cluster(s, endpoint_public_access=True))) == [
        "cluster API is reachable from 0.0.0.0/0: set endpoint: private, or public_and_private with public_access_cidrs listing your ranges"]
    assert messages("api-not-public", stack_doc(lambda s: cluster(s, endpoint_public_access=True, public_access_cidrs=["0.0.0.0/0"])))
    assert messages("api-not-public", stack_doc(lambda s: cluster(s, endpoint_public_access=True, public_access_cidrs=["203.0.113.0/24"]))) == []
    assert messages("api-not-public", stack_doc(lambda s: cluster(s, endpoint_public_access=False))) == []


def node_group(stack, min_size, subnets):
    EksNodeGroup(stack, "ng", cluster_name="c", node_role_arn="arn:role", subnet_ids=subnets,
                 scaling_config=EksNodeGroupScalingConfig(min_size=min_size, max_size=6, desired_size=max(min_size, 1)))


def test_node_pool_below_three_or_in_too_few_zones():
    assert messages("node-pools-ha", stack_doc(lambda s: node_group(s, 2, ["a", "b", "c"]))) == [
        "node pool minimum 2 is below 3: set min_size >= 3"]
    assert messages("node-pools-ha", stack_doc(lambda s: node_group(s, 3, ["a", "b"]))) == [
        "node pool spans 2 subnets but the environment lists 3 zones: give it a private subnet in every zone"]
    assert messages("node-pools-ha", stack_doc(lambda s: node_group(s, 3, ["a", "b", "c"]))) == []


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


def test_resources_without_the_environment_tags():
    found = messages("tagged", stack_doc(lambda s: CloudwatchLogGroup(s, "logs", name="/x", kms_key_id="k"), tags={"team": "other"}))
    assert len(found) == 1 and "default tags lack" in found[0] and "'team': 'platform'" in found[0]
    assert messages("tagged", stack_doc(lambda s: CloudwatchLogGroup(s, "logs", name="/x", kms_key_id="k"))) == []


def security_group(stack, port, cidr="0.0.0.0/0"):
    # cdktf writes prefix_list_ids/security_groups/self as null here: the trap that hides port 22 from CKV_AWS_24.
    SecurityGroup(stack, "sg", name="sg", ingress=[SecurityGroupIngress(
        from_port=port, to_port=port, protocol="tcp", cidr_blocks=[cidr])])


def test_security_group_open_to_the_world():
    assert messages("no-open-ports", stack_doc(lambda s: security_group(s, 22))) == [
        "ingress 22-22 is open to 0.0.0.0/0: only ports 80/443 of load balancers may be; narrow the source range"]
    assert messages("no-open-ports", stack_doc(lambda s: security_group(s, 443))) == []
    assert messages("no-open-ports", stack_doc(lambda s: security_group(s, 22, "10.0.0.0/8"))) == []


def test_kubernetes_version_below_the_minimum():
    def build(stack):
        EksCluster(stack, "eks", name="c", role_arn="arn:role", version="1.31", encryption_config=ENCRYPTION,
                   vpc_config=EksClusterVpcConfig(subnet_ids=["a"], endpoint_public_access=False))
    assert messages("kubernetes-version", stack_doc(build)) == [
        'Kubernetes 1.31 is below 1.33: set kubernetes_version to "1.33" or later']


def test_a_violation_stops_the_synth_and_keeps_the_previous_output(tmp_path, monkeypatch, capsys):
    out = tmp_path / "cdktf.out"
    args = ["--env-file", str(ROOT / "environments/aws-dev.yaml"), "--outdir", str(out)]
    assert main.main(args) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()
    always = Rule("always", "test", lambda stack, doc, spec: [Violation(stack, "resource.x", "broken on purpose")])
    monkeypatch.setattr(invariants, "rules", lambda: [always])
    assert main.main(args) == 2
    assert capsys.readouterr().err.splitlines() == [
        "platform invariant: aws-dev-network: resource.x: broken on purpose",
        "platform invariant: aws-dev-cluster: resource.x: broken on purpose",
    ]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
