"""Pieces every section of the model shares: the base model, errors, and value types."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict

DNS_LABEL = re.compile(r"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
LABEL_KEY = re.compile(r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")
#: Kubernetes label values (and taint values): at most 63 characters matching this.
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")

#: (dotted field path, what is wrong and the fix)
Problem = tuple[str, str]


class SpecError(Exception):
    """A bad environment file. ``str(err)`` is the single line shown to users."""

    def __init__(self, source: str, path: str, message: str):
        self.source, self.path, self.message = source, path, message
        super().__init__(f"{source}: {path}: {message}")


class Violations(Exception):
    """Raised from inside validation with (path, message) pairs.

    Deliberately not a ValueError: pydantic lets it through untouched, so the
    exact field path survives.
    """

    def __init__(self, violations: list[Problem]):
        self.violations = violations
        super().__init__("; ".join(f"{p}: {m}" for p, m in violations))


class Model(BaseModel):
    # strict: no silent coercion (true is not 1, 3.0 is not 3, "3" is not 3); YAML gives real types.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, strict=True)


def shown(value: object, limit: int = 60) -> str:
    """``repr(value)``, shortened to ``limit`` characters for a one-line message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def cidr(value: str) -> str:
    try:
        net = ipaddress.IPv4Network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not an IPv4 CIDR block like 10.0.0.0/16 ({exc})") from None
    return str(net)


def not_the_internet(what: str, instead: str):
    """A validator for a list of CIDRs that refuses 0.0.0.0/0 (``what`` is opened to the internet otherwise)."""

    def check(value: list[str]) -> list[str]:
        out = []
        for item in value:
            block = cidr(item)
            if ipaddress.IPv4Network(block).prefixlen == 0:
                raise ValueError(f"0.0.0.0/0 opens {what} to the internet: {instead}")
            out.append(block)
        return out

    return AfterValidator(check)


def matching(pattern: str, problem: str) -> AfterValidator:
    """A validator that accepts values matching ``pattern`` whole, else says ``<value> <problem>``."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"{value!r} {problem}")
        return value

    return AfterValidator(check)


def dns_label(max_length: int) -> AfterValidator:
    """A validator for a DNS label (lowercase letters, digits, '-') of at most ``max_length`` characters."""

    def check(value: str) -> str:
        if not DNS_LABEL.match(value) or len(value) > max_length:
            raise ValueError(f"{value!r} is not a DNS label of at most {max_length} characters (lowercase letters, digits, '-')")
        return value

    return AfterValidator(check)


def _label_value(value: str) -> str:
    if len(value) > 63 or not _LABEL_VALUE.fullmatch(value):
        raise ValueError(f"{shown(value)} is not a Kubernetes label/taint value: at most 63 letters, digits, '-', '_' and '.', "
                         "starting and ending with a letter or digit (or empty)")
    return value


#: A Kubernetes label or taint value.
LabelValue = Annotated[str, AfterValidator(_label_value)]


def _folder(value: str) -> str:
    value = value.strip("/")
    if not value:
        raise ValueError("must not be empty: give a folder such as 'platform'")
    if "//" in value:
        raise ValueError(f"{shown(value)} has an empty folder ('//'): separate folders with a single '/', e.g. 'envs/prod'")
    return value


#: A folder inside a bucket or container, without leading or trailing slashes.
Folder = Annotated[str, AfterValidator(_folder)]


#: A URL's ``user:password@`` part (what :func:`url_parts` never repeats in a message).
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


def url_parts(value: str, schemes: tuple[str, ...], example: str, login_note: str = ""):
    """``urlsplit(value)`` when ``value`` is a URL of one of ``schemes`` with a host and no
    user or password; else a ValueError ending in ``example`` (the fix). Messages show the URL with
    any ``user:password@`` replaced by ``***@``: the line that refuses a secret never prints it."""
    safe = _USERINFO.sub(r"\1***@", value) if isinstance(value, str) else value
    if any(c.isspace() for c in value):
        raise ValueError(f"{shown(safe)} contains whitespace: {example}")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port outside 0-65535
    except ValueError as exc:
        raise ValueError(f"{shown(safe)} is not a valid URL ({str(exc).replace(value, safe)}): {example}") from None
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(f"{shown(safe)} is not a URL with scheme {' or '.join(schemes)} and a host: {example}")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{shown(safe)} carries a user name or password, and nothing secret belongs in the environment file: remove 'user:password@'{login_note}")
    return parts


def _url(value: str) -> str:
    """An http(s) URL with a host, e.g. http://127.0.0.1:5000."""
    url_parts(value, ("http", "https"), "give a URL like http://127.0.0.1:5000")
    return value


#: An http(s) URL with a host.
Url = Annotated[str, AfterValidator(_url)]


#: Characters AWS (and Azure, a subset of whose rules this meets) allow in tag keys and values.
_TAG_TEXT = re.compile(r"[\w .:/=+\-@]*")


def tag_violations(tags: dict[str, str]) -> list[Problem]:
    """AWS's tag rules (key 1-128 characters, value up to 256, no ``aws:`` prefix, AWS's character set)."""
    out = []
    for key, value in tags.items():
        path = f"tags.{key}" if key else "tags"
        if not 1 <= len(key) <= 128:
            out.append((path, f"key {shown(key)} is {len(key)} characters long: AWS tag keys are 1 to 128 characters"))
        elif key.lower().startswith("aws:"):
            out.append((path, f"{shown(key)} starts with 'aws:', a prefix AWS reserves for its own tags: rename the key"))
        elif not _TAG_TEXT.fullmatch(key):
            out.append((path, f"{shown(key)} has characters AWS does not allow in tag keys: use letters, digits, spaces and _ . : / = + - @"))
        elif len(value) > 256:
            out.append((path, f"value {shown(value)} is {len(value)} characters long: AWS tag values are at most 256 characters"))
        elif not _TAG_TEXT.fullmatch(value):
            out.append((path, f"value {shown(value)} has characters AWS does not allow in tag values: use letters, digits, spaces and _ . : / = + - @"))
    return out
