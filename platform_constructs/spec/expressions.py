"""Terraform expressions: nothing the environment file says is ever evaluated by Terraform.

Terraform reads every string of a ``.tf.json`` file, object keys included, as a template:
``${...}`` is an expression (``${file("/etc/hostname")}`` reads a file on the deploying machine)
and ``%{...}`` a directive. Every string of the platform's JSON that came from the environment
file entered it through the model, so the model is where they are stopped:

- every string of the file, keys and values, that holds ``${`` or ``%{`` is refused, naming its
  field, unless the field is free text (:data:`FreeText`);
- free text (a reason, a description) keeps what the user wrote, but is stored the way Terraform
  reads it literally: ``${`` becomes ``$${`` and ``%{`` becomes ``%%{``, so Terraform writes back
  exactly the user's text and evaluates nothing.

The check runs on the parsed YAML before the model's own validation (:func:`expression_violations`,
called by :class:`~platform_constructs.spec.environment.EnvironmentBase`), so it covers every field
of every cloud's model, present and future, without a list of fields to keep.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, get_args

from pydantic import AfterValidator, BaseModel

from platform_constructs.spec.common import Problem, shown

#: What starts a Terraform template sequence: an interpolation ``${`` or a directive ``%{``.
TEMPLATE_START = re.compile(r"[$%]\{")


class _FreeTextMarker:
    """Marks a field whose value is prose: template sequences are escaped there, not refused."""

    def __repr__(self) -> str:
        return "FreeText"


FREE_TEXT = _FreeTextMarker()


def terraform_literal(text: str) -> str:
    """``text`` as a Terraform string that evaluates to ``text`` itself: ``${`` -> ``$${``,
    ``%{`` -> ``%%{`` (Terraform's own escapes; every other character is already literal)."""
    return text.replace("${", "$${").replace("%{", "%%{")


#: A cdktf string token inside a Python string (``${TfToken[TOKEN.12]}``).
_TOKEN = re.compile(r"\$\{TfToken\[[^\]]+\]\}")
#: What is escaped in a quoted HCL string literal (``"..."`` inside an expression): the quote and the
#: backslash, control characters, and ``$`` and ``%`` as ``\u0024`` and ``\u0025`` (a ``$`` or ``%``
#: never starts a sequence then, not even one ending a literal part right before a reference).
_QUOTED = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "$": "\\u0024", "%": "\\u0025"}


def quoted_literal_parts(text: str) -> str:
    """``text`` (a string that may hold cdktf tokens) with every literal part escaped for a quoted
    HCL string inside an expression (:data:`_QUOTED`); the tokens stay as they are.

    cdktf writes a string that mixes tokens into a function argument (``tostring("...")``) as it is:
    a ``"`` there would end the string and let the rest run as Terraform code."""
    pieces = _TOKEN.split(text)
    tokens = _TOKEN.findall(text)
    out = []
    for i, piece in enumerate(pieces):
        out.append("".join(_QUOTED.get(c, c if c >= " " else f"\\u{ord(c):04x}") for c in piece))
        if i < len(tokens):
            out.append(tokens[i])
    return "".join(out)


#: Prose from the file (a reason, a description): any text, stored as its Terraform literal
#: (:func:`terraform_literal`), so Terraform shows it as written and never evaluates it.
FreeText = Annotated[str, FREE_TEXT, AfterValidator(terraform_literal)]


def _problem(value: str) -> str:
    found = TEMPLATE_START.search(value).group(0)
    return (f"{shown(value)} holds {found!r}, which Terraform would evaluate as an expression on the machine "
            f"that deploys: this field takes a plain value, remove {found!r}")


def expression_violations(data: Any, model: type[BaseModel]) -> list[Problem]:
    """Every string of ``data`` (parsed YAML for ``model``), key or value, that holds a Terraform
    template sequence outside a free-text field, as (field path, problem) in file order."""
    out: list[Problem] = []
    free = free_text_paths(model)
    stack: list[tuple[str, str, Any]] = [("", "", data)]
    while stack:
        path, pattern, value = stack.pop()
        if isinstance(value, str):
            if TEMPLATE_START.search(value) and pattern not in free:
                out.append((path or "(file)", _problem(value)))
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                child_pattern = f"{pattern}.{key}" if pattern else str(key)
                if isinstance(key, str) and TEMPLATE_START.search(key):
                    out.append((child, f"the key {_problem(key)}"))
                    continue
                children.append((child, child_pattern, item))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([(f"{path}.{i}", f"{pattern}.*", item) for i, item in enumerate(value)]))
    return out


def free_text_paths(model: type[BaseModel]) -> frozenset[str]:
    """The dotted paths (list items as ``*``) of ``model``'s free-text fields."""
    found: set[str] = set()

    def walk(inner: type[BaseModel], prefix: str, depth: int) -> None:
        if depth > 12:
            return
        for name, info in inner.model_fields.items():
            path = f"{prefix}{name}"
            if FREE_TEXT in info.metadata or _marked(info.annotation):
                found.add(path)
            for sub, listed in _models_in(info.annotation):
                walk(sub, f"{path}.*." if listed else f"{path}.", depth + 1)

    walk(model, "", 0)
    return frozenset(found)


def _marked(annotation: Any) -> bool:
    return FREE_TEXT in getattr(annotation, "__metadata__", ()) or any(_marked(a) for a in get_args(annotation))


def _models_in(annotation: Any, listed: bool = False) -> list[tuple[type[BaseModel], bool]]:
    """The models inside an annotation, each with whether it sits in a list."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(annotation, listed)]
    origin = getattr(annotation, "__origin__", None)
    is_list = origin in (list, tuple, set, frozenset)
    return [found for arg in get_args(annotation) for found in _models_in(arg, listed or is_list)]
