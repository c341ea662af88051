"""StorageClasses as Terraform resources, from the specs of ``storage_classes``.

Typed ``kubernetes_storage_class_v1`` resources, not ``kubernetes_manifest``: a manifest
resource reads the cluster's OpenAPI schema while planning, so a plan would need a
reachable cluster that already exists; the typed resource plans offline.

:class:`NotDefaultStorageClass` takes the default mark off a class the managed cluster
created itself (GKE ``standard-rwo``, AKS ``default``) so that the platform's class is the
only default: with two defaults the API server picks one for every claim without a class
(the newest), which is not something to leave to chance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cdktf_cdktf_provider_kubernetes.annotations import Annotations, AnnotationsMetadata
from cdktf_cdktf_provider_kubernetes.storage_class_v1 import StorageClassV1, StorageClassV1Metadata
from constructs import Construct

from platform_constructs.kubernetes.storage_classes import (
    API_VERSION,
    CLOUD_OWNED_NAMES,
    DEFAULT_CLASS_ANNOTATION,
    KIND,
    StorageClassSpec,
    storage_class_manifests,
)


class StorageClasses(Construct):
    """One ``kubernetes_storage_class_v1`` per spec (construct id = the class's name).

    :param specs: The cluster's classes; names unique, at most one default (checked by
        ``storage_class_manifests``).
    :param labels: Labels on every class. Default: none.

    ``classes`` maps each class name to its resource.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        specs: Iterable[StorageClassSpec],
        labels: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, id)
        specs = list(specs)
        not_specs = [repr(s) for s in specs if not isinstance(s, StorageClassSpec)]
        if not_specs:
            raise ValueError(f"storage classes {id!r}: {', '.join(not_specs)} are not StorageClassSpec: "
                             "build them with the storage_classes builders")
        labels = dict(labels or {})
        bad_labels = [f"{k!r}={v!r}" for k, v in labels.items() if not (isinstance(k, str) and k and isinstance(v, str))]
        if bad_labels:
            raise ValueError(f"storage classes {id!r}: labels {', '.join(bad_labels)} must map names to strings")
        self.classes: dict[str, StorageClassV1] = {}
        for spec, manifest in zip(specs, storage_class_manifests(specs)):
            metadata = manifest["metadata"]
            self.classes[spec.name] = StorageClassV1(
                self, spec.name,
                metadata=StorageClassV1Metadata(
                    name=metadata["name"],
                    annotations=metadata.get("annotations"),
                    labels=labels or None,
                ),
                storage_provisioner=manifest["provisioner"],
                parameters=manifest["parameters"],
                reclaim_policy=manifest["reclaimPolicy"],
                volume_binding_mode=manifest["volumeBindingMode"],
                allow_volume_expansion=manifest["allowVolumeExpansion"],
                mount_options=manifest.get("mountOptions"),
            )


class NotDefaultStorageClass(Construct):
    """``kubernetes_annotations`` setting ``storageclass.kubernetes.io/is-default-class: "false"``
    on an existing StorageClass the cloud created (``force``: the annotation is owned by the
    cluster's add-on manager's field manager, so Terraform must take it over).

    :param name: The class the cloud created and marked default, one of
        ``storage_classes.CLOUD_OWNED_NAMES``. Default: ``standard-rwo`` (GKE's).

    The change lasts as long as the cloud's add-on manager leaves the class alone: a class
    labelled ``addonmanager.kubernetes.io/mode: EnsureExists`` is only created, never
    reconciled; one labelled ``Reconcile`` gets its annotation back. Check the label on
    the cloud's class before relying on this.
    """

    def __init__(self, scope: Construct, id: str, *, name: str = "standard-rwo") -> None:
        super().__init__(scope, id)
        if name not in CLOUD_OWNED_NAMES:
            raise ValueError(f"not-default storage class {name!r}: not a class a managed cluster creates; use one of "
                             f"{', '.join(sorted(CLOUD_OWNED_NAMES))} (for the platform's own classes set default=False "
                             "on the spec instead)")
        self.annotations = Annotations(
            self, "annotations",
            api_version=API_VERSION,
            kind=KIND,
            metadata=AnnotationsMetadata(name=name),
            annotations={DEFAULT_CLASS_ANNOTATION: "false"},
            force=True,
        )
