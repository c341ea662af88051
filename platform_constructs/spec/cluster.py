"""The neutral ``cluster:`` section and its node pools; each cloud's model adds what only it uses."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator

from platform_constructs.spec.common import LABEL_KEY, LabelValue, Model, dns_label, plain_text_secret_problem
from platform_constructs.spec.ranges import address_list

#: Lowest Kubernetes minor the platform accepts (the seed: latest stable, 1.33+).
MIN_KUBERNETES_VERSION = (1, 33)


class Taint(Model):
    #: The taint's key, a Kubernetes label key (``dedicated``, ``example.com/gpu``).
    key: str
    #: The taint's value, a Kubernetes label value (at most 63 characters). Default: empty.
    value: LabelValue = ""
    #: What the taint does to pods that do not tolerate it.
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"]

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not LABEL_KEY.match(value):
            raise ValueError(f"{value!r} is not a valid Kubernetes taint key")
        return value


class NodePoolSpec(Model):
    #: Unique in the cluster.
    name: Annotated[str, dns_label(40)]
    #: Node instance types (EC2 types, GCE machine types, Azure VM sizes). AWS: several of one CPU
    #: architecture (spot pools draw from all of them); GCP and Azure: exactly one.
    instance_types: list[str] = Field(min_length=1)
    #: ``on_demand`` (default) or ``spot``.
    capacity: Literal["on_demand", "spot"] = "on_demand"
    #: At least 3 (HA across zones, per the seed). Default: 3.
    min_size: int = 3
    #: Default: 9.
    max_size: int = 9
    #: Starting size; the cluster autoscaler owns it afterwards. Default: min_size.
    desired_size: int | None = None
    #: Root volume size in GiB (encrypted). Default: 100.
    disk_size_gb: int = Field(default=100, ge=20, le=16384)
    #: Nodes replaced at once during upgrades. Default: 1.
    max_unavailable: int = Field(default=1, ge=1, le=100)
    #: Kubernetes labels on the nodes. Default: none.
    labels: dict[str, LabelValue] = Field(default_factory=dict)
    #: Kubernetes taints on the nodes. Default: none.
    taints: list[Taint] = Field(default_factory=list)

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            if not LABEL_KEY.match(key):
                raise ValueError(f"{key!r} is not a valid Kubernetes label key")
            problem = plain_text_secret_problem(key, value[key], "node labels")
            if problem:
                raise ValueError(problem)
        return value

    @property
    def initial_size(self) -> int:
        return self.desired_size if self.desired_size is not None else self.min_size


#: ``cluster.public_access_cidrs`` (:func:`~platform_constructs.spec.ranges.address_list`): no
#: loopback, link-local or reserved range, and together never the whole internet.
PublicAccessCidrs = address_list("the Kubernetes API", "list your office/VPN ranges instead")


class ClusterSpec(Model):
    #: The cluster's name, a DNS label of at most 38 characters, unique per cloud and region.
    name: Annotated[str, dns_label(38)]
    #: The Kubernetes minor, quoted (``"1.35"``): one listed for the cloud in platform_constructs/versions.py.
    kubernetes_version: str
    #: ``private`` (default): API reachable only inside the network.
    #: ``public_and_private``: also from ``public_access_cidrs`` (required, never 0.0.0.0/0).
    endpoint: Literal["private", "public_and_private"] = "private"
    #: Where the public API endpoint answers from (your office or runner ranges); required with
    #: ``endpoint: public_and_private``, never 0.0.0.0/0. Default: none.
    public_access_cidrs: PublicAccessCidrs = Field(default_factory=list)
    #: The node pools, at least one; each keeps at least 3 nodes and one per zone.
    node_pools: list[NodePoolSpec] = Field(min_length=1)

    @field_validator("kubernetes_version", mode="before")
    @classmethod
    def _version(cls, value: object) -> str:
        if isinstance(value, float):
            raise ValueError(f"{value} must be quoted (write \"{value}\"), or YAML reads 1.30 as 1.3")
        if not isinstance(value, str) or not re.fullmatch(r"1\.\d{1,3}", value):
            raise ValueError(f"{value!r} is not a Kubernetes minor version like \"1.33\"")
        major, minor = (int(p) for p in value.split("."))
        if (major, minor) < MIN_KUBERNETES_VERSION:
            lowest = ".".join(map(str, MIN_KUBERNETES_VERSION))
            raise ValueError(f"{value} is below the supported minimum {lowest}: set \"{lowest}\" or later")
        return value
