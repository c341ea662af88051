"""The curated force-new table of the review (platform_tools/replacements.py) stays complete and true.

- every resource type the constructs import, and every type the shipped environments synthesize,
  has an entry (an empty one carries a note saying why nothing forces replacement);
- every entry cites the registry page of the provider version the bindings synthesize;
- AWS (the one provider binary here): every attribute the table names exists in the provider's
  schema, and every attribute the schema marks sensitive is hidden by the review.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from platform_tools.replacements import FORCE_NEW, PROVIDERS, SENSITIVE, ForceNew, force_new_attribute, is_sensitive

ROOT = Path(__file__).resolve().parent.parent
IMPORT = re.compile(r"cdktf_cdktf_provider_([a-z]+)\.([a-z_0-9]+)")


def construct_resource_types() -> set[str]:
    """Resource types of the provider modules the constructs and stacks import (data sources and providers left out)."""
    found = set()
    for folder in ("platform_constructs", "stacks"):
        for path in (ROOT / folder).rglob("*.py"):
            for provider, module in IMPORT.findall(path.read_text()):
                if module.startswith("data_") or module == "provider":
                    continue
                found.add(f"{provider}_{module}")
    return found


def test_every_resource_type_the_constructs_import_has_an_entry():
    types = construct_resource_types()
    assert "aws_eks_node_group" in types and "google_container_node_pool" in types  # the scan works
    assert sorted(types - set(FORCE_NEW)) == []


@pytest.mark.parametrize("rtype", sorted(FORCE_NEW))
def test_entry_cites_the_registry_page_of_its_provider(rtype):
    entry = FORCE_NEW[rtype]
    provider = rtype.split("_", 1)[0]
    assert entry.doc.startswith(f"registry.terraform.io/providers/hashicorp/{provider}/{PROVIDERS[provider]}/docs/resources/")
    assert entry.attributes or entry.note, f"{rtype}: an empty entry says why nothing forces replacement"
    for attr in (*entry.attributes, *entry.on_removal):
        assert re.fullmatch(r"[a-zA-Z_0-9]+(\.[a-zA-Z_0-9]+)*", attr), f"{rtype}: {attr!r} is no attribute path"


def test_table_shapes():
    assert all(isinstance(entry, ForceNew) for entry in FORCE_NEW.values())
    assert all(isinstance(attrs, tuple) and all(isinstance(a, str) for a in attrs) for attrs in SENSITIVE.values())


def test_sensitive_names_inside_json_strings():
    assert is_sensitive("helm_release", "values(yaml).auth.password")
    assert is_sensitive("aws_elasticache_replication_group", "auth_token")
    assert not is_sensitive("aws_launch_template", "metadata_options.http_tokens")
    assert not is_sensitive("aws_iam_role", "assume_role_policy(json).Statement[0].Effect")


def test_matching_rules():
    assert force_new_attribute("aws_subnet", "cidr_block")
    assert not force_new_attribute("aws_subnet", "map_public_ip_on_launch")
    assert force_new_attribute("aws_eks_node_group", "launch_template[0].id")      # list index dropped
    assert force_new_attribute("aws_eks_node_group", "launch_template")            # whole block added/removed
    assert not force_new_attribute("aws_eks_node_group", "launch_template.version")
    assert force_new_attribute("aws_eks_cluster", "encryption_config", removed=True)
    assert not force_new_attribute("aws_eks_cluster", "encryption_config.provider.key_arn")
    assert not force_new_attribute("unknown_type", "name")


# --------------------------------------------------------------------------- synthesized environments


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> dict[str, dict]:
    """Every stack of every shipped environment file, synthesized once."""
    out = tmp_path_factory.mktemp("shipped") / "out"
    proc = subprocess.run([sys.executable, "main.py", "--outdir", str(out)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PLATFORM_SYNTH_JOBS": "2"}, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return {p.parent.name: json.loads(p.read_text()) for p in sorted((out / "stacks").glob("*/cdk.tf.json"))}


@pytest.mark.slow
def test_every_resource_type_of_the_shipped_environments_has_an_entry(shipped):
    types = {rtype for doc in shipped.values() for rtype in doc.get("resource", {})}
    assert {"aws_subnet", "google_compute_subnetwork", "azurerm_subnet"} <= types
    assert sorted(types - set(FORCE_NEW)) == []


@pytest.mark.slow
def test_table_versions_are_the_synthesized_provider_versions(shipped):
    pinned = {}
    for doc in shipped.values():
        for name, req in doc.get("terraform", {}).get("required_providers", {}).items():
            pinned.setdefault(name, set()).add(req["version"])
    assert pinned, "no required_providers in the synthesized stacks"
    for name, versions in pinned.items():
        assert versions == {PROVIDERS[name]}, f"{name}: synthesized {versions}, table checked against {PROVIDERS[name]}"


# --------------------------------------------------------------------------- the AWS provider's own schema


@pytest.fixture(scope="module")
def aws_schema(tmp_path_factory) -> dict:
    """``terraform providers schema -json`` of hashicorp/aws from the provider mirror (skipped without one)."""
    mirror = os.environ.get("PLATFORM_PROVIDER_MIRROR") or subprocess.run(
        [str(ROOT / "scripts" / "find-provider-mirror")], capture_output=True, text=True).stdout.strip()
    if not mirror or not shutil.which("terraform"):
        pytest.skip("no terraform or provider mirror (PLATFORM_PROVIDER_MIRROR)")
    work = tmp_path_factory.mktemp("aws-schema")
    (work / "main.tf").write_text('terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", '
                                  f'version = "{PROVIDERS["aws"]}" }}\n  }}\n}}\n')
    (work / "cli.tfrc").write_text(f'provider_installation {{\n  filesystem_mirror {{ path = "{Path(mirror).resolve()}" }}\n}}\n')
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(work / "cli.tfrc"), "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"}
    init = subprocess.run(["terraform", "init", "-input=false", "-no-color"], cwd=work, env=env, capture_output=True,
                          text=True, timeout=300)
    assert init.returncode == 0, init.stderr
    proc = subprocess.run(["terraform", "providers", "schema", "-json"], cwd=work, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["provider_schemas"]["registry.terraform.io/hashicorp/aws"]["resource_schemas"]


def _paths(block: dict, prefix: str = "") -> dict[str, bool]:
    """Every attribute and nested block path of a schema block -> sensitive."""
    out = {}
    for name, attr in block.get("attributes", {}).items():
        out[prefix + name] = bool(attr.get("sensitive"))
    for name, nested in block.get("block_types", {}).items():
        out[prefix + name] = False
        out.update(_paths(nested["block"], f"{prefix}{name}."))
    return out


AWS_TYPES = sorted(t for t in FORCE_NEW if t.startswith("aws_"))


@pytest.mark.slow
@pytest.mark.validate
def test_aws_entries_name_attributes_of_the_provider_schema(aws_schema):
    wrong = []
    for rtype in AWS_TYPES:
        assert rtype in aws_schema, f"{rtype}: not a resource of hashicorp/aws {PROVIDERS['aws']}"
        paths = _paths(aws_schema[rtype]["block"])
        entry = FORCE_NEW[rtype]
        wrong += [f"{rtype}.{a}" for a in (*entry.attributes, *entry.on_removal) if a not in paths]
    assert wrong == []


@pytest.mark.slow
@pytest.mark.validate
def test_aws_sensitive_attributes_are_hidden(aws_schema):
    shown = []
    for rtype in AWS_TYPES:
        for path, sensitive in _paths(aws_schema[rtype]["block"]).items():
            if sensitive and not is_sensitive(rtype, path):
                shown.append(f"{rtype}.{path}")
    assert shown == []
    assert SENSITIVE["aws_elasticache_replication_group"] == ("auth_token",)
