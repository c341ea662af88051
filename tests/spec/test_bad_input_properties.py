"""Property-based tests of the environment model through the real entry point.

Generated valid files synthesize (and keep every invariant); generated invalid
mutations exit with status 2, print exactly one line naming the file, never a
traceback, and leave the existing output folder byte-for-byte as it was.
"""

from __future__ import annotations

import copy
import ipaddress
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import main
from platform_constructs.spec import parse_environment
from tests.helpers import snapshot, stack_names

REGIONS = {"us-east-1": "abcdef", "eu-west-1": "abc", "ap-southeast-2": "abc"}
INSTANCE_TYPES = ["m6i.large", "m6i.xlarge", "c6i.2xlarge", "m7g.large", "r6g.xlarge"]
RESERVED_TAGS = {"platform", "environment", "stack", "managed-by", "managed_by"}  # the platform sets these itself
SETTINGS = dict(deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@st.composite
def valid_documents(draw) -> dict:
    region = draw(st.sampled_from(sorted(REGIONS)))
    letters = draw(st.lists(st.sampled_from(REGIONS[region]), min_size=2, max_size=len(REGIONS[region]), unique=True))
    zones = [f"{region}{z}" for z in letters]
    prefix = draw(st.integers(min_value=16, max_value=22))
    first = draw(st.sampled_from(["10.0.0.0", "10.64.0.0", "172.16.0.0", "192.168.0.0"]))
    cidr = str(ipaddress.IPv4Network(f"{first}/{max(prefix, 16)}", strict=False))
    names = draw(st.lists(st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True), min_size=1, max_size=3, unique=True))
    pools = []
    for name in names:
        arm = draw(st.booleans())
        types = [t for t in INSTANCE_TYPES if ("g." in t) == arm]
        low = draw(st.integers(min_value=max(3, len(zones)), max_value=10))
        pools.append({
            "name": name,
            "instance_types": draw(st.lists(st.sampled_from(types), min_size=1, max_size=2, unique=True)),
            "capacity": draw(st.sampled_from(["on_demand", "spot"])),
            "min_size": low,
            "max_size": draw(st.integers(min_value=low, max_value=50)),
            "disk_size_gb": draw(st.integers(min_value=20, max_value=500)),
        })
    endpoint = draw(st.sampled_from(["private", "public_and_private"]))
    cluster = {
        "name": draw(st.from_regex(r"[a-z][a-z0-9-]{0,20}[a-z0-9]", fullmatch=True)),
        "kubernetes_version": draw(st.sampled_from(["1.33", "1.34", "1.35"])),
        "endpoint": endpoint,
        "authentication_mode": draw(st.sampled_from(["API", "API_AND_CONFIG_MAP", "CONFIG_MAP"])),
        "log_retention_days": draw(st.sampled_from([7, 14, 30, 90, 365])),
        "node_pools": pools,
    }
    if endpoint == "public_and_private":
        cluster["public_access_cidrs"] = ["203.0.113.0/24"]
    if cluster["authentication_mode"] != "CONFIG_MAP":  # API modes: admins come only from the file
        cluster["admin_principals"] = ["arn:aws:iam::111122223333:role/platform-admins"]
    return {
        "name": draw(st.from_regex(r"[a-z][a-z0-9-]{0,15}[a-z0-9]", fullmatch=True)),
        "cloud": "aws",
        "region": region,
        "zones": zones,
        "tags": draw(st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True).filter(lambda k: k not in RESERVED_TAGS),
                                     st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True), max_size=3)),
        "network": {"cidr": cidr, "nat": draw(st.sampled_from(["per_zone", "single"]))},
        "cluster": cluster,
    }


def _set(doc: dict, path: str, value) -> dict:
    doc = copy.deepcopy(doc)
    *parents, last = path.split(".")
    node = doc
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return doc


def _mutations(doc: dict) -> list[tuple[str, object]]:
    """(expected field path or None for file-level, mutated document or raw bytes)."""
    zones = doc["zones"]
    cidr = ipaddress.IPv4Network(doc["network"]["cidr"])
    outside = "100.64.0.0/24"
    inside = list(cidr.subnets(new_prefix=min(cidr.prefixlen + 4, 28)))
    overlapping = {"public": [str(inside[0])] * len(zones), "private": [str(inside[i + 1]) for i in range(len(zones))]}
    return [
        ("name", _set(doc, "name", "Not_A_Label")),
        ("name", _set(doc, "name", 42)),
        ("cloud", _set(doc, "cloud", "openstack")),
        ("region", _set(doc, "region", "")),
        ("zones", _set(doc, "zones", "us-east-1a")),
        ("zones", _set(doc, "zones", [])),
        ("network.cidr", _set(doc, "network.cidr", "10.0.0.0/99")),
        ("network.cidr", _set(doc, "network.cidr", "not-a-cidr")),
        ("network.cidr", _set(doc, "network.cidr", "8.8.8.0/24")),
        ("network.subnets.public.0", _set(doc, "network.subnets", {"public": [outside] * len(zones), "private": overlapping["private"]})),
        ("network.subnets.public.1" if len(zones) > 1 else "network.subnets.private.0",
         _set(doc, "network.subnets", overlapping if len(zones) > 1 else {"public": [str(inside[0])], "private": [str(inside[0])]})),
        ("network.nat", _set(doc, "network.nat", "sometimes")),
        ("cluster.kubernetes_version", _set(doc, "cluster.kubernetes_version", "1.20")),
        ("cluster.kubernetes_version", _set(doc, "cluster.kubernetes_version", 1.33)),
        ("cluster.node_pools.0.min_size", _set(doc, "cluster.node_pools.0.min_size", 1)),
        ("cluster.node_pools.0.min_size", _set(doc, "cluster.node_pools.0.min_size", "three")),
        ("cluster.node_pools.0.max_size", _set(doc, "cluster.node_pools.0.max_size", 2)),
        ("cluster.node_pools.0.disk_size_gb", _set(doc, "cluster.node_pools.0.disk_size_gb", -5)),
        ("cluster.node_pools.0.instance_types", _set(doc, "cluster.node_pools.0.instance_types", [])),
        (f"cluster.node_pools.{len(doc['cluster']['node_pools'])}.name", _set(doc, "cluster.node_pools", doc["cluster"]["node_pools"] + [doc["cluster"]["node_pools"][0]])),
        ("cluster.node_pools.0.name", _set(doc, "cluster.node_pools.0.name", "UPPER")),
        ("cluster.public_access_cidrs", _set(_set(doc, "cluster.endpoint", "public_and_private"), "cluster.public_access_cidrs", ["0.0.0.0/0"])),
        ("cluster.surprise", _set(doc, "cluster.surprise", True)),
        ("colour", _set(doc, "colour", "blue")),
        ("cluster", _set(doc, "cluster", None)),
        ("(file)", [doc]),
        ("(file)", "just a string"),
        ("(file)", b""),
        ("(file)", b"\x00\xff\xfe binary \x89PNG\r\n"),
        ("line", b"name: [unclosed\n  - x: {\n"),
    ]


@settings(max_examples=12, **SETTINGS)
@given(doc=valid_documents())
def test_invalid_mutations_exit_2_with_one_line_and_touch_nothing(doc, existing_output, capsys):
    before = snapshot(existing_output)
    for field, mutated in _mutations(doc):
        with tempfile.TemporaryDirectory() as tmp:
            bad = Path(tmp, "env.yaml")
            bad.write_bytes(mutated if isinstance(mutated, bytes) else yaml.safe_dump(mutated).encode())
            capsys.readouterr()
            code = main.main(["--env-file", str(bad), "--outdir", str(existing_output)])
            err = capsys.readouterr().err
        lines = err.strip().splitlines()
        assert code == 2, (field, err)
        assert len(lines) == 1 and lines[0].startswith(f"{bad}: {field}"), (field, lines)
        assert "Traceback" not in err
    assert snapshot(existing_output) == before


@pytest.mark.slow
@settings(max_examples=6, **SETTINGS)
@given(doc=valid_documents())
def test_generated_valid_files_synthesize(doc):
    with tempfile.TemporaryDirectory() as tmp:
        env = Path(tmp, "env.yaml")
        env.write_text(yaml.safe_dump(doc))
        out = Path(tmp, "out")
        assert main.main(["--env-file", str(env), "--outdir", str(out)]) == 0
        layers = parse_environment(doc, str(env)).layers()  # no tenants, observability as generated
        assert sorted(p.name for p in (out / "stacks").iterdir()) == stack_names(doc["name"], layers=layers)


def test_an_environment_path_that_is_a_folder(tmp_path, capsys):
    assert main.main(["--env-file", str(tmp_path), "--outdir", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.strip() == f"{tmp_path}: (file): is a directory, not an environment file"
    assert not (tmp_path / "out").exists()
