"""A Log Analytics workspace with retention, and diagnostic settings that send logs to it."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_azurerm.log_analytics_workspace import LogAnalyticsWorkspace
from cdktf_cdktf_provider_azurerm.monitor_diagnostic_setting import (
    MonitorDiagnosticSetting,
    MonitorDiagnosticSettingEnabledLog,
)

#: AKS control-plane log categories the platform always collects ("Supported logs for
#: Microsoft.ContainerService/managedClusters"). kube-audit is the full audit log (reads of
#: secrets included); kube-audit-admin repeats its write events (everything but get and list)
#: in a table of its own, AKSAuditAdmin: a small change log that is quick to query, at the
#: cost of ingesting writes twice; guard is the Entra ID (Azure RBAC) sign-in and
#: authorization log.
AKS_CONTROL_PLANE_LOGS = (
    "kube-apiserver",
    "kube-audit",
    "kube-audit-admin",
    "kube-controller-manager",
    "kube-scheduler",
    "cluster-autoscaler",
    "guard",
)


class LogWorkspace(Construct):
    """PerGB2018 workspace; queries and ingestion need Entra ID (no shared keys).

    :param retention_days: 30-730. Default: 30.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, resource_group_name: str,
                 tags: dict[str, str], retention_days: int = 30):
        super().__init__(scope, id)
        self.workspace = LogAnalyticsWorkspace(
            self, "workspace", name=name, location=location, resource_group_name=resource_group_name,
            sku="PerGB2018", retention_in_days=retention_days, local_authentication_enabled=False, tags=tags,
        )

    @property
    def id(self) -> str:
        return self.workspace.id

    def send_logs(self, id: str, *, target_resource_id: str, categories: tuple[str, ...]) -> MonitorDiagnosticSetting:
        """Route ``categories`` of ``target_resource_id`` into resource-specific tables of this workspace."""
        return MonitorDiagnosticSetting(
            self, id, name=f"to-{id}", target_resource_id=target_resource_id,
            log_analytics_workspace_id=self.workspace.id, log_analytics_destination_type="Dedicated",
            enabled_log=[MonitorDiagnosticSettingEnabledLog(category=c) for c in categories],
        )
