"""Load prebuilt cdktf provider packages without importing every submodule.

Each prebuilt provider package (``cdktf_cdktf_provider_aws`` and friends) ends
its root ``__init__.py`` with ~2,000 ``from . import <resource>`` lines, so the
first ``from cdktf_cdktf_provider_aws.vpc import Vpc`` pays for importing every
resource of the provider (aws: 11-15 s and ~1 GB on 2 cores). This finder runs
the same root ``__init__.py`` with those lines removed; a submodule is then
imported by Python's normal machinery the moment code asks for it, and only
then. Everything else in the root module (jsii assembly load, ``__all__``,
``publication.publish()``) runs unchanged.

Installed once, by ``platform_constructs/__init__.py``; construct code keeps the
usual ``from cdktf_cdktf_provider_aws.vpc import Vpc`` imports. The packages are
pinned final releases, and tests prove the JSON is byte-identical to an eager
import (``PLATFORM_EAGER_PROVIDERS=1`` switches this loader off).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import re
import sys

#: The pinned provider packages this loader applies to.
PROVIDER_PACKAGES = frozenset({
    "cdktf_cdktf_provider_aws",
    "cdktf_cdktf_provider_google",
    "cdktf_cdktf_provider_azurerm",
    "cdktf_cdktf_provider_helm",
    "cdktf_cdktf_provider_kubernetes",
})

#: Set to 1 to import provider packages the eager (upstream) way.
EAGER_ENV = "PLATFORM_EAGER_PROVIDERS"

_EAGER_SUBMODULE_IMPORT = re.compile(r"^from \. import [A-Za-z_][A-Za-z0-9_]*[ \t]*\r?\n", re.MULTILINE)


class _LazyRootLoader(importlib.abc.Loader):
    def __init__(self, origin: str):
        self._origin = origin

    def create_module(self, spec):  # default module creation
        return None

    def exec_module(self, module) -> None:
        with open(self._origin, encoding="utf-8") as handle:
            source = handle.read()
        source, removed = _EAGER_SUBMODULE_IMPORT.subn("", source)
        if removed == 0:
            raise ImportError(f"{module.__name__}: no eager submodule imports found; the lazy loader does not fit this version")
        exec(compile(source, self._origin, "exec"), module.__dict__)  # noqa: S102 - the package's own code


class _LazyProviderFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname not in PROVIDER_PACKAGES:
            return None
        real = importlib.machinery.PathFinder.find_spec(fullname, path)
        if real is None or not real.origin or not real.origin.endswith("__init__.py"):
            return real
        return importlib.util.spec_from_file_location(
            fullname,
            real.origin,
            loader=_LazyRootLoader(real.origin),
            submodule_search_locations=real.submodule_search_locations,
        )


def install() -> bool:
    """Put the finder in front of ``sys.meta_path`` once. Returns whether it is active."""
    if os.environ.get(EAGER_ENV, "") not in ("", "0"):
        return False
    if not any(isinstance(f, _LazyProviderFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _LazyProviderFinder())
    return True
