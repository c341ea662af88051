"""The secrets-store CSI driver on an existing cluster, with the provider the file names.

``addons.secrets_store_provider``:

- ``vault``: HashiCorp Vault's CSI provider (the ``vault`` chart with server and injector off):
  pods mount secrets of a Vault the user runs, logging in as their own service account (Vault's
  Kubernetes auth method; the Vault address and role are the SecretProviderClass's parameters).
- ``none``: the driver alone, for a provider the cluster's cloud publishes (Alibaba Cloud's,
  Huawei's, Oracle's...), installed by the user.
"""

from __future__ import annotations

from constructs import Construct

from platform_constructs import namespaces
from platform_constructs.kubernetes.chart_release import chart_release

DRIVER_CHART = "secrets-store-csi-driver"
VAULT_CHART = "vault"
#: Where the driver and its provider run (the provider's socket is on each node).
NAMESPACE = namespaces.SYSTEM
#: How often mounted secrets are re-read (the driver's rotation poll interval).
ROTATION_POLL_INTERVAL = "2m"
#: The providers ``addons.secrets_store_provider`` may name (besides ``none``).
PROVIDERS = ("vault",)


def driver_values() -> dict:
    """Rotation on (a changed secret reaches the mounted file within :data:`ROTATION_POLL_INTERVAL`);
    no syncing into Kubernetes Secrets (``syncSecret.enabled: false``: secrets stay out of etcd)."""
    return {
        "enableSecretRotation": True,
        "rotationPollInterval": ROTATION_POLL_INTERVAL,
        "syncSecret": {"enabled": False},
    }


def vault_provider_values() -> dict:
    """Only the CSI provider DaemonSet of the vault chart: no Vault server, no agent injector."""
    return {
        "global": {"enabled": False},
        "server": {"enabled": False},
        "injector": {"enabled": False},
        "csi": {"enabled": True},
    }


class SecretsStoreCsi(Construct):
    """The driver release, then the provider's (when ``provider`` is not ``none``), in kube-system.

    :param provider: ``vault`` or ``none`` (``addons.secrets_store_provider``). Default: none.
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the charts' own repositories.

    Attributes: ``driver`` and ``provider`` (the provider's release, or None).
    """

    def __init__(self, scope: Construct, id: str, *, provider: str = "none", chart_repository: str | None = None):
        if provider != "none" and provider not in PROVIDERS:
            raise ValueError(f"secrets-store provider {provider!r} is not supported: use one of "
                             f"{', '.join(PROVIDERS)} or none")
        super().__init__(scope, id)
        self.driver = chart_release(self, "driver", chart=DRIVER_CHART, namespace=NAMESPACE,
                                    values=driver_values(), chart_repository=chart_repository)
        self.provider = None
        if provider == "vault":
            self.provider = chart_release(self, "vault-provider", chart=VAULT_CHART, namespace=NAMESPACE,
                                          name="vault-csi-provider", values=vault_provider_values(),
                                          chart_repository=chart_repository, depends_on=[self.driver])
