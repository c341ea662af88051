"""ExternalDNS on GKE: Cloud DNS records in the environment's zones, as an identity limited to them."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_google.dns_managed_zone_iam_member import DnsManagedZoneIamMember

from platform_constructs.gcp.contracts import GcpClusterContract
from platform_constructs.gcp.workload_identity import GcpWorkloadIdentity, account_id_for
from platform_constructs.integration.external_dns import (
    CHART, COMPONENT, DEFAULT_POLICY, SERVICE_ACCOUNT, external_dns_values,
)
from platform_constructs.kubernetes.chart_release import chart_release
from platform_constructs.workload_identity import GcpGrants

#: Read every zone and record of the project: ExternalDNS's google provider lists the project's
#: managed zones (``dns.managedZones.list`` is a project permission; Cloud DNS has no zone-level list).
LIST_ROLE = "roles/dns.reader"
#: Change records: granted per managed zone (``google_dns_managed_zone_iam_member``), never on the project.
ZONE_ROLE = "roles/dns.admin"


class GcpExternalDns(Construct):
    """The external-dns release (provider ``google``) with its own Google service account.

    - ``roles/dns.admin`` only on the environment's managed zones (zone-level IAM,
      ``google_dns_managed_zone_iam_member``); ``roles/dns.reader`` on the project, because listing
      zones is a project permission. Result: it can read every zone of the project but write only
      the environment's; ``domainFilters`` keeps ExternalDNS itself to their names.
    - ``--google-project`` explicit (the project of the zones).

    :param cluster_name: the cluster's name (TXT owner id, service account id).
    :param cluster: the cluster contract (project, workload pool).
    :param zones: zone DNS name -> managed zone name (private first).
    :param policy: ``upsert-only`` or ``sync``. Default: ``upsert-only``.
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the chart's own repository.
    """

    def __init__(self, scope: Construct, id: str, *, cluster_name: str, cluster: GcpClusterContract,
                 zones: dict[str, str], policy: str = DEFAULT_POLICY, chart_repository: str | None = None):
        if not zones:
            raise ValueError("GCP ExternalDNS: no zone: give the private (and public) managed zone names")
        super().__init__(scope, id)
        self.workload = GcpWorkloadIdentity(
            self, f"{COMPONENT}-identity", account_id=account_id_for(cluster_name, COMPONENT), cluster=cluster,
            service_account=SERVICE_ACCOUNT, grants=GcpGrants(project_roles=(LIST_ROLE,)),
        )
        self.identity = self.workload.identity
        self.zone_grants = [
            DnsManagedZoneIamMember(self, f"zone-{i}", project=cluster.project, managed_zone=managed_zone,
                                    role=ZONE_ROLE, member=self.workload.account.member)
            for i, managed_zone in enumerate(zones.values())
        ]
        self.values = external_dns_values(
            provider="google", txt_owner_id=cluster_name, domain_filters=list(zones), identity=self.identity,
            policy=policy, extra_args=[f"--google-project={cluster.project}"],
        )
        self.release = chart_release(
            self, "release", chart=CHART, namespace=SERVICE_ACCOUNT.namespace, values=self.values,
            chart_repository=chart_repository,
            depends_on=[self.workload.binding, *self.workload.grants, *self.zone_grants],
        )
