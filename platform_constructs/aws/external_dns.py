"""ExternalDNS on EKS: Route 53 records in the environment's zones, as an identity limited to them."""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition

from platform_constructs.aws.csi_addons import identity_dependables
from platform_constructs.aws.workload_identity import AwsWorkloadIdentity, Mode
from platform_constructs.contracts import ClusterContract
from platform_constructs.integration.external_dns import (
    CHART, COMPONENT, DEFAULT_POLICY, SERVICE_ACCOUNT, external_dns_values,
)
from platform_constructs.kubernetes.chart_release import chart_release
from platform_constructs.workload_identity import AwsGrants, bounded_name


def external_dns_grants(partition: str, zone_ids: Sequence[str]) -> AwsGrants:
    """Change and read records only in ``zone_ids`` (``route53:ChangeResourceRecordSets``,
    ``ListResourceRecordSets``, ``ListTagsForResource`` on ``hostedzone/<id>``); list the account's
    zones and read change status (``ListHostedZones``, ``ListHostedZonesByName``, ``GetChange``:
    these take no zone as resource, so they are on ``*``)."""
    if not zone_ids:
        raise ValueError("ExternalDNS grants: no zone: give the private (and public) zone ids")
    zones = [f"arn:{partition}:route53:::hostedzone/{zone_id}" for zone_id in zone_ids]
    return AwsGrants(inline_policy={"Statement": [
        {"Sid": "RecordsInTheEnvironmentsZones", "Effect": "Allow",
         "Action": ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets",
                    "route53:ListTagsForResource"],
         "Resource": zones},
        {"Sid": "FindZones", "Effect": "Allow",
         "Action": ["route53:ListHostedZones", "route53:ListHostedZonesByName", "route53:GetChange"],
         "Resource": ["*"]},
    ]})


class AwsExternalDns(Construct):
    """The external-dns release (provider ``aws``) with its own IAM role.

    - The role may change records only in the environment's hosted zones (:func:`external_dns_grants`);
      ``--zone-id-filter`` per zone keeps ExternalDNS itself to them too, and ``domainFilters`` to their
      names.
    - The region comes from ``AWS_DEFAULT_REGION`` (pods cannot reach IMDS with the nodes' hop limit 1).
    - The identity is built with the environment's workload identity mode, like the kit's
      ``workload_identity`` (same role name ``<cluster>-external-dns``); the release waits for it.

    :param cluster_name: the cluster's name (the TXT owner id and the role's prefix).
    :param region: the cluster's region.
    :param cluster: the cluster contract (OIDC provider for IRSA).
    :param zones: zone name -> hosted zone id (private first).
    :param mode: ``pod_identity`` or ``irsa``. Default: ``pod_identity``.
    :param policy: ``upsert-only`` or ``sync``. Default: ``upsert-only``.
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the chart's own repository.
    """

    def __init__(self, scope: Construct, id: str, *, cluster_name: str, region: str, cluster: ClusterContract,
                 zones: dict[str, str], mode: Mode = "pod_identity",
                 policy: str = DEFAULT_POLICY, chart_repository: str | None = None):
        super().__init__(scope, id)
        partition = DataAwsPartition(self, "partition").partition
        self.workload = AwsWorkloadIdentity(
            self, f"{COMPONENT}-identity", name=bounded_name(f"{cluster_name}-{COMPONENT}", 64), cluster=cluster,
            service_account=SERVICE_ACCOUNT, grants=external_dns_grants(partition, list(zones.values())), mode=mode,
        )
        self.identity = self.workload.identity
        self.values = external_dns_values(
            provider="aws", txt_owner_id=cluster_name, domain_filters=list(zones), identity=self.identity,
            policy=policy, extra_args=[f"--zone-id-filter={zone_id}" for zone_id in zones.values()],
            env=[{"name": "AWS_DEFAULT_REGION", "value": region}],
        )
        self.release = chart_release(self, "release", chart=CHART, namespace=SERVICE_ACCOUNT.namespace,
                                     values=self.values, chart_repository=chart_repository,
                                     depends_on=identity_dependables(self.workload))
