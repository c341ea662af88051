"""The secrets-store CSI driver and its AWS provider (Secrets Manager, Parameter Store)."""

from __future__ import annotations

from constructs import Construct

from platform_constructs import namespaces
from platform_constructs.kubernetes.chart_release import chart_release

DRIVER_CHART = "secrets-store-csi-driver"
PROVIDER_CHART = "secrets-store-csi-driver-provider-aws"
NAMESPACE = namespaces.SYSTEM
#: Audiences of the service-account tokens the driver hands the AWS provider: IRSA exchanges an
#: ``sts.amazonaws.com`` token, EKS Pod Identity a ``pods.eks.amazonaws.com`` one. The provider
#: chart sets these on its bundled driver; installing the driver apart, they must be set here.
TOKEN_AUDIENCES = ("sts.amazonaws.com", "pods.eks.amazonaws.com")
#: How often mounted secrets are re-read (the driver's rotation poll interval).
ROTATION_POLL_INTERVAL = "2m"


def driver_values() -> dict:
    """The driver: rotation on (a secret changed in Secrets Manager reaches the mounted file within
    :data:`ROTATION_POLL_INTERVAL`), tokens for both AWS identity modes, no syncing into Kubernetes
    Secrets (``syncSecret.enabled: false``: secrets stay out of etcd unless a later layer needs it)."""
    return {
        "enableSecretRotation": True,
        "rotationPollInterval": ROTATION_POLL_INTERVAL,
        "syncSecret": {"enabled": False},
        "tokenRequests": [{"audience": audience} for audience in TOKEN_AUDIENCES],
    }


def provider_values(region: str) -> dict:
    """The AWS provider: its bundled driver off (installed once, from the driver chart), the region
    explicit (pods cannot read it from IMDS with the nodes' hop limit 1)."""
    return {
        "secrets-store-csi-driver": {"install": False},
        "awsRegion": region,
    }


class SecretsStoreCsi(Construct):
    """The driver release, then the AWS provider release, both in kube-system.

    No cloud identity of its own: the provider fetches secrets as the *application* pod's identity
    (a SecretProviderClass with ``usePodIdentity: "true"`` for Pod Identity, else IRSA), so
    each workload is granted only its own secrets.

    :param region: the cluster's region.
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the charts' own repositories.
    """

    def __init__(self, scope: Construct, id: str, *, region: str, chart_repository: str | None = None):
        super().__init__(scope, id)
        self.driver = chart_release(self, "driver", chart=DRIVER_CHART, namespace=NAMESPACE,
                                    values=driver_values(), chart_repository=chart_repository)
        self.provider = chart_release(self, "provider", chart=PROVIDER_CHART, namespace=NAMESPACE,
                                      values=provider_values(region), chart_repository=chart_repository,
                                      depends_on=[self.driver])
