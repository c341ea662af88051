"""The platform's own checkov checks (policy/checks/): each passes a good resource and fails a bad one,
run by the real checkov through the gate's own runner."""

import json
from pathlib import Path

import pytest

from platform_tools.policy import evaluate, problems


def stacks_with(tmp_path: Path, resources: dict) -> Path:
    """One stack per entry (stack name -> {type: {name: body}}), written as cdk.tf.json."""
    for name, body in resources.items():
        folder = tmp_path / "stacks" / name
        folder.mkdir(parents=True)
        (folder / "cdk.tf.json").write_text(json.dumps({"resource": body}))
    return tmp_path / "stacks"


def release(**override) -> dict:
    body = {"name": "metrics-server", "chart": "metrics-server", "namespace": "kube-system",
            "repository": "https://kubernetes-sigs.github.io/metrics-server/", "version": "3.13.1", "atomic": True}
    return {"helm_release": {"r": {**body, **override}}}


def storage_class(**override) -> dict:
    body = {"metadata": {"name": "gp3"}, "storage_provisioner": "ebs.csi.aws.com",
            "volume_binding_mode": "WaitForFirstConsumer", "allow_volume_expansion": True}
    return {"kubernetes_storage_class_v1": {"sc": {**body, **override}}}


CASES = {
    "release-good": (release(), None),
    "release-oci": (release(repository="oci://registry.example.com/charts"), None),
    "release-range": (release(version="^3.13"), "CKV_OFFICELESS_1"),
    "release-unpinned": (release(version=None), "CKV_OFFICELESS_1"),
    "release-http": (release(repository="http://charts.example.com"), "CKV_OFFICELESS_1"),
    "release-not-atomic": (release(atomic=False), "CKV_OFFICELESS_1"),
    "release-shipped-chart": (release(repository=None, chart="assets/platform-objects/0A1B2C3D"), None),
    "release-no-repository": (release(repository=None), "CKV_OFFICELESS_1"),
    "release-shipped-chart-with-range": (release(repository=None, chart="assets/platform-objects/0A1B", version="^0.1"),
                                         "CKV_OFFICELESS_1"),
    "class-good": (storage_class(), None),
    "class-file-no-expansion": (storage_class(storage_provisioner="efs.csi.aws.com", allow_volume_expansion=False), None),
    "class-immediate": (storage_class(volume_binding_mode="Immediate"), "CKV_OFFICELESS_2"),
    "class-block-no-expansion": (storage_class(allow_volume_expansion=False), "CKV_OFFICELESS_2"),
}


@pytest.mark.slow
@pytest.mark.policy
def test_each_platform_check_passes_good_and_fails_bad_resources(tmp_path):
    results = {r.stack: r for r in evaluate(stacks_with(tmp_path, {k: v[0] for k, v in CASES.items()}), skips={})}
    for stack, (_, failing) in CASES.items():
        r = results[stack]
        assert r.checks > 0, f"{stack}: no check ran"
        failed = sorted({label.split()[0] for label in r.failed})
        assert failed == ([failing] if failing else []), (stack, r.failed)


@pytest.mark.slow
@pytest.mark.policy
def test_a_stack_without_resources_needs_no_checks(tmp_path):
    results = evaluate(stacks_with(tmp_path, {"empty": {}}), skips={})
    assert (results[0].resources, results[0].checks) == (0, 0) and problems(results) == []
