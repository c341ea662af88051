"""The neutral environment: fields and rules every cloud shares.

Each cloud's model (``platform_constructs/<cloud>/spec.py``) subclasses
:class:`EnvironmentSpec`: it fixes ``cloud``, narrows ``network`` and ``cluster`` to
its own sections, adds its cloud section, and adds its rules in
:meth:`EnvironmentSpec.cloud_violations`. A field another cloud uses is unknown to
it, so a file that sets it is refused with one line naming the field.
"""

from __future__ import annotations

import re
from typing import Annotated, ClassVar

from pydantic import Field, field_validator, model_validator

from platform_constructs.clouds import CLOUDS
from platform_constructs.spec.addons import AddonsSpec
from platform_constructs.spec.backend import BackendSpec, LocalBackendSpec
from platform_constructs.spec.cluster import ClusterSpec
from platform_constructs.spec.common import Model, Problem, Violations, dns_label, shown
from platform_constructs.spec.data import DataSpec
from platform_constructs.spec.network import NetworkSpec
from platform_constructs.spec.observability import ObservabilitySpec
from platform_constructs.spec.tenants import TenantSpec, tenant_violations
from platform_constructs.versions import KUBERNETES_MINORS

#: The most nodes one pool may grow to (EKS, GKE per zone and AKS all stop at 1000).
MAX_POOL_SIZE = 1000


class EnvironmentSpec(Model):
    #: Region names of the cloud: (pattern, what it is for messages).
    REGION: ClassVar[tuple[re.Pattern[str], str]] = (re.compile(r"[a-z]{2,}(-[a-z0-9]+)+|[a-z]+[0-9]*"), "a region name")
    #: Node instance types of the cloud: (pattern, what it is for messages).
    INSTANCE_TYPE: ClassVar[tuple[re.Pattern[str], str]] = (re.compile(r"\S+"), "an instance type")

    #: The stack prefix (``<name>-network``, ...).
    name: Annotated[str, dns_label(40)]
    cloud: str
    region: str
    zones: list[str] = Field(min_length=1)
    #: On every taggable resource (provider default tags / labels). Default: none.
    tags: dict[str, str] = Field(default_factory=dict)
    network: NetworkSpec
    cluster: ClusterSpec
    #: Default: local state in .terraform-state/ beside the output folder.
    backend: BackendSpec = Field(default_factory=LocalBackendSpec)
    #: The system components of ``<env>-addons`` (each cloud narrows the section). Default: all on.
    addons: AddonsSpec = Field(default_factory=AddonsSpec)
    #: The cache, buckets and registry of ``<env>-data``. Default: buckets app and backup only.
    data: DataSpec = Field(default_factory=DataSpec)
    #: Mimir, Loki, Tempo, a collector and Grafana in ``<env>-observability``. Default: on, small.
    observability: ObservabilitySpec = Field(default_factory=ObservabilitySpec)
    #: The teams of ``<env>-tenants``, one namespace each. Default: none (then no tenants stack).
    tenants: list[TenantSpec] = Field(default_factory=list)

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        pattern, what = cls.REGION
        if not pattern.fullmatch(value):
            raise ValueError(f"{shown(value)} is not {what}")
        return value

    @model_validator(mode="after")
    def _cross_field_rules(self) -> "EnvironmentSpec":
        violations = self.violations()
        if violations:
            raise Violations(violations)
        return self

    # ---- rules -----------------------------------------------------------------------

    def violations(self) -> list[Problem]:
        """Every cross-field rule the file breaks: the neutral ones and the cloud's, in file order."""
        out = self._zone_violations()
        out.extend(self._reserved_tag_violations())
        out.extend(self.cloud_violations())
        out.extend(self._cluster_violations())
        out.extend(self._observability_violations())
        out.extend(self.data.violations())
        out.extend(self._bucket_name_violations())
        out.extend(self._tenant_violations())
        return out

    def _tenant_violations(self) -> list[Problem]:
        """The neutral tenant rules, then every admins/developers entry checked by the cloud's
        :meth:`tenant_group_problem`."""
        out = tenant_violations(self.tenants)
        for i, tenant in enumerate(self.tenants):
            for role in ("admins", "developers"):
                for j, group in enumerate(getattr(tenant, role)):
                    problem = self.tenant_group_problem(group)
                    if problem:
                        out.append((f"tenants.{i}.{role}.{j}", problem))
        return out

    def tenant_group_problem(self, group: str) -> str | None:
        """Why ``group`` (a tenant's admins/developers entry) is not a group id of this cloud, else
        None; overridden per cloud (IAM role ARNs, Google group emails, Entra ID object ids)."""
        return None

    def _observability_violations(self) -> list[Problem]:
        obs = self.observability
        if obs.enabled and obs.size == "medium" and len(self.zones) < 3:
            return [("observability.size", f"medium replicates across three zones and this environment has "
                                           f"{len(self.zones)}: list three zones, or use size small")]
        return []

    def _bucket_name_violations(self) -> list[Problem]:
        """Data and observability buckets share ``<head>-<unique>-`` when their prefixes agree: their
        short names must then differ (as global bucket names they would collide)."""
        from platform_constructs.observability.storage import BUCKETS
        if not self.observability.enabled or self.data.bucket_prefix != self.observability.bucket_prefix:
            return []
        taken = set(BUCKETS) | {"access-logs"}
        return [(f"data.buckets.{i}", f"{name!r} is also an observability bucket's name: rename it, or give "
                                      "data.bucket_prefix another value than observability.bucket_prefix")
                for i, name in enumerate(self.data.buckets) if name in taken]

    def cloud_violations(self) -> list[Problem]:
        """The cloud's own rules (its zones, tags, address plan, sections); overridden per cloud."""
        return []

    def _zone_violations(self) -> list[Problem]:
        out: list[Problem] = []
        zones = self.zones
        if len(zones) < 2:
            out.append(("zones", f"lists {len(zones)} zone: the platform is highly available and spreads every pool across "
                                 f"zones ({self.service} needs at least two): list two or more zones of {self.region}"))
        if len(set(zones)) != len(zones):
            out.append(("zones", "lists a zone twice: give each zone once"))
        if len(zones) > 7:
            out.append(("zones", f"{len(zones)} zones given; at most 7 are supported"))
        return out

    def reserved_tag_keys(self) -> set[str]:
        """Tag keys (lowercase) the platform sets itself, in either spelling."""
        return {key.lower() for sep in ("-", "_") for key in self.own_tags("network", sep)}

    def _reserved_tag_violations(self) -> list[Problem]:
        reserved = self.reserved_tag_keys()
        return [
            (f"tags.{key}", f"{shown(key)} is set by the platform itself on every resource (keys "
                            f"{', '.join(sorted(reserved))}): remove it from tags")
            for key in self.tags if key.lower() in reserved
        ]

    def _cluster_violations(self) -> list[Problem]:
        out: list[Problem] = []
        cluster = self.cluster
        supported = KUBERNETES_MINORS.get(self.cloud, ())
        if cluster.kubernetes_version not in supported:
            out.append(("cluster.kubernetes_version",
                        f"{cluster.kubernetes_version!r} is not a Kubernetes version the platform supports on "
                        f"{self.service}: use one of {', '.join(supported)} (platform_constructs/versions.py)"))
        if cluster.endpoint == "public_and_private" and not cluster.public_access_cidrs:
            out.append(("cluster.public_access_cidrs", "is required when endpoint is public_and_private: list the ranges allowed to reach the API"))
        if cluster.endpoint == "private" and cluster.public_access_cidrs:
            out.append(("cluster.public_access_cidrs", "is set but endpoint is private: remove it, or set endpoint: public_and_private"))
        out.extend(self.cluster_violations())
        names: set[str] = set()
        pattern, what = self.INSTANCE_TYPE
        for i, pool in enumerate(cluster.node_pools):
            path = f"cluster.node_pools.{i}"
            if pool.name in names:
                out.append((f"{path}.name", f"{pool.name!r} is used by another pool: pool names must be unique"))
            names.add(pool.name)
            if pool.min_size < 3:
                out.append((f"{path}.min_size", f"{pool.min_size} is below 3: the platform keeps at least 3 nodes per pool across zones"))
            if pool.min_size < len(self.zones):
                out.append((f"{path}.min_size", f"{pool.min_size} nodes cannot cover {len(self.zones)} zones: set min_size to at least {len(self.zones)}"))
            if pool.max_size < pool.min_size:
                out.append((f"{path}.max_size", f"min_size {pool.min_size} can't be greater than max_size {pool.max_size}"))
            if pool.max_size > MAX_POOL_SIZE:
                out.append((f"{path}.max_size", f"{pool.max_size} is above the {self.service} limit of {MAX_POOL_SIZE} nodes per pool"))
            if pool.desired_size is not None and not pool.min_size <= pool.desired_size <= pool.max_size:
                out.append((f"{path}.desired_size", f"{pool.desired_size} must lie between min_size {pool.min_size} and max_size {pool.max_size}"))
            if len(set(pool.instance_types)) != len(pool.instance_types):
                out.append((f"{path}.instance_types", "lists an instance type twice"))
            bad = [(j, t) for j, t in enumerate(pool.instance_types) if not pattern.fullmatch(t)]
            out.extend((f"{path}.instance_types.{j}", f"{shown(t)} is not {what}") for j, t in bad)
            if not bad:
                out.extend(self.pool_violations(path, pool))
        return out

    def cluster_violations(self) -> list[Problem]:
        """The cloud's own rules on ``cluster:`` (before the pools'); overridden per cloud."""
        return []

    def pool_violations(self, path: str, pool) -> list[Problem]:
        """The cloud's own rules on one node pool with well-formed instance types; overridden per cloud."""
        return []

    # ---- derived values used by the kits -------------------------------------------

    @property
    def service(self) -> str:
        """The cloud's Kubernetes service ("EKS"), for messages."""
        return CLOUDS[self.cloud].service if self.cloud in CLOUDS else "Kubernetes"

    def stack_name(self, layer: str) -> str:
        return f"{self.name}-{layer}"

    def platform_tags(self, layer: str, separator: str = "-") -> dict[str, str]:
        """The environment's tags plus the platform's own, for every taggable resource of ``layer``.

        ``separator`` joins the words of the platform's keys (GCP labels use "_").
        """
        return {**self.tags, **self.own_tags(layer, separator)}

    def own_tags(self, layer: str, separator: str = "-") -> dict[str, str]:
        """The tags the platform sets itself; their keys are refused in ``tags``."""
        return {
            "platform": "officeless",
            "environment": self.name,
            "stack": self.stack_name(layer),
            f"managed{separator}by": "cdktf",
        }
