"""One Helm release of a pinned chart, with the platform's safety settings.

The chart's name, repository and version come from ``versions.CHARTS`` only (one place to
bump). With ``chart_repository`` (``addons.chart_repository``, an ``oci://host/path``
mirror for clusters without internet) every chart is pulled from
``<chart_repository>/<chart name>`` at the same version, the way the helm provider
documents OCI registries: ``repository = "oci://host/path"``, ``chart = "<name>"``.
A private mirror needs no credentials here: the runner logs in once
(``helm registry login``) and the provider reads Helm's registry config.

Values are written as ONE YAML document (PyYAML's safe dumper, keys sorted) in the release's
``values``: a plan shows a values change as one readable diff, and :func:`release_values`
reads it back. Strings may hold Terraform references or cdktf string tokens: each such
string is written as ``${jsonencode("...")}`` (a lone token as ``${jsonencode(tostring(...))}``), its
literal parts escaped for that quoted string (a ``"`` from the file never ends it), so Terraform interpolates a JSON string (a
valid YAML double-quoted scalar) and an account id, ``"true"`` or ``"1.10"`` stays a string
whatever it resolves to. Number and list tokens cannot be written into a YAML string and
are refused (pass ``Token.as_string(...)``); so are tokens in keys.

Every release is installed with:

- ``atomic`` and ``cleanup_on_fail``: a failed install or upgrade rolls back and removes
  what it created, instead of leaving a half-upgraded release Helm refuses to touch;
- ``wait`` with a 600 s ``timeout``: the apply fails when the pods do not become ready,
  rather than reporting success for a crash-looping controller (image pulls through a
  mirror and node scale-up take longer than Helm's default 300 s);
- ``max_history`` 10: enough revisions to roll back, without one Secret per upgrade forever;
- ``dependency_update`` false: the chart's pinned subcharts ship inside the package; no
  network fetch of unpinned dependencies at apply time;
- a namespace created only when asked (``create_namespace``): system namespaces such as
  ``kube-system`` always exist, and Helm never deletes a namespace it created (it outlives
  the release), so ask only for a namespace the component owns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import yaml
from cdktf import Fn, Token
from cdktf_cdktf_provider_helm.release import Release
from constructs import Construct

from platform_constructs.spec.expressions import quoted_literal_parts
from platform_constructs.versions import CHARTS

#: Seconds Helm waits for the release's resources to become ready.
TIMEOUT_SECONDS = 600
#: Revisions Helm keeps per release (rollback depth).
MAX_HISTORY = 10

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
#: Helm's release name rule (a DNS-1123 subdomain of at most 53 characters).
_RELEASE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_RELEASE_NAME_MAX = 53


def chart_release(
    scope: Construct,
    id: str,
    *,
    chart: str,
    namespace: str,
    values: dict,
    chart_repository: str | None = None,
    name: str | None = None,
    create_namespace: bool = False,
    depends_on: list | None = None,
) -> Release:
    """A ``helm_release`` of ``versions.CHARTS[chart]``.

    :param chart: A key of ``versions.CHARTS``.
    :param namespace: The namespace to install into (a DNS-1123 label).
    :param values: The chart's values; written as one sorted YAML document.
    :param chart_repository: An ``oci://host/path`` mirror holding every chart.
        Default: None (the chart's own repository from ``versions.CHARTS``).
    :param name: The release name (at most 53 characters). Default: the chart's name.
    :param create_namespace: Create ``namespace`` with the release. Default: False.
    :param depends_on: Resources to create first (e.g. the identity the chart's service
        account uses). Default: none.
    """
    problems: list[str] = []
    pinned = CHARTS.get(chart)
    if pinned is None:
        problems.append(f"chart {chart!r} is not pinned in versions.CHARTS: use one of {', '.join(sorted(CHARTS))} "
                        "or add it there")
    repository = pinned.repository if pinned else None
    if chart_repository is not None:
        repository = _mirror(chart_repository, problems)
    if not isinstance(namespace, str) or len(namespace) > 63 or not _DNS1123_LABEL.match(namespace):
        problems.append(f"namespace {namespace!r} is not a DNS-1123 label: at most 63 lower-case letters, digits "
                        "and '-', starting and ending with a letter or digit")
    release_name = name if name is not None else (pinned.name if pinned else chart)
    if (not isinstance(release_name, str) or len(release_name) > _RELEASE_NAME_MAX
            or not _RELEASE_NAME.match(release_name)):
        problems.append(f"release name {release_name!r} must be at most {_RELEASE_NAME_MAX} lower-case letters, "
                        "digits, '-' and '.', starting and ending with a letter or digit")
    if not isinstance(values, Mapping):
        problems.append(f"values must be a dict of the chart's values, not {type(values).__name__}")
    else:
        _check_values(values, "values", problems)
    if problems:
        raise ValueError(f"helm release {id!r}: {'; '.join(problems)}")
    document = yaml.dump(_interpolated(dict(values)), Dumper=_ValuesDumper, sort_keys=True,
                         default_flow_style=False, width=1_000_000)
    return Release(
        scope, id,
        name=release_name,
        chart=pinned.name,
        repository=repository,
        version=pinned.version,
        namespace=namespace,
        create_namespace=create_namespace,
        values=[document],
        atomic=True,
        cleanup_on_fail=True,
        wait=True,
        timeout=TIMEOUT_SECONDS,
        max_history=MAX_HISTORY,
        dependency_update=False,
        depends_on=list(depends_on) if depends_on else None,
    )


def release_values(release_json: dict) -> dict:
    """The values of a synthesized ``helm_release`` body, parsed back from its one YAML document."""
    documents = release_json.get("values") or []
    if len(documents) != 1:
        raise ValueError(f"helm_release has {len(documents)} values documents; chart_release writes exactly one")
    parsed = yaml.safe_load(documents[0])
    return {} if parsed is None else parsed


#: A string that is one cdktf string token and nothing else.
_LONE_TOKEN = re.compile(r"\$\{TfToken\[[^\]]+\]\}")


class _Interpolation(str):
    """A ``${jsonencode(tostring(...))}`` token: written as a plain scalar, Terraform puts a JSON string there."""


class _ValuesDumper(yaml.SafeDumper):
    pass


_ValuesDumper.add_representer(
    _Interpolation, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="")
)


def _interpolated(value):
    """``values`` with every string that holds a token replaced by ``jsonencode(tostring(...))`` of it."""
    if isinstance(value, Mapping):
        return {key: _interpolated(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_interpolated(item) for item in value]
    if isinstance(value, str) and Token.is_unresolved(value):
        quoted = quoted_literal_parts(value)
        # A lone token may resolve to a number or bool: tostring() keeps it a string. A template with
        # literal parts ("prefix-${ref}") is a string already; inside tostring() it would sit two
        # functions deep, where cdktf prints an "escape sequences" warning on stderr for it.
        return _Interpolation(Fn.jsonencode(Fn.tostring(quoted) if _LONE_TOKEN.fullmatch(value) else quoted))
    return value


def _mirror(chart_repository: object, problems: list[str]) -> str | None:
    if (not isinstance(chart_repository, str) or not chart_repository.startswith("oci://")
            or not chart_repository.removeprefix("oci://").strip("/")):
        problems.append(f"chart_repository {chart_repository!r} is not an OCI registry URL: set it to "
                        "oci://<host>/<path> (the mirror holding every chart as <path>/<chart name>), or null "
                        "for the charts' own repositories")
        return None
    if any(c.isspace() for c in chart_repository):
        problems.append(f"chart_repository {chart_repository!r} contains whitespace: remove it")
    return chart_repository.rstrip("/")


def _check_values(value: object, path: str, problems: list[str]) -> None:
    """Refuse what cannot be written into the YAML document: non-string keys, number and list tokens."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(f"{path}: key {key!r} must be a string")
            elif Token.is_unresolved(key):
                problems.append(f"{path}: key {key!r} is a token: keys must be literal strings")
            _check_values(item, f"{path}.{key}", problems)
    elif isinstance(value, (list, tuple)):
        if any(isinstance(item, str) and item.startswith("#{TfToken[") for item in value):
            problems.append(f"{path} is a list token: it cannot be written into YAML; pass the items, "
                            "or Fn.jsonencode(...) as a string")
            return
        for index, item in enumerate(value):
            _check_values(item, f"{path}[{index}]", problems)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if Token.is_unresolved(value):
            problems.append(f"{path} is a number token: it cannot be written into YAML; pass Token.as_string(...)")
    elif not (value is None or isinstance(value, (str, bool))):
        problems.append(f"{path}: {type(value).__name__} is not a YAML value (use str, int, float, bool, list, dict)")
