"""The AWS environment model: its network, cluster and ``aws:`` sections, and AWS's rules.

Imports no provider package (the model is loaded for every file of every cloud).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from platform_constructs.aws.names import DATA_ACCESS_LOG_BUCKET, name_violations
from platform_constructs.spec.addons import AddonsSpec
from platform_constructs.spec.backend import AWS_REGION
from platform_constructs.spec.cluster import ClusterSpec
from platform_constructs.spec.common import Model, Problem, Url, cidr, shown, tag_violations
from platform_constructs.spec.environment import EnvironmentSpec
from platform_constructs.spec.ignored import differs, no_effect
from platform_constructs.spec.network import NetworkSpec
from platform_constructs.spec.vpn import AwsVpnSpec, vpn_violations

#: Retention values CloudWatch Logs accepts (days).
CLOUDWATCH_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
    2192, 2557, 2922, 3288, 3653,
)

#: EC2 instance types on AWS Graviton (ARM): a "g" among the letters after the generation
#: digit (m7g, c6gn, r8gd, t4g, g5g, hpc7g). The node group picks its AMI with it, the model
#: refuses pools that mix architectures with it.
GRAVITON_INSTANCE_TYPE = re.compile(r"^[a-z]+\d+[a-z]*g[a-z]*\.")

#: An ElastiCache node type: ``cache.<family>.<size>`` (cache.t4g.medium, cache.r7g.large, cache.m7g.xlarge).
ELASTICACHE_NODE_TYPE = re.compile(r"cache\.[a-z][a-z0-9-]*\.[a-z0-9]+")

_IAM_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:(iam|sts)::\d{12}:(role|user|assumed-role)/[\w+=,.@/-]+$")
#: An IAM role ARN, path allowed (EKS access entries take role paths; the aws-auth ConfigMap does not):
#: ``arn:<partition>:iam::<account>:role/<path/>name``, the name at most 64 characters.
_IAM_ROLE_ARN = re.compile(r"arn:(?P<partition>aws[a-z-]*):iam::\d{12}:role/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]{1,64})")

#: The Services' range EKS picks when the cluster is created without one (the platform sets none):
#: 172.20.0.0/16 when the VPC's range lies in 10.0.0.0/8, else 10.100.0.0/16 ("Kubernetes assigns
#: addresses from either the 10.100.0.0/16 or 172.20.0.0/16 CIDR blocks", EKS API reference,
#: KubernetesNetworkConfigRequest). Keyed by "the VPC is in 10.0.0.0/8".
EKS_SERVICE_CIDRS: dict[bool, str] = {True: "172.20.0.0/16", False: "10.100.0.0/16"}

#: Where ``aws.endpoint`` may point: this machine or a private (RFC 1918) network.
_EMULATOR_NETWORKS = tuple(ipaddress.ip_network(n) for n in ("127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


def region_partition(region: str) -> str | None:
    """The AWS partition of ``region`` (``aws``, ``aws-cn``, ``aws-us-gov``); None for the isolated
    and sovereign partitions, whose names the model does not pin."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if "-iso" in region or re.match(r"[a-z]{2}sc-", region):
        return None
    return "aws"


def aws_architecture(instance_type: str) -> Literal["arm64", "x86_64"]:
    """The CPU architecture of an EC2 instance type."""
    return "arm64" if GRAVITON_INSTANCE_TYPE.match(instance_type) else "x86_64"


def _cloudwatch_retention(value: int) -> int:
    if value not in CLOUDWATCH_RETENTION_DAYS:
        raise ValueError(f"{shown(value)} is not a retention CloudWatch accepts: one of {', '.join(map(str, CLOUDWATCH_RETENTION_DAYS))}")
    return value


#: Days, a value CloudWatch Logs accepts.
CloudWatchRetention = Annotated[int, AfterValidator(_cloudwatch_retention)]


def _emulator_endpoint(value: str) -> str:
    from urllib.parse import urlsplit

    host = urlsplit(value).hostname or ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if host == "localhost" or (address is not None and any(address in net for net in _EMULATOR_NETWORKS)):
        return value
    raise ValueError(
        f"{shown(value)} is neither loopback nor a private address: aws.endpoint turns off AWS credential validation "
        "for every AWS API, so it may only name an emulator on 127.0.0.0/8, ::1, localhost or an RFC 1918 address "
        "(10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16); remove it to use real AWS")


class SubnetLayout(Model):
    """Explicit subnets, one CIDR per zone in the order of ``zones``.

    Default (when the whole block is omitted): carved from ``network.cidr``:
    the first N eighths become private subnets (/19 of a /16), the last eighth
    is cut into eighths again for the public subnets (/22 of a /16).
    """

    #: Public subnets (load balancers, NAT gateways), one CIDR per zone, inside ``network.cidr``.
    public: list[str]
    #: Private subnets (nodes, pods), one CIDR per zone, inside ``network.cidr``.
    private: list[str]

    @field_validator("public", "private")
    @classmethod
    def _cidrs(cls, value: list[str]) -> list[str]:
        return [cidr(v) for v in value]


def carve_subnets(network_cidr: str, zone_count: int) -> SubnetLayout:
    """Private subnets: the first ``zone_count`` eighths of ``network_cidr``; public: eighths of the last eighth."""
    net = ipaddress.IPv4Network(network_cidr)
    eighths = list(net.subnets(prefixlen_diff=3))
    private = eighths[:zone_count]
    public = list(eighths[-1].subnets(prefixlen_diff=3))[:zone_count]
    return SubnetLayout(public=[str(n) for n in public], private=[str(n) for n in private])


class AwsNetworkSpec(NetworkSpec):
    #: ``per_zone`` (default): one NAT gateway per zone, no cross-zone dependency.
    #: ``single``: one NAT gateway for all zones (cheaper, one zone's outage cuts egress).
    nat: Literal["per_zone", "single"] = "per_zone"
    #: Default: carved from ``cidr`` (see :class:`SubnetLayout`).
    subnets: SubnetLayout | None = None
    #: VPC flow log retention in days, a value CloudWatch accepts. Default: 30.
    flow_log_retention_days: CloudWatchRetention = 30
    #: Site-to-site VPN (virtual private gateway, customer gateway, VPN connection; see
    #: platform_constructs/spec/vpn.py). Default: none.
    vpn: AwsVpnSpec | None = None


class AwsClusterSpec(ClusterSpec):
    #: Default: API_AND_CONFIG_MAP (access entries plus the aws-auth ConfigMap). With API or
    #: API_AND_CONFIG_MAP the cluster's creator gets no admin of its own, so ``admin_principals``
    #: must name at least one; CONFIG_MAP keeps EKS's implicit creator admin (EKS requires it there).
    authentication_mode: Literal["API", "API_AND_CONFIG_MAP", "CONFIG_MAP"] = "API_AND_CONFIG_MAP"
    #: Control-plane log retention in days, a value CloudWatch accepts. Default: 30.
    log_retention_days: CloudWatchRetention = 30
    #: IAM role/user ARNs given cluster-admin through access entries: the only cluster admins.
    #: Required (at least one) with authentication_mode API or API_AND_CONFIG_MAP. Default: none.
    admin_principals: list[str] = Field(default_factory=list)

    @field_validator("admin_principals")
    @classmethod
    def _principals(cls, value: list[str]) -> list[str]:
        for arn in value:
            if not _IAM_ARN.match(arn):
                raise ValueError(f"{arn!r} is not an IAM role or user ARN like arn:aws:iam::123456789012:role/admins")
        return value


class EfsSettings(Model):
    """The EFS file system of ``<env>-data`` (``addons.file_system``)."""

    #: ``generalPurpose`` (default: lowest latency, what almost every workload wants) or ``maxIO``
    #: (higher aggregate throughput for thousands of clients, higher latency; not with ``elastic``).
    performance_mode: Literal["generalPurpose", "maxIO"] = "generalPurpose"
    #: ``elastic`` (default: scales with the workload, billed per use), ``bursting`` (grows with the
    #: stored size) or ``provisioned`` (a fixed rate: set ``provisioned_throughput_mibps``).
    throughput_mode: Literal["elastic", "bursting", "provisioned"] = "elastic"
    #: MiB/s for ``throughput_mode: provisioned`` (1-3414); only with that mode. Default: none.
    provisioned_throughput_mibps: float | None = Field(default=None, ge=1, le=3414)
    #: AWS Backup's daily backups of the file system (its backup policy). Default: true. The local
    #: emulator's file sets false (it does not implement PutBackupPolicy).
    backup: bool = True


class AwsAddonsSpec(AddonsSpec):
    #: The cluster-autoscaler chart, discovering the node groups by their tags (EKS only: GKE and
    #: AKS autoscale node pools natively). Default: true.
    cluster_autoscaler: bool = True
    #: The EFS file system behind ``file_storage``. Default: general purpose, elastic, backed up.
    file_system: EfsSettings = Field(default_factory=EfsSettings)


class AwsSpec(Model):
    #: One URL for every AWS API (moto, LocalStack): loopback or a private address only, since it
    #: turns off credential validation. Default: real AWS.
    endpoint: Annotated[Url, AfterValidator(_emulator_endpoint)] | None = None
    #: EKS managed add-ons vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, at the versions
    #: pinned per minor in platform_constructs/versions.py; the cluster is then created without
    #: EKS's self-managed networking add-ons. ``false``: EKS installs its self-managed vpc-cni,
    #: kube-proxy and coredns, and the VPC CNI runs on the node role. Default: true.
    managed_addons: bool = True
    #: What EKS does when the cluster's Kubernetes minor leaves standard support.
    #: ``STANDARD`` (default): EKS upgrades the cluster to the next minor; no extended-support charge.
    #: ``EXTENDED``: the cluster stays on its minor for up to 12 more months, billed extra per
    #: cluster hour (EKS's own default). EKS cannot switch a cluster already in extended support
    #: back to STANDARD: upgrade it to a minor in standard support first (versions.py lists the dates).
    support_type: Literal["STANDARD", "EXTENDED"] = "STANDARD"
    #: How the platform's components (and later layers' workloads) get their IAM roles.
    #: ``pod_identity`` (default): EKS Pod Identity associations, no annotation on the service
    #: account (needs ``managed_addons``, which installs the Pod Identity agent). ``irsa``: IAM roles
    #: for service accounts through the cluster's OIDC provider (also serves Fargate and emulators).
    workload_identity: Literal["pod_identity", "irsa"] = "pod_identity"


class AwsEnvironment(EnvironmentSpec):
    REGION = (AWS_REGION, "an AWS region like us-east-1, ap-southeast-2 or us-gov-west-1")
    # family.size: m6i.large, c6gn.16xlarge, u-6tb1.112xlarge, m7i-flex.large, r7iz.metal-16xl
    INSTANCE_TYPE = (re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*"),
                     "an EC2 instance type (family.size, like m6i.large)")

    cloud: Literal["aws"]
    network: AwsNetworkSpec
    cluster: AwsClusterSpec
    #: AWS-only settings. Default: real AWS, managed add-ons on.
    aws: AwsSpec = Field(default_factory=AwsSpec)
    addons: AwsAddonsSpec = Field(default_factory=AwsAddonsSpec)

    def subnet_layout(self) -> SubnetLayout:
        """The explicit layout, or one carved from ``network.cidr``."""
        if self.network.subnets is not None:
            return self.network.subnets
        return carve_subnets(self.network.cidr, len(self.zones))

    def eks_service_cidr(self) -> str:
        """The range EKS gives Services: the platform sets none (``kubernetes_network_config``), so EKS
        picks :data:`EKS_SERVICE_CIDRS` by the VPC's range."""
        in_ten = ipaddress.IPv4Network(self.network.cidr).subnet_of(ipaddress.IPv4Network("10.0.0.0/8"))
        return EKS_SERVICE_CIDRS[in_ten]

    def cluster_ranges(self) -> list[tuple[str, str]]:
        """The private subnets (the VPC CNI gives pods their addresses there) and EKS's service range."""
        given = self.network.subnets is not None
        pods = [(f"network.subnets.private.{i}" if given else "a private subnet carved from network.cidr, where "
                 "the VPC CNI gives pods their addresses", c) for i, c in enumerate(self.subnet_layout().private)]
        return pods + [("the Services' range EKS picks, since the platform sets none", self.eks_service_cidr())]

    # ---- rules -----------------------------------------------------------------------

    def cloud_violations(self) -> list[Problem]:
        out = self._aws_zone_violations()
        out.extend(tag_violations({k: v for k, v in self.tags.items() if k.lower() not in self.reserved_tag_keys()}))
        out.extend(self._subnet_violations())
        out.extend(vpn_violations(self.network.vpn, "aws", [
            ("network.cidr", self.network.cidr),
            ("the Services' range EKS picks, since the platform sets none", self.eks_service_cidr())]))
        out.extend(self._addons_violations())
        out.extend(self._data_violations())
        out.extend(self._tenant_access_violations())
        out.extend(name_violations(self))
        return out

    def ignored_violations(self) -> list[Problem]:
        """The neutral rules, then ``addons.file_system`` with ``addons.file_storage: false`` (no EFS
        file system is created to apply it to)."""
        out = super().ignored_violations()
        if not self.addons.file_storage and differs(self.addons, "file_system"):
            out.append(no_effect("addons.file_system", "addons.file_storage is false (no EFS file system is created)",
                                 "remove it, or set file_storage: true"))
        return out

    def tenant_group_problem(self, group: str) -> str | None:
        """A tenant's admins/developers entry must be an IAM role ARN (``arn:<partition>:iam::<12
        digits>:role/<path/>name``) of this region's partition: EKS access entries map IAM principals,
        and a team is the role its members assume (a federated or IAM Identity Center role)."""
        found = _IAM_ROLE_ARN.fullmatch(group)
        if found is None:
            return (f"{shown(group, 120)} is not an IAM role ARN like arn:aws:iam::123456789012:role/team-a-admins: on AWS "
                    "a tenant's admins and developers are the IAM roles their members assume (EKS access entries)")
        partition = region_partition(self.region)
        if partition is not None and found["partition"] != partition:
            return (f"{shown(group, 120)} is in partition {found['partition']}, but region {self.region} is in {partition}: "
                    f"give the role's ARN in {partition} (arn:{partition}:iam::...)")
        return None

    def _tenant_access_violations(self) -> list[Problem]:
        """Tenants' admins and developers become EKS access entries (one per principal and cluster),
        and their NetworkPolicies need the VPC CNI's policy agent (an emulator environment,
        ``aws.endpoint`` set, runs no pods, so nothing to enforce: not refused there)."""
        out: list[Problem] = []
        cluster = self.cluster
        admins = set(cluster.admin_principals)
        for i, tenant in enumerate(self.tenants):
            for role in ("admins", "developers"):
                groups = getattr(tenant, role)
                if groups and cluster.authentication_mode == "CONFIG_MAP":
                    out.append((f"tenants.{i}.{role}", "needs EKS access entries, which authentication_mode CONFIG_MAP "
                                                       "lacks: set cluster.authentication_mode to API or "
                                                       "API_AND_CONFIG_MAP, or empty the list"))
                    continue
                for j, group in enumerate(groups):
                    if group in admins:
                        out.append((f"tenants.{i}.{role}.{j}",
                                    f"{shown(group, 120)} is in cluster.admin_principals, which already makes it cluster "
                                    "admin through its own access entry (EKS allows one per principal): remove it here"))
        if self.tenants and not self.aws.managed_addons and self.aws.endpoint is None:
            out.append(("tenants", "tenants are isolated by NetworkPolicies, which EKS enforces only with the VPC CNI's "
                                   "network policy agent, turned on in the managed vpc-cni add-on; aws.managed_addons "
                                   "is false: set it to true"))
        return out

    def _data_violations(self) -> list[Problem]:
        out: list[Problem] = []
        cache = self.data.cache
        if cache is not None and not ELASTICACHE_NODE_TYPE.fullmatch(cache.size):
            out.append(("data.cache.size", f"{shown(cache.size)} is not an ElastiCache node type: use "
                                           "cache.<family>.<size>, like cache.t4g.medium, cache.m7g.large or "
                                           "cache.r7g.xlarge"))
        if DATA_ACCESS_LOG_BUCKET in self.data.buckets:
            out.append(("data.buckets", f"{DATA_ACCESS_LOG_BUCKET!r} is the data layer's access-log bucket on AWS: "
                                        "name the bucket differently"))
        return out

    def _addons_violations(self) -> list[Problem]:
        out: list[Problem] = []
        efs = self.addons.file_system
        if efs.throughput_mode == "provisioned" and efs.provisioned_throughput_mibps is None:
            out.append(("addons.file_system.provisioned_throughput_mibps",
                        "is required with throughput_mode provisioned: give the MiB/s to provision (e.g. 128)"))
        if efs.throughput_mode != "provisioned" and efs.provisioned_throughput_mibps is not None:
            out.append(("addons.file_system.provisioned_throughput_mibps",
                        f"is only used with throughput_mode provisioned (this file has {efs.throughput_mode}): remove it"))
        if efs.performance_mode == "maxIO" and efs.throughput_mode == "elastic":
            out.append(("addons.file_system.performance_mode",
                        "maxIO does not work with throughput_mode elastic: use generalPurpose, or throughput_mode "
                        "bursting or provisioned"))
        if self.aws.workload_identity == "pod_identity" and not self.aws.managed_addons:
            out.append(("aws.workload_identity",
                        "pod_identity needs the EKS Pod Identity agent, which aws.managed_addons installs, but "
                        "managed_addons is false: set workload_identity: irsa, or managed_addons: true"))
        return out

    def _aws_zone_violations(self) -> list[Problem]:
        """AWS availability zones are the region's name plus one letter (us-east-1a)."""
        out = []
        region = self.region
        for i, zone in enumerate(self.zones):
            if re.fullmatch(rf"{re.escape(region)}[a-z]", zone):
                continue
            if zone.startswith(f"{region}-"):
                out.append((f"zones.{i}", f"{shown(zone)} looks like a Local or Wavelength Zone, which the platform does not "
                                          f"support (EKS managed node groups): use availability zones like {region}a"))
            else:
                out.append((f"zones.{i}", f"{shown(zone)} is not a zone of region {region}: an availability zone is the region "
                                          f"plus one letter (expected e.g. {region}a)"))
        return out

    def _subnet_violations(self) -> list[Problem]:
        out: list[Problem] = []
        zones = self.zones
        net = ipaddress.IPv4Network(self.network.cidr)
        layout = self.network.subnets
        if layout is not None:
            seen: list[tuple[str, ipaddress.IPv4Network]] = []
            for kind in ("public", "private"):
                cidrs = getattr(layout, kind)
                if len(cidrs) != len(zones):
                    out.append((f"network.subnets.{kind}", f"has {len(cidrs)} entries for {len(zones)} zones: give one CIDR per zone, in zone order"))
                for i, block in enumerate(cidrs):
                    sub = ipaddress.IPv4Network(block)
                    path = f"network.subnets.{kind}.{i}"
                    if not sub.subnet_of(net):
                        out.append((path, f"{block} is outside network.cidr {net}"))
                    elif sub.prefixlen > 28:
                        out.append((path, f"{block} is smaller than a /28, the smallest subnet AWS allows"))
                    for other_path, other in seen:
                        if sub.overlaps(other):
                            out.append((path, f"{block} overlaps {other} ({other_path})"))
                            break
                    seen.append((path, sub))
        elif len(zones) <= 7:
            carved = carve_subnets(self.network.cidr, len(zones))
            smallest = max(carved.public + carved.private, key=lambda c: ipaddress.IPv4Network(c).prefixlen)
            if ipaddress.IPv4Network(smallest).prefixlen > 28:
                out.append(("network.cidr", f"{net} is too small for the default subnets: carving {len(zones)} zones from it gives "
                                            f"subnets such as {smallest}, below /28, the smallest subnet AWS allows: use a /22 or "
                                            "larger network.cidr (e.g. 10.0.0.0/16), or list network.subnets"))
        if net.prefixlen < 16:
            out.append(("network.cidr", f"{net} is larger than a VPC may be: AWS allows a VPC CIDR block between a /16 netmask "
                                        "and a /28 netmask: use a /16 (e.g. 10.0.0.0/16)"))
        return out

    def cluster_violations(self) -> list[Problem]:
        cluster = self.cluster
        out: list[Problem] = []
        if cluster.admin_principals and cluster.authentication_mode == "CONFIG_MAP":
            out.append(("cluster.admin_principals", "needs access entries, which CONFIG_MAP mode lacks: set authentication_mode to API or API_AND_CONFIG_MAP"))
        if not cluster.admin_principals and cluster.authentication_mode != "CONFIG_MAP":
            out.append(("cluster.admin_principals", f"is empty, but with authentication_mode {cluster.authentication_mode} only "
                                                    "admin_principals administer the cluster (its creator gets no access): list at least "
                                                    "one IAM role ARN, e.g. arn:aws:iam::123456789012:role/platform-admins"))
        if len(set(cluster.admin_principals)) != len(cluster.admin_principals):
            out.append(("cluster.admin_principals", "lists a principal twice"))
        return out

    def pool_violations(self, path: str, pool) -> list[Problem]:
        arm = [t for t in pool.instance_types if aws_architecture(t) == "arm64"]
        x86 = [t for t in pool.instance_types if aws_architecture(t) == "x86_64"]
        if arm and x86:
            return [(f"{path}.instance_types", f"mixes Graviton (ARM: {', '.join(arm)}) and x86 ({', '.join(x86)}) types, "
                                               "but a node group runs one AMI: use one architecture per pool (add a pool for the other)")]
        return []
