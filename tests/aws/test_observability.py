"""AwsObservability through the kit and ObservabilityStack: storage, cloud logging and the neutral releases
on one stack, the releases after the storage."""

import json
import tempfile
from pathlib import Path

import pytest

from platform_constructs.aws.kit import AwsKit
from platform_constructs.observability.storage import BUCKETS
from tests.aws.test_addons import CLUSTER, DATA, NETWORK
from tests.helpers import make_spec, resources

pytest.importorskip("platform_constructs.observability.releases",
                    reason="the neutral releases (observability/releases.py) are not in this checkout yet")


def observability_doc(spec=None) -> dict:
    from cdktf import App

    from stacks.observability import ObservabilityStack

    spec = spec or make_spec()
    with tempfile.TemporaryDirectory() as out:
        app = App(outdir=out)
        ObservabilityStack(app, spec, AwsKit(), NETWORK, CLUSTER, DATA)
        app.synth()
        return json.loads(Path(out, "stacks", spec.stack_name("observability"), "cdk.tf.json").read_text())


@pytest.fixture(scope="module")
def default():
    return observability_doc()


def test_storage_logging_and_releases_in_one_stack(default):
    assert len(resources(default, "aws_s3_bucket")) == len(BUCKETS) + 1
    assert [a["addon_name"] for a in resources(default, "aws_eks_addon")] == ["amazon-cloudwatch-observability"]
    assert resources(default, "helm_release")
    assert {"aws", "kubernetes", "helm"} <= set(default["provider"])


def test_container_insights_logs_keep_the_clusters_retention_on_the_layers_key():
    doc = observability_doc(make_spec(cluster={"log_retention_days": 14}))
    groups = resources(doc, "aws_cloudwatch_log_group")
    assert len(groups) == 4 and {g["retention_in_days"] for g in groups} == {14}
    [key] = doc["resource"]["aws_kms_key"]
    assert {g["kms_key_id"] for g in groups} == {f"${{aws_kms_key.{key}.arn}}"}


def test_every_release_waits_for_the_storage(default):
    roles = {f"aws_iam_role.{k}" for k, r in default["resource"]["aws_iam_role"].items()
             if r["name"] in ("tc-mimir", "tc-loki", "tc-tempo")}
    for release in resources(default, "helm_release"):
        depends = set(release.get("depends_on", []))
        assert roles <= depends or any(d.startswith("helm_release.") for d in depends), release["name"]
