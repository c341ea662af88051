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
        # Every line shown to users passes here: whatever echoed a value, a secret in it is masked.
        path, message = masked(path, prose=True), masked(message, prose=True)
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


class FieldError(ValueError):
    """A construct's refusal of a value that came from one field of the environment file.

    The synth pipeline reports it as ``<file>: <field_path>: <message>`` (exit 2), like a model
    rule, instead of a generic "building the stacks failed": raise it wherever a construct checks a
    value it can trace to a field (``FieldError("cluster.name", "'a--b' ...: rename the cluster")``).
    """

    def __init__(self, field_path: str, message: str):
        self.field_path = field_path
        super().__init__(message)


class Model(BaseModel):
    # strict: no silent coercion (true is not 1, 3.0 is not 3, "3" is not 3); YAML gives real types.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, strict=True)


#: What a secret looks like: (pattern, what it is). The pattern's group 1, when it has one, is a
#: fixed prefix kept in the masked text (``ghp_***``: which kind of token, not any of its characters).
_SECRETS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, flags), kind) for p, kind, flags in (
    (r"(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----).*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)", "a private key", re.S),
    (r"(?<![A-Za-z0-9])(gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}", "a GitHub token", 0),
    (r"(?<![A-Za-z0-9])(glpat-|glrt-|gldt-|glptt-|glcbt-|glft-|glsoat-|GR1348941)[A-Za-z0-9_-]{16,}", "a GitLab token", 0),
    (r"(?<![A-Za-z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])", "an AWS access key id", 0),
    (r"(?<![A-Za-z0-9])(xox[abposr]-|xapp-)[A-Za-z0-9-]{10,}", "a Slack token", 0),
    (r"(?<![A-Za-z0-9])(AIza)[0-9A-Za-z_-]{35}", "a Google API key", 0),
    (r"(?<![A-Za-z0-9_-])(eyJ)[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*", "a JSON Web Token", 0),
    # 40 base64 characters mixing cases and digits (:func:`_mixed`), as AWS secret access keys are
    (r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])", "an AWS secret access key", 0),
    # a URL's user:password@ (the whole user info: a token is often the user name)
    (r"(?<=://)[^/?#@\s'\"]+@", "a URL with a user name or password", 0),
    # secret-bearing query parameters (OAuth tokens, pre-signed S3/GCS URLs, Azure SAS tokens)
    (r"((?:^|[?&;#\s'\"])(?:access_token|refresh_token|id_token|token|auth|sig|signature|x-amz-signature|"
     r"x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|password|passwd|pwd|secret|"
     r"client_secret|api_key|apikey|key|code)=)[^&#\s'\"]+", "a secret-bearing parameter (token=, sig=...)", re.I),
))
#: ``password=...`` in free text (``key: value`` too in a value, not in a message's own prose).
_ASSIGNED = {prose: re.compile(r"((?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]*?(?:password|passwd|pwd|passphrase|secret[_-]?key|api[_-]?key|"
                               r"client[_-]?secret|access[_-]?token|auth[_-]?token)s?\s*" + sep + r"\s*)[^\s&'\",;]+", re.I)
             for prose, sep in ((True, "="), (False, "[=:]"))}
#: A long run of key-like characters: masked when it reads as random (see :func:`_random`).
_RUN = re.compile(r"[A-Za-z0-9+/=_-]{20,}")


def _mixed(text: str) -> bool:
    """Whether ``text`` holds lower case, upper case and digits."""
    return any(c.islower() for c in text) and any(c.isupper() for c in text) and any(c.isdigit() for c in text)


def _found(pattern: re.Pattern[str], kind: str, text: str) -> bool:
    return any(kind != "an AWS secret access key" or _mixed(m.group(0)) for m in pattern.finditer(text))


def _random(run: str) -> bool:
    """Whether ``run`` reads as a random key or token rather than a name: 32 or more hex digits mixing
    digits and letters, or 20 or more characters mixing upper case, lower case and digits that switch
    between them as often as random text does, with few word-like stretches (names in CamelCase or
    kebab-case switch less and are mostly words). A heuristic: known token prefixes are matched first."""
    core = run.strip("=")
    if len(core) >= 32 and re.fullmatch(r"[0-9a-f]+|[0-9A-F]+", core):
        return sum(c.isdigit() for c in core) >= 4 and sum(c.isalpha() for c in core) >= 4
    classes = ["u" if c.isupper() else "l" if c.islower() else "d" if c.isdigit() else "o" for c in core]
    if len(core) < 20 or not {"u", "l", "d"} <= set(classes):
        return False
    switches = sum(a != b for a, b in zip(classes, classes[1:]))
    words = sum(len(w) for w in re.findall(r"[a-z]{4,}|[A-Z]{5,}", core))
    return switches / (len(core) - 1) >= 0.4 and words / len(core) < 0.2


def secret_kind(value: str) -> str | None:
    """What secret ``value`` holds or is (``"a GitHub token"``, ``"a password"``...), else None."""
    if not isinstance(value, str):
        return None
    if _ASSIGNED[False].search(value):
        return "a password"
    for pattern, kind in _SECRETS:
        if _found(pattern, kind, value):
            return kind
    if any(_random(run) for run in _RUN.findall(value)):
        return "a random key or token"
    return None


def masked(text: str, prose: bool = False) -> str:
    """``text`` with every part that looks like a secret (:func:`secret_kind`) replaced by ``***``
    (a token's fixed prefix is kept: ``ghp_***``). ``prose``: ``text`` is a message, where ``key: value``
    is not an assignment."""
    if not isinstance(text, str):
        return text
    for pattern, kind in _SECRETS:
        text = pattern.sub(lambda m: m.group(0) if kind == "an AWS secret access key" and not _mixed(m.group(0)) else
                           (m.group(1) if m.re.groups else "") + "***" + ("@" if m.group(0).endswith("@") else ""), text)
    text = _ASSIGNED[prose].sub(lambda m: m.group(1) + "***", text)
    return _RUN.sub(lambda m: "***" if _random(m.group(0)) else m.group(0), text)


def shown(value: object, limit: int = 60) -> str:
    """``repr(value)``, shortened to ``limit`` characters for a one-line message, any secret in it
    masked (:func:`masked`): error lines end up in CI logs the whole organisation reads."""
    text = masked(repr(value))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def secret_name_problem(value: str, store: str) -> str | None:
    """Why ``value``, given where the *name* of a secret in ``store`` is expected, is a secret
    itself; else None."""
    kind = secret_kind(value)
    if kind is None:
        return None
    return (f"{shown(value)} looks like a token itself ({kind}), not a secret's name: store it in {store} and give "
            "its name here (then revoke it: it has been in a file)")


def plain_text_secret_problem(key: str, value: str, where: str) -> str | None:
    """Why ``key: value`` (a tag or label, written in plain text on ``where``) holds a secret, else None."""
    kind = secret_kind(value) or secret_kind(key)
    named = bool(_SECRET_KEY.search(key)) and bool(value)
    if kind is None and named:
        kind = "a password"
    if kind is None:
        return None
    value_shown = "'***'" if named else shown(value)
    return (f"{f'{shown(key)}: ' if key else ''}{value_shown} looks like {kind}, and {where} are written in plain text on every resource, "
            "in Terraform state and in plans: remove it (keep secrets in the cloud's secret store)")


#: Tag and label keys that name a secret (their value would be one).
_SECRET_KEY = re.compile(r"password|passwd|pwd|passphrase|secret[_-]?(key|value)|client[_-]?secret|api[_-]?key|"
                         r"private[_-]?key|access[_-]?token|auth[_-]?token|credential", re.I)


def cidr(value: str) -> str:
    try:
        net = ipaddress.IPv4Network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not an IPv4 CIDR block like 10.0.0.0/16 ({exc})") from None
    return str(net)


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
    problem = plain_text_secret_problem("", value, "node labels and taints")
    if problem:
        raise ValueError(problem)
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
    if parts.port == 0:
        raise ValueError(f"{shown(safe)} names port 0, where nothing can listen: give the service's port, or none "
                         f"for the scheme's default ({example})")
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
