"""Reading an environment file: bytes, YAML, then the cloud's model, every problem one line.

Loading never raises a traceback at the user: :func:`load_environment` turns
every problem into a :class:`SpecError` whose ``str()`` is the one line
``<file>: <field.path>: <what is wrong and the fix>``.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from pathlib import Path
from typing import Annotated, Union, get_args

import yaml
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from platform_constructs.clouds import CLOUDS, load
from platform_constructs.spec.backend import BACKEND_TYPES
from platform_constructs.spec.common import SpecError, Violations, shown
from platform_constructs.spec.environment import EnvironmentBase

#: Largest environment file read (no real one gets near it); larger files are refused unread.
MAX_ENV_FILE_BYTES = 1024 * 1024
#: Deepest YAML nesting accepted (the schema itself needs 5 levels).
MAX_YAML_DEPTH = 32
#: Most YAML values a file may expand to through anchors and aliases (a "billion laughs" guard).
MAX_YAML_NODES = 100_000


def load_environment(path: str | Path) -> EnvironmentBase:
    """Read, parse and validate one environment file; raise :class:`SpecError` on any problem."""
    source = str(path)
    raw = _read_environment_file(path, source)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(source, "(file)", f"is not UTF-8 text (bad byte at offset {exc.start})") from None
    return parse_environment(_parse_yaml(text, source), source)


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_regular_file(status: os.stat_result, source: str) -> None:
    """Refuse folders, devices, pipes and sockets, and files too large to be an environment, before reading."""
    mode = status.st_mode
    if stat.S_ISDIR(mode):
        raise SpecError(source, "(file)", "is a directory, not an environment file")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _NOT_REGULAR if test(mode)), "a special file")
        raise SpecError(source, "(file)", f"is {kind}, not a regular file: give the path of an environment file")
    if status.st_size > MAX_ENV_FILE_BYTES:
        raise SpecError(source, "(file)", f"is {status.st_size} bytes, above the {MAX_ENV_FILE_BYTES} bytes (1 MiB) an "
                                          "environment file may have: check the path")


def _read_environment_file(path: str | Path, source: str) -> bytes:
    """The file's bytes. Checks the file type with stat first: a FIFO is never opened, /dev/zero never read."""
    try:
        _check_regular_file(os.stat(path), source)
        # O_NONBLOCK: should the path turn into a FIFO after the stat, opening it still returns at once.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise SpecError(source, "(file)", "no such file: check the path") from None
    except IsADirectoryError:
        raise SpecError(source, "(file)", "is a directory, not an environment file") from None
    except OSError as exc:
        raise SpecError(source, "(file)", f"cannot be read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        _check_regular_file(os.fstat(handle.fileno()), source)
        try:
            raw = handle.read(MAX_ENV_FILE_BYTES + 1)
        except OSError as exc:
            raise SpecError(source, "(file)", f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_ENV_FILE_BYTES:
        raise SpecError(source, "(file)", f"is more than {MAX_ENV_FILE_BYTES} bytes (1 MiB), more than an environment file "
                                          "may have: check the path")
    return raw


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark):
        super().__init__(str(mark))
        self.mark = mark


class _EnvironmentLoader(yaml.SafeLoader):
    """yaml's SafeLoader, stopped at MAX_YAML_DEPTH levels of nesting (yaml recurses once per level)."""

    _depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - yaml's signature
        if self._depth >= MAX_YAML_DEPTH:
            raise _TooDeep(self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _parse_yaml(text: str, source: str) -> object:
    """Parse one YAML document safely: no duplicate keys, bounded depth and alias expansion."""
    loader = _EnvironmentLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_yaml_nodes(node, source)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else "(yaml)"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SpecError(source, where, f"invalid YAML: {problem}") from None
    except _TooDeep as exc:
        raise SpecError(source, f"line {exc.mark.line + 1} column {exc.mark.column + 1}",
                        f"YAML nested more than {MAX_YAML_DEPTH} levels deep (an environment file needs about 7): check the file") from None
    except RecursionError:
        raise SpecError(source, "(file)", "is nested too deeply to read: an environment file needs about 7 levels") from None
    finally:
        loader.dispose()


def _check_yaml_nodes(root: yaml.Node, source: str) -> None:
    """Refuse duplicate keys (YAML keeps the last one silently) and alias bombs, on the composed document."""
    duplicates: list[tuple[int, str, str]] = []
    checked: set[int] = set()  # mappings reached again through an alias are reported once
    visited = 0
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        visited += 1
        if visited > MAX_YAML_NODES:
            raise SpecError(source, "(file)", f"expands to more than {MAX_YAML_NODES} YAML values through anchors and aliases "
                                              "(&name / *name): write the values out")
        children: list[tuple[yaml.Node, str]] = []
        if isinstance(node, yaml.MappingNode):
            first_line: dict[tuple[str, str], int] = {}
            report = id(node) not in checked
            checked.add(id(node))
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "(key)"
                child = f"{path}.{key}" if path else key
                line = key_node.start_mark.line + 1
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    ident = (key_node.tag, key_node.value)
                    if ident in first_line and report:
                        duplicates.append((line, child, f"is given twice (line {line}, first on line {first_line[ident]}): "
                                                        "YAML silently keeps only the last one: remove one"))
                    first_line.setdefault(ident, line)
                children += [(key_node, child), (value_node, child)]
        elif isinstance(node, yaml.SequenceNode):
            children = [(item, f"{path}.{i}" if path else str(i)) for i, item in enumerate(node.value)]
        stack.extend(reversed(children))
    if duplicates:
        duplicates.sort()
        _line, path, message = duplicates[0]
        raise SpecError(source, path, _with_more(message, len(duplicates) - 1))


def parse_environment(data: object, source: str = "<memory>") -> EnvironmentBase:
    """Validate already-parsed data against its cloud's model; raise :class:`SpecError` on any problem."""
    if data is None:
        raise SpecError(source, "(file)", "is empty: an environment needs name, cloud, region, zones, network and cluster")
    if not isinstance(data, dict):
        raise SpecError(source, "(file)", f"must be a YAML mapping of settings, not a {type(data).__name__}")
    try:
        return _adapter().validate_python(data)
    except Violations as exc:
        path, message = exc.violations[0]
        raise SpecError(source, path, _with_more(message, len(exc.violations) - 1)) from None
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        path = _loc(first["loc"])
        cloud = data.get("cloud") if isinstance(data.get("cloud"), str) else None
        raise SpecError(source, path or ("cloud" if _is_cloud_error(first) else "(file)"),
                        _with_more(_message(first, path, cloud), len(errors) - 1)) from None
    except RecursionError:
        raise SpecError(source, "(file)", "is nested too deeply") from None


@functools.cache
def _adapter() -> TypeAdapter:
    """One model per cloud, chosen by ``cloud`` (a discriminated union over the registry)."""
    models = tuple(load(cloud.model) for cloud in CLOUDS.values())
    return TypeAdapter(Annotated[Union[models], Field(discriminator="cloud")])


@functools.cache
def _fields_by_cloud() -> dict[str, set[str]]:
    """cloud -> every dotted field path its model knows (list items as ``*``)."""
    def walk(model, prefix: str, out: set[str]) -> None:
        for name, info in model.model_fields.items():
            path = f"{prefix}{name}"
            out.add(path)
            for inner in _models_in(info.annotation):
                walk(inner, f"{path}.", out)
    found = {}
    for name, cloud in CLOUDS.items():
        found[name] = set()
        walk(load(cloud.model), "", found[name])
    return found


def _models_in(annotation) -> list:
    """The models inside a field's annotation (``X | None``, ``list[X]``, ``Annotated[...]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def _with_more(message: str, more: int) -> str:
    one_line = " ".join(message.split())
    return f"{one_line} (and {more} more problem{'s' if more > 1 else ''})" if more else one_line


def _is_cloud_error(error: dict) -> bool:
    return error["type"] in ("union_tag_invalid", "union_tag_not_found") and not error["loc"]


def _loc(loc: tuple) -> str:
    """The dotted field path, without pydantic's union tags (the cloud first, then a backend's type)."""
    parts = list(loc)
    if parts and parts[0] in CLOUDS:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] == "backend" and parts[1] in BACKEND_TYPES:
        parts = [parts[0], *parts[2:]]
    return ".".join(str(p) for p in parts)


def _message(error: dict, path: str, cloud: str | None) -> str:
    kind, msg = error["type"], error["msg"]
    clouds = ", ".join(CLOUDS)
    if kind == "extra_forbidden":
        users = [name for name, fields in _fields_by_cloud().items() if re.sub(r"\.\d+(?=\.|$)", "", path) in fields]
        if users and cloud and cloud not in users:
            return f"is only used with cloud: {' or '.join(users)}, and this file's cloud is {cloud}: remove it"
        return "unknown key: remove it or check its spelling"
    if kind == "missing":
        return f"is required when cloud is {cloud}" if cloud and path == cloud else "is required"
    if _is_cloud_error(error):
        if kind == "union_tag_not_found":
            return f"is required: one of {clouds}"
        return f"{shown(error.get('ctx', {}).get('tag'))} is not a supported cloud: use one of {clouds}"
    if kind == "union_tag_invalid":
        return f"{error.get('ctx', {}).get('tag')!r} is not a supported backend type: use {', '.join(BACKEND_TYPES)}"
    if kind == "union_tag_not_found":
        return f"needs a type: {', '.join(BACKEND_TYPES)}"
    msg = re.sub(r"^(Value error|Assertion failed), ", "", msg)
    value = error.get("input")
    if kind == "int_type" and isinstance(value, bool):
        return f"{str(value).lower()} is a boolean, not a number: give a whole number (e.g. 1)"
    if kind == "int_type" and isinstance(value, float):
        fix = f"write {int(value)}" if value.is_integer() else "give a whole number"
        return f"{value} is not a whole number as written: {fix} (numbers here are integers, never decimals)"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{msg[0].lower()}{msg[1:]} (got {shown(value)})"
    return msg
