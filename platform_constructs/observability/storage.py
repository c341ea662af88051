"""The six buckets of the seed, who may use which, and how long objects stay in them.

Names: ``<head>-<unique>-<bucket>`` where ``<head>`` is ``[<bucket_prefix>-]<env name>``
(shortened with a hash when the whole would pass 63 characters), ``<unique>`` is what makes the
name unique in the cloud's global namespace (the kit's choice: the AWS account id, a hash of the
GCP project) and ``<bucket>`` the seed's name. Azure keeps the seed's names as containers of one
storage account whose name carries the uniqueness. On an S3-compatible store the user brings
(``cloud: kubernetes``) the names are ``<head>-<bucket>`` (:func:`plain_bucket_names`): the store is
the user's own, ``bucket_prefix`` is the knob when its namespace is shared.

Credentials: the cloud kits' stores have none (each component's workload identity reaches its
buckets). An S3-compatible store names a Kubernetes Secret (``ObjectStore.credentials_secret``)
whose two keys :data:`CREDENTIAL_KEYS` every component receives as environment variables
(:func:`credential_env`); the S3 clients of Mimir, Loki and Tempo read exactly those variables
when their config holds no key. Only the Secret's name is in the values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from platform_constructs import namespaces, naming
from platform_constructs.naming import MAX_BUCKET_NAME
from platform_constructs.spec.observability import CREDENTIAL_KEYS, ObservabilitySpec, RetentionDays
from platform_constructs.workload_identity import ServiceAccount, WorkloadIdentity, bounded_name

#: The namespace of every observability release.
NAMESPACE = namespaces.OBSERVABILITY

#: The seed's six buckets, in the order docs/observability.md lists them.
BUCKETS: tuple[str, ...] = (
    "mimir-metrics", "mimir-alertmanager", "mimir-ruler", "loki-chunks", "loki-ruler", "tempo-traces",
)

#: Component -> the buckets it (and only it) may read and write.
COMPONENT_BUCKETS: dict[str, tuple[str, ...]] = {
    "mimir": ("mimir-metrics", "mimir-alertmanager", "mimir-ruler"),
    "loki": ("loki-chunks", "loki-ruler"),
    "tempo": ("tempo-traces",),
}

#: Component -> the Kubernetes service account its chart runs every pod as (set explicitly in
#: the chart's values, so the name does not depend on the chart's naming helpers).
SERVICE_ACCOUNTS: dict[str, ServiceAccount] = {
    component: ServiceAccount(NAMESPACE, component) for component in COMPONENT_BUCKETS
}

#: Days objects outlive the component's own retention before the bucket expires them: the
#: compactors delete on their own schedule, the lifecycle is the backstop.
EXPIRY_MARGIN_DAYS = 7
#: Days a noncurrent (overwritten or deleted) object version is kept.
NONCURRENT_VERSION_DAYS = 7
#: Days after which an unfinished multipart upload is aborted.
ABORT_INCOMPLETE_UPLOAD_DAYS = 1

#: Bucket -> the retention that governs it. The ruler and Alertmanager buckets hold state (rule
#: groups, silences, notification logs), not time series: never expired.
_RETENTION_OF: dict[str, str] = {"mimir-metrics": "metrics", "loki-chunks": "logs", "tempo-traces": "traces"}

def expiration_days(bucket: str, retention: RetentionDays) -> int | None:
    """Days after which ``bucket``'s current objects expire: the retention of its signal plus
    :data:`EXPIRY_MARGIN_DAYS`; ``None`` for the state buckets (ruler, Alertmanager)."""
    if bucket not in BUCKETS:
        raise ValueError(f"{bucket!r} is not one of the observability buckets: {', '.join(BUCKETS)}")
    signal = _RETENTION_OF.get(bucket)
    return None if signal is None else getattr(retention, signal) + EXPIRY_MARGIN_DAYS


def name_head(env_name: str, spec: ObservabilitySpec) -> str:
    """``[<bucket_prefix>-]<env name>``: what every bucket name of the environment starts with."""
    return naming.name_head(env_name, spec.bucket_prefix)


def bucket_names(env_name: str, spec: ObservabilitySpec, unique: str, *, unique_length: int | None = None,
                 limit: int = MAX_BUCKET_NAME) -> dict[str, str]:
    """Seed name -> ``<head>-<unique>-<seed name>``, each at most ``limit`` characters
    (:func:`platform_constructs.naming.global_names`).

    :param unique: what makes the names globally unique (may be a Terraform token, like the
        account id read from ``aws_caller_identity``).
    :param unique_length: the characters ``unique`` takes once resolved. Default: ``len(unique)``
        (give it for a token: 12 for an AWS account id).
    """
    return naming.global_names(name_head(env_name, spec), unique, BUCKETS, unique_length=unique_length, limit=limit)


def plain_bucket_names(env_name: str, spec: ObservabilitySpec, *, limit: int = MAX_BUCKET_NAME) -> dict[str, str]:
    """Seed name -> ``<head>-<seed name>`` (no global unique part), each at most ``limit``
    characters: the names on a store the user brings (``cloud: kubernetes``). ``<head>`` is
    :func:`name_head`, shortened with a hash when the longest name would pass ``limit``."""
    return plain_names(name_head(env_name, spec), BUCKETS, limit=limit)


def plain_names(head: str, names: Sequence[str], *, limit: int = MAX_BUCKET_NAME) -> dict[str, str]:
    """Name -> ``<head>-<name>``, ``<head>`` shortened with a hash when the longest would pass ``limit``."""
    room = limit - 1 - max(len(b) for b in names)
    short_head = bounded_name(head, room)
    return {b: f"{short_head}-{b}" for b in names}


def credential_env(secret: str) -> list[dict]:
    """Container ``env`` entries: each of :data:`CREDENTIAL_KEYS` from the same key of ``secret``
    (``valueFrom.secretKeyRef``, not optional: a pod whose Secret or key is missing does not start,
    and says which)."""
    return [{"name": key, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}} for key in CREDENTIAL_KEYS]


@dataclass(frozen=True)
class ObjectStore:
    """Where the charts keep their objects.

    :param backend: ``s3`` (also S3-compatible stores), ``gcs`` or ``azure``.
    :param buckets: seed name -> bucket name (S3, GCS) or container name (Azure); may hold tokens.
    :param region: S3 region (Loki 3.6 and later need it explicitly). Default: none.
    :param endpoint: S3 endpoint host, like ``s3.eu-west-1.amazonaws.com``. Default: none.
    :param account_name: Azure storage account name. Default: none.
    :param path_style: S3 path-style addressing (MinIO, Ceph). Default: false.
    :param insecure: S3 over plain http (the charts' ``insecure``). Default: false (https).
    :param credentials_secret: S3 only: the Secret in the observability namespace holding
        :data:`CREDENTIAL_KEYS`, for a store no workload identity reaches. Default: none (the
        components' workload identities).
    """

    backend: Literal["s3", "gcs", "azure"]
    buckets: Mapping[str, str]
    region: str | None = None
    endpoint: str | None = None
    account_name: str | None = None
    path_style: bool = False
    insecure: bool = False
    credentials_secret: str | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.backend not in ("s3", "gcs", "azure"):
            problems.append(f"object store backend {self.backend!r} is not one of s3, gcs, azure")
        missing = [b for b in BUCKETS if b not in self.buckets]
        if missing:
            problems.append(f"object store names no bucket for {', '.join(missing)}")
        if self.backend == "s3" and not (self.region and self.endpoint):
            problems.append("an s3 object store needs region and endpoint")
        if self.backend == "azure" and not self.account_name:
            problems.append("an azure object store needs account_name")
        if self.endpoint and "://" in self.endpoint:
            problems.append(f"object store endpoint {self.endpoint!r} has a scheme: give host[:port] (the charts "
                            "add https, or http with insecure)")
        if self.credentials_secret is not None and self.backend != "s3":
            problems.append(f"credentials_secret is for an s3 store, not {self.backend}: remove it")
        if self.insecure and self.backend != "s3":
            problems.append(f"insecure is for an s3 store, not {self.backend}: remove it")
        if problems:
            raise ValueError("; ".join(problems))
        object.__setattr__(self, "buckets", dict(self.buckets))


@dataclass(frozen=True)
class ObservabilityStorage:
    """What a kit hands the neutral releases: the store, one identity per component (keys of
    :data:`COMPONENT_BUCKETS`), and what the releases must wait for (identity bindings, role
    assignments) so no pod starts before it can reach its buckets.

    A store with ``credentials_secret`` needs no identity (``identities`` may be empty: the
    service accounts then carry no annotation and the pods no identity label); every other store
    needs one per component."""

    store: ObjectStore
    identities: Mapping[str, WorkloadIdentity] = field(default_factory=dict)
    depends_on: tuple = field(default=())

    def __post_init__(self) -> None:
        missing = [c for c in COMPONENT_BUCKETS if c not in self.identities]
        if missing and self.store.credentials_secret is None:
            raise ValueError(f"observability storage has no identity for {', '.join(missing)}: give one per "
                             "component, or a store with credentials_secret")
        wrong = [c for c, identity in self.identities.items()
                 if c in SERVICE_ACCOUNTS and identity.service_account != SERVICE_ACCOUNTS[c]]
        if wrong:
            raise ValueError(f"identities of {', '.join(wrong)} bind another service account than "
                             "SERVICE_ACCOUNTS names")
        object.__setattr__(self, "identities", dict(self.identities))

    def annotations(self, component: str) -> dict[str, str]:
        """The ServiceAccount annotations of ``component`` (its identity's; none without one)."""
        identity = self.identities.get(component)
        return dict(identity.annotations) if identity else {}

    def pod_labels(self, component: str) -> dict[str, str]:
        """The pod labels of ``component`` (its identity's; none without one)."""
        identity = self.identities.get(component)
        return dict(identity.pod_labels) if identity else {}

    def env(self) -> list[dict]:
        """Container ``env`` entries every component's pods need: the Secret's keys
        (:func:`credential_env`) for a store with ``credentials_secret``, else none."""
        secret = self.store.credentials_secret
        return credential_env(secret) if secret else []
