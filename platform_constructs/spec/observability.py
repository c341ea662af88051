"""The neutral ``observability:`` section: what ``<env>-observability`` runs and keeps.

Mimir (metrics, with its ruler and Alertmanager), Loki (logs), Tempo (traces) on six buckets, a
collector on every node, Grafana; plus the cloud's own logging for cluster logs. The same
retention numbers configure the components and their buckets' lifecycle.

``observability.storage`` (:class:`S3StorageSpec`) names an existing S3-compatible store (MinIO,
Ceph, Alibaba OSS, OCI Object Storage, Huawei OBS, ByteDance TOS) for ``cloud: kubernetes``, where
the platform creates no bucket; on aws, gcp and azure each kit builds its own buckets and the
section is refused (:func:`storage_violations`).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

from platform_constructs.spec.common import Model, Problem, secret_name_problem, shown, url_parts

#: Lowercase letters, digits and '-', a letter first, no '-' last: valid in every cloud's bucket names.
_PREFIX = re.compile(r"[a-z]([a-z0-9-]*[a-z0-9])?")
#: Longest ``bucket_prefix``: bucket names stop at 63 characters on S3 and Cloud Storage.
BUCKET_PREFIX_MAX = 20


def _bucket_prefix(value: str) -> str:
    if len(value) > BUCKET_PREFIX_MAX or not _PREFIX.fullmatch(value) or "--" in value:
        raise ValueError(f"{shown(value)} is not a bucket name prefix: use at most {BUCKET_PREFIX_MAX} lowercase "
                         "letters, digits and single '-', starting with a letter and ending with a letter or digit "
                         "(like acme)")
    return value


#: A Kubernetes Secret name (RFC 1123 subdomain, at most 253 characters).
_SECRET_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
#: An S3 region name as the S3-compatible stores spell them (us-east-1, oss-cn-hangzhou, cn-north-4, minio).
_REGION = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
#: The cloud whose observability needs ``storage`` (no kit buckets there).
STORAGE_CLOUD = "kubernetes"
#: The keys the credentials Secret must hold (the names every S3 SDK reads from the environment).
CREDENTIAL_KEYS: tuple[str, ...] = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")

_ENDPOINT_EXAMPLE = "give the store's URL like https://s3.example.internal or https://minio.minio.svc:9000"


def _endpoint(value: str) -> str:
    # Checked before url_parts, whose message would repeat the URL with its user:password.
    netloc = urlsplit(value).netloc if "://" in value else ""
    if "@" in netloc:
        redacted = value.replace(netloc, "<user:password>@" + netloc.rpartition("@")[2], 1)
        raise ValueError(f"{shown(redacted)} carries a user name or password, and nothing secret belongs in the "
                         "environment file: remove 'user:password@' (the access key belongs in the "
                         "credentials_secret Secret)")
    parts = url_parts(value, ("https", "http"), _ENDPOINT_EXAMPLE,
                      login_note=" (the access key belongs in the credentials_secret Secret)")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"{shown(value)} has a path, query or fragment: give the store's base URL only "
                         "(scheme, host, optional port); the buckets are named by the platform")
    return value


def _is_ip_address(host: str) -> bool:
    """Whether ``host`` (a URL's host name) is an IPv4 or IPv6 address rather than a DNS name."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _secret_name(value: str) -> str:
    problem = secret_name_problem(value, "a Kubernetes Secret in the observability namespace (as AWS_ACCESS_KEY_ID "
                                         "and AWS_SECRET_ACCESS_KEY)")
    if problem:
        raise ValueError(problem)
    if len(value) > 253 or not _SECRET_NAME.fullmatch(value):
        raise ValueError(f"{shown(value)} is not a Kubernetes Secret name: use lowercase letters, digits, '-' and "
                         "'.', starting and ending with a letter or digit (like observability-s3)")
    return value


def _region(value: str) -> str:
    if len(value) > 63 or not _REGION.fullmatch(value):
        raise ValueError(f"{shown(value)} is not an S3 region name: use the store's region, lowercase letters, "
                         "digits and single '-' (like us-east-1; MinIO's default is us-east-1)")
    return value


class S3StorageSpec(Model):
    """``observability.storage``: an existing S3-compatible store (``cloud: kubernetes`` only).

    The six buckets (``[<bucket_prefix>-]<env name>-<bucket>``, see
    :func:`platform_constructs.observability.storage.plain_bucket_names`) must exist in it; the
    access key comes from the Secret ``credentials_secret`` in the ``observability`` namespace,
    never from this file.
    """

    #: The store's base URL: ``https://host[:port]``. ``http://`` only with ``insecure: true``.
    endpoint: Annotated[str, AfterValidator(_endpoint)]
    #: The region the store signs requests for (MinIO and Ceph: usually ``us-east-1``).
    region: Annotated[str, AfterValidator(_region)]
    #: Path-style addressing (``https://host/<bucket>``), what MinIO and Ceph RGW need unless a
    #: wildcard DNS name is set up for them; false: virtual-hosted style
    #: (``https://<bucket>.host``), what Alibaba OSS, Huawei OBS and ByteDance TOS require. Default: false.
    path_style: bool = False
    #: The Secret (in the ``observability`` namespace) holding ``AWS_ACCESS_KEY_ID`` and
    #: ``AWS_SECRET_ACCESS_KEY``; created by you, before the stack is applied.
    credentials_secret: Annotated[str, AfterValidator(_secret_name)]
    #: Allow an ``http://`` endpoint (no TLS: the access key's signatures and every object cross the
    #: network in clear). Only for a store inside the cluster or a lab. Default: false.
    insecure: bool = False

    @property
    def host(self) -> str:
        """``host[:port]`` of :attr:`endpoint`: what Mimir, Loki and Tempo take as their ``endpoint``."""
        return url_parts(self.endpoint, ("https", "http"), _ENDPOINT_EXAMPLE).netloc

    @property
    def uses_http(self) -> bool:
        """The endpoint's scheme is ``http`` (the charts' ``insecure: true``)."""
        return url_parts(self.endpoint, ("https", "http"), _ENDPOINT_EXAMPLE).scheme == "http"

    def violations(self, path: str = "observability.storage") -> list[Problem]:
        """The scheme and ``insecure`` must agree."""
        if self.uses_http and not self.insecure:
            return [(f"{path}.endpoint", f"{shown(self.endpoint)} is plain http, so the store's traffic is not "
                                         "encrypted: use https, or set insecure: true to accept that")]
        if self.insecure and not self.uses_http:
            return [(f"{path}.insecure", f"is true but the endpoint {shown(self.endpoint)} is https: remove "
                                         "insecure (it only allows an http:// endpoint)")]
        host = url_parts(self.endpoint, ("https", "http"), _ENDPOINT_EXAMPLE).hostname or ""
        if not self.path_style and _is_ip_address(host):
            return [(f"{path}.path_style", f"is false, so every bucket is addressed as <bucket>.{host}, which no "
                                           "DNS resolves for an IP-address endpoint: set path_style: true, or give "
                                           "the store's host name with its wildcard DNS")]
        return []


class RetentionDays(Model):
    """How long each signal is kept, in days: the component's own retention (Mimir's and Loki's
    compactors, Tempo's block retention) and, plus a margin, its bucket's lifecycle expiry."""

    #: Metrics (Mimir blocks). Default: 400.
    metrics: int = Field(default=400, ge=1, le=3650)
    #: Application logs (Loki chunks and index). Default: 30.
    logs: int = Field(default=30, ge=1, le=3650)
    #: Traces (Tempo blocks). Default: 14.
    traces: int = Field(default=14, ge=1, le=3650)


class ObservabilitySpec(Model):
    """``<env>-observability``. Defaults: on, small, Grafana on, 400/30/14 days."""

    #: Build ``<env>-observability``. ``false``: no such stack (and no buckets). Default: true.
    enabled: bool = True
    #: Put in front of every bucket name (``<prefix>-<env>-...``), e.g. your organisation's short
    #: name, so names stay unique across accounts and projects. Default: none.
    bucket_prefix: Annotated[str, AfterValidator(_bucket_prefix)] | None = None
    #: Days each signal is kept. Default: metrics 400, logs 30, traces 14.
    retention_days: RetentionDays = Field(default_factory=RetentionDays)
    #: ``small``: one replica per component, for a development cluster (about 100k active series,
    #: 10 GB of logs a day, 1k spans/s). ``medium``: replicated and zone-aware across three zones, for
    #: production (about 1M active series, 100 GB of logs a day, 10k spans/s). Default: small.
    size: Literal["small", "medium"] = "small"
    #: Grafana with Mimir, Loki and Tempo as data sources. Default: true.
    grafana: bool = True
    #: The S3-compatible store holding the six buckets: required for ``cloud: kubernetes``, refused
    #: on the other clouds (their kits create the buckets). Default: none.
    storage: S3StorageSpec | None = None


def storage_violations(cloud: str, observability: ObservabilitySpec) -> list[Problem]:
    """The ``observability`` rules that depend on ``cloud``: ``storage`` is required for
    ``kubernetes`` when observability is on and refused on every other cloud (then the section's own
    rules); on ``kubernetes`` ``size: medium`` is refused (it spreads Mimir over three zones, and an
    existing cluster's zones are not in the file)."""
    storage = observability.storage
    if cloud != STORAGE_CLOUD:
        if storage is not None:
            return [("observability.storage", f"is only for cloud: {STORAGE_CLOUD}; on {cloud} the platform creates "
                                              "the observability buckets itself: remove observability.storage")]
        return []
    out: list[Problem] = []
    if observability.enabled and observability.size == "medium":
        out.append(("observability.size", f"medium spreads Mimir and Loki over three zones, and with cloud: "
                                          f"{STORAGE_CLOUD} the file names no zones: use size small"))
    if storage is None:
        if observability.enabled:
            out.append(("observability.storage", f"is required for cloud: {STORAGE_CLOUD} (the platform creates no "
                                                 "buckets there): give endpoint, region, path_style and "
                                                 "credentials_secret of an S3-compatible store, or set "
                                                 "observability.enabled: false"))
        return out
    # With observability off the section is refused as having no effect (spec/ignored.py), not checked.
    return out + (storage.violations() if observability.enabled else [])
