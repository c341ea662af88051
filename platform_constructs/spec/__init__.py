"""The environment model: one YAML file per environment, validated and defaulted.

- neutral sections, one module each: ``network``, ``cluster`` (with node pools), ``backend``;
- ``environment``: the fields and rules every environment shares (:class:`EnvironmentBase`) and those of
  the clouds whose cluster the platform creates (:class:`EnvironmentSpec`);
- one environment model per cloud, in that cloud's kit (``platform_constructs/<cloud>/spec.py``),
  chosen by ``cloud:`` through the one list of clouds (``platform_constructs/clouds.py``); it owns
  its cloud section and its rules, and refuses fields other clouds use;
- ``loading``: file, YAML and model errors, each one line ``<file>: <field.path>: <problem and fix>``.

Structure and types are checked by pydantic (unknown keys are rejected everywhere);
rules that span several fields are checked once the whole file has parsed, and
every violation carries the dotted path of the field to fix.
"""

from platform_constructs.spec.cluster import MIN_KUBERNETES_VERSION, ClusterSpec, NodePoolSpec, Taint
from platform_constructs.spec.common import SpecError
from platform_constructs.spec.environment import EnvironmentBase, EnvironmentSpec
from platform_constructs.spec.loading import MAX_ENV_FILE_BYTES, load_environment, parse_environment
from platform_constructs.spec.network import NetworkSpec

__all__ = [
    "ClusterSpec", "EnvironmentBase", "EnvironmentSpec", "MAX_ENV_FILE_BYTES", "MIN_KUBERNETES_VERSION", "NetworkSpec", "NodePoolSpec",
    "SpecError", "Taint", "load_environment", "parse_environment",
]
