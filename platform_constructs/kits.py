"""The cloud registry: ``cloud -> kit``. Stacks ask the kit; they never branch on the cloud.

Kits are imported by dotted path on first use, so synthesizing an AWS
environment never imports the google or azurerm provider packages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from platform_constructs.clouds import CLOUDS, IN_CLUSTER_LAYERS, load

if TYPE_CHECKING:
    from constructs import Construct

    from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract
    from platform_constructs.spec import EnvironmentSpec
    from platform_constructs.workload_identity import Grants, ServiceAccount, WorkloadIdentity

#: cloud -> "module:Class" of its kit, from the one list of clouds (platform_constructs.clouds).
KITS: dict[str, str] = {name: cloud.kit for name, cloud in CLOUDS.items()}

#: Layers that run on the cluster: their stacks also get the kubernetes and helm providers
#: (defined with the list of clouds, re-exported here for the kits).
__all__ = ["IN_CLUSTER_LAYERS", "KITS", "Kit", "UnsupportedCloud", "kit_for"]


class Kit(Protocol):
    """What every cloud kit provides to the cloud-neutral stacks.

    A kit builds the layers its line in ``platform_constructs.clouds`` lists (``Cloud.layers``);
    the stacks call only those methods. A kit without network, cluster or data layers (the
    ``kubernetes`` kit: an existing cluster) gets ``None`` for the ``network``, ``cluster`` and
    ``data`` contracts of the later layers: there is no such stack to read from.
    """

    def configure_stack(self, stack: "Construct", spec: "EnvironmentSpec", layer: str) -> None:
        """Create the stack's provider(s); called once per stack before any resource."""

    def network(self, scope: "Construct", spec: "EnvironmentSpec") -> "NetworkContract":
        """Build the network layer and return its contract."""

    def cluster(self, scope: "Construct", spec: "EnvironmentSpec", network: "NetworkContract") -> "ClusterContract":
        """Build the cluster layer on ``network`` and return its contract."""

    def data(self, scope: "Construct", spec: "EnvironmentSpec", network: "NetworkContract",
             cluster: "ClusterContract") -> "DataContract":
        """Build the data layer (what must outlive any cluster: file systems, later caches, buckets and
        registries; never force-destroyed) and return its contract."""

    def addons(self, scope: "Construct", spec: "EnvironmentSpec", network: "NetworkContract",
               cluster: "ClusterContract", data: "DataContract") -> None:
        """Build the addons layer: the system components ``spec.addons`` asks for, each with its own
        workload identity. ``configure_stack`` has created the kubernetes and helm providers."""

    def observability(self, scope: "Construct", spec: "EnvironmentSpec", network: "NetworkContract",
                      cluster: "ClusterContract", data: "DataContract") -> None:
        """Build the observability layer: the six buckets on a customer-managed key, one identity per
        component (Mimir, Loki, Tempo) reaching only its buckets, the neutral releases
        (``observability.releases.ObservabilityReleases``) and the cloud's logging for cluster logs."""

    def tenants(self, scope: "Construct", spec: "EnvironmentSpec", network: "NetworkContract",
                cluster: "ClusterContract", data: "DataContract") -> None:
        """Build the tenants layer: per ``spec.tenants`` entry a cloud identity for the tenant's
        service account (``tenants.names``) holding read-write on its folder of the ``app`` bucket,
        its own secrets and registry pull; the cloud's RBAC for its admins and developers; and the
        neutral objects (``tenants.manifests.tenant_manifests`` written by ``tenants.objects.TenantObjects``)
        with the cloud's load-balancer ingress ranges."""

    def bucket_grants(self, spec: "EnvironmentSpec", data: "DataContract", *, bucket: str, write: bool,
                      prefix: str | None = None) -> "Grants":
        """The grants (the kit's own type, for ``workload_identity``) that read, or with ``write``
        read and write, the data bucket ``bucket`` (a ``data.buckets`` short name), only under
        ``prefix`` when given (a folder like ``team-a``). A ValueError names the bucket when the
        data layer has no such bucket."""

    def workload_identity(self, scope: "Construct", spec: "EnvironmentSpec", cluster: "ClusterContract", *, name: str,
                          layer: str, service_account: "ServiceAccount",
                          grants: "Grants | None" = None) -> "WorkloadIdentity":
        """Bind the Kubernetes ``service_account`` of ``cluster`` to a new cloud identity named for the
        component ``name`` (a DNS label of at most 40 characters, unique per stack), holding ``grants``
        (the kit's own cloud's type; default: none); ``layer`` is the stack's layer (for tags).
        Returns the annotations and pod labels the chart or manifest must set."""


class UnsupportedCloud(Exception):
    def __init__(self, cloud: str):
        self.cloud = cloud
        supported = ", ".join(sorted(KITS))
        super().__init__(f"{cloud!r} has no kit yet: supported clouds are {supported}")


def kit_for(cloud: str) -> Kit:
    try:
        target = KITS[cloud]
    except KeyError:
        raise UnsupportedCloud(cloud) from None
    return load(target)()
