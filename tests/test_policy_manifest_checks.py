"""The platform's checkov checks on ``kubernetes_manifest`` (policy/checks/manifest_*.py): each passes a
good object and fails a bad one, run by the real checkov through the gate's own runner. Objects of
other kinds are not theirs: a stack of only those runs no check of theirs."""

import pytest

from platform_tools.policy import evaluate
from tests.test_policy_checks import stacks_with

PSA = "pod-security.kubernetes.io/enforce"


def manifest(body: dict) -> dict:
    return {"kubernetes_manifest": {"m": {"manifest": body}}}


def namespace(level: str | None) -> dict:
    labels = {PSA: level} if level else {"team": "a"}
    return manifest({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a", "labels": labels}})


def binding(kind: str = "RoleBinding", role: str = "admin", subject: str = "team-a-admins") -> dict:
    return manifest({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind,
                     "metadata": {"name": "tenant-admins", "namespace": "team-a"},
                     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
                     "subjects": [{"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": subject}]})


CASES = {
    "ns-restricted": (namespace("restricted"), None),
    "ns-baseline": (namespace("baseline"), None),
    "ns-privileged": (namespace("privileged"), "CKV_OFFICELESS_3"),
    "ns-unlabelled": (namespace(None), "CKV_OFFICELESS_3"),
    "rb-good": (binding(), None),
    "rb-cluster-admin": (binding(role="cluster-admin"), "CKV_OFFICELESS_4"),
    "rb-system-group": (binding(subject="system:authenticated"), "CKV_OFFICELESS_4"),
    "crb": (binding(kind="ClusterRoleBinding"), "CKV_OFFICELESS_4"),
}


@pytest.mark.slow
@pytest.mark.policy
def test_each_manifest_check_passes_good_and_fails_bad_objects(tmp_path):
    results = {r.stack: r for r in evaluate(stacks_with(tmp_path, {k: v[0] for k, v in CASES.items()}), skips={})}
    for stack, (_, failing) in CASES.items():
        r = results[stack]
        assert r.checks > 0, f"{stack}: no check ran"
        failed = sorted({label.split()[0] for label in r.failed})
        assert failed == ([failing] if failing else []), (stack, r.failed)


@pytest.mark.slow
@pytest.mark.policy
def test_other_kinds_are_not_theirs(tmp_path):
    config_map = manifest({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "a"}})
    (result,) = evaluate(stacks_with(tmp_path, {"cm": config_map}), skips={})
    assert result.checks == 0
