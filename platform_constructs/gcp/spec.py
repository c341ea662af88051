"""The GCP environment model: its ``gcp:`` section and GCP's rules.

Imports no provider package (the model is loaded for every file of every cloud).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Literal

from pydantic import Field, field_validator

from platform_constructs.gcp.maintenance import MaintenanceExclusion, MaintenanceWindow, maintenance_violations
from platform_constructs.gcp.names import name_violations
from platform_constructs.spec.addons import AddonsSpec
from platform_constructs.spec.common import Model, Problem, cidr, shown
from platform_constructs.spec.environment import EnvironmentSpec
from platform_constructs.spec.ignored import no_effect
from platform_constructs.spec.vpn import vpn_violations


#: A Google group's email address (what Google Groups for RBAC puts in a user's groups).
GROUP_EMAIL = re.compile(r"[a-z0-9][a-z0-9._%+'-]*@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")
#: The name GKE requires of the Google Groups for RBAC security group (the part before '@').
RBAC_SECURITY_GROUP = "gke-security-groups"


def group_email_problem(value: str) -> str | None:
    """Why ``value`` is not a Google group email (lowercase, the form GKE asserts), else None."""
    if not isinstance(value, str) or len(value) > 254 or not GROUP_EMAIL.fullmatch(value):
        return (f"{shown(value)} is not a Google group email: give the group's address in lowercase, "
                "like team-a-admins@example.com")
    return None


class GcpSpec(Model):
    """GCP-only settings (the GCP kit owns these fields).

    Address plan: unless given, the node subnet and the pod, service and
    proxy-only ranges are carved from ``network.cidr`` (see :meth:`ranges`).
    """

    #: The project id the platform is deployed into (lowercase letters, digits, '-').
    project: str
    #: GKE release channel: RAPID, REGULAR, STABLE or EXTENDED. Default: REGULAR.
    release_channel: Literal["RAPID", "REGULAR", "STABLE", "EXTENDED"] = "REGULAR"
    #: Boot disk type of every node. Default: pd-balanced.
    node_disk_type: Literal["pd-balanced", "pd-ssd", "pd-standard", "hyperdisk-balanced"] = "pd-balanced"
    #: Primary range of the regional node subnet. Default: the fifth eighth of network.cidr (a /19 of a /16).
    nodes_cidr: str | None = None
    #: Secondary range for pods. Default: the first half of network.cidr (a /17 of a /16).
    pods_cidr: str | None = None
    #: Secondary range for services. Default: the eleventh sixteenth of network.cidr (a /20 of a /16).
    services_cidr: str | None = None
    #: Proxy-only subnet for internal HTTP(S) load balancers (/26 or larger).
    #: Default: the start of the twelfth sixteenth of network.cidr (a /23 of a /16).
    proxy_only_cidr: str | None = None
    #: The /28 the GKE control plane's private endpoint lives in. Default: 172.16.0.0/28.
    master_ipv4_cidr_block: str = "172.16.0.0/28"
    #: Pods per node; sizes each node's slice of the pod range. Default: 110 (GKE's default).
    max_pods_per_node: int = Field(default=110, ge=8, le=256)
    #: Google Cloud Managed Service for Prometheus. Default: false (off unless asked).
    managed_prometheus: bool = False
    #: Cluster deletion protection and prevent_destroy on the secrets key. Default: true.
    deletion_protection: bool = True
    #: Rotation period of the secrets-encryption key in days (1-90). Default: 90.
    kms_rotation_days: int = Field(default=90, ge=1, le=90)
    #: Cloud NAT ports reserved per VM before dynamic allocation adds more. Default: 1024.
    nat_min_ports_per_vm: int = Field(default=1024, ge=32, le=32768)
    #: Most Cloud NAT ports one VM may get through dynamic allocation. Default: 65536.
    nat_max_ports_per_vm: int = Field(default=65536, ge=64, le=65536)
    #: Weekly window (UTC) for automatic upgrades and maintenance; GKE needs at least 48 hours
    #: in any 32 days. Default: Saturday and Sunday 03:00-11:00 UTC
    #: (``{days: [SA, SU], start_time: "03:00", duration_hours: 8}``).
    maintenance_window: MaintenanceWindow = Field(default_factory=MaintenanceWindow)
    #: One-off spans in which GKE holds back upgrades (``{name, start_time, end_time, scope}``).
    #: Default: none.
    maintenance_exclusions: list[MaintenanceExclusion] = Field(default_factory=list)
    #: Google Groups for RBAC: the Google group ``gke-security-groups@<your domain>`` whose member
    #: groups GKE asserts in users' credentials, so that RoleBindings naming a group's email (the
    #: tenants' ``admins`` and ``developers``) take effect. Default: none (then GKE asserts no Google
    #: group, and a tenant's groups bind only what the cluster's authenticator asserts).
    rbac_security_group: str | None = None

    @field_validator("nodes_cidr", "pods_cidr", "services_cidr", "proxy_only_cidr", "master_ipv4_cidr_block")
    @classmethod
    def _cidrs(cls, value: str | None) -> str | None:
        return None if value is None else cidr(value)

    @field_validator("nat_min_ports_per_vm", "nat_max_ports_per_vm")
    @classmethod
    def _ports(cls, value: int) -> int:
        if value & (value - 1):
            raise ValueError(f"{value} is not a power of two, which Cloud NAT dynamic port allocation requires (e.g. 1024)")
        return value

    def ranges(self, network_cidr: str) -> dict[str, str]:
        """``{nodes, pods, services, proxy_only}``: the given CIDRs, the rest carved from ``network_cidr``.

        Carving (a /16 shown): pods 10.0.0.0/17, nodes 10.0.128.0/19,
        services 10.0.160.0/20, proxy-only 10.0.176.0/23; the rest stays free.
        Needs a /20 or larger network.cidr (a /20 gives pods /21, nodes /23,
        services /24, proxy-only /26).
        """
        net = ipaddress.IPv4Network(network_cidr)
        carved: dict[str, str] = {}
        if net.prefixlen <= 20:
            eighths = list(net.subnets(prefixlen_diff=3))
            sixteenths = list(net.subnets(prefixlen_diff=4))
            carved = {
                "pods": str(list(net.subnets(prefixlen_diff=1))[0]),
                "nodes": str(eighths[4]),
                "services": str(sixteenths[10]),
                "proxy_only": str(next(sixteenths[11].subnets(new_prefix=min(net.prefixlen + 7, 26)))),
            }
        given = {"nodes": self.nodes_cidr, "pods": self.pods_cidr, "services": self.services_cidr,
                 "proxy_only": self.proxy_only_cidr}
        return {k: v if v is not None else carved.get(k, "") for k, v in given.items()}

    @property
    def pod_block_prefix(self) -> int:
        """Prefix length of each node's pod range: the smallest block holding twice max_pods_per_node."""
        return 32 - (2 * self.max_pods_per_node - 1).bit_length()


#: Filestore tiers the Filestore CSI driver takes (``standard`` and ``premium`` are its names for
#: basic HDD and basic SSD). Kept here, not imported: the model imports no construct module.
#: Memorystore for Valkey node types (``data.cache.size``), smallest first
#: (https://cloud.google.com/memorystore/docs/valkey/instance-node-specification).
CACHE_NODE_TYPES = ("SHARED_CORE_NANO", "STANDARD_SMALL", "HIGHMEM_MEDIUM", "HIGHMEM_XLARGE")

FILESTORE_TIERS = ("standard", "premium", "basic_hdd", "basic_ssd", "high_scale_ssd", "zonal", "enterprise")


class GcpAddonsSpec(AddonsSpec):
    #: How GKE's built-in cluster autoscaler removes nodes: ``BALANCED`` (default, GKE's own default)
    #: or ``OPTIMIZE_UTILIZATION`` (scales down sooner and packs pods tighter: cheaper, less headroom).
    autoscaling_profile: Literal["BALANCED", "OPTIMIZE_UTILIZATION"] = "BALANCED"
    #: Filestore tier of the file StorageClass, as the Filestore CSI driver names it: ``standard``
    #: (default; basic HDD, 1 TiB minimum), ``premium`` (basic SSD, 2.5 TiB minimum), ``zonal``,
    #: ``enterprise`` (regional), ``high_scale_ssd``. Only with ``file_storage``.
    filestore_tier: Literal[FILESTORE_TIERS] = "standard"


class GcpEnvironment(EnvironmentSpec):
    # us-central1, europe-west4, northamerica-northeast1
    REGION = (re.compile(r"[a-z]+-[a-z]+[1-9]\d?"), "a GCP region like us-central1 or europe-west4")
    # e2-standard-4, n2d-highmem-8, c3-standard-176-lssd, e2-micro
    INSTANCE_TYPE = (re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)+"), "a GCP machine type like e2-standard-4")

    cloud: Literal["gcp"]
    #: GCP-only settings (required).
    gcp: GcpSpec
    addons: GcpAddonsSpec = Field(default_factory=GcpAddonsSpec)

    def cluster_ranges(self) -> list[tuple[str, str]]:
        """The pods' and Services' secondary ranges, given or carved from ``network.cidr``."""
        ranges = self.gcp.ranges(self.network.cidr)
        out = []
        for kind in ("pods", "services"):
            field = f"{kind}_cidr"
            if ranges[kind]:
                where = f"gcp.{field}" if getattr(self.gcp, field) is not None else f"gcp.{field}, carved from network.cidr"
                out.append((where, ranges[kind]))
        return out

    def cloud_domains(self) -> tuple[str, ...]:
        """``c.<project>.internal``: Compute Engine's internal DNS names of the project's VMs."""
        return (f"c.{self.gcp.project}.internal",)

    def ignored_violations(self) -> list[Problem]:
        """The neutral rules, then a tenant's ``admins`` / ``developers`` without
        ``gcp.rbac_security_group``: GKE then asserts no Google group in users' credentials, so
        RoleBindings naming group emails match nobody."""
        out = super().ignored_violations()
        if self.gcp.rbac_security_group is None:
            for i, tenant in enumerate(self.tenants):
                out.extend(no_effect(f"tenants.{i}.{role}", "gcp.rbac_security_group is not set, so GKE asserts no "
                                     "Google group and a RoleBinding naming a group's email matches nobody",
                                     f"remove it, or set gcp.rbac_security_group: {RBAC_SECURITY_GROUP}@<your domain> "
                                     "with the tenants' groups as its members")
                           for role in ("admins", "developers") if getattr(tenant, role))
        return out

    def tenant_group_problem(self, group: str) -> str | None:
        """A tenant's admins/developers entry must be a Google group's email: the name a RoleBinding's
        Group subject carries (see ``gcp.rbac_security_group``)."""
        return group_email_problem(group)

    def cloud_violations(self) -> list[Problem]:
        """(dotted field path, what is wrong and the fix) for every GCP rule the file breaks."""
        out: list[tuple[str, str]] = []
        gcp = self.gcp
        if len(gcp.project) > 30 or not re.fullmatch(r"[a-z]([a-z0-9-]*[a-z0-9])?", gcp.project):
            out.append(("gcp.project", f"{gcp.project!r} is not a GCP project id: lowercase letters, digits and '-', starting with a letter, at most 30 characters"))
        for i, zone in enumerate(self.zones):
            if not re.fullmatch(rf"{re.escape(self.region)}-[a-z]", zone):
                out.append((f"zones.{i}", f"{zone!r} is not a zone of region {self.region} (expected e.g. {self.region}-a)"))
        for key, value in self.tags.items():
            # Keys: no '-' (cdktf snake-cases the keys of the provider's default_labels).
            if len(key) > 63 or not re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", key):
                out.append((f"tags.{key}", f"{key!r} is not a GCP label key the platform accepts: lowercase letters, digits and single '_' (e.g. cost_center), starting with a letter"))
            elif not re.fullmatch(r"[a-z0-9_-]{0,63}", value):
                out.append((f"tags.{key}", f"{value!r} is not a GCP label value: at most 63 lowercase letters, digits, '_' and '-'"))
        for i, pool in enumerate(self.cluster.node_pools):
            if len(pool.instance_types) != 1:
                out.append((f"cluster.node_pools.{i}.instance_types", f"lists {len(pool.instance_types)} machine types: GCP takes exactly one machine type per pool (e.g. [{pool.instance_types[0]}]); add another pool for another type"))
        out.extend(maintenance_violations(gcp.maintenance_window, list(gcp.maintenance_exclusions)))
        if gcp.rbac_security_group is not None:
            group = gcp.rbac_security_group
            problem = group_email_problem(group)
            if not problem and group.split("@")[0] != RBAC_SECURITY_GROUP:
                problem = (f"{group!r} is not named {RBAC_SECURITY_GROUP}: GKE takes only {RBAC_SECURITY_GROUP}@<your "
                           f"domain> (e.g. {RBAC_SECURITY_GROUP}@{group.split('@')[1]}); make the tenants' groups "
                           "members of it")
            if problem:
                out.append(("gcp.rbac_security_group", problem))
        out.extend(self.addons.built_in_violations("GKE", ("load_balancer_controller", "metrics_server")))
        if not self.addons.file_storage and "filestore_tier" in self.addons.model_fields_set:
            out.append(("addons.filestore_tier", "is only used with file_storage: true: remove it, or turn file_storage on"))
        cache = self.data.cache
        if cache is not None and cache.size not in CACHE_NODE_TYPES:
            out.append(("data.cache.size", f"{cache.size!r} is not a Memorystore for Valkey node type: use one of {', '.join(CACHE_NODE_TYPES)} (e.g. HIGHMEM_MEDIUM)"))
        if gcp.nat_max_ports_per_vm < gcp.nat_min_ports_per_vm:
            out.append(("gcp.nat_max_ports_per_vm", f"{gcp.nat_max_ports_per_vm} is below nat_min_ports_per_vm {gcp.nat_min_ports_per_vm}"))
        net = ipaddress.IPv4Network(self.network.cidr)
        ranges = gcp.ranges(self.network.cidr)
        missing = [k for k, v in ranges.items() if not v]
        if missing:
            out.append(("network.cidr", f"{net} is too small to carve the GKE ranges from: use a /20 or larger, or set gcp.{'_cidr, gcp.'.join(missing)}_cidr"))
        else:
            for kind in ("nodes", "proxy_only"):
                if not ipaddress.IPv4Network(ranges[kind]).subnet_of(net):
                    out.append((f"gcp.{kind}_cidr", f"{ranges[kind]} is outside network.cidr {net}"))
            if ipaddress.IPv4Network(ranges["proxy_only"]).prefixlen > 26:
                out.append(("gcp.proxy_only_cidr", f"{ranges['proxy_only']} is smaller than a /26, the smallest proxy-only subnet GCP allows"))
            master = ipaddress.IPv4Network(gcp.master_ipv4_cidr_block)
            if master.prefixlen != 28:
                out.append(("gcp.master_ipv4_cidr_block", f"{master} must be a /28 (e.g. 172.16.0.0/28)"))
            elif master.overlaps(net):
                out.append(("gcp.master_ipv4_cidr_block", f"{master} overlaps network.cidr {net}: pick a /28 outside it (e.g. 172.16.0.0/28)"))
            named = [(f"gcp.{k}_cidr", ipaddress.IPv4Network(v)) for k, v in ranges.items()]
            if master.prefixlen == 28 and not master.overlaps(net):
                named.append(("gcp.master_ipv4_cidr_block", master))
            carved = {f"gcp.{k}_cidr" for k in ranges if getattr(gcp, f"{k}_cidr") is None}
            for j, (path, sub) in enumerate(named):
                for other_path, other in named[:j]:
                    if sub.overlaps(other):
                        if path in carved and other_path not in carved:  # name the range the user wrote
                            path, sub, other_path, other = other_path, other, path, f"{sub}, carved from network.cidr"
                        out.append((path, f"{sub} overlaps {other} ({other_path}): GKE ranges must not overlap"))
                        break
            pods = ipaddress.IPv4Network(ranges["pods"])
            per_node = gcp.pod_block_prefix
            capacity = 2 ** (per_node - pods.prefixlen) if per_node >= pods.prefixlen else 0
            wanted = sum(p.max_size for p in self.cluster.node_pools)
            if wanted > capacity:
                out.append(("gcp.pods_cidr", f"{pods} holds pod ranges for {capacity} nodes (a /{per_node} each at max_pods_per_node {gcp.max_pods_per_node}) but the node pools can grow to {wanted}: give a larger pods range or lower max_pods_per_node"))
        used = [("network.cidr", self.network.cidr), ("gcp.master_ipv4_cidr_block", gcp.master_ipv4_cidr_block)]
        used += [(f"gcp.{k}_cidr", v) for k, v in ranges.items() if v]
        out.extend(vpn_violations(self.network.vpn, "gcp", used))
        out.extend(name_violations(self))
        return out
