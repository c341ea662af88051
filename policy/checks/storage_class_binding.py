"""CKV_OFFICELESS_2: a StorageClass binds a volume where its first pod runs and can grow it.

``volume_binding_mode: WaitForFirstConsumer`` (a zonal disk is created in the zone its pod is
scheduled to, never in a zone the pod cannot reach) and, for block drivers, which can all
expand a volume, ``allow_volume_expansion: true``."""

from __future__ import annotations

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

#: The block CSI drivers of the three clouds (all can expand volumes).
BLOCK_PROVISIONERS = ("ebs.csi.aws.com", "pd.csi.storage.gke.io", "disk.csi.azure.com")


def _first(value):
    return value[0] if isinstance(value, list) and value else value


class StorageClassBinding(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a StorageClass waits for its first consumer and block classes allow volume expansion",
            id="CKV_OFFICELESS_2", categories=[CheckCategories.KUBERNETES],
            supported_resources=["kubernetes_storage_class_v1", "kubernetes_storage_class"],
        )

    def scan_resource_conf(self, conf: dict) -> CheckResult:
        if _first(conf.get("volume_binding_mode")) != "WaitForFirstConsumer":
            return CheckResult.FAILED
        if _first(conf.get("storage_provisioner")) in BLOCK_PROVISIONERS and _first(conf.get("allow_volume_expansion")) is not True:
            return CheckResult.FAILED
        return CheckResult.PASSED


check = StorageClassBinding()
