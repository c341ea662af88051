"""The observability layer on any Kubernetes (``cloud: kubernetes``): the neutral releases on an
S3-compatible store the user brings.

- **the store**: ``observability.storage`` (endpoint, region, path style); no bucket is created;
- **the buckets**: ``[<bucket_prefix>-]<env name>-<bucket>``
  (:func:`~platform_constructs.observability.storage.plain_bucket_names`), expected to exist;
- **credentials**: the Secret ``observability.storage.credentials_secret`` in the ``observability``
  namespace, keys ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``, given to every Mimir, Loki and
  Tempo pod as environment variables; only its name is in the values;
- ``ObservabilityReleases``: Mimir, Loki, Tempo, the collector and Grafana (cloud-neutral), service
  accounts without annotations (no cloud identity);
- **volumes**: on ``kubernetes.storage_classes.block`` (null: the cluster's default StorageClass).

The namespace ``observability`` is the user's: the credentials Secret must exist in it before any
pod starts, so the user creates both (docs/kubernetes.md: S3-compatible storage); the stack puts the Pod
Security labels on it. No cloud logging: the collector ships every pod's logs to Loki.

Why the Secret is not read by Terraform: a ``kubernetes_secret`` data source would copy the key into
the state. The kubelet resolves the Secret when it starts each pod (a missing Secret or key keeps the
pod in ``CreateContainerConfigError`` naming it, and the release's wait fails the apply).
"""

from __future__ import annotations

from constructs import Construct

from platform_constructs.generic.names import checked_bucket_names
from platform_constructs.observability.storage import ObjectStore, ObservabilityStorage
from platform_constructs.spec.observability import S3StorageSpec


def generic_store(env_name: str, spec) -> ObjectStore:
    """The :class:`ObjectStore` of ``spec`` (an ``observability`` section with ``storage``): host,
    region, path style, http only when the file says ``insecure``, the credentials Secret's name, and
    the plain bucket names of ``env_name``."""
    storage: S3StorageSpec | None = spec.storage
    if storage is None:
        raise ValueError("observability.storage is not set: cloud kubernetes needs an S3-compatible store "
                         "(endpoint, region, path_style, credentials_secret) for the six buckets")
    return ObjectStore(
        backend="s3", buckets=checked_bucket_names(env_name, spec), region=storage.region, endpoint=storage.host,
        path_style=storage.path_style, insecure=storage.uses_http, credentials_secret=storage.credentials_secret,
    )


def block_storage_class(spec) -> str | None:
    """``kubernetes.storage_classes.block`` of ``spec`` (None: the cluster's default class)."""
    section = getattr(spec, "kubernetes", None)
    classes = getattr(section, "storage_classes", None)
    return getattr(classes, "block", None)


class GenericObservability(Construct):
    """What ``observability`` asks for on a cluster the platform did not create.

    :param spec: the environment (``name``, ``observability`` with its ``storage`` section;
        ``kubernetes.storage_classes.block``, ``addons.chart_repository`` and ``zones`` when the
        model has them).

    Attributes: ``store`` (the :class:`ObjectStore`), ``storage`` (what the releases got),
    ``releases`` (the ``ObservabilityReleases``).
    """

    def __init__(self, scope: Construct, id: str, *, spec):
        # Deferred, as in the cloud kits: the releases import the kubernetes/helm bindings.
        from platform_constructs.observability.releases import ObservabilityReleases

        self.store = generic_store(spec.name, spec.observability)
        self.storage = ObservabilityStorage(self.store)
        super().__init__(scope, id)
        addons = getattr(spec, "addons", None)
        self.releases = ObservabilityReleases(
            self, "releases", spec=spec.observability, storage=self.storage,
            zones=list(getattr(spec, "zones", None) or []),
            chart_repository=getattr(addons, "chart_repository", None), namespace_exists=True,
            storage_class=block_storage_class(spec),
        )
