"""The AWS observability layer (``<env>-observability``): storage, cluster logs in CloudWatch, the releases."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.aws.cloud_logging import AwsCloudLogging
from platform_constructs.aws.observability_storage import AwsObservabilityStorage
from platform_constructs.contracts import ClusterContract, NetworkContract
from platform_constructs.spec import EnvironmentSpec


class AwsObservability(Construct):
    """What ``observability`` asks for on EKS:

    | part | what |
    |---|---|
    | :class:`AwsObservabilityStorage` | the six S3 buckets, their KMS key and access-log bucket, an IRSA role per component |
    | :class:`AwsCloudLogging` | the amazon-cloudwatch-observability add-on and its KMS-encrypted Container Insights log groups (retention ``cluster.log_retention_days``) |
    | ``ObservabilityReleases`` | Mimir, Loki, Tempo, the collector and Grafana (cloud-neutral), on that storage |

    The releases come from ``addons.chart_repository`` when set, spread over ``zones``, and wait for
    the storage (buckets, roles and policies) before any pod starts.

    :param spec: the environment.
    :param network: its network contract (unused today; the kit's signature).
    :param cluster: its cluster contract (OIDC provider, name).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, network: NetworkContract,
                 cluster: ClusterContract):
        # Deferred: the neutral releases import the kubernetes/helm bindings, which the storage
        # and logging constructs (and their tests) do not need.
        from platform_constructs.observability.releases import ObservabilityReleases

        super().__init__(scope, id)
        self.storage = AwsObservabilityStorage(self, "storage", spec=spec, cluster=cluster)
        self.cloud_logging = AwsCloudLogging(
            self, "cloud-logging", cluster=cluster, cluster_name=spec.cluster.name,
            kubernetes_version=spec.cluster.kubernetes_version, mode=spec.aws.workload_identity,
            kms_key_arn=self.storage.key.arn, retention_days=spec.cluster.log_retention_days,
        )
        self.releases = ObservabilityReleases(
            self, "releases", spec=spec.observability, storage=self.storage.storage, zones=list(spec.zones),
            chart_repository=spec.addons.chart_repository,
        )
