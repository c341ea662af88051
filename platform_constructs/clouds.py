"""The one list of clouds: each cloud's environment model and kit, by dotted path.

Both are imported on first use, so synthesizing an AWS environment never imports
the google or azurerm provider packages (the models import no provider package).
Adding a cloud means adding a line here, a model (``<cloud>/spec.py``) and a kit.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


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


CLOUDS: dict[str, Cloud] = {c.name: c for c in (
    Cloud("aws", "EKS", "platform_constructs.aws.spec:AwsEnvironment", "platform_constructs.aws.kit:AwsKit"),
    Cloud("gcp", "GKE", "platform_constructs.gcp.spec:GcpEnvironment", "platform_constructs.gcp.kit:GcpKit"),
    Cloud("azure", "AKS", "platform_constructs.azure.spec:AzureEnvironment", "platform_constructs.azure.kit:AzureKit"),
)}


def load(target: str):
    """The object a "module:Name" path names."""
    module_name, _, name = target.partition(":")
    return getattr(importlib.import_module(module_name), name)
