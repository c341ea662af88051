"""The environment file's reference and JSON Schema, generated from the model (``make docs``).

The model documents each field with ``#:`` comment lines right above it (sphinx style), or a
``:param <field>:`` entry in its class's docstring. This module reads those from the source of
every model class, takes each field's type, default and allowed values (``Literal``, bounds,
patterns) from the model itself, and writes:

- ``docs/reference/environment.md``: one table per section (field, type, default, clouds, what it
  does), with the fields each cloud refuses;
- ``schema/environment.schema.json``: JSON Schema draft 2020-12 from the pydantic models, one branch
  per ``cloud`` (``if``/``then``), every property described, for editors that validate YAML;
- ``docs/diagrams.md``: one Mermaid graph of stacks and cross-stack references per cloud, drawn
  from a synth of a shipped environment (:mod:`platform_tools.diagram`).

    python -m platform_tools.docs write      # what `make docs` runs
    python -m platform_tools.docs check      # exit 1 when a committed file differs from what write would write
"""

from __future__ import annotations

import argparse
import ast
import copy
import enum
import functools
import inspect
import json
import re
import sys
import textwrap
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path("docs/reference/environment.md")
SCHEMA = Path("schema/environment.schema.json")
DIAGRAMS = Path("docs/diagrams.md")
#: The environment drawn per cloud in docs/diagrams.md (a shipped file each).
DIAGRAM_ENVIRONMENTS = ("environments/aws-prod.yaml", "environments/gcp-prod.yaml", "environments/azure-prod.yaml",
                        "environments/onprem-example.yaml")
SCHEMA_ID = "https://officeless.dev/schema/environment.schema.json"


# --------------------------------------------------------------------------- descriptions from the source

@functools.cache
def _own_comments(cls: type) -> dict[str, str]:
    """field name -> the ``#:`` lines right above its declaration in ``cls``'s own body (joined), then
    ``:param <name>:`` entries of ``cls``'s docstring for fields without such lines."""
    out: dict[str, str] = {}
    try:
        lines, start = inspect.getsourcelines(cls)
    except (OSError, TypeError):
        return out
    tree = ast.parse(textwrap.dedent("".join(lines)))
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    for stmt in body:
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
            continue
        comment: list[str] = []
        i = stmt.lineno - 2  # the line above, 0-based in ``lines``
        while i >= 0 and lines[i].strip().startswith("#:"):
            comment.insert(0, lines[i].strip()[2:].strip())
            i -= 1
        if comment:
            out[stmt.target.id] = " ".join(part for part in comment if part)
    for name, text in _docstring_params(inspect.getdoc(cls) or "").items():
        out.setdefault(name, text)
    return out


def _docstring_params(doc: str) -> dict[str, str]:
    """``:param name: text`` entries (continuation lines indented) of a docstring."""
    out: dict[str, str] = {}
    current = None
    for line in doc.splitlines():
        match = re.match(r"\s*:param (\w+):\s*(.*)", line)
        if match:
            current = match.group(1)
            out[current] = match.group(2).strip()
        elif current and line.startswith((" ", "\t")) and line.strip():
            out[current] += " " + line.strip()
        else:
            current = None
    return out


def field_description(model: type[BaseModel], name: str) -> str | None:
    """The field's ``#:`` comment (or docstring ``:param``) from the first class of the MRO that has
    one, else its ``Field(description=...)``; None when it has none."""
    for cls in model.__mro__:
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or cls is BaseModel:
            continue
        text = _own_comments(cls).get(name)
        if text:
            return text
    info = model.model_fields[name]
    return info.description or None


def plain(text: str) -> str:
    """reST markup of the comments as Markdown: ``x`` and :role:`~a.b.x` become `x`."""
    text = re.sub(r":(?:class|func|meth|attr|data|mod|obj):`~?([^`]+)`", lambda m: f"`{m.group(1).split('.')[-1] if m.group(0).count('~') else m.group(1)}`", text)
    return text.replace("``", "`")


# --------------------------------------------------------------------------- the model, walked

@dataclass
class FieldDoc:
    """One field of one cloud's model."""

    name: str
    type: str
    default: str
    description: str | None
    required: bool
    #: The model has the field, but a rule refuses it on this cloud (:func:`refused_by_rule`).
    refused: bool = False


@dataclass
class Section:
    """One model reached at a path (``network``, ``cluster.node_pools[]``, ``backend`` with ``type: s3``)."""

    path: str
    variant: str = ""
    #: cloud -> (model, {field name -> FieldDoc})
    clouds: dict[str, tuple[type[BaseModel], dict[str, FieldDoc]]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.path or '(top level)'}{f' ({self.variant})' if self.variant else ''}"

    @property
    def anchor(self) -> str:
        return anchor(self.title)


def anchor(title: str) -> str:
    """GitHub's anchor for a heading: lowercase, punctuation but '-' and '_' dropped, spaces as '-'."""
    return re.sub(r"[^a-z0-9 _-]", "", title.lower()).replace(" ", "-")


def own_doc(model: type) -> str | None:
    """The first paragraph of the class's own docstring (not one inherited from pydantic)."""
    doc = model.__dict__.get("__doc__")
    return plain(" ".join(inspect.cleandoc(doc).split("\n\n")[0].split())) if doc else None


def _strip(annotation: Any) -> tuple[Any, list[Any]]:
    """(the bare type, its Annotated metadata)."""
    metadata: list[Any] = []
    while get_origin(annotation) is Annotated:
        args = get_args(annotation)
        annotation, metadata = args[0], metadata + list(args[1:])
    return annotation, metadata


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models inside an annotation (``X | None``, ``list[X]``, unions, ``Annotated``)."""
    annotation, _ = _strip(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in models_in(arg)]


def _variant(model: type[BaseModel]) -> str:
    """``type: s3`` for a union member told apart by a one-value Literal field."""
    for name, info in model.model_fields.items():
        bare, _ = _strip(info.annotation)
        if get_origin(bare) is Literal and len(get_args(bare)) == 1:
            return f"{name}: {get_args(bare)[0]}"
    return model.__name__


def _constraints(metadata: list[Any]) -> list[str]:
    out = []
    for item in metadata:
        for attr, word in (("ge", ">= "), ("gt", "> "), ("le", "<= "), ("lt", "< ")):
            value = getattr(item, attr, None)
            if value is not None and isinstance(item, (annotated_types.Ge, annotated_types.Gt, annotated_types.Le,
                                                        annotated_types.Lt)):
                out.append(f"{word}{value}")
        if isinstance(item, annotated_types.MinLen) and item.min_length:
            out.append(f"at least {item.min_length} long")
        if isinstance(item, annotated_types.MaxLen):
            out.append(f"at most {item.max_length} long")
        pattern = getattr(item, "pattern", None)
        if isinstance(pattern, str):
            out.append(f"matching `{pattern}`")
    return out


def _literal(values: tuple[Any, ...]) -> str:
    return " \\| ".join(f"`{json.dumps(v) if not isinstance(v, str) else v}`" for v in values)


def type_text(annotation: Any, metadata: list[Any] | None = None, link=lambda m: m.__name__) -> str:
    """A field's type for people: ``string``, ``list of string``, ```a` \\| `b```, a link to a section."""
    annotation, inner = _strip(annotation)
    constraints = _constraints((metadata or []) + inner)
    suffix = f" ({', '.join(constraints)})" if constraints else ""
    if _is_union(annotation):
        args = [a for a in get_args(annotation) if a is not type(None)]
        models = [a for a in args if isinstance(_strip(a)[0], type) and issubclass(_strip(a)[0], BaseModel)]
        if len(models) > 1:
            text = "one of " + ", ".join(link(m) for m in models)
        else:
            text = " or ".join(type_text(a, link=link) for a in args)
        if type(None) in get_args(annotation):
            text += " or null"
        return text + suffix
    origin = get_origin(annotation)
    if origin is Literal:
        return _literal(get_args(annotation)) + suffix
    if origin in (list, tuple, set, frozenset):
        args = get_args(annotation)
        return f"list of {type_text(args[0], link=link) if args else 'values'}{suffix}"
    if origin is dict:
        key, value = get_args(annotation)
        return f"map of {type_text(key, link=link)} to {type_text(value, link=link)}{suffix}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return link(annotation) + suffix
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _literal(tuple(m.value for m in annotation)) + suffix
    names = {str: "string", int: "integer", float: "number", bool: "boolean"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation))) + suffix


def default_value(info: FieldInfo) -> Any:
    """The field's default as the model fills it (PydanticUndefined when required)."""
    if info.default_factory is not None:
        return info.default_factory()
    return info.default


def default_text(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    value = default_value(info)
    if isinstance(value, BaseModel):
        return "its section's defaults"
    if isinstance(value, str):
        return f"`{value}`" if value else '`""`'
    return f"`{json.dumps(value)}`"


def walk(model: type[BaseModel], cloud: str, sections: dict[tuple[str, str], Section], path: str = "",
         variant: str = "") -> None:
    """Record ``model``'s fields for ``cloud`` under ``path``, then every model inside them."""
    section = sections.setdefault((path, variant), Section(path, variant))
    fields: dict[str, FieldDoc] = {}
    for name, info in model.model_fields.items():
        child = f"{path}.{name}" if path else name
        inner = models_in(info.annotation)
        bare, _ = _strip(info.annotation)
        listed = get_origin(bare) in (list, tuple) or (_is_union(bare) and any(
            get_origin(_strip(a)[0]) in (list, tuple) for a in get_args(bare)))
        child_path = f"{child}[]" if listed else child
        several = len(inner) > 1

        def link(m: type[BaseModel], child_path=child_path, several=several) -> str:
            title = f"{child_path}{f' ({_variant(m)})' if several else ''}"
            return f"[{title}](#{anchor(title)})"

        fields[name] = FieldDoc(name=name, type=type_text(info.annotation, list(info.metadata), link),
                                default=default_text(info), description=field_description(model, name),
                                required=info.is_required(), refused=refused_by_rule(cloud, child, info))
        if fields[name].refused:
            continue
        for inner_model in inner:
            walk(inner_model, cloud, sections, child_path, _variant(inner_model) if several else "")
    section.clouds[cloud] = (model, fields)


@functools.cache
def cloud_models() -> dict[str, type[BaseModel]]:
    from platform_constructs.clouds import CLOUDS, load
    return {name: load(cloud.model) for name, cloud in CLOUDS.items()}


def sections() -> list[Section]:
    """Every section of every cloud's model: the top level first, then each top-level key's sections
    in the order of the keys (within one key, in the order the walk meets them, aws first)."""
    found: dict[tuple[str, str], Section] = {}
    for cloud, model in cloud_models().items():
        walk(model, cloud, found)
    top: list[str] = []
    for _model, fields in found[("", "")].clouds.values():
        top += [name for name in fields if name not in top]
    order = list(found)
    return sorted(found.values(), key=lambda s: (top.index(re.split(r"[.\[]", s.path)[0]) + 1 if s.path else 0,
                                                 order.index((s.path, s.variant))))


# --------------------------------------------------------------------------- fields refused by a rule

#: How the model words a refusal of a key its cloud's model has but will not take ("is not used with
#: cloud: kubernetes", "is only used with cloud: aws", "is not available with cloud: kubernetes").
_REFUSAL = re.compile(r"is (?:(?:not used|only used|not available) with|only for) cloud")
#: A value of the bare type, to probe a field no shipped file sets.
_SAMPLES: dict[Any, Any] = {str: "probe", int: 1, bool: True, float: 1.0}


@functools.cache
def _shipped() -> dict[str, list[dict]]:
    """cloud -> the shipped environment files of that cloud, parsed, in file name order."""
    import yaml
    out: dict[str, list[dict]] = {}
    for path in sorted((ROOT / "environments").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and isinstance(doc.get("cloud"), str):
            out.setdefault(doc["cloud"], []).append(doc)
    return out


def _steps(path: str) -> list[str | int]:
    """``tenants[].bucket_prefix`` -> ["tenants", 0, "bucket_prefix"]."""
    out: list[str | int] = []
    for part in path.split("."):
        out.append(part.removesuffix("[]"))
        if part.endswith("[]"):
            out.append(0)
    return out


def _get(doc: Any, steps: list[str | int]) -> Any:
    for step in steps:
        if isinstance(step, int):
            if not isinstance(doc, list) or len(doc) <= step:
                return PydanticUndefined
            doc = doc[step]
        else:
            if not isinstance(doc, dict) or step not in doc:
                return PydanticUndefined
            doc = doc[step]
    return doc


def refused_by_rule(cloud: str, path: str, info: FieldInfo) -> bool:
    """Whether ``cloud``'s model has the field at ``path`` but a rule refuses it in any file (probed:
    a shipped file of that cloud with the field set to its default, or to a value another shipped file
    gives it, is refused at exactly that path with a refusal naming the cloud)."""
    from platform_constructs.spec import SpecError, parse_environment
    bases = _shipped().get(cloud)
    if not bases:
        return False
    steps = _steps(path)
    value = None if info.is_required() else default_value(info)
    if value is None or isinstance(value, BaseModel):
        found = [v for docs in _shipped().values() for d in docs if (v := _get(d, steps)) not in (PydanticUndefined, None)]
        bare = [_strip(a)[0] for a in (get_args(_strip(info.annotation)[0]) or (info.annotation,))]
        samples = [_SAMPLES[b] for b in bare if b in _SAMPLES]
        if not found and not samples:
            return False
        value = found[0] if found else samples[0]
    doc = copy.deepcopy(bases[0])
    node: Any = doc
    for step in steps[:-1]:
        if isinstance(step, int):
            if not isinstance(node, list) or len(node) <= step:
                return False
            node = node[step]
        else:
            if not isinstance(node, dict):
                return False
            if node.get(step) is None:
                node[step] = {}
            node = node[step]
    if not isinstance(node, dict):
        return False
    node[steps[-1]] = copy.deepcopy(value)
    try:
        parse_environment(doc, "probe.yaml")
    except SpecError as err:
        return err.path == ".".join(str(s) for s in steps) and bool(_REFUSAL.search(err.message))
    return False


def undocumented() -> list[str]:
    """``<Model>.<field>`` of every model field without a description (what the tests refuse)."""
    out = set()
    for section in sections():
        for model, fields in section.clouds.values():
            out.update(f"{model.__name__}.{name}" for name, doc in fields.items() if not doc.description)
    return sorted(out)


# --------------------------------------------------------------------------- the reference

def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|").replace("\\\\|", "\\|")


def _merged(values: dict[str, str]) -> str:
    """One value when every cloud agrees, else ``aws, gcp: x<br>azure: y``."""
    groups: dict[str, list[str]] = {}
    for cloud, value in values.items():
        groups.setdefault(value, []).append(cloud)
    if len(groups) == 1:
        return next(iter(groups))
    return "<br>".join(f"{', '.join(clouds)}: {value}" for value, clouds in groups.items())


def reference() -> str:
    clouds = list(cloud_models())
    found = sections()
    count = sum(len({name for _, fields in s.clouds.values() for name in fields}) for s in found)
    out = [
        "# Environment file reference",
        "",
        "<!-- Generated by `make docs` (platform_tools/docs.py) from the environment model; edit the model's",
        "     `#:` field comments, not this file. -->",
        "",
        "One file per environment in `environments/`; `cloud:` picks the model (`platform_constructs/<cloud>/spec.py`).",
        "Unknown keys are errors everywhere, and a key only another cloud uses is refused with one line naming it",
        "(`<file>: <field.path>: is only used with cloud: aws, ...`). Editors that read JSON Schema check files as you",
        f"type: [`{SCHEMA}`](../../{SCHEMA}) (the first line of every shipped file points at it).",
        "",
        f"{count} fields in {len(found)} sections. Each table lists the clouds that accept a field; the others refuse it.",
        "Types: `a` \\| `b` lists the allowed values; `[]` after a path means a list of such entries.",
        "Rules that span fields (sizes against zones, ranges that must not overlap, names per cloud) are in the",
        "descriptions and are checked when the file loads.",
        "",
        "## Sections",
        "",
    ]
    out += [f"- [{s.title}](#{s.anchor})" for s in found]
    for section in found:
        accepted = [c for c in clouds if c in section.clouds]
        out += ["", f"## {section.title}", ""]
        refused = [c for c in clouds if c not in accepted]
        if refused:
            out.append(f"With cloud: {', '.join(accepted)}; refused with cloud: {', '.join(refused)}.")
        else:
            out.append("With every cloud.")
        doc = next((d for model, _ in section.clouds.values() if (d := own_doc(model))), None) if section.path else None
        if doc and doc.replace("`", "").strip(".: ") != section.path:  # not a bare "`network.dns`."
            out += ["", _cell(doc)]
        out += ["", "| field | type | default | clouds | what it does |", "|---|---|---|---|---|"]
        names: list[str] = []
        for _model, fields in section.clouds.values():
            names += [n for n in fields if n not in names]
        for name in names:
            per_cloud = {c: section.clouds[c][1][name] for c in accepted if name in section.clouds[c][1]}
            users = [c for c, d in per_cloud.items() if not d.refused]
            if users == accepted:
                where = "all" if not refused else ", ".join(users)
            else:
                where = f"{', '.join(users)} (refused on {', '.join(c for c in accepted if c not in users)})"
            row = [
                f"`{name}`",
                _merged({c: d.type for c, d in per_cloud.items()}),
                _merged({c: d.default for c, d in per_cloud.items()}),
                where,
                _merged({c: plain(d.description or "") for c, d in per_cloud.items()}),
            ]
            out.append("| " + " | ".join(_cell(cell) for cell in row) + " |")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- the JSON Schema

def _described(models: dict[str, type[BaseModel]], definitions: dict[str, Any]) -> None:
    """Put each model's field descriptions and factory defaults into its ``$defs`` entry."""
    for name, schema in definitions.items():
        model = models.get(name)
        if model is None:
            continue
        doc = own_doc(model)
        if doc:
            schema["description"] = doc
        for field_name, prop in schema.get("properties", {}).items():
            prop.pop("title", None)
            info = model.model_fields[field_name]
            text = field_description(model, field_name)
            if text:
                prop["description"] = plain(" ".join(text.split()))
            if not info.is_required() and "default" not in prop:
                value = default_value(info)
                if not isinstance(value, BaseModel):
                    prop["default"] = value


def _if_then(node: Any) -> Any:
    """pydantic's ``oneOf`` + OpenAPI ``discriminator`` (which JSON Schema validators ignore) as
    ``if``/``then`` per tag value: exact errors in editors, and a missing tag refused as the model does."""
    if isinstance(node, list):
        return [_if_then(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _if_then(value) for key, value in node.items()}
    discriminator = node.pop("discriminator", None)
    if discriminator and "oneOf" in node:
        prop = discriminator["propertyName"]
        order = [branch.get("$ref") for branch in node.pop("oneOf")]  # the model's order, not sorted by tag
        mapping = dict(sorted(discriminator["mapping"].items(),
                              key=lambda item: order.index(item[1]) if item[1] in order else len(order)))
        node.update({
            "type": "object",
            "required": [prop],
            "properties": {prop: {"enum": list(mapping)}},
            "allOf": [{"if": {"properties": {prop: {"const": tag}}, "required": [prop]}, "then": {"$ref": ref}}
                      for tag, ref in mapping.items()],
        })
    return node


def schema() -> dict[str, Any]:
    from platform_constructs.spec.loading import _adapter
    generated = _adapter().json_schema(mode="validation")
    models: dict[str, type[BaseModel]] = {}
    for section in sections():
        for model, _fields in section.clouds.values():
            models[model.__name__] = model
    definitions = generated.pop("$defs")
    _described(models, definitions)
    root = _if_then(generated)
    root["properties"]["cloud"]["description"] = "Which cloud's model reads the file: " + ", ".join(cloud_models()) + "."
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Officeless platform environment file",
        "description": "environments/<env>.yaml, generated by `make docs` from the environment model "
                       "(platform_constructs/spec/, platform_constructs/<cloud>/spec.py). The model is the judge: it also "
                       "checks the rules that span fields.",
        **root,
        "$defs": _if_then(definitions),
    }


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- diagrams

def diagrams_text() -> str:
    from platform_tools.diagram import diagrams_page
    return diagrams_page(DIAGRAM_ENVIRONMENTS, ROOT)


# --------------------------------------------------------------------------- command line

def outputs(with_diagrams: bool = True) -> dict[Path, str]:
    out = {REFERENCE: reference(), SCHEMA: schema_text()}
    if with_diagrams:
        out[DIAGRAMS] = diagrams_text()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m platform_tools.docs", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("write", "check", "undocumented"))
    parser.add_argument("--no-diagrams", action="store_true", help="skip docs/diagrams.md (it synthesizes four environments)")
    args = parser.parse_args(argv)
    if args.command == "undocumented":
        missing = undocumented()
        print("\n".join(missing) if missing else "every field has a description")
        return 1 if missing else 0
    stale = []
    for path, text in outputs(not args.no_diagrams).items():
        target = ROOT / path
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        stale.append(str(path))
        if args.command == "write":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    verb = "wrote" if args.command == "write" else "stale"
    print(f"{verb}: {', '.join(stale)}" if stale else "up to date")
    return 1 if stale and args.command == "check" else 0


if __name__ == "__main__":
    sys.exit(main())
