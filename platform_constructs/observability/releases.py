"""The observability layer's releases, cloud-neutral: what every kit deploys on its storage.

:class:`ObservabilityReleases` creates the ``observability`` namespace and, in order:

1. Mimir, Loki and Tempo (:mod:`.mimir`, :mod:`.loki`, :mod:`.tempo`), each after the namespace and
   the storage's ``depends_on`` (identity bindings, role assignments), so no pod starts before it can
   reach its buckets;
2. the collector DaemonSet (:mod:`.collector`) after the three backends it ships to;
3. Grafana (:mod:`.grafana`) after the backends, only when ``observability.grafana``.

Pod Security: the namespace **enforces** ``baseline`` and **warns and audits** ``restricted``.
``baseline`` is the strictest level every chart here runs under with these values: none uses a
host path, host namespace, privileged container or added capability (the collector reads logs
through the API, not ``/var/log``). ``restricted`` would also require every container to declare
non-root, no privilege escalation, dropped capabilities and a seccomp profile; the Alloy chart sets
no security context for its two containers (the Alloy image runs as root by default) and the
rollout-operator / memcached subcharts are not all covered, so enforcing it would make the
installs fail. The warnings name each gap (``kubectl`` prints them at apply; the audit log records them).

Namespace: created here, except where the user creates it first (``namespace_exists``: on
``cloud: kubernetes`` the credentials Secret must be in it before any pod starts, so the user
creates the namespace and the Secret; the labels above are then put on it with a
``kubernetes_labels`` resource, which fails the apply when the namespace does not exist).

The kit supplies ``storage`` (buckets and one workload identity per component, or, on a store the
user brings, the name of the Secret holding its access key) and ``zones`` (the values nodes carry in
``topology.kubernetes.io/zone``: on AKS ``<region>-<n>``, not the bare zone number).
"""

from __future__ import annotations

from collections.abc import Sequence

from cdktf_cdktf_provider_kubernetes.labels import Labels, LabelsMetadata
from cdktf_cdktf_provider_kubernetes.namespace_v1 import NamespaceV1, NamespaceV1Metadata
from constructs import Construct

from platform_constructs.observability.collector import Collector
from platform_constructs.observability.grafana import Grafana
from platform_constructs.observability.loki import Loki
from platform_constructs.observability.mimir import Mimir
from platform_constructs.observability.storage import NAMESPACE, ObservabilityStorage
from platform_constructs.observability.tempo import Tempo
from platform_constructs.spec.observability import ObservabilitySpec

#: Pod Security Admission level the namespace enforces (see the module docstring).
POD_SECURITY_ENFORCE = "baseline"
#: Level the namespace warns about and audits.
POD_SECURITY_WARN = "restricted"
#: The namespace's labels.
NAMESPACE_LABELS: dict[str, str] = {
    "pod-security.kubernetes.io/enforce": POD_SECURITY_ENFORCE,
    "pod-security.kubernetes.io/warn": POD_SECURITY_WARN,
    "pod-security.kubernetes.io/audit": POD_SECURITY_WARN,
    "app.kubernetes.io/part-of": "observability",
}


class ObservabilityReleases(Construct):
    """The namespace and the Mimir, Loki, Tempo, collector and (optionally) Grafana releases.

    :param spec: the environment's ``observability`` section.
    :param storage: the object store and one workload identity per component (or the store's
        credentials Secret), from the kit.
    :param zones: the zones' node labels (``topology.kubernetes.io/zone`` values); ``size: medium``
        needs three.
    :param chart_repository: an ``oci://`` mirror of every chart (``addons.chart_repository``).
        Default: None (each chart's own repository).
    :param storage_class: the StorageClass of every volume (Mimir's, Loki's and Tempo's WAL and
        blocks, Grafana's database). Default: none (the cluster's default class).
    :param namespace_exists: the namespace is the user's (created with the store's credentials
        Secret): only label it. Default: false (create it).

    Attributes: ``namespace`` (the Namespace, or the labels on the existing one), ``mimir``, ``loki``,
    ``tempo``, ``collector`` (constructs with ``.release`` and ``.values``), ``grafana`` (or None),
    ``values`` (component -> chart values).
    """

    def __init__(self, scope: Construct, id: str, *, spec: ObservabilitySpec, storage: ObservabilityStorage,
                 zones: Sequence[str], chart_repository: str | None = None, namespace_exists: bool = False,
                 storage_class: str | None = None):
        problems: list[str] = []
        if not isinstance(storage, ObservabilityStorage):
            problems.append(f"storage must be an ObservabilityStorage, got {type(storage).__name__}")
        if isinstance(zones, str) or not all(isinstance(z, str) and z for z in zones):
            problems.append(f"zones must be a list of zone names, got {zones!r}")
        if problems:
            raise ValueError(f"observability releases: {'; '.join(problems)}")
        super().__init__(scope, id)
        if namespace_exists:
            self.namespace = Labels(self, "namespace-labels", api_version="v1", kind="Namespace",
                                    metadata=LabelsMetadata(name=NAMESPACE), labels=dict(NAMESPACE_LABELS),
                                    force=True)
        else:
            self.namespace = NamespaceV1(self, "namespace", metadata=NamespaceV1Metadata(
                name=NAMESPACE, labels=dict(NAMESPACE_LABELS)))
        first = [self.namespace, *storage.depends_on]
        self.mimir = Mimir(self, "mimir", spec=spec, storage=storage, zones=list(zones),
                           chart_repository=chart_repository, depends_on=first, storage_class=storage_class)
        self.loki = Loki(self, "loki", spec=spec, storage=storage, chart_repository=chart_repository,
                         depends_on=first, storage_class=storage_class)
        self.tempo = Tempo(self, "tempo", spec=spec, storage=storage, chart_repository=chart_repository,
                           depends_on=first, storage_class=storage_class)
        backends = [self.namespace, self.mimir.release, self.loki.release, self.tempo.release]
        self.collector = Collector(self, "collector", spec=spec, chart_repository=chart_repository,
                                   depends_on=backends)
        self.grafana = (Grafana(self, "grafana", spec=spec, chart_repository=chart_repository, depends_on=backends,
                                storage_class=storage_class)
                        if spec.grafana else None)
        self.values: dict[str, dict] = {
            "mimir": self.mimir.values, "loki": self.loki.values, "tempo": self.tempo.values,
            "collector": self.collector.values,
            **({"grafana": self.grafana.values} if self.grafana else {}),
        }
