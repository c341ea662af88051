"""The neutral environment: fields and rules every cloud shares.

Two levels:

- :class:`EnvironmentBase`: what every environment has, whoever made its cluster: ``name``,
  ``cloud``, ``tags``, ``backend``, ``addons``, ``observability``, ``tenants``, and the rules on
  them. ``cloud: kubernetes`` (an existing cluster, ``platform_constructs/generic/spec.py``)
  subclasses it directly: it has no region, zones, network, cluster or data.
- :class:`EnvironmentSpec`: an environment whose network, cluster and data the platform creates
  on a cloud (aws, gcp, azure): ``region``, ``zones``, ``network``, ``cluster``, ``data`` and
  their rules, on top.

Each cloud's model (``platform_constructs/<cloud>/spec.py``) subclasses one of them: it fixes
``cloud``, narrows the sections to its own, adds its cloud section, and adds its rules in
:meth:`EnvironmentBase.cloud_violations`. A field another cloud uses is unknown to it, so a
file that sets it is refused with one line naming the field.

Which stacks an environment synthesizes is :meth:`EnvironmentBase.layers`: the cloud's layers
(``platform_constructs.clouds.Cloud.layers``), without observability when it is off and without
tenants when none are listed.
"""

from __future__ import annotations

import re
from typing import Annotated, ClassVar

from pydantic import Field, field_validator, model_validator

from platform_constructs.clouds import ALL_LAYERS, CLOUDS
from platform_constructs.spec.addons import AddonsSpec
from platform_constructs.spec.backend import BackendSpec, LocalBackendSpec
from platform_constructs.spec.cluster import ClusterSpec
from platform_constructs.spec.common import Model, Problem, Violations, dns_label, plain_text_secret_problem, shown
from platform_constructs.spec.data import DataSpec
from platform_constructs.spec.expressions import expression_violations
from platform_constructs.spec.ignored import ignored_field_violations
from platform_constructs.spec.network import NetworkSpec
from platform_constructs.spec.observability import ObservabilitySpec, storage_violations
from platform_constructs.spec.ranges import overlap_violations, zone_violations
from platform_constructs.spec.tenants import MAX_TENANTS, TenantSpec, tenant_name_violations, tenant_violations
from platform_constructs.versions import KUBERNETES_MINORS

#: The most nodes one pool may grow to (EKS, GKE per zone and AKS all stop at 1000).
MAX_POOL_SIZE = 1000


class EnvironmentBase(Model):
    """The fields and rules of every environment, whoever made its cluster."""

    #: The stack prefix (``<name>-addons``, ...).
    name: Annotated[str, dns_label(40)]
    #: Which cloud's model reads the file: aws, gcp, azure, or kubernetes (an existing cluster).
    cloud: str
    #: On every taggable resource (provider default tags / labels). Default: none.
    tags: dict[str, str] = Field(default_factory=dict)
    #: Default: local state in .terraform-state/ beside the output folder.
    backend: BackendSpec = Field(default_factory=LocalBackendSpec)
    #: The system components of ``<env>-addons`` (each cloud narrows the section). Default: all on.
    addons: AddonsSpec = Field(default_factory=AddonsSpec)
    #: Mimir, Loki, Tempo, a collector and Grafana in ``<env>-observability``. Default: on, small.
    observability: ObservabilitySpec = Field(default_factory=ObservabilitySpec)
    #: The teams of ``<env>-tenants``, one namespace each, at most 500. Default: none (then no tenants stack).
    tenants: list[TenantSpec] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _no_terraform_expressions(cls, data: object) -> object:
        """Refuse ``${`` and ``%{`` anywhere but in free text, before any other rule
        (:mod:`~platform_constructs.spec.expressions`)."""
        violations = expression_violations(data, cls)
        if violations:
            raise Violations(violations)
        return data

    @model_validator(mode="before")
    @classmethod
    def _tenant_count(cls, data: object) -> object:
        """At most :data:`~platform_constructs.spec.tenants.MAX_TENANTS` tenants, counted before any is read."""
        tenants = data.get("tenants") if isinstance(data, dict) else None
        if isinstance(tenants, list) and len(tenants) > MAX_TENANTS:
            raise Violations([("tenants", f"lists {len(tenants)} tenants, above the {MAX_TENANTS} one environment "
                                          "holds (synth time, memory and the tenants stack's plan grow with each): "
                                          "put the other teams on another cluster, in an environment of their own")])
        return data

    @model_validator(mode="after")
    def _cross_field_rules(self) -> "EnvironmentBase":
        violations = self.violations()
        if violations:
            raise Violations(violations)
        return self

    @field_validator("tags")
    @classmethod
    def _no_secret_in_tags(cls, value: dict[str, str]) -> dict[str, str]:
        """Tags are plain text on every resource, in state and in plans: none may look like a secret."""
        problems = [(f"tags.{key}", problem) for key, text in value.items()
                    if (problem := plain_text_secret_problem(key, text, "tags"))]
        if problems:
            raise Violations(problems)
        return value

    # ---- rules -----------------------------------------------------------------------

    def violations(self) -> list[Problem]:
        """Every cross-field rule the file breaks: the neutral ones and the cloud's, in file order."""
        out = self._reserved_tag_violations()
        out.extend(self.cloud_violations())
        out.extend(self._observability_violations())
        out.extend(self._tenant_violations())
        out.extend(self.ignored_violations())
        return out

    def ignored_violations(self) -> list[Problem]:
        """Fields that have no effect for this file (:mod:`~platform_constructs.spec.ignored`): the
        neutral ones; each cloud adds its own by overriding this and extending ``super()``'s."""
        return ignored_field_violations(self)

    def _tenant_violations(self) -> list[Problem]:
        """The tenants' names against the cluster's (:func:`tenant_name_violations`), the neutral
        tenant rules, egress into the cluster's own ranges (:meth:`cluster_ranges`), then every
        admins/developers entry checked by the cloud's :meth:`tenant_group_problem`."""
        out = tenant_name_violations(self)
        out.extend(tenant_violations(self.tenants))
        used = self.cluster_ranges()
        for i, tenant in enumerate(self.tenants):
            out.extend(overlap_violations(
                f"tenants.{i}.egress_cidrs", tenant.egress_cidrs, used,
                "egress there reaches other tenants' pods and the cluster's Services past their NetworkPolicies",
                "list only ranges outside the cluster (the tenant's own namespace is open to it already)"))
        for i, tenant in enumerate(self.tenants):
            for role in ("admins", "developers"):
                for j, group in enumerate(getattr(tenant, role)):
                    problem = self.tenant_group_problem(group)
                    if problem:
                        out.append((f"tenants.{i}.{role}.{j}", problem))
        return out

    def cluster_ranges(self) -> list[tuple[str, str]]:
        """(what, CIDR) of the cluster's pod and service ranges, those the cloud picks when the file
        sets none included; overridden per cloud (unknown on an existing cluster: none)."""
        return []

    def tenant_group_problem(self, group: str) -> str | None:
        """Why ``group`` (a tenant's admins/developers entry) is not a group id of this cloud, else
        None; overridden per cloud (IAM role ARNs, Google group emails, Entra ID object ids,
        Kubernetes group names)."""
        return None

    def _observability_violations(self) -> list[Problem]:
        """Rules on ``observability:`` that depend on the rest of the file: ``observability.storage``
        against the cloud (:func:`~platform_constructs.spec.observability.storage_violations`)."""
        return storage_violations(self.cloud, self.observability)

    def cloud_violations(self) -> list[Problem]:
        """The cloud's own rules (its zones, tags, address plan, sections); overridden per cloud."""
        return []

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

    # ---- derived values used by the kits and the synth pipeline ---------------------

    @property
    def service(self) -> str:
        """The cloud's Kubernetes service ("EKS"), for messages."""
        return CLOUDS[self.cloud].service if self.cloud in CLOUDS else "Kubernetes"

    def layers(self) -> tuple[str, ...]:
        """The layers this environment synthesizes, in deploy order: the cloud's
        (``clouds.Cloud.layers``), observability only when ``observability.enabled``, tenants only
        when the file lists tenants."""
        cloud_layers = CLOUDS[self.cloud].layers if self.cloud in CLOUDS else ALL_LAYERS
        built = {"observability": self.observability.enabled, "tenants": bool(self.tenants)}
        return tuple(layer for layer in cloud_layers if built.get(layer, True))

    def cluster_key(self) -> tuple[str, ...]:
        """What identifies the cluster the environment runs on: two files must not share one
        (their addons, observability and tenants would fight over the same objects)."""
        raise NotImplementedError

    def cluster_clash(self, other: str) -> Problem:
        """The (field path, message) refusing this file when ``other`` (a file name) already names
        the same cluster (:meth:`cluster_key`)."""
        raise NotImplementedError

    @property
    def pod_security_version(self) -> str:
        """The Kubernetes version the tenants' Pod Security ``enforce`` level is pinned to
        (``v1.33``), so an upgrade of the cluster does not change what is admitted."""
        raise NotImplementedError

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


class EnvironmentSpec(EnvironmentBase):
    """An environment whose network, cluster and data the platform creates on a cloud (aws, gcp,
    azure): the base fields plus ``region``, ``zones``, ``network``, ``cluster`` and ``data``."""

    #: Region names of the cloud: (pattern, what it is for messages).
    REGION: ClassVar[tuple[re.Pattern[str], str]] = (re.compile(r"[a-z]{2,}(-[a-z0-9]+)+|[a-z]+[0-9]*"), "a region name")
    #: Node instance types of the cloud: (pattern, what it is for messages).
    INSTANCE_TYPE: ClassVar[tuple[re.Pattern[str], str]] = (re.compile(r"\S+"), "an instance type")

    #: A region of the cloud (``us-east-1``, ``europe-west1``, ``westeurope``).
    region: str
    #: 2 to 7 zones of the region, each once (AWS ``us-east-1a``, GCP ``europe-west1-b``, Azure ``"1"``).
    zones: list[str] = Field(min_length=1)
    #: The network of ``<env>-network``: address range, NAT, optional VPN and private DNS.
    network: NetworkSpec
    #: The cluster of ``<env>-cluster``: name, Kubernetes minor, API endpoint, node pools.
    cluster: ClusterSpec
    #: The cache, buckets and registry of ``<env>-data``. Default: buckets app and backup only.
    data: DataSpec = Field(default_factory=DataSpec)

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        pattern, what = cls.REGION
        if not pattern.fullmatch(value):
            raise ValueError(f"{shown(value)} is not {what}")
        return value

    # ---- rules -----------------------------------------------------------------------

    def violations(self) -> list[Problem]:
        """Every cross-field rule the file breaks: the neutral ones and the cloud's, in file order."""
        out = self._zone_violations()
        out.extend(self._reserved_tag_violations())
        out.extend(self.cloud_violations())
        out.extend(self._dns_violations())
        out.extend(self._cluster_violations())
        out.extend(self._observability_violations())
        out.extend(self.data.violations())
        out.extend(self._bucket_name_violations())
        out.extend(self._tenant_violations())
        out.extend(self.ignored_violations())
        return out

    def _dns_violations(self) -> list[Problem]:
        """``network.dns`` zones that would shadow a domain Kubernetes or the cloud answers itself
        (:func:`~platform_constructs.spec.ranges.zone_violations`, with :meth:`cloud_domains`)."""
        dns = self.network.dns
        if dns is None:
            return []
        zones = [(field, zone) for field, zone in (("private_zone", dns.private_zone), ("public_zone", dns.public_zone))
                 if zone is not None]
        return zone_violations("network.dns", zones, self.cloud, self.cloud_domains())

    def cloud_domains(self) -> tuple[str, ...]:
        """Domains of this file's own cloud resources the cloud answers itself, beyond
        ``ranges.SERVICE_DOMAINS`` (GCP: the project's ``c.<project>.internal``); overridden per cloud."""
        return ()

    def _observability_violations(self) -> list[Problem]:
        obs = self.observability
        out: list[Problem] = []
        if obs.enabled and obs.size == "medium" and len(self.zones) < 3:
            out.append(("observability.size", f"medium replicates across three zones and this environment has "
                                              f"{len(self.zones)}: list three zones, or use size small"))
        return out + super()._observability_violations()

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

    def cluster_key(self) -> tuple[str, ...]:
        return (self.cloud, self.region, self.cluster.name)

    def cluster_clash(self, other: str) -> Problem:
        return ("cluster.name", f"{self.cluster.name!r} is already the cluster of {other} in {self.cloud} "
                                f"{self.region}: cluster names must be unique per region")

    @property
    def pod_security_version(self) -> str:
        """The cluster's own minor (``v1.33``)."""
        return f"v{self.cluster.kubernetes_version}"
