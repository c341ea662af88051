"""The environment model: one YAML file per environment, validated and defaulted.

Structure and types are checked by pydantic (unknown keys are rejected
everywhere); rules that span several fields are checked once the whole file has
parsed, and every violation carries the dotted path of the field to fix.

Loading never raises a traceback at the user: :func:`load_environment` turns
every problem into a :class:`SpecError` whose ``str()`` is the one line
``<file>: <field.path>: <what is wrong and the fix>``.
"""

from __future__ import annotations

import importlib
import ipaddress
import os
import re
import stat
from pathlib import Path
from typing import Annotated, Literal, Union
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from platform_constructs.versions import KUBERNETES_MINORS, KUBERNETES_SERVICE

#: Lowest Kubernetes minor the platform accepts (the seed: latest stable, 1.33+).
MIN_KUBERNETES_VERSION = (1, 33)

#: Retention values CloudWatch Logs accepts (days).
CLOUDWATCH_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
    2192, 2557, 2922, 3288, 3653,
)

#: Clouds the model knows. A cloud is usable once a kit is registered for it
#: (see platform_constructs.kits); the model itself stays cloud-neutral.
KNOWN_CLOUDS = ("aws", "gcp", "azure")

#: Largest environment file read (no real one gets near it); larger files are refused unread.
MAX_ENV_FILE_BYTES = 1024 * 1024
#: Deepest YAML nesting accepted (the schema itself needs 5 levels).
MAX_YAML_DEPTH = 32
#: Most YAML values a file may expand to through anchors and aliases (a "billion laughs" guard).
MAX_YAML_NODES = 100_000

_DNS_LABEL = re.compile(r"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
_IAM_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:(iam|sts)::\d{12}:(role|user|assumed-role)/[\w+=,.@/-]+$")
_LABEL_KEY = re.compile(r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")
#: Kubernetes label values (and taint values): at most 63 characters matching this.
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")

#: Region names per cloud: (pattern, example for messages).
REGION_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    # us-east-1, eu-central-2, ap-southeast-2, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1
    "aws": (re.compile(r"[a-z]{2}(-gov|-iso[a-z]?|sc-[a-z]{2})?-(central|(north|south)?(east|west)|north|south)-[1-9]\d?"),
            "an AWS region like us-east-1, ap-southeast-2 or us-gov-west-1"),
    # us-central1, europe-west4, northamerica-northeast1
    "gcp": (re.compile(r"[a-z]+-[a-z]+[1-9]\d?"), "a GCP region like us-central1 or europe-west4"),
    # westeurope, eastus2, southafricanorth
    "azure": (re.compile(r"[a-z]{4,}[1-9]?"), "an Azure region like westeurope or eastus2 (lowercase, no spaces)"),
}

#: Node instance types per cloud: (pattern, what it is, for messages).
INSTANCE_TYPE_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    # family.size: m6i.large, c6gn.16xlarge, u-6tb1.112xlarge, m7i-flex.large, r7iz.metal-16xl
    "aws": (re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*"), "an EC2 instance type (family.size, like m6i.large)"),
    # e2-standard-4, n2d-highmem-8, c3-standard-176-lssd, e2-micro
    "gcp": (re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)+"), "a GCP machine type like e2-standard-4"),
    # Standard_D4ds_v5, Standard_E4-2ds_v5, Standard_NC24ads_A100_v4
    "azure": (re.compile(r"(Standard|Basic)_[A-Z][A-Za-z0-9-]*(_[A-Za-z0-9]+)*"), "an Azure VM size like Standard_D4ds_v5"),
}

#: EC2 instance types on AWS Graviton (ARM): a "g" among the letters after the generation
#: digit (m7g, c6gn, r8gd, t4g, g5g, hpc7g). The node group picks its AMI with it, the model
#: refuses pools that mix architectures with it.
GRAVITON_INSTANCE_TYPE = re.compile(r"^[a-z]+\d+[a-z]*g[a-z]*\.")


def aws_architecture(instance_type: str) -> Literal["arm64", "x86_64"]:
    """The CPU architecture of an EC2 instance type."""
    return "arm64" if GRAVITON_INSTANCE_TYPE.match(instance_type) else "x86_64"


def _shown(value: object, limit: int = 60) -> str:
    """``repr(value)``, shortened to ``limit`` characters for a one-line message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class SpecError(Exception):
    """A bad environment file. ``str(err)`` is the single line shown to users."""

    def __init__(self, source: str, path: str, message: str):
        self.source, self.path, self.message = source, path, message
        super().__init__(f"{source}: {path}: {message}")


class _Violations(Exception):
    """Raised from inside validation with (path, message) pairs.

    Deliberately not a ValueError: pydantic lets it through untouched, so the
    exact field path survives.
    """

    def __init__(self, violations: list[tuple[str, str]]):
        self.violations = violations
        super().__init__("; ".join(f"{p}: {m}" for p, m in violations))


class _Model(BaseModel):
    # strict: no silent coercion (true is not 1, 3.0 is not 3, "3" is not 3); YAML gives real types.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, strict=True)


def _cidr(value: str) -> str:
    try:
        net = ipaddress.IPv4Network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not an IPv4 CIDR block like 10.0.0.0/16 ({exc})") from None
    return str(net)


def _cloudwatch_retention(value: int) -> int:
    if value not in CLOUDWATCH_RETENTION_DAYS:
        raise ValueError(f"{_shown(value)} is not a retention CloudWatch accepts: one of {', '.join(map(str, CLOUDWATCH_RETENTION_DAYS))}")
    return value


def _label_value(value: str) -> str:
    if len(value) > 63 or not _LABEL_VALUE.fullmatch(value):
        raise ValueError(f"{_shown(value)} is not a Kubernetes label/taint value: at most 63 letters, digits, '-', '_' and '.', "
                         "starting and ending with a letter or digit (or empty)")
    return value


#: A Kubernetes label or taint value.
LabelValue = Annotated[str, AfterValidator(_label_value)]


# --------------------------------------------------------------------------- network


class SubnetLayout(_Model):
    """Explicit subnets, one CIDR per zone in the order of ``zones``.

    Default (when the whole block is omitted): carved from ``network.cidr``:
    the first N eighths become private subnets (/19 of a /16), the last eighth
    is cut into eighths again for the public subnets (/22 of a /16).
    """

    public: list[str]
    private: list[str]

    @field_validator("public", "private")
    @classmethod
    def _cidrs(cls, value: list[str]) -> list[str]:
        return [_cidr(v) for v in value]


class NetworkSpec(_Model):
    cidr: str
    #: ``per_zone`` (default): one NAT gateway per zone, no cross-zone dependency.
    #: ``single``: one NAT gateway for all zones (cheaper, one zone's outage cuts egress).
    nat: Literal["per_zone", "single"] = "per_zone"
    #: Default: carved from ``cidr`` (see :class:`SubnetLayout`).
    subnets: SubnetLayout | None = None
    #: Flow log retention in days, a value CloudWatch accepts. Default: 30.
    flow_log_retention_days: Annotated[int, AfterValidator(_cloudwatch_retention)] = 30

    @field_validator("cidr")
    @classmethod
    def _valid_cidr(cls, value: str) -> str:
        net = ipaddress.IPv4Network(_cidr(value))
        if net.prefixlen > 24:
            raise ValueError(f"{value} is too small for a cluster network: use a /24 or larger (e.g. 10.0.0.0/16)")
        if not net.is_private:
            raise ValueError(f"{value} is not a private range: use RFC 1918 space such as 10.0.0.0/16")
        return str(net)


# --------------------------------------------------------------------------- cluster


class Taint(_Model):
    key: str
    value: LabelValue = ""
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"]

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not _LABEL_KEY.match(value):
            raise ValueError(f"{value!r} is not a valid Kubernetes taint key")
        return value


class NodePoolSpec(_Model):
    name: str
    instance_types: list[str] = Field(min_length=1)
    #: ``on_demand`` (default) or ``spot``.
    capacity: Literal["on_demand", "spot"] = "on_demand"
    #: At least 3 (HA across zones, per the seed). Default: 3.
    min_size: int = 3
    #: Default: 9.
    max_size: int = 9
    #: Starting size; the cluster autoscaler owns it afterwards. Default: min_size.
    desired_size: int | None = None
    #: Root volume size in GiB (encrypted gp3). Default: 100.
    disk_size_gb: int = Field(default=100, ge=20, le=16384)
    #: Nodes replaced at once during upgrades. Default: 1.
    max_unavailable: int = Field(default=1, ge=1, le=100)
    #: Kubernetes labels on the nodes. Default: none.
    labels: dict[str, LabelValue] = Field(default_factory=dict)
    #: Kubernetes taints on the nodes. Default: none.
    taints: list[Taint] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _DNS_LABEL.match(value) or len(value) > 40:
            raise ValueError(f"{value!r} is not a DNS label of at most 40 characters (lowercase letters, digits, '-')")
        return value

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            if not _LABEL_KEY.match(key):
                raise ValueError(f"{key!r} is not a valid Kubernetes label key")
        return value

    @property
    def initial_size(self) -> int:
        return self.desired_size if self.desired_size is not None else self.min_size


class ClusterSpec(_Model):
    name: str
    kubernetes_version: str
    #: ``private`` (default): API reachable only inside the VPC.
    #: ``public_and_private``: also from ``public_access_cidrs`` (required, never 0.0.0.0/0).
    endpoint: Literal["private", "public_and_private"] = "private"
    public_access_cidrs: list[str] = Field(default_factory=list)
    #: Default: API_AND_CONFIG_MAP (access entries plus the aws-auth ConfigMap).
    authentication_mode: Literal["API", "API_AND_CONFIG_MAP", "CONFIG_MAP"] = "API_AND_CONFIG_MAP"
    #: Control-plane log retention in days, a value CloudWatch accepts. Default: 30.
    log_retention_days: Annotated[int, AfterValidator(_cloudwatch_retention)] = 30
    #: IAM role/user ARNs given cluster-admin through access entries. Default: none.
    admin_principals: list[str] = Field(default_factory=list)
    node_pools: list[NodePoolSpec] = Field(min_length=1)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _DNS_LABEL.match(value) or len(value) > 38:
            raise ValueError(f"{value!r} is not a DNS label of at most 38 characters (lowercase letters, digits, '-')")
        return value

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

    @field_validator("public_access_cidrs")
    @classmethod
    def _public_cidrs(cls, value: list[str]) -> list[str]:
        out = []
        for item in value:
            cidr = _cidr(item)
            if ipaddress.IPv4Network(cidr).prefixlen == 0:
                raise ValueError("0.0.0.0/0 opens the Kubernetes API to the internet: list your office/VPN ranges instead")
            out.append(cidr)
        return out

    @field_validator("admin_principals")
    @classmethod
    def _principals(cls, value: list[str]) -> list[str]:
        for arn in value:
            if not _IAM_ARN.match(arn):
                raise ValueError(f"{arn!r} is not an IAM role or user ARN like arn:aws:iam::123456789012:role/admins")
        return value


# --------------------------------------------------------------------------- backend


def _folder(value: str) -> str:
    value = value.strip("/")
    if not value:
        raise ValueError("must not be empty: give a folder such as 'platform'")
    if "//" in value:
        raise ValueError(f"{_shown(value)} has an empty folder ('//'): separate folders with a single '/', e.g. 'envs/prod'")
    return value


#: A folder inside a bucket or container, without leading or trailing slashes.
Folder = Annotated[str, AfterValidator(_folder)]


def _matching(pattern: str, problem: str) -> AfterValidator:
    """A validator that accepts values matching ``pattern`` whole, else says ``<value> <problem>``."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"{value!r} {problem}")
        return value

    return AfterValidator(check)


def _s3_bucket(value: str) -> str:
    """S3's bucket naming rules (general purpose buckets), each broken rule named."""
    problem = None
    if not 3 <= len(value) <= 63:
        problem = f"is {len(value)} characters long; bucket names must be between 3 and 63 characters long"
    elif not re.fullmatch(r"[a-z0-9.-]+", value):
        problem = "can consist only of lowercase letters, numbers, periods (.) and hyphens (-)"
    elif not (value[0].isalnum() and value[-1].isalnum()):
        problem = "must begin and end with a letter or number"
    elif ".." in value:
        problem = "must not contain two adjacent periods"
    elif re.fullmatch(r"\d+\.\d+\.\d+\.\d+", value):
        problem = "must not be formatted as an IP address (for example, 192.168.5.4)"
    else:
        prefix = next((p for p in ("xn--", "sthree-", "amzn-s3-demo-") if value.startswith(p)), None)
        suffix = next((x for x in ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3") if value.endswith(x)), None)
        if prefix:
            problem = f"must not start with the prefix {prefix}, which S3 reserves"
        elif suffix:
            problem = f"must not end with the suffix {suffix}, which S3 reserves"
    if problem:
        raise ValueError(f"{_shown(value)} is not a valid S3 bucket name: it {problem} (S3 bucket naming rules)")
    return value


def _url(value: str) -> str:
    """An http(s) URL with a host, e.g. http://127.0.0.1:5000."""
    example = "give a URL like http://127.0.0.1:5000"
    if any(c.isspace() for c in value):
        raise ValueError(f"{_shown(value)} contains whitespace: {example}")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port outside 0-65535
    except ValueError as exc:
        raise ValueError(f"{_shown(value)} is not a valid URL ({exc}): {example}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{_shown(value)} is not a URL with scheme http or https and a host: {example}")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{_shown(value)} carries a user name or password, and nothing secret belongs in the environment file: remove 'user:password@'")
    return value


#: An http(s) URL with a host.
Url = Annotated[str, AfterValidator(_url)]

#: Where ``aws.endpoint`` may point: this machine or a private (RFC 1918) network.
_EMULATOR_NETWORKS = tuple(ipaddress.ip_network(n) for n in ("127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


def _emulator_endpoint(value: str) -> str:
    host = urlsplit(value).hostname or ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if host == "localhost" or (address is not None and any(address in net for net in _EMULATOR_NETWORKS)):
        return value
    raise ValueError(
        f"{_shown(value)} is neither loopback nor a private address: aws.endpoint turns off AWS credential validation "
        "for every AWS API, so it may only name an emulator on 127.0.0.0/8, ::1, localhost or an RFC 1918 address "
        "(10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16); remove it to use real AWS")


class LocalBackendSpec(_Model):
    """State on local disk, in ``.terraform-state/<stack>.tfstate`` beside the output folder."""

    type: Literal["local"] = "local"


class S3BackendSpec(_Model):
    type: Literal["s3"]
    bucket: Annotated[str, AfterValidator(_s3_bucket)]
    #: Object key prefix; each stack's state is ``<key_prefix>/<stack>.tfstate``. Default: "platform".
    key_prefix: Folder = "platform"
    #: Default: the environment's region.
    region: Annotated[str, _matching(REGION_PATTERNS["aws"][0].pattern, f"is not {REGION_PATTERNS['aws'][1]}")] | None = None
    #: S3-native state locking (Terraform 1.10+). Default: true.
    use_lockfile: bool = True
    #: Server-side encryption of the state object. Default: true.
    encrypt: bool = True
    #: KMS key for the state object. Default: the bucket's default encryption.
    kms_key_id: str | None = None
    #: S3 endpoint URL (an emulator or a private endpoint). Default: AWS.
    endpoint: Url | None = None


class GcsBackendSpec(_Model):
    """State in a GCS bucket; GCS locks state natively. Object: ``<prefix>/<stack>/default.tfstate``."""

    type: Literal["gcs"]
    bucket: Annotated[str, _matching(r"[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]", "is not a valid GCS bucket name")]
    #: Folder inside the bucket; each stack gets ``<prefix>/<stack>``. Default: "platform".
    prefix: Folder = "platform"


class AzurermBackendSpec(_Model):
    """State in an Azure Storage blob container, authenticated with Entra ID (no access keys)."""

    type: Literal["azurerm"]
    resource_group_name: str
    storage_account_name: Annotated[str, _matching(r"[a-z0-9]{3,24}", "is not a storage account name (3-24 lowercase letters and digits)")]
    container_name: str = "tfstate"
    #: Blob name prefix; each stack's state is ``<key_prefix>/<stack>.tfstate``. Default: "platform".
    key_prefix: Folder = "platform"


BackendSpec = Annotated[
    Union[LocalBackendSpec, S3BackendSpec, GcsBackendSpec, AzurermBackendSpec], Field(discriminator="type")
]


# --------------------------------------------------------------------------- cloud sections


class AwsSpec(_Model):
    #: One URL for every AWS API (moto, LocalStack): loopback or a private address only, since it
    #: turns off credential validation. Default: real AWS.
    endpoint: Annotated[Url, AfterValidator(_emulator_endpoint)] | None = None
    #: EKS managed add-ons vpc-cni, coredns, kube-proxy, eks-pod-identity-agent. Default: true.
    managed_addons: bool = True


class GcpSpec(_Model):
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

    @field_validator("nodes_cidr", "pods_cidr", "services_cidr", "proxy_only_cidr", "master_ipv4_cidr_block")
    @classmethod
    def _cidrs(cls, value: str | None) -> str | None:
        return None if value is None else _cidr(value)

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


class AzureSpec(_Model):
    """Azure-only settings (the Azure kit owns these fields; cross-field rules under "azure rules")."""

    #: The subscription id (a GUID) the platform is deployed into.
    subscription_id: str
    #: Entra ID group object ids (GUIDs) given cluster-admin through Azure RBAC. Required and
    #: non-empty: local accounts are disabled, so these groups are the only way in.
    admin_group_object_ids: list[str]
    #: Resource group holding every resource of the environment. Default: "<name>-rg".
    resource_group_name: str | None = None
    #: AKS control-plane tier: Free, Standard (uptime SLA) or Premium. Default: Standard.
    sku_tier: Literal["Free", "Standard", "Premium"] = "Standard"
    #: Kubernetes upgrades: none, patch, stable, rapid or node-image. Default: patch.
    automatic_upgrade_channel: Literal["none", "patch", "stable", "rapid", "node-image"] = "patch"
    #: Node OS upgrades: None, Unmanaged, SecurityPatch or NodeImage. Default: NodeImage.
    node_os_upgrade_channel: Literal["None", "Unmanaged", "SecurityPatch", "NodeImage"] = "NodeImage"
    #: Weekly maintenance window (UTC) for both channels: day. Default: Sunday.
    maintenance_day: Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] = "Sunday"
    #: Start hour (0-23, UTC). Default: 2.
    maintenance_start_hour: int = Field(default=2, ge=0, le=23)
    #: Length in hours (AKS needs at least 4). Default: 4.
    maintenance_duration_hours: int = Field(default=4, ge=4, le=24)
    #: VM size of the system pool (critical add-ons only). Default: Standard_D4ds_v5.
    system_pool_vm_size: Annotated[str, _matching(INSTANCE_TYPE_PATTERNS["azure"][0].pattern, f"is not {INSTANCE_TYPE_PATTERNS['azure'][1]}")] = "Standard_D4ds_v5"
    #: System pool autoscaling bounds. Default: 3 to 5.
    system_pool_min_count: int = 3
    system_pool_max_count: int = 5
    #: Pod range of Azure CNI overlay (not part of the VNet). Default: 10.244.0.0/16.
    pod_cidr: str = "10.244.0.0/16"
    #: Kubernetes service range (not part of the VNet). Default: 172.16.0.0/16.
    service_cidr: str = "172.16.0.0/16"
    #: Customer-managed keys in Key Vault for node disks (disk encryption set) and
    #: Kubernetes secrets (KMS etcd encryption). Default: true.
    enable_customer_managed_keys: bool = True
    #: Encryption at host (temp disks and caches); needs the subscription feature
    #: Microsoft.Compute/EncryptionAtHost registered. Default: true.
    enable_host_encryption: bool = True
    #: Key Vault name (globally unique, 3-24 chars). Default: "kv-<name>-<hash>" from name and subscription.
    key_vault_name: str | None = None
    #: Public ranges allowed through the Key Vault firewall (e.g. a CI runner's egress).
    #: Default: none: public network access off, the vault is reached by private endpoint only.
    key_vault_allowed_cidrs: list[str] = Field(default_factory=list)

    @field_validator("pod_cidr", "service_cidr")
    @classmethod
    def _ranges(cls, value: str) -> str:
        return _cidr(value)

    @field_validator("key_vault_allowed_cidrs")
    @classmethod
    def _vault_cidrs(cls, value: list[str]) -> list[str]:
        out = []
        for item in value:
            cidr = _cidr(item)
            if ipaddress.IPv4Network(cidr).prefixlen == 0:
                raise ValueError("0.0.0.0/0 opens the Key Vault firewall to the internet: list your runner's egress ranges instead")
            out.append(cidr)
        return out

    def resource_group(self, env_name: str) -> str:
        return self.resource_group_name or f"{env_name}-rg"


# --------------------------------------------------------------------------- environment


class EnvironmentSpec(_Model):
    name: str
    cloud: str
    region: str
    zones: list[str] = Field(min_length=1)
    tags: dict[str, str] = Field(default_factory=dict)
    network: NetworkSpec
    cluster: ClusterSpec
    backend: BackendSpec = Field(default_factory=LocalBackendSpec)
    #: AWS-only settings. Default: real AWS, managed add-ons on.
    aws: AwsSpec = Field(default_factory=AwsSpec)
    #: GCP-only settings; required when cloud is gcp.
    gcp: GcpSpec | None = None
    #: Azure-only settings; required when cloud is azure.
    azure: AzureSpec | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _DNS_LABEL.match(value) or len(value) > 40:
            raise ValueError(f"{value!r} is not a DNS label of at most 40 characters (lowercase letters, digits, '-')")
        return value

    @field_validator("cloud")
    @classmethod
    def _cloud(cls, value: str) -> str:
        if value not in KNOWN_CLOUDS:
            raise ValueError(f"{value!r} is not a supported cloud: use one of {', '.join(KNOWN_CLOUDS)}")
        return value

    @field_validator("region")
    @classmethod
    def _region(cls, value: str, info: ValidationInfo) -> str:
        cloud = info.data.get("cloud")
        if cloud in REGION_PATTERNS:
            pattern, example = REGION_PATTERNS[cloud]
            if not pattern.fullmatch(value):
                raise ValueError(f"{_shown(value)} is not {example}")
        elif not re.fullmatch(r"[a-z]{2,}(-[a-z0-9]+)+|[a-z]+[0-9]*", value):
            raise ValueError(f"{_shown(value)} is not a region name like us-east-1")
        return value

    @model_validator(mode="after")
    def _cross_field_rules(self) -> "EnvironmentSpec":
        violations = _cross_field_violations(self)
        if violations:
            raise _Violations(violations)
        return self

    # ---- derived values used by the kits -------------------------------------------

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

    def subnet_layout(self) -> SubnetLayout:
        """The explicit layout, or one carved from ``network.cidr``."""
        if self.network.subnets is not None:
            return self.network.subnets
        return carve_subnets(self.network.cidr, len(self.zones))


def carve_subnets(cidr: str, zone_count: int) -> SubnetLayout:
    """Private subnets: the first ``zone_count`` eighths of ``cidr``; public: eighths of the last eighth."""
    net = ipaddress.IPv4Network(cidr)
    eighths = list(net.subnets(prefixlen_diff=3))
    private = eighths[:zone_count]
    public = list(eighths[-1].subnets(prefixlen_diff=3))[:zone_count]
    return SubnetLayout(public=[str(n) for n in public], private=[str(n) for n in private])


def _cross_field_violations(spec: EnvironmentSpec) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    zones = spec.zones
    if len(zones) < 2:
        out.append(("zones", f"lists {len(zones)} zone: the platform is highly available and spreads every pool across zones "
                             f"(EKS also needs subnets in at least two): list two or more zones of {spec.region}"))
    if len(set(zones)) != len(zones):
        out.append(("zones", "lists a zone twice: give each zone once"))
    if spec.cloud == "aws":
        out.extend(_aws_zone_violations(spec))
    if len(zones) > 7:
        out.append(("zones", f"{len(zones)} zones given; at most 7 are supported"))

    out.extend(_tag_violations(spec))
    out.extend(_cloud_section_violations(spec))

    # ---- subnets
    net = ipaddress.IPv4Network(spec.network.cidr)
    layout = spec.network.subnets
    if layout is not None:
        seen: list[tuple[str, ipaddress.IPv4Network]] = []
        for kind in ("public", "private"):
            cidrs = getattr(layout, kind)
            if len(cidrs) != len(zones):
                out.append((f"network.subnets.{kind}", f"has {len(cidrs)} entries for {len(zones)} zones: give one CIDR per zone, in zone order"))
            for i, cidr in enumerate(cidrs):
                sub = ipaddress.IPv4Network(cidr)
                path = f"network.subnets.{kind}.{i}"
                if not sub.subnet_of(net):
                    out.append((path, f"{cidr} is outside network.cidr {net}"))
                elif sub.prefixlen > 28:
                    out.append((path, f"{cidr} is smaller than a /28, the smallest subnet AWS allows"))
                for other_path, other in seen:
                    if sub.overlaps(other):
                        out.append((path, f"{cidr} overlaps {other} ({other_path})"))
                        break
                seen.append((path, sub))
    elif spec.cloud == "aws" and len(zones) <= 7:
        carved = carve_subnets(spec.network.cidr, len(zones))
        smallest = max(carved.public + carved.private, key=lambda c: ipaddress.IPv4Network(c).prefixlen)
        if ipaddress.IPv4Network(smallest).prefixlen > 28:
            out.append(("network.cidr", f"{net} is too small for the default subnets: carving {len(zones)} zones from it gives "
                                        f"subnets such as {smallest}, below /28, the smallest subnet AWS allows: use a /22 or "
                                        "larger network.cidr (e.g. 10.0.0.0/16), or list network.subnets"))
    if spec.cloud == "aws" and net.prefixlen < 16:
        out.append(("network.cidr", f"{net} is larger than a VPC may be: AWS allows a VPC CIDR block between a /16 netmask "
                                    "and a /28 netmask: use a /16 (e.g. 10.0.0.0/16)"))

    # ---- cluster
    cluster = spec.cluster
    supported = KUBERNETES_MINORS.get(spec.cloud, ())
    if cluster.kubernetes_version not in supported:
        out.append(("cluster.kubernetes_version",
                    f"{cluster.kubernetes_version!r} is not a Kubernetes version the platform supports on "
                    f"{KUBERNETES_SERVICE.get(spec.cloud, spec.cloud)}: use one of {', '.join(supported)} "
                    "(platform_constructs/versions.py)"))
    if cluster.endpoint == "public_and_private" and not cluster.public_access_cidrs:
        out.append(("cluster.public_access_cidrs", "is required when endpoint is public_and_private: list the ranges allowed to reach the API"))
    if cluster.endpoint == "private" and cluster.public_access_cidrs:
        out.append(("cluster.public_access_cidrs", "is set but endpoint is private: remove it, or set endpoint: public_and_private"))
    if cluster.admin_principals and cluster.authentication_mode == "CONFIG_MAP":
        out.append(("cluster.admin_principals", "needs access entries, which CONFIG_MAP mode lacks: set authentication_mode to API or API_AND_CONFIG_MAP"))
    if len(set(cluster.admin_principals)) != len(cluster.admin_principals):
        out.append(("cluster.admin_principals", "lists a principal twice"))
    names: set[str] = set()
    for i, pool in enumerate(cluster.node_pools):
        path = f"cluster.node_pools.{i}"
        if pool.name in names:
            out.append((f"{path}.name", f"{pool.name!r} is used by another pool: pool names must be unique"))
        names.add(pool.name)
        if pool.min_size < 3:
            out.append((f"{path}.min_size", f"{pool.min_size} is below 3: the platform keeps at least 3 nodes per pool across zones"))
        if pool.min_size < len(zones):
            out.append((f"{path}.min_size", f"{pool.min_size} nodes cannot cover {len(zones)} zones: set min_size to at least {len(zones)}"))
        if pool.max_size < pool.min_size:
            out.append((f"{path}.max_size", f"min_size {pool.min_size} can't be greater than max_size {pool.max_size}"))
        if pool.max_size > 1000:
            out.append((f"{path}.max_size", f"{pool.max_size} is above the EKS limit of 1000 nodes per group"))
        if pool.desired_size is not None and not pool.min_size <= pool.desired_size <= pool.max_size:
            out.append((f"{path}.desired_size", f"{pool.desired_size} must lie between min_size {pool.min_size} and max_size {pool.max_size}"))
        if len(set(pool.instance_types)) != len(pool.instance_types):
            out.append((f"{path}.instance_types", "lists an instance type twice"))
        out.extend(_instance_type_violations(spec.cloud, path, pool.instance_types))
    return out


def _aws_zone_violations(spec: EnvironmentSpec) -> list[tuple[str, str]]:
    """AWS availability zones are the region's name plus one letter (us-east-1a)."""
    out = []
    region = spec.region
    for i, zone in enumerate(spec.zones):
        if re.fullmatch(rf"{re.escape(region)}[a-z]", zone):
            continue
        if zone.startswith(f"{region}-"):
            out.append((f"zones.{i}", f"{_shown(zone)} looks like a Local or Wavelength Zone, which the platform does not "
                                      f"support (EKS managed node groups): use availability zones like {region}a"))
        else:
            out.append((f"zones.{i}", f"{_shown(zone)} is not a zone of region {region}: an availability zone is the region "
                                      f"plus one letter (expected e.g. {region}a)"))
    return out


#: Characters AWS allows in tag keys and values: letters, digits, spaces and _ . : / = + - @.
_AWS_TAG_TEXT = re.compile(r"[\w .:/=+\-@]*")


def _tag_violations(spec: EnvironmentSpec) -> list[tuple[str, str]]:
    """Keys the platform sets itself (every cloud), and AWS's tag rules (GCP's stricter label rules are in its kit)."""
    out = []
    reserved = {key.lower() for sep in ("-", "_") for key in spec.own_tags("network", sep)}
    for key, value in spec.tags.items():
        path = f"tags.{key}" if key else "tags"
        if key.lower() in reserved:
            out.append((path, f"{_shown(key)} is set by the platform itself on every resource (keys "
                              f"{', '.join(sorted(reserved))}): remove it from tags"))
            continue
        if spec.cloud == "gcp":
            continue
        if not 1 <= len(key) <= 128:
            out.append((path, f"key {_shown(key)} is {len(key)} characters long: AWS tag keys are 1 to 128 characters"))
        elif key.lower().startswith("aws:"):
            out.append((path, f"{_shown(key)} starts with 'aws:', a prefix AWS reserves for its own tags: rename the key"))
        elif not _AWS_TAG_TEXT.fullmatch(key):
            out.append((path, f"{_shown(key)} has characters AWS does not allow in tag keys: use letters, digits, spaces and _ . : / = + - @"))
        elif len(value) > 256:
            out.append((path, f"value {_shown(value)} is {len(value)} characters long: AWS tag values are at most 256 characters"))
        elif not _AWS_TAG_TEXT.fullmatch(value):
            out.append((path, f"value {_shown(value)} has characters AWS does not allow in tag values: use letters, digits, spaces and _ . : / = + - @"))
    return out


def _instance_type_violations(cloud: str, path: str, instance_types: list[str]) -> list[tuple[str, str]]:
    out = []
    pattern, what = INSTANCE_TYPE_PATTERNS.get(cloud, (None, ""))
    if pattern is not None:
        for j, name in enumerate(instance_types):
            if not pattern.fullmatch(name):
                out.append((f"{path}.instance_types.{j}", f"{_shown(name)} is not {what}"))
    if cloud == "aws" and not out:
        arm = [t for t in instance_types if aws_architecture(t) == "arm64"]
        x86 = [t for t in instance_types if aws_architecture(t) == "x86_64"]
        if arm and x86:
            out.append((f"{path}.instance_types", f"mixes Graviton (ARM: {', '.join(arm)}) and x86 ({', '.join(x86)}) types, "
                                                  "but a node group runs one AMI: use one architecture per pool (add a pool for the other)"))
    return out


#: cloud -> module whose ``violations(spec)`` holds that cloud's own file rules.
CLOUD_RULES = {
    "gcp": "platform_constructs.gcp.spec_rules",
    "azure": "platform_constructs.azure.spec_rules",
}


def _cloud_section_violations(spec: EnvironmentSpec) -> list[tuple[str, str]]:
    """Rules for the per-cloud sections (gcp:, azure:); each kit's rules live in its own block."""
    out: list[tuple[str, str]] = []
    for cloud in ("gcp", "azure"):
        section = getattr(spec, cloud)
        if spec.cloud == cloud and section is None:
            out.append((cloud, f"is required when cloud is {cloud}"))
        if spec.cloud != cloud and section is not None:
            out.append((cloud, f"is set but cloud is {spec.cloud}: remove it"))
    rules = CLOUD_RULES.get(spec.cloud)
    if rules and getattr(spec, spec.cloud, None) is not None:
        out.extend(importlib.import_module(rules).violations(spec))
    return out


# --------------------------------------------------------------------------- loading


def load_environment(path: str | Path) -> EnvironmentSpec:
    """Read, parse and validate one environment file; raise :class:`SpecError` on any problem."""
    source = str(path)
    raw = _read_environment_file(path, source)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(source, "(file)", f"is not UTF-8 text (bad byte at offset {exc.start})") from None
    return parse_environment(_parse_yaml(text, source), source)


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_regular_file(status: os.stat_result, source: str) -> None:
    """Refuse folders, devices, pipes and sockets, and files too large to be an environment, before reading."""
    mode = status.st_mode
    if stat.S_ISDIR(mode):
        raise SpecError(source, "(file)", "is a directory, not an environment file")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _NOT_REGULAR if test(mode)), "a special file")
        raise SpecError(source, "(file)", f"is {kind}, not a regular file: give the path of an environment file")
    if status.st_size > MAX_ENV_FILE_BYTES:
        raise SpecError(source, "(file)", f"is {status.st_size} bytes, above the {MAX_ENV_FILE_BYTES} bytes (1 MiB) an "
                                          "environment file may have: check the path")


def _read_environment_file(path: str | Path, source: str) -> bytes:
    """The file's bytes. Checks the file type with stat first: a FIFO is never opened, /dev/zero never read."""
    try:
        _check_regular_file(os.stat(path), source)
        # O_NONBLOCK: should the path turn into a FIFO after the stat, opening it still returns at once.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise SpecError(source, "(file)", "no such file: check the path") from None
    except IsADirectoryError:
        raise SpecError(source, "(file)", "is a directory, not an environment file") from None
    except OSError as exc:
        raise SpecError(source, "(file)", f"cannot be read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        _check_regular_file(os.fstat(handle.fileno()), source)
        try:
            raw = handle.read(MAX_ENV_FILE_BYTES + 1)
        except OSError as exc:
            raise SpecError(source, "(file)", f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_ENV_FILE_BYTES:
        raise SpecError(source, "(file)", f"is more than {MAX_ENV_FILE_BYTES} bytes (1 MiB), more than an environment file "
                                          "may have: check the path")
    return raw


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark):
        super().__init__(str(mark))
        self.mark = mark


class _EnvironmentLoader(yaml.SafeLoader):
    """yaml's SafeLoader, stopped at MAX_YAML_DEPTH levels of nesting (yaml recurses once per level)."""

    _depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - yaml's signature
        if self._depth >= MAX_YAML_DEPTH:
            raise _TooDeep(self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _parse_yaml(text: str, source: str) -> object:
    """Parse one YAML document safely: no duplicate keys, bounded depth and alias expansion."""
    loader = _EnvironmentLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_yaml_nodes(node, source)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else "(yaml)"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SpecError(source, where, f"invalid YAML: {problem}") from None
    except _TooDeep as exc:
        raise SpecError(source, f"line {exc.mark.line + 1} column {exc.mark.column + 1}",
                        f"YAML nested more than {MAX_YAML_DEPTH} levels deep (an environment file needs about 7): check the file") from None
    except RecursionError:
        raise SpecError(source, "(file)", "is nested too deeply to read: an environment file needs about 7 levels") from None
    finally:
        loader.dispose()


def _check_yaml_nodes(root: yaml.Node, source: str) -> None:
    """Refuse duplicate keys (YAML keeps the last one silently) and alias bombs, on the composed document."""
    duplicates: list[tuple[int, str, str]] = []
    checked: set[int] = set()  # mappings reached again through an alias are reported once
    visited = 0
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        visited += 1
        if visited > MAX_YAML_NODES:
            raise SpecError(source, "(file)", f"expands to more than {MAX_YAML_NODES} YAML values through anchors and aliases "
                                              "(&name / *name): write the values out")
        children: list[tuple[yaml.Node, str]] = []
        if isinstance(node, yaml.MappingNode):
            first_line: dict[tuple[str, str], int] = {}
            report = id(node) not in checked
            checked.add(id(node))
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "(key)"
                child = f"{path}.{key}" if path else key
                line = key_node.start_mark.line + 1
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    ident = (key_node.tag, key_node.value)
                    if ident in first_line and report:
                        duplicates.append((line, child, f"is given twice (line {line}, first on line {first_line[ident]}): "
                                                        "YAML silently keeps only the last one: remove one"))
                    first_line.setdefault(ident, line)
                children += [(key_node, child), (value_node, child)]
        elif isinstance(node, yaml.SequenceNode):
            children = [(item, f"{path}.{i}" if path else str(i)) for i, item in enumerate(node.value)]
        stack.extend(reversed(children))
    if duplicates:
        duplicates.sort()
        _line, path, message = duplicates[0]
        raise SpecError(source, path, _with_more(message, len(duplicates) - 1))


def parse_environment(data: object, source: str = "<memory>") -> EnvironmentSpec:
    """Validate already-parsed data; raise :class:`SpecError` on any problem."""
    if data is None:
        raise SpecError(source, "(file)", "is empty: an environment needs name, cloud, region, zones, network and cluster")
    if not isinstance(data, dict):
        raise SpecError(source, "(file)", f"must be a YAML mapping of settings, not a {type(data).__name__}")
    try:
        return EnvironmentSpec.model_validate(data)
    except _Violations as exc:
        path, message = exc.violations[0]
        raise SpecError(source, path, _with_more(message, len(exc.violations) - 1)) from None
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        raise SpecError(source, _loc(first["loc"]) or "(file)", _with_more(_message(first), len(errors) - 1)) from None
    except RecursionError:
        raise SpecError(source, "(file)", "is nested too deeply") from None


def _with_more(message: str, more: int) -> str:
    one_line = " ".join(message.split())
    return f"{one_line} (and {more} more problem{'s' if more > 1 else ''})" if more else one_line


def _loc(loc: tuple) -> str:
    # Drop pydantic's discriminator tags ("s3", "local") from union locations.
    parts = [str(p) for p in loc if not (isinstance(p, str) and p in ("local", "s3", "gcs", "azurerm") and loc and loc[0] == "backend")]
    return ".".join(parts)


def _message(error: dict) -> str:
    kind, msg = error["type"], error["msg"]
    if kind == "extra_forbidden":
        return "unknown key: remove it or check its spelling"
    if kind == "missing":
        return "is required"
    if kind == "union_tag_invalid":
        return f"{error.get('ctx', {}).get('tag')!r} is not a supported backend type: use local, s3, gcs or azurerm"
    if kind == "union_tag_not_found":
        return "needs a type: local, s3, gcs or azurerm"
    msg = re.sub(r"^(Value error|Assertion failed), ", "", msg)
    value = error.get("input")
    if kind == "int_type" and isinstance(value, bool):
        return f"{str(value).lower()} is a boolean, not a number: give a whole number (e.g. 1)"
    if kind == "int_type" and isinstance(value, float):
        fix = f"write {int(value)}" if value.is_integer() else "give a whole number"
        return f"{value} is not a whole number as written: {fix} (numbers here are integers, never decimals)"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{msg[0].lower()}{msg[1:]} (got {_shown(value)})"
    return msg
