"""Shared by the per-rule invariant tests: a probe stack with an AWS provider, and one rule's messages."""

import json
import tempfile
from pathlib import Path

from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.eks_cluster import EksCluster, EksClusterEncryptionConfig, EksClusterEncryptionConfigProvider, EksClusterVpcConfig
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

from platform_constructs.invariants import rules
from tests.helpers import make_spec

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
