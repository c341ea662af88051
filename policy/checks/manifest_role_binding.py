"""CKV_OFFICELESS_4: a RoleBinding the platform writes as a ``kubernetes_manifest`` binds neither
``cluster-admin`` nor one of Kubernetes' own ``system:`` groups or users, and no ClusterRoleBinding
is written that way (a tenant's rights end at its namespace).

Objects of other kinds are not this check's (UNKNOWN)."""

from __future__ import annotations

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


def _first(value):
    return value[0] if isinstance(value, list) and value else value


class ManifestRoleBinding(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a binding written by kubernetes_manifest is namespaced, not to cluster-admin nor a system: subject",
            id="CKV_OFFICELESS_4", categories=[CheckCategories.IAM], supported_resources=["kubernetes_manifest"],
        )

    def scan_resource_conf(self, conf: dict) -> CheckResult:
        manifest = _first(conf.get("manifest"))
        kind = _first(manifest.get("kind")) if isinstance(manifest, dict) else None
        if kind == "ClusterRoleBinding":
            return CheckResult.FAILED
        if kind != "RoleBinding":
            return CheckResult.UNKNOWN
        role = _first(_first(manifest.get("roleRef")) or {}).get("name") if manifest.get("roleRef") else None
        if _first(role) == "cluster-admin":
            return CheckResult.FAILED
        subjects = manifest.get("subjects") or []
        for subject in subjects if isinstance(subjects, list) else [subjects]:
            subject = _first(subject) or {}
            if _first(subject.get("kind")) in ("Group", "User") and str(_first(subject.get("name"))).startswith("system:"):
                return CheckResult.FAILED
        return CheckResult.PASSED


check = ManifestRoleBinding()
