"""CKV_OFFICELESS_3: a Namespace the platform writes as a ``kubernetes_manifest`` enforces a Pod Security
Standard, ``restricted`` or ``baseline`` (never ``privileged``, never unlabelled).

checkov has no check for ``kubernetes_manifest`` (the tenants layer writes only those): this gives
the tenants layer a gate of its own. Objects of other kinds are not this check's (UNKNOWN)."""

from __future__ import annotations

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

ENFORCE = "pod-security.kubernetes.io/enforce"
ALLOWED = ("restricted", "baseline")


def _first(value):
    return value[0] if isinstance(value, list) and value else value


class ManifestPodSecurity(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a Namespace written by kubernetes_manifest enforces Pod Security restricted or baseline",
            id="CKV_OFFICELESS_3", categories=[CheckCategories.KUBERNETES], supported_resources=["kubernetes_manifest"],
        )

    def scan_resource_conf(self, conf: dict) -> CheckResult:
        manifest = _first(conf.get("manifest"))
        if not isinstance(manifest, dict) or _first(manifest.get("kind")) != "Namespace":
            return CheckResult.UNKNOWN
        labels = _first((_first(manifest.get("metadata")) or {}).get("labels")) or {}
        return CheckResult.PASSED if _first(labels.get(ENFORCE)) in ALLOWED else CheckResult.FAILED


check = ManifestPodSecurity()
