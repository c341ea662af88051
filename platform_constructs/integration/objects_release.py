"""A Helm release of the project's own ``platform-objects`` chart: custom resources after their operator.

Why not ``kubernetes_manifest``: the kubernetes provider needs a custom resource's CRD at *plan* time,
and the operator defining it (External Secrets) is installed by the same stack, so the first plan
would fail. Helm resolves kinds at apply time, after ``depends_on`` installed the operator.

The chart ships inside the project (``charts/platform-objects``) and is copied into the stack's
folder as a cdktf asset (``assets/...``, relative to the stack): nothing is fetched at apply time,
and a mirror (``addons.chart_repository``) is not needed for it. Same safety settings as
:func:`platform_constructs.kubernetes.chart_release.chart_release` (atomic, wait, history).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from cdktf import AssetType, TerraformAsset
from cdktf_cdktf_provider_helm.release import Release
from constructs import Construct

from platform_constructs.kubernetes import chart_release as _release

CHART_DIRECTORY = Path(__file__).resolve().parent / "charts" / "platform-objects"
CHART_VERSION = yaml.safe_load((CHART_DIRECTORY / "Chart.yaml").read_text(encoding="utf-8"))["version"]


def objects_release(scope: Construct, id: str, *, name: str, namespace: str, objects: list[dict],
                    depends_on: list | None = None) -> Release:
    """A release ``name`` in ``namespace`` holding ``objects`` (complete Kubernetes objects).

    :param depends_on: what must exist first (the operator's release). Default: none.
    """
    problems: list[str] = []
    if not objects:
        problems.append("no objects: give at least one")
    for i, obj in enumerate(objects):
        if not isinstance(obj, dict) or not {"apiVersion", "kind", "metadata"} <= set(obj):
            problems.append(f"objects[{i}] is not a Kubernetes object (apiVersion, kind, metadata)")
    values = {"objects": objects}
    _release._check_values(values, "values", problems)
    if problems:
        raise ValueError(f"objects release {name!r}: {'; '.join(problems)}")
    asset = TerraformAsset(scope, f"{id}-chart", path=str(CHART_DIRECTORY), type=AssetType.DIRECTORY)
    document = yaml.dump(_release._interpolated(values), Dumper=_release._ValuesDumper, sort_keys=True,
                         default_flow_style=False, width=1_000_000)
    return Release(
        scope, id, name=name, chart=asset.path, version=CHART_VERSION, namespace=namespace, create_namespace=False,
        values=[document], atomic=True, cleanup_on_fail=True, wait=True, timeout=_release.TIMEOUT_SECONDS,
        max_history=_release.MAX_HISTORY, dependency_update=False,
        depends_on=list(depends_on) if depends_on else None,
    )
