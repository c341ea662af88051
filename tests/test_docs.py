"""The generated reference and JSON Schema (`make docs`), the schema against real files, and the user docs.

- every field of every cloud's model has a description (its ``#:`` comment), so a new field gets one;
- docs/reference/environment.md and schema/environment.schema.json are exactly what `make docs` writes now;
- the schema is valid draft 2020-12 and, through the ``jsonschema`` package's validator: every shipped
  environment validates; every hostile-corpus file the schema can judge is refused by it too;
- every shipped environment file points editors at the schema on its first line;
- README.md stays short and for users, and every relative link of README.md and docs/ resolves.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from platform_constructs.spec.common import Model, Violations
from platform_constructs.spec.loading import _adapter
from platform_tools import docs
from tests.helpers import ROOT

ENVIRONMENTS = sorted((ROOT / "environments").glob("*.yaml"))
HOSTILE = sorted((ROOT / "tests" / "spec" / "hostile").glob("*.yaml"))
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/environment.schema.json"

#: pydantic error types that say what JSON Schema says too: unknown keys, missing keys, types, enumerations,
#: bounds and patterns given to the model as constraints. A refusal of any other kind (a rule in a
#: validator, a check across fields) is the model's alone.
STRUCTURAL = {
    "extra_forbidden", "missing", "literal_error", "enum", "string_type", "int_type", "bool_type", "float_type",
    "list_type", "dict_type", "model_type", "model_attributes_type", "union_tag_invalid", "union_tag_not_found",
    "too_short", "too_long", "string_too_short", "string_too_long", "string_pattern_mismatch",
    "greater_than", "greater_than_equal", "less_than", "less_than_equal",
}


def as_json(value):
    """The YAML document as a JSON Schema validator (and a YAML 1.2 editor) sees it: dates and times are text."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def judgeable(error: dict) -> bool:
    """Whether JSON Schema can tell the value of this model error is wrong."""
    if error["type"] not in STRUCTURAL:
        return False
    value = error.get("input")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return False  # YAML 1.1 reads an unquoted date as a date; JSON (and YAML 1.2 editors) as text
    if error["type"] == "int_type" and isinstance(value, float) and value.is_integer():
        return False  # JSON Schema's integer is a mathematical one: 3.0 is the integer 3
    return True


def structural_refusal(data) -> str | None:
    """The first error the schema can judge when the model refuses ``data``, else None (accepted, or
    refused by a rule)."""
    try:
        _adapter().validate_python(data)
    except Violations:
        return None
    except ValidationError as exc:
        found = [e for e in exc.errors(include_url=False) if judgeable(e)]
        return f"{'.'.join(map(str, found[0]['loc']))}: {found[0]['type']}" if found else None
    return None


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(docs.schema())


# --------------------------------------------------------------------------- descriptions


def test_every_model_field_has_a_description():
    missing = docs.undocumented()
    assert not missing, ("model fields without a description: add a `#:` comment line right above each "
                         f"(what it does, its default): {', '.join(missing)}")


def test_descriptions_come_from_comments_right_above_the_field_and_through_subclasses():
    class Probe(Model):
        #: First line,
        #: second line.
        documented: int = 1

        bare: int = 2
        # an ordinary comment is not a description
        plain_comment: int = 3

    class Narrower(Probe):
        documented: int = 4

    assert docs.field_description(Probe, "documented") == "First line, second line."
    assert docs.field_description(Narrower, "documented") == "First line, second line."
    assert docs.field_description(Probe, "bare") is None
    assert docs.field_description(Probe, "plain_comment") is None


def test_the_reference_says_which_cloud_refuses_which_field():
    text = docs.reference()
    rows = {line.split(" | ")[0].strip("| `"): line for line in text.splitlines() if line.startswith("| `")}
    assert "aws (refused on gcp, azure, kubernetes)" in rows["cluster_autoscaler"]
    assert "aws, gcp, azure (refused on kubernetes)" in rows["block_storage"]  # a rule refuses it, not the type
    assert re.search(r"\| `region` \| .* \| aws, gcp, azure \(refused on kubernetes\) \|", text)


# --------------------------------------------------------------------------- generated files are current


@pytest.mark.parametrize("path", [docs.REFERENCE, docs.SCHEMA], ids=str)
def test_the_committed_file_is_what_make_docs_writes(path):
    committed = (ROOT / path).read_text(encoding="utf-8")
    assert committed == docs.outputs(with_diagrams=False)[path], f"{path} is stale: run `make docs` and commit it"


# --------------------------------------------------------------------------- the schema against real files


def test_the_schema_is_valid_draft_2020_12():
    schema = docs.schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    tags = [branch["if"]["properties"]["cloud"]["const"] for branch in schema["allOf"]]
    assert tags == list(docs.cloud_models())


@pytest.mark.parametrize("path", ENVIRONMENTS, ids=lambda p: p.name)
def test_every_shipped_environment_validates(path, validator):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    _adapter().validate_python(data)  # the model accepts it ...
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(as_json(data))]
    assert not errors, f"the schema refuses a file the model accepts (an editor would flag it): {errors}"


@pytest.mark.parametrize("path", ENVIRONMENTS, ids=lambda p: p.name)
def test_every_shipped_environment_points_editors_at_the_schema(path):
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE
    assert (path.parent / "../schema/environment.schema.json").resolve() == (ROOT / docs.SCHEMA).resolve()


def test_hostile_files_the_schema_can_judge_are_refused_by_it(validator):
    judged, missed = [], []
    for path in HOSTILE:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue  # not YAML at all: the model's loader and every editor refuse it before any schema
        if not isinstance(data, dict):
            continue
        reason = structural_refusal(data)
        if reason is None:
            continue
        judged.append(path.name)
        if validator.is_valid(as_json(data)):
            missed.append(f"{path.name} ({reason})")
    assert len(judged) >= 5, f"too few hostile files are structural for this test to mean anything: {judged}"
    assert not missed, f"the model refuses these for a reason JSON Schema can express, the schema accepts them: {missed}"


def test_structural_refusals_are_told_apart_from_rules():
    base = yaml.safe_load((ROOT / "environments" / "aws-dev.yaml").read_text(encoding="utf-8"))
    assert structural_refusal(base) is None
    assert structural_refusal({**base, "surprise": 1}) == "aws.surprise: extra_forbidden"
    assert structural_refusal({**base, "zones": base["zones"][:1]}) is None  # a rule: two zones at least
    pools = [{**base["cluster"]["node_pools"][0], "min_size": 3.0}]
    assert structural_refusal({**base, "cluster": {**base["cluster"], "node_pools": pools}}) is None  # JSON's 3.0 is 3


# --------------------------------------------------------------------------- the user docs


def test_the_readme_is_short_and_keeps_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    assert "make synth" in text and "make test" in text
    assert "```mermaid" in text
    assert not re.search(r"^(Old|New):", text, re.M), "editing notes are not user text"


def _headings(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {docs.anchor(m.group(1).strip()) for m in re.finditer(r"^#{1,6} (.+)$", text, re.M)}


DOC_PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.mark.parametrize("page", DOC_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, fragment = target.partition("#")
        resolved = (page.parent / file).resolve() if file else page
        if not resolved.exists():
            broken.append(target)
        elif fragment and resolved.suffix == ".md" and fragment not in _headings(resolved):
            broken.append(target)
    assert not broken, f"{page.name}: links to nothing: {broken}"
