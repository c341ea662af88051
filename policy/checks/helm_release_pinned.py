"""CKV_OFFICELESS_1: a Helm release is pinned to an exact chart version from an https or oci repository
(or is a chart shipped inside the project: a cdktf asset path ``assets/...`` and no repository, so
nothing is fetched), and installed atomically (a failed upgrade rolls back instead of leaving a
half-applied release)."""

from __future__ import annotations

import re

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

#: An exact SemVer 2 version: no ranges (^1, ~1.2, >=1, 1.x), no "latest".
EXACT_VERSION = re.compile(r"v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?")


def _first(value):
    return value[0] if isinstance(value, list) and value else value


class HelmReleasePinned(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a Helm release is pinned to an exact chart version from an https/oci repository and installed atomically",
            id="CKV_OFFICELESS_1", categories=[CheckCategories.SUPPLY_CHAIN], supported_resources=["helm_release"],
        )

    def scan_resource_conf(self, conf: dict) -> CheckResult:
        version = _first(conf.get("version"))
        repository = _first(conf.get("repository"))
        chart = _first(conf.get("chart"))
        atomic = _first(conf.get("atomic"))
        if not isinstance(version, str) or not EXACT_VERSION.fullmatch(version):
            return CheckResult.FAILED
        shipped = repository is None and isinstance(chart, str) and chart.startswith("assets/")
        if not shipped and (not isinstance(repository, str) or not repository.startswith(("https://", "oci://"))):
            return CheckResult.FAILED
        return CheckResult.PASSED if atomic is True else CheckResult.FAILED


check = HelmReleasePinned()
