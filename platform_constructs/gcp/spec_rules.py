"""Environment-file rules that only GCP environments have.

Called by the environment model (platform_constructs/spec.py) once a file parsed, for
environments of this cloud only; imports no provider package.
"""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from platform_constructs.spec import EnvironmentSpec


def violations(spec: "EnvironmentSpec") -> list[tuple[str, str]]:
    """(dotted field path, what is wrong and the fix) for every GCP rule the file breaks."""
    out: list[tuple[str, str]] = []
    gcp = spec.gcp
    if len(gcp.project) > 30 or not re.fullmatch(r"[a-z]([a-z0-9-]*[a-z0-9])?", gcp.project):
        out.append(("gcp.project", f"{gcp.project!r} is not a GCP project id: lowercase letters, digits and '-', starting with a letter, at most 30 characters"))
    for i, zone in enumerate(spec.zones):
        if not re.fullmatch(rf"{re.escape(spec.region)}-[a-z]", zone):
            out.append((f"zones.{i}", f"{zone!r} is not a zone of region {spec.region} (expected e.g. {spec.region}-a)"))
    for key, value in spec.tags.items():
        # Keys: no '-' (cdktf snake-cases the keys of the provider's default_labels).
        if len(key) > 63 or not re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", key):
            out.append((f"tags.{key}", f"{key!r} is not a GCP label key the platform accepts: lowercase letters, digits and single '_' (e.g. cost_center), starting with a letter"))
        elif not re.fullmatch(r"[a-z0-9_-]{0,63}", value):
            out.append((f"tags.{key}", f"{value!r} is not a GCP label value: at most 63 lowercase letters, digits, '_' and '-'"))
    for i, pool in enumerate(spec.cluster.node_pools):
        if len(pool.instance_types) != 1:
            out.append((f"cluster.node_pools.{i}.instance_types", f"lists {len(pool.instance_types)} machine types: GCP takes exactly one machine type per pool (e.g. [{pool.instance_types[0]}]); add another pool for another type"))
    if spec.cluster.admin_principals:
        out.append(("cluster.admin_principals", "lists AWS IAM ARNs, which GKE does not use: remove it and grant roles/container.admin in the project's IAM instead"))
    if gcp.nat_max_ports_per_vm < gcp.nat_min_ports_per_vm:
        out.append(("gcp.nat_max_ports_per_vm", f"{gcp.nat_max_ports_per_vm} is below nat_min_ports_per_vm {gcp.nat_min_ports_per_vm}"))
    net = ipaddress.IPv4Network(spec.network.cidr)
    if spec.network.subnets is not None:
        out.append(("network.subnets", "is not used on GCP, whose subnets are regional: remove it and set gcp.nodes_cidr / gcp.pods_cidr / gcp.services_cidr / gcp.proxy_only_cidr if the carved ranges do not suit"))
    ranges = gcp.ranges(spec.network.cidr)
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
        wanted = sum(p.max_size for p in spec.cluster.node_pools)
        if wanted > capacity:
            out.append(("gcp.pods_cidr", f"{pods} holds pod ranges for {capacity} nodes (a /{per_node} each at max_pods_per_node {gcp.max_pods_per_node}) but the node pools can grow to {wanted}: give a larger pods range or lower max_pods_per_node"))
    return out
