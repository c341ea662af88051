"""The one list of clouds: each cloud's environment model and kit, by dotted path.

Both are imported on first use, so synthesizing an AWS environment never imports
the google or azurerm provider packages (the models import no provider package).
Adding a cloud means adding a line here, a model (``<cloud>/spec.py``) and a kit.

Each line also says which layers the cloud's kit builds (:attr:`Cloud.layers`): every layer on
the clouds whose network, cluster and data the platform creates; only the in-cluster layers on
``kubernetes`` (an existing cluster, any cloud or on premises).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

#: Every layer a kit may build, in deploy order (one stack each: ``<env>-<layer>``).
ALL_LAYERS: tuple[str, ...] = ("network", "cluster", "data", "addons", "observability", "tenants")
#: The layers that run on the cluster itself (helm and kubernetes providers).
IN_CLUSTER_LAYERS: tuple[str, ...] = ("addons", "observability", "tenants")


@dataclass(frozen=True)
class Cloud:
    #: The value of ``cloud:`` in the environment file.
    name: str
    #: The cloud's Kubernetes service, for messages.
    service: str
    #: "module:Class" of the cloud's environment model (an EnvironmentSpec subclass).
    model: str
    #: "module:Class" of the cloud's kit (what the stacks ask for their layers).
    kit: str
    #: The layers the kit builds, in deploy order (a subsequence of :data:`ALL_LAYERS`);
    #: observability and tenants are still left out when the file switches them off or lists no
    #: tenants (``EnvironmentBase.layers``). Default: all.
    layers: tuple[str, ...] = ALL_LAYERS

    def __post_init__(self) -> None:
        unknown = [layer for layer in self.layers if layer not in ALL_LAYERS]
        ordered = [layer for layer in ALL_LAYERS if layer in self.layers]
        if unknown or list(self.layers) != ordered or "addons" not in self.layers:
            raise ValueError(f"cloud {self.name!r}: layers {self.layers!r} must be a subsequence of "
                             f"{ALL_LAYERS!r} in that order, with addons")


CLOUDS: dict[str, Cloud] = {c.name: c for c in (
    Cloud("aws", "EKS", "platform_constructs.aws.spec:AwsEnvironment", "platform_constructs.aws.kit:AwsKit"),
    Cloud("gcp", "GKE", "platform_constructs.gcp.spec:GcpEnvironment", "platform_constructs.gcp.kit:GcpKit"),
    Cloud("azure", "AKS", "platform_constructs.azure.spec:AzureEnvironment", "platform_constructs.azure.kit:AzureKit"),
    Cloud("kubernetes", "Kubernetes", "platform_constructs.generic.spec:KubernetesEnvironment",
          "platform_constructs.generic.kit:GenericKit", layers=IN_CLUSTER_LAYERS),
)}


def load(target: str):
    """The object a "module:Name" path names."""
    module_name, _, name = target.partition(":")
    return getattr(importlib.import_module(module_name), name)
