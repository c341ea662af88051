"""Platform invariants checked on every synthesized stack, before the output is kept.

checkov knows generic best practice; these rules know the platform's promises
(private API, >= 3 nodes across every zone, encryption everywhere, tags, no
world-open ports but the load balancers' 80/443, Kubernetes >= 1.33) and read
the JSON exactly as Terraform will, including the ``null`` fields cdktf writes
that hide an open port from checkov.

One rule per module in this package, registered by existing: each module
defines ``RULE`` with ``id``, ``description`` and ``check(stack, doc, spec)``
yielding :class:`Violation`. A violation stops the synth (exit status 2) and
leaves the previous output untouched.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from platform_constructs.spec import EnvironmentSpec

WORLD = ("0.0.0.0/0", "::/0", "*", "Internet", "any", "Any")


@dataclass(frozen=True)
class Violation:
    stack: str
    address: str
    message: str

    def __str__(self) -> str:
        return f"{self.stack}: {self.address}: {self.message}"


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    check: Callable[[str, dict, "EnvironmentSpec"], Iterable[Violation]]


def resources(doc: dict, *types: str) -> Iterator[tuple[str, dict]]:
    """``(address, body)`` of every resource of the given types, in a stable order."""
    for rtype in types:
        for name, body in sorted(doc.get("resource", {}).get(rtype, {}).items()):
            yield f"{rtype}.{name}", body


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def rules() -> list[Rule]:
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "RULE", None), Rule):
            found.append(module.RULE)
    return found


def check_stack(stack: str, doc: dict, spec: "EnvironmentSpec") -> list[Violation]:
    return [v for rule in rules() for v in rule.check(stack, doc, spec)]


class InvariantViolations(Exception):
    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__("\n".join(map(str, violations)))
