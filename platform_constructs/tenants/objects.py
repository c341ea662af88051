"""A tenant's Kubernetes objects as ``kubernetes_manifest`` resources.

``kubernetes_manifest`` rather than the typed ``kubernetes_*_v1`` resources: the objects are
built once, as plain manifests (:mod:`~platform_constructs.tenants.manifests`), validated against
the Kubernetes schema in the tests, and written as they are. The resource reads the cluster's
OpenAPI schema while planning, so the tenants stack plans only once the cluster exists: it is
the last stack of an environment, deployed after the cluster, add-ons and observability.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cdktf_cdktf_provider_kubernetes.manifest import Manifest
from constructs import Construct

_NOT_ID = re.compile(r"[^a-z0-9-]+")


def logical_id(manifest: dict) -> str:
    """``<kind>-<name>`` in lowercase (``namespace-team-a``, ``networkpolicy-default-deny``)."""
    return _NOT_ID.sub("-", f"{manifest['kind']}-{manifest['metadata']['name']}".lower())


class TenantObjects(Construct):
    """One ``kubernetes_manifest`` per manifest, construct id :func:`logical_id`; every namespaced
    object depends on the Namespace among ``manifests`` (exactly one; created first).

    :param manifests: one tenant's objects, from ``tenant_manifests``.

    ``manifests`` holds the dicts written, ``resources`` maps each logical id to its resource and
    ``namespace`` is the Namespace's resource (what a kit's own Kubernetes objects may depend on).
    """

    def __init__(self, scope: Construct, id: str, *, manifests: Sequence[dict]) -> None:
        super().__init__(scope, id)
        self.manifests = [dict(m) for m in manifests]
        problems = []
        namespaces = [m for m in self.manifests if m.get("kind") == "Namespace"]
        if len(namespaces) != 1:
            problems.append(f"{len(namespaces)} Namespace objects given: pass one tenant's manifests "
                            "(tenant_manifests), which hold exactly one")
        ids: dict[str, int] = {}
        for i, m in enumerate(self.manifests):
            if not (isinstance(m.get("kind"), str) and isinstance(m.get("metadata", {}).get("name"), str)):
                problems.append(f"manifest {i} has no kind or metadata.name: every object needs both")
                continue
            key = logical_id(m)
            if key in ids:
                problems.append(f"manifests {ids[key]} and {i} are both {key}: give each object its own name")
            ids.setdefault(key, i)
            if namespaces and m.get("kind") != "Namespace" and \
                    m["metadata"].get("namespace") != namespaces[0]["metadata"]["name"]:
                problems.append(f"{key} is in namespace {m['metadata'].get('namespace')!r}, not the tenant's "
                                f"{namespaces[0]['metadata']['name']!r}: a tenant's objects live in its namespace")
        if problems:
            raise ValueError(f"tenant objects {id!r}: " + "; ".join(problems))

        self.resources: dict[str, Manifest] = {}
        ns_manifest = namespaces[0]
        self.namespace = Manifest(self, logical_id(ns_manifest), manifest=ns_manifest)
        for m in self.manifests:
            if m is ns_manifest:
                self.resources[logical_id(m)] = self.namespace
                continue
            self.resources[logical_id(m)] = Manifest(self, logical_id(m), manifest=m, depends_on=[self.namespace])
