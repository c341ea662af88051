"""The ``cloud: kubernetes`` environment model: an existing cluster, on any cloud or on premises.

The platform builds only its in-cluster layers there (``<env>-addons``, ``<env>-observability``,
``<env>-tenants``: ``clouds.Cloud.layers``); the cluster, its network, its storage and its
buckets are the user's. So the model has no ``region``, ``zones``, ``network``, ``cluster`` or
``data``, and no cloud section: each of them is refused with one line saying why.

Imports no provider package (the model is loaded for every file of every cloud).
"""

from __future__ import annotations

import os
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator

from platform_constructs.spec.addons import AddonsSpec
from platform_constructs.spec.backend import S3BackendSpec
from platform_constructs.spec.common import Model, Problem, Violations, shown
from platform_constructs.spec.environment import EnvironmentBase
from platform_constructs.spec.ignored import no_effect

#: The sections a ``cloud: kubernetes`` file may not have, with why and what to do instead.
REFUSED_SECTIONS: dict[str, str] = {
    "region": "the platform creates nothing in a cloud region on an existing cluster: remove it (a state "
              "bucket's region belongs in backend.region, the object store's in observability.storage.region)",
    "zones": "the platform creates no node pools on an existing cluster: remove it (the cluster's nodes "
             "are spread by whoever runs it)",
    "network": "the platform creates no network on an existing cluster: remove it (the cluster's network is "
               "the user's)",
    "cluster": "the cluster already exists: remove this section and name the cluster by kubernetes.kubeconfig "
               "and kubernetes.context",
    "data": "the platform creates no data layer on an existing cluster (no file system, cache, buckets or "
            "registry): remove it and bring those yourself",
    "aws": "it is the AWS section, for a cluster the platform creates on AWS: remove it (or use cloud: aws)",
    "gcp": "it is the GCP section, for a cluster the platform creates on GCP: remove it (or use cloud: gcp)",
    "azure": "it is the Azure section, for a cluster the platform creates on Azure: remove it (or use cloud: azure)",
}

#: A StorageClass name (an RFC 1123 subdomain of at most 253 characters).
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
#: What a path to a kubeconfig file may not hold: control characters (a pasted file, not a path).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Kubernetes' own groups (``system:masters``, ``system:authenticated``...): never a tenant's.
SYSTEM_GROUP_PREFIX = "system:"


def _storage_class(value: str) -> str:
    if len(value) > 253 or not _SUBDOMAIN.fullmatch(value):
        raise ValueError(f"{shown(value)} is not a StorageClass name: give the name of one the cluster has "
                         "(kubectl get storageclass), lowercase letters, digits, '-' and '.'")
    return value


def _kubeconfig(value: str) -> str:
    if not value or _CONTROL.search(value):
        raise ValueError(f"{shown(value)} is not a file path: give the path of the kubeconfig file "
                         "(like ~/.kube/config), never the file's content")
    if "://" in value:
        raise ValueError(f"{shown(value)} is a URL: give the path of a kubeconfig file on the machine that runs "
                         "Terraform (like ~/.kube/config)")
    if not (value.startswith("/") or value == "~" or value.startswith("~/")):
        raise ValueError(f"{shown(value)} is a relative path, which Terraform would read from each stack's own "
                         "folder: give an absolute path or one starting with ~/ (like ~/.kube/config)")
    if value == "~" or value.endswith("/") or os.path.basename(value) in (".", "..") or os.path.isdir(kubeconfig_path(value)):
        raise ValueError(f"{shown(value)} names a folder, not a file: give the path of the kubeconfig file "
                         "(like ~/.kube/config)")
    return value


def kubeconfig_path(value: str) -> str:
    """``value`` (a kubeconfig path as the file gives it) as one spelling per file on this machine:
    ``~`` expanded, ``.``, ``..``, repeated ``/`` and symbolic links resolved. The file need not exist
    (Terraform reads it on the machine that deploys; synth never opens it)."""
    return os.path.realpath(os.path.expanduser(value))


def _context(value: str) -> str:
    if not value or _CONTROL.search(value) or len(value) > 253:
        raise ValueError(f"{shown(value)} is not a kubeconfig context name: give the name "
                         "`kubectl config get-contexts` lists (at most 253 characters, one line)")
    return value


StorageClassName = Annotated[str, AfterValidator(_storage_class)]


class StorageClasses(Model):
    """The cluster's existing StorageClasses the platform's charts use; the platform creates none.
    Both keys are required; ``null`` says the cluster has no such class."""

    #: ReadWriteOnce volumes (observability's WAL and Grafana, tenants' volumes). Required (may be null:
    #: then the charts fall back to the cluster's default StorageClass).
    block: StorageClassName | None
    #: ReadWriteMany volumes (NFS, CephFS, a cloud's file service). Required, and null for now: no
    #: layer installed on an existing cluster uses shared file storage yet, so a class here is refused.
    file: StorageClassName | None


class KubernetesSection(Model):
    """``kubernetes:``: which cluster, and its storage. Nothing secret: the kubeconfig file holds the
    credentials (or the exec plugin that fetches them) on the machine that runs Terraform."""

    #: The kubeconfig file Terraform's kubernetes and helm providers read at plan time (``config_path``):
    #: absolute or ``~/...``. Synth never opens it. Required.
    kubeconfig: Annotated[str, AfterValidator(_kubeconfig)]
    #: The context of that file naming the cluster and user (``config_context``). Required.
    context: Annotated[str, AfterValidator(_context)]
    #: The cluster's StorageClasses. Required.
    storage_classes: StorageClasses


class GenericAddonsSpec(AddonsSpec):
    """``addons:`` on an existing cluster.

    - ``load_balancer_controller``: the ingress and Gateway API controller (Traefik,
      ``generic/ingress_controller.py``). Default: true.
    - ``metrics_server``: the metrics-server chart; false where the cluster runs one already (ACK, CCE
      and most distributions do). Default: true.
    - ``secrets_store``: the secrets-store CSI driver; its provider is :attr:`secrets_store_provider`.
      Default: true.
    - ``block_storage`` / ``file_storage`` are refused: storage is the cluster's
      (``kubernetes.storage_classes``). ``ci_agent`` is refused: it reads its registration token from
      a cloud secret store this kit has none of.
    """

    #: The secrets-store CSI driver's provider: ``vault`` (HashiCorp Vault's CSI provider, reading a
    #: Vault the user runs), or ``none`` (the driver alone, for the cloud's own provider chart).
    #: Default: none.
    secrets_store_provider: Literal["vault", "none"] = "none"


class KubernetesEnvironment(EnvironmentBase):
    """``cloud: kubernetes``: addons, observability and tenants on an existing cluster."""

    cloud: Literal["kubernetes"]
    #: The cluster (kubeconfig file and context) and its StorageClasses. Required.
    kubernetes: KubernetesSection
    addons: GenericAddonsSpec = Field(default_factory=GenericAddonsSpec)

    @model_validator(mode="before")
    @classmethod
    def _refused_sections(cls, data: Any) -> Any:
        """``region``, ``zones``, ``network``, ``cluster``, ``data`` and the cloud sections: one line each."""
        if isinstance(data, dict):
            found = [(key, why) for key, why in REFUSED_SECTIONS.items() if key in data]
            if found:
                raise Violations([(key, f"is not used with cloud: kubernetes: {why}") for key, why in found])
        return data

    # ---- rules -----------------------------------------------------------------------

    def cloud_violations(self) -> list[Problem]:
        out: list[Problem] = []
        for key in ("block_storage", "file_storage"):
            if key in self.addons.model_fields_set:
                out.append((f"addons.{key}", "is not used with cloud: kubernetes: storage is the cluster's; name its "
                                             "StorageClasses in kubernetes.storage_classes and remove this key"))
        if self.addons.ci_agent is not None:
            out.append(("addons.ci_agent", "is not available with cloud: kubernetes: the CI agent reads its "
                                           "registration token from the cloud's secret store, which this cloud has "
                                           "none of: remove it and install your runner yourself"))
        if self.addons.secrets_store_provider != "none" and not self.addons.secrets_store:
            out.append(("addons.secrets_store_provider", f"is {self.addons.secrets_store_provider} but "
                                                         "addons.secrets_store is false: the provider needs the "
                                                         "driver: set secrets_store: true, or remove the provider"))
        for i, tenant in enumerate(self.tenants):
            if tenant.bucket_prefix is not None:
                out.append((f"tenants.{i}.bucket_prefix", "is not used with cloud: kubernetes: there is no data layer and "
                                                          "no app bucket to give the tenant a folder of: remove it"))
        if isinstance(self.backend, S3BackendSpec) and self.backend.region is None:
            out.append(("backend.region", "is required with cloud: kubernetes (there is no environment region to "
                                          "default to): give the state bucket's region (MinIO's is us-east-1)"))
        from platform_constructs.generic.names import name_violations  # imports observability.storage
        out.extend(name_violations(self))
        return out

    def ignored_violations(self) -> list[Problem]:
        """The neutral rules, then what has no effect on an existing cluster: ``tags`` (the platform
        creates no cloud resource there and labels no object with them), ``kubernetes.storage_classes.file``
        (nothing the platform installs there mounts a ReadWriteMany volume), and
        ``kubernetes.storage_classes.block`` with observability off (only observability's volumes use it)."""
        out = super().ignored_violations()
        if self.tags:
            out.append(no_effect("tags", "with cloud: kubernetes the platform creates no cloud resource to tag and "
                                         "puts no tags on the cluster's objects", "remove it"))
        classes = self.kubernetes.storage_classes
        if classes.file is not None:
            out.append(no_effect("kubernetes.storage_classes.file", "nothing the platform installs on an existing "
                                 "cluster uses a ReadWriteMany StorageClass (it creates none either)",
                                 "set it to null"))
        if classes.block is not None and not self.observability.enabled:
            out.append(no_effect("kubernetes.storage_classes.block", "observability.enabled is false and only "
                                 "observability's volumes use it",
                                 "set it to null, or set observability.enabled: true"))
        return out

    def tenant_group_problem(self, group: str) -> str | None:
        """A Kubernetes group name as the cluster's authenticator asserts it (OIDC ``groups`` claim,
        client certificate organisation, the cloud's IAM mapping): one word, not a ``system:`` group."""
        if not group or any(c.isspace() for c in group) or _CONTROL.search(group):
            return (f"{shown(group)} is not a Kubernetes group name: give the group as the cluster's "
                    "authenticator asserts it, without spaces (like team-a-admins or oidc:team-a)")
        if group.startswith(SYSTEM_GROUP_PREFIX):
            return (f"{shown(group)} is one of Kubernetes' own groups: binding it would give the tenant's role to "
                    "every user or node in it: name a group of your authenticator instead")
        if len(group) > 253:
            return f"{shown(group)} is longer than 253 characters: give the group's name"
        return None

    # ---- derived values --------------------------------------------------------------

    def cluster_key(self) -> tuple[str, ...]:
        """The kubeconfig file however it is spelled (:func:`kubeconfig_path`), and the context."""
        return (self.cloud, kubeconfig_path(self.kubernetes.kubeconfig), self.kubernetes.context)

    def cluster_clash(self, other: str) -> Problem:
        return ("kubernetes.context", f"{self.kubernetes.context!r} of {self.kubernetes.kubeconfig} is already the "
                                      f"cluster of {other}: one environment per cluster (both would install the same "
                                      "addons, observability namespace and tenants)")

    @property
    def pod_security_version(self) -> str:
        """``latest``: the platform does not know the existing cluster's version at synth time, so the
        tenants' Pod Security ``enforce`` level follows the cluster's own (re-check the tenants'
        workloads before each cluster upgrade)."""
        return "latest"
