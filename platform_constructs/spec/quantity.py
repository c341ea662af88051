"""Kubernetes resource quantities (``500m``, ``2``, ``64Gi``, ``1e3``), as the API server parses them."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

#: The API server's quantity grammar: a signed decimal number and an optional suffix
#: (binary Ki..Ei, decimal n u m k M G T P E, or a decimal exponent e<n>/E<n>).
_QUANTITY = re.compile(r"(?P<number>[+-]?(\d+(\.\d*)?|\.\d+))(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?")

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1), "k": Decimal("1e3"),
            "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"), "P": Decimal("1e15"), "E": Decimal("1e18")}


def parse_quantity(text: str) -> Decimal:
    """The value of ``text`` in base units (cores, bytes); a ValueError naming the fix when Kubernetes
    would refuse it."""
    match = _QUANTITY.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{text!r} is not a Kubernetes quantity: write a number with an optional suffix, like "
                         "500m, 2, 64Gi or 10G")
    number = Decimal(match["number"])
    suffix = match["suffix"] or ""
    try:
        if suffix in _BINARY:
            value = number * _BINARY[suffix]
        elif suffix in _DECIMAL:
            value = number * _DECIMAL[suffix]
        else:
            value = number * Decimal(10) ** int(suffix[1:])
    except (InvalidOperation, OverflowError):
        raise ValueError(f"{text!r} is out of range for a Kubernetes quantity") from None
    if value < 0:
        raise ValueError(f"{text!r} is negative: a quota or limit is zero or more")
    return value
