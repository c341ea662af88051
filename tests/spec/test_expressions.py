"""No string of the environment file reaches Terraform as an expression (issue: hostile input, class 1).

Terraform evaluates ``${...}`` and ``%{...}`` in every string of a ``.tf.json`` file, keys included.
The property: put an interpolation into ANY string leaf of ANY cloud's model (every field the model
declares, key or value, walked from the model itself, not from a list), and the file is either
refused naming exactly that field, or what reaches the JSON holds no unescaped sequence that came
from the file. Real Terraform then shows that the escaped free text reads back as written.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import subprocess
import typing
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from platform_constructs.clouds import CLOUDS, load
from platform_constructs.spec import SpecError, parse_environment
from platform_constructs.spec.expressions import (
    expression_violations, free_text_paths, quoted_literal_parts, terraform_literal,
)
from tests.helpers import ROOT, synth

#: The environment each cloud's property starts from (the richest shipped file of that cloud).
BASE_FILES = {"aws": "aws-prod.yaml", "gcp": "gcp-prod.yaml", "azure": "azure-prod.yaml", "kubernetes": "onprem-example.yaml"}
REASON = "runs a vendor image that starts as root and cannot be rebuilt"
#: An unescaped template sequence whose body holds the marker: ``${...MARK...}`` or ``%{...MARK...}``.
UNESCAPED = "(?<![$])\\$\\{{[^}}]*{m}|(?<![%])%\\{{[^}}]*{m}"


def base_document(cloud: str) -> dict:
    """The cloud's shipped file, its first tenant at Pod Security baseline (so it takes a reason)."""
    doc = copy.deepcopy(_shipped(cloud))
    tenant = {"name": "team-reason", "quota": {"cpu": "2", "memory": "4Gi", "pods": 20}}
    doc["tenants"] = doc.get("tenants") or [tenant]
    doc["tenants"][0] = {**doc["tenants"][0], "pod_security": "baseline", "pod_security_reason": REASON}
    return doc


@functools.cache
def _shipped(cloud: str) -> dict:
    return yaml.safe_load((ROOT / "environments" / BASE_FILES[cloud]).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- every string field of a model


def _models(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _has(annotation, kind) -> bool:
    return annotation is kind or typing.get_origin(annotation) is kind or any(_has(a, kind) for a in typing.get_args(annotation))


def string_leaves(model: type[BaseModel], prefix: tuple = ()) -> list[tuple]:
    """Every place a string of the file can sit in ``model``: tuples of segments, ``*`` for a list
    item, ``{key}`` / ``{value}`` for a map's key or value."""
    out = []
    for name, info in model.model_fields.items():
        path = (*prefix, name)
        ann = info.annotation
        inner = _models(ann)
        listed = _has(ann, list)
        if _has(ann, dict):
            out += [(*path, "{key}"), (*path, "{value}")]
        elif _has(ann, str):
            out.append((*path, "*") if listed and not inner else path)
        for sub in inner:
            out += string_leaves(sub, (*path, "*") if listed else path)
    return sorted(set(out))


LEAVES = [(cloud, leaf) for cloud in CLOUDS for leaf in string_leaves(load(CLOUDS[cloud].model))]


def place(doc: dict, leaf: tuple, text: str) -> tuple[dict, str]:
    """``doc`` with ``text`` at ``leaf`` (list items at index 0, missing sections created), and the
    dotted path of the field that now holds it."""
    doc = copy.deepcopy(doc)
    node, path = doc, []
    for i, part in enumerate(leaf):
        last = i == len(leaf) - 1
        nxt = leaf[i + 1] if not last else None
        if part == "{key}":
            node[text] = "x"
            path.append(text)
        elif part == "{value}":
            node["owner"] = text
            path.append("owner")
        elif part == "*":
            if last:
                node[:1] = [text]
            elif not node or not isinstance(node[0], dict):
                node[:1] = [{}]
            path.append("0")
            node = node[0] if not last else node
        else:
            if last:
                node[part] = text
            elif nxt == "*":
                if not isinstance(node.get(part), list):
                    node[part] = []
            elif nxt in ("{key}", "{value}"):
                if not isinstance(node.get(part), dict):
                    node[part] = {}
            elif not isinstance(node.get(part), dict):
                node[part] = {}
            path.append(part)
            node = node[part] if not last else node
    return doc, ".".join(path)


def value_at(model: object, path: str) -> object:
    for part in path.split("."):
        model = model[int(part)] if isinstance(model, (list, tuple)) else (
            model[part] if isinstance(model, dict) else getattr(model, part))
    return model


def test_the_walk_reaches_every_section_of_every_cloud():
    """The property below is only as good as this walk: it sees the backend variants, maps, lists of
    models and each cloud's own section."""
    for cloud, section in (("aws", "aws"), ("gcp", "gcp"), ("azure", "azure"), ("kubernetes", "kubernetes")):
        leaves = {".".join(leaf) for c, leaf in LEAVES if c == cloud}
        assert any(leaf.startswith(f"{section}.") for leaf in leaves), cloud
        assert {"name", "tags.{key}", "tags.{value}", "backend.hostname", "tenants.*.pod_security_reason",
                "tenants.*.admins.*"} <= leaves, cloud
    assert len(LEAVES) > 200


PAYLOADS = st.builds(
    lambda before, form, after: f"{before}{form}{after}",
    st.text(alphabet="abc -_.:/", max_size=12),
    st.sampled_from(['${file("/etc/hostname")}MARK', "%{if true}MARK%{endif}", "${MARK}", "$${MARK}x${MARK}",
                     "${ MARK }", "%{ for x in [1] }MARK%{ endfor }", 'x${filebase64("/proc/self/environ")}MARK']),
    st.text(alphabet="abc -_.:/", max_size=12),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(LEAVES), PAYLOADS)
def test_an_interpolation_in_any_string_is_refused_there_or_kept_literal(case, payload):
    cloud, leaf = case
    doc, path = place(base_document(cloud), leaf, payload)
    try:
        spec = parse_environment(doc, "env.yaml")
    except SpecError as err:
        assert err.path == path, (leaf, str(err))
        return
    held = value_at(spec, path) if "{" not in leaf[-1] else payload
    assert held == terraform_literal(payload.strip()), (leaf, held)
    assert not re.search(UNESCAPED.format(m="MARK"), held), (leaf, held)


@pytest.mark.parametrize("cloud", sorted(CLOUDS))
def test_names_ids_and_urls_refuse_an_interpolation_naming_the_field(cloud):
    doc = base_document(cloud)
    for leaf in ("name", "tags.{key}", "tags.{value}", "tenants.*.admins.*", "tenants.*.name"):
        bad, path = place(doc, tuple(leaf.split(".")), '${file("/etc/hostname")}')
        with pytest.raises(SpecError) as err:
            parse_environment(bad, "env.yaml")
        assert err.value.path == path
        assert "Terraform would evaluate" in str(err.value) and "\n" not in str(err.value)


def test_violations_name_keys_values_and_list_items_in_file_order():
    model = load(CLOUDS["aws"].model)
    data = {"name": "ok", "tags": {"a${x}": "b", "c": "%{d}"}, "zones": ["e", "${f}"]}
    assert [p for p, _ in expression_violations(data, model)] == ["tags.a${x}", "tags.c", "zones.1"]
    assert expression_violations({"tenants": [{"pod_security_reason": "${x}"}]}, model) == []


def test_free_text_is_the_tenant_reason_only_on_every_cloud():
    """Widening free text is a decision: each free-text field must be escaped where it is used."""
    for cloud in CLOUDS:
        assert free_text_paths(load(CLOUDS[cloud].model)) == {"tenants.*.pod_security_reason"}


@pytest.mark.parametrize("cloud", sorted(CLOUDS))
def test_free_text_reaches_the_json_escaped(cloud):
    """The reason lands in the synthesized JSON (the namespace's annotation) with every sequence escaped."""
    doc = base_document(cloud)
    reason = 'needs ${file("/etc/hostname")}MARK and %{if true}MARK%{endif} and $${MARK}'
    doc["tenants"][0]["pod_security_reason"] = reason
    stacks = synth(parse_environment(doc, "env.yaml"))
    text = json.dumps(stacks)
    assert "MARK" in text, "the reason never reached the JSON: the test would prove nothing"
    strings = [s for s in _strings(stacks) if "MARK" in s]
    assert strings and all(not re.search(UNESCAPED.format(m="MARK"), s) for s in strings), strings
    assert any(terraform_literal(reason) in s for s in strings)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# --------------------------------------------------------------------------- what Terraform reads back

HOSTILE_TEXTS = [
    'x ${file("/etc/hostname")} y', "%{if true}a%{endif}", "$${already}", "$$${three}", "ends with $", "ends with %",
    '" quote \\ backslash \\n not a newline', "line\nbreak\ttab", "${", "%{", "$", "{}", "100% ${}",
]


@pytest.mark.slow
def test_terraform_reads_escaped_text_back_as_written(tmp_path):
    """Real Terraform, through cdktf: each hostile text, escaped for a plain string (free text) and for a
    quoted string inside an expression (a Helm value mixing the text with a reference, written as
    chart_release writes it), outputs exactly the text."""
    from cdktf import TerraformOutput, TerraformStack, TerraformVariable, Testing
    from platform_constructs.kubernetes.chart_release import _interpolated
    stack = TerraformStack(Testing.app(), "s")
    suffix = TerraformVariable(stack, "suffix", type="string", default="-suffix").string_value
    expected = {}
    for i, text in enumerate(HOSTILE_TEXTS):
        TerraformOutput(stack, f"plain{i}", value=terraform_literal(text))
        TerraformOutput(stack, f"mixed{i}", value=str(_interpolated(text + suffix)))
        expected[f"plain{i}"] = text
        expected[f"mixed{i}"] = json.dumps(text + "-suffix")
    (tmp_path / "main.tf.json").write_text(Testing.synth(stack), encoding="utf-8")
    run = dict(cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert subprocess.run(["terraform", "init", "-input=false", "-no-color"], **run).returncode == 0
    applied = subprocess.run(["terraform", "apply", "-auto-approve", "-input=false", "-no-color"], **run)
    assert applied.returncode == 0, applied.stderr
    shown = json.loads(subprocess.run(["terraform", "output", "-json"], **run).stdout)
    assert {key: value["value"] for key, value in shown.items()} == expected


def test_quoted_literal_parts_keeps_tokens_and_escapes_the_rest():
    assert quoted_literal_parts('a"b${TfToken[TOKEN.7]}c\\d%{e}$') == \
        'a\\"b${TfToken[TOKEN.7]}c\\\\d\\u0025{e}\\u0024'
    assert quoted_literal_parts("plain text") == "plain text"


def test_chart_values_mixing_file_text_with_a_reference_cannot_end_the_string():
    """A ``"`` in a value next to a reference (a URL path from the file, beside a bucket name) stays
    inside ``jsonencode("...")``: the release's values hold no ``file(`` call of their own."""
    from cdktf import Testing, TerraformStack, TerraformVariable
    from platform_constructs.kubernetes.chart_release import chart_release
    stack = TerraformStack(Testing.app(), "s")
    ref = TerraformVariable(stack, "ref", type="string").string_value
    chart_release(stack, "r", chart="metrics-server", namespace="kube-system",
                  values={"url": f'{ref}/x"), file("/etc/hostname'})
    body = json.loads(Testing.synth(stack))
    values = next(iter(body["resource"]["helm_release"].values()))["values"][0]
    assert 'jsonencode("${var.ref}/x\\"), file(\\"/etc/hostname")}' in values, values
