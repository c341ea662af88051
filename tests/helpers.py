"""Shared test helpers: build specs from a base document, synthesize, and query the JSON."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

from platform_constructs.spec import EnvironmentSpec, parse_environment
from platform_tools.synth import build_app

ROOT = Path(__file__).resolve().parent.parent
#: What a copy of the project needs to synthesize (tests that run it from another folder).
PROJECT_PARTS = ("main.py", "platform_constructs", "platform_tools", "stacks", "environments")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes): "nothing changed" is an equality."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

BASE: dict[str, Any] = {
    "name": "t",
    "cloud": "aws",
    "region": "us-east-1",
    "zones": ["us-east-1a", "us-east-1b", "us-east-1c"],
    "tags": {"team": "platform"},
    "network": {"cidr": "10.0.0.0/16"},
    "cluster": {
        "name": "tc",
        "kubernetes_version": "1.33",
        "node_pools": [{"name": "general", "instance_types": ["m6i.large"], "min_size": 3, "max_size": 6}],
    },
}


def merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


#: The admin an AWS spec gets unless the test sets ``admin_principals`` or CONFIG_MAP mode: with the
#: default authentication mode (API_AND_CONFIG_MAP) the model requires at least one.
AWS_ADMIN = "arn:aws:iam::111122223333:role/platform-admins"


def make_spec(**override: Any) -> EnvironmentSpec:
    doc = merge(BASE, override)
    cluster = doc["cluster"]
    if (doc.get("cloud") == "aws" and isinstance(cluster, dict) and "admin_principals" not in cluster
            and cluster.get("authentication_mode", "API_AND_CONFIG_MAP") != "CONFIG_MAP"):
        cluster["admin_principals"] = [AWS_ADMIN]
    return parse_environment(doc, "test.yaml")


# --- per-cloud bases: valid GCP / Azure environments built on BASE -------------------

GCP: dict[str, Any] = {
    "cloud": "gcp",
    "region": "us-central1",
    "zones": ["us-central1-a", "us-central1-b", "us-central1-c"],
    "gcp": {"project": "proj-1"},
    "cluster": {"node_pools": [{"name": "general", "instance_types": ["e2-standard-4"], "min_size": 3, "max_size": 6}]},
}


def gcp_spec(**override: Any):
    """A valid GCP spec (project proj-1, us-central1 a/b/c) with ``override`` merged in."""
    return make_spec(**merge(GCP, override))


SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
ADMIN_GROUP = "11111111-1111-1111-1111-111111111111"

AZURE: dict[str, Any] = {
    "cloud": "azure",
    "region": "westeurope",
    "zones": ["1", "2", "3"],
    "network": {"nat": "single"},
    "cluster": {"node_pools": [{"name": "general", "instance_types": ["Standard_D4ds_v5"], "min_size": 3, "max_size": 6}]},
    "azure": {"subscription_id": SUBSCRIPTION, "admin_group_object_ids": [ADMIN_GROUP]},
}


def azure_spec(**override: Any) -> EnvironmentSpec:
    """An Azure environment (``make_spec`` with the Azure basics), with ``override`` merged in."""
    return make_spec(**merge(AZURE, override))


_CACHE: dict[str, dict[str, dict]] = {}


def synth(spec: EnvironmentSpec) -> dict[str, dict]:
    """Synthesize one environment; returns ``{layer: cdk.tf.json as dict}`` (cached per spec)."""
    key = spec.model_dump_json()
    if key not in _CACHE:
        with tempfile.TemporaryDirectory() as out:
            build_app([spec], out).synth()
            stacks = Path(out, "stacks")
            _CACHE[key] = {
                d.name.removeprefix(f"{spec.name}-"): json.loads((d / "cdk.tf.json").read_text())
                for d in stacks.iterdir()
            }
    return _CACHE[key]


def resources(stack: dict, rtype: str) -> list[dict]:
    """Bodies of every resource of ``rtype`` in a synthesized stack, in logical-id order."""
    found = stack.get("resource", {}).get(rtype, {})
    return [found[k] for k in sorted(found)]


def one(stack: dict, rtype: str) -> dict:
    found = resources(stack, rtype)
    assert len(found) == 1, f"expected one {rtype}, found {len(found)}"
    return found[0]


def ref(stack: dict, rtype: str, body: dict, attr: str = "id") -> str:
    """The ``${type.logical_id.attr}`` expression that points at ``body``."""
    for logical_id, candidate in stack["resource"][rtype].items():
        if candidate is body:
            return f"${{{rtype}.{logical_id}.{attr}}}"
    raise KeyError(rtype)


def live_printer(request):
    """A ``say(line)`` that prints even while pytest captures output (phase times of long tests)."""
    capture = request.config.pluginmanager.get_plugin("capturemanager")

    def say(line: str) -> None:
        with capture.global_and_fixture_disabled():
            print(line, flush=True)

    return say



#: The stacks of an environment on aws, gcp or azure, in deploy order (stacks/environment.py).
LAYERS = ("network", "cluster", "data", "addons", "observability", "tenants")
#: The stacks of a ``cloud: kubernetes`` environment (an existing cluster): the in-cluster ones only.
KUBERNETES_LAYERS = ("addons", "observability", "tenants")


def stack_names(*envs: str, layers: tuple[str, ...] = LAYERS) -> list[str]:
    """The sorted stack folder names of the environments ``envs`` (each building ``layers``)."""
    return sorted(f"{env}-{layer}" for env in envs for layer in layers)


# --- cloud: kubernetes (an existing cluster) -------------------------------------------

KUBERNETES: dict[str, Any] = {
    "name": "k",
    "cloud": "kubernetes",
    "kubernetes": {"kubeconfig": "~/.kube/config", "context": "lab",
                   "storage_classes": {"block": "standard", "file": None}},
    "observability": {"storage": {"endpoint": "https://s3.example.internal", "region": "us-east-1",
                                  "path_style": True, "credentials_secret": "observability-s3"}},
}


def kubernetes_doc(**override: Any) -> dict:
    """A valid ``cloud: kubernetes`` document with ``override`` merged in."""
    return merge(KUBERNETES, override)


def kubernetes_spec(**override: Any) -> EnvironmentSpec:
    """A valid ``cloud: kubernetes`` environment (kubeconfig ~/.kube/config, context lab, MinIO-style
    storage) with ``override`` merged in."""
    return parse_environment(kubernetes_doc(**override), "test.yaml")


def in_cluster_probe(build) -> dict:
    """The synthesized JSON of a stack named ``probe`` holding the kubernetes and helm providers
    (a token from a data source) and whatever ``build(stack)`` adds."""
    from cdktf import App, TerraformStack

    from platform_constructs.kubernetes.providers import ClusterAccess, kubernetes_providers

    with tempfile.TemporaryDirectory() as out:
        app = App(outdir=out)
        stack = TerraformStack(app, "probe")
        kubernetes_providers(stack, ClusterAccess(host="https://api.example.com", cluster_ca_certificate="PEM",
                                                  token="${data.aws_eks_cluster_auth.cluster.token}"))
        build(stack)
        app.synth()
        return json.loads(Path(out, "stacks/probe/cdk.tf.json").read_text())
