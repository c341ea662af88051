"""The ``kubernetes`` kit: addons, observability and tenants on an existing cluster.

It builds the layers ``clouds.CLOUDS["kubernetes"].layers`` lists (addons, observability, tenants);
the stacks never ask it for a network, cluster or data layer, and pass ``None`` for those contracts.
No cloud provider: each stack gets the kubernetes and helm providers, configured from the
environment file's kubeconfig path and context (``kubernetes.providers.KubeconfigAccess``).
"""

from __future__ import annotations

from constructs import Construct

from platform_constructs.generic.spec import KubernetesEnvironment
from platform_constructs.kubernetes.providers import KubeconfigAccess, kubernetes_providers
from platform_constructs.kits import IN_CLUSTER_LAYERS


def _no_layer(layer: str) -> ValueError:
    return ValueError(f"cloud: kubernetes builds no {layer} layer (an existing cluster): the stacks ask its kit "
                      "for addons, observability and tenants only (clouds.Cloud.layers)")


def _environment(spec) -> KubernetesEnvironment:
    if not isinstance(spec, KubernetesEnvironment):
        raise TypeError(f"the kubernetes kit takes a cloud: kubernetes environment, got cloud {spec.cloud!r}")
    return spec


class GenericKit:
    def configure_stack(self, stack: Construct, spec: KubernetesEnvironment, layer: str) -> None:
        """The kubernetes and helm providers from ``kubernetes.kubeconfig`` and ``kubernetes.context``
        (the file's values; Terraform reads the kubeconfig at plan time, synth never opens it)."""
        if layer not in IN_CLUSTER_LAYERS:
            raise _no_layer(layer)
        kubernetes_providers(stack, KubeconfigAccess.from_environment(_environment(spec).kubernetes))

    def network(self, scope: Construct, spec: KubernetesEnvironment):
        raise _no_layer("network")

    def cluster(self, scope: Construct, spec: KubernetesEnvironment, network: None):
        raise _no_layer("cluster")

    def data(self, scope: Construct, spec: KubernetesEnvironment, network: None, cluster: None):
        raise _no_layer("data")

    def addons(self, scope: Construct, spec: KubernetesEnvironment, network: None, cluster: None,
               data: None) -> None:
        """Traefik, metrics-server and the secrets-store CSI driver, per ``addons:`` (:class:`GenericAddons`)."""
        from platform_constructs.generic.addons import GenericAddons

        GenericAddons(scope, "addons", spec=_environment(spec))

    def observability(self, scope: Construct, spec: KubernetesEnvironment, network: None, cluster: None,
                      data: None) -> None:
        """The neutral releases on the S3-compatible store of ``observability.storage``
        (``generic.observability.GenericObservability``)."""
        from platform_constructs.generic.observability import GenericObservability

        GenericObservability(scope, "observability", spec=_environment(spec))

    def tenants(self, scope: Construct, spec: KubernetesEnvironment, network: None, cluster: None,
                data: None) -> None:
        """The neutral objects per tenant with its Kubernetes groups bound (:class:`GenericTenants`)."""
        from platform_constructs.generic.tenants import GenericTenants

        GenericTenants(scope, "tenants", spec=_environment(spec))

    def bucket_grants(self, spec, data, *, bucket: str, write: bool, prefix: str | None = None):
        raise ValueError(f"bucket_grants: cloud: kubernetes has no data layer and no cloud identity, so no bucket "
                         f"{bucket!r} to grant: give the workload credentials of its own store instead")

    def workload_identity(self, scope, spec, cluster, *, name: str, layer: str, service_account, grants=None):
        raise ValueError(f"workload_identity ({name}): cloud: kubernetes has no cloud identity to bind "
                         f"{service_account.namespace}/{service_account.name} to")
