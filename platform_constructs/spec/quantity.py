"""Kubernetes resource quantities (``500m``, ``2``, ``64Gi``, ``1e3``), as the API server parses them."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from platform_constructs.spec.common import shown

#: The largest quantity the API server keeps (``resource.Quantity`` caps larger values to it, silently).
MAX_QUANTITY = Decimal(2**63 - 1)
#: The smallest non-zero one (the API server rounds smaller values up to ``1n``).
MIN_QUANTITY = Decimal("1e-9")

#: The API server's quantity grammar: a signed decimal number and an optional suffix
#: (binary Ki..Ei, decimal n u m k M G T P E, or a decimal exponent e<n>/E<n>).
_QUANTITY = re.compile(r"(?P<number>[+-]?(\d+(\.\d*)?|\.\d+))(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?")

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1), "k": Decimal("1e3"),
            "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"), "P": Decimal("1e15"), "E": Decimal("1e18")}


def parse_quantity(text: str) -> Decimal:
    """The value of ``text`` in base units (cores, bytes); a ValueError naming the fix when Kubernetes
    would refuse it, or would silently change it: above :data:`MAX_QUANTITY` (capped by the API
    server) or non-zero below :data:`MIN_QUANTITY` (rounded up). The size is bounded from the digits and
    the exponent before anything is computed, so no input overflows or takes long."""
    match = _QUANTITY.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{shown(text)} is not a Kubernetes quantity: write a number with an optional suffix, like "
                         "500m, 2, 64Gi or 10G")
    number, suffix = Decimal(match["number"]), match["suffix"] or ""
    if suffix in _BINARY:
        factor = Decimal(_BINARY[suffix])
    elif suffix in _DECIMAL:
        factor = _DECIMAL[suffix]
    else:  # e<n>: the exponent's size is checked on its digits, before any power is computed
        digits = suffix[1:].lstrip("+-").lstrip("0")
        exponent = int(suffix[1:]) if len(digits) <= 4 else (-1 if suffix[1] == "-" else 1) * 10**5
        factor = Decimal(f"1e{exponent}")
    if number and number.adjusted() + factor.adjusted() > 19:
        raise ValueError(f"{shown(text)} is out of the range of a Kubernetes quantity (at most 2^63-1, just under 8Ei): "
                         "give a smaller value")
    if number and number.adjusted() + factor.adjusted() < -10:
        raise ValueError(f"{shown(text)} is out of the range of a Kubernetes quantity (at least 1n, one billionth): "
                         "give a larger value, or 0")
    try:
        value = number * factor
    except (InvalidOperation, OverflowError):
        raise ValueError(f"{shown(text)} is out of the range of a Kubernetes quantity") from None
    if value < 0:
        raise ValueError(f"{shown(text)} is negative: a quota or limit is zero or more")
    if value > MAX_QUANTITY:
        raise ValueError(f"{shown(text)} is above 2^63-1 ({MAX_QUANTITY}), the largest quantity Kubernetes keeps "
                         "(the API server would silently cap it): give a smaller value")
    if 0 < value < MIN_QUANTITY:
        raise ValueError(f"{shown(text)} is below 1n, the smallest quantity Kubernetes keeps (the API server would "
                         "round it up): give a larger value, or 0")
    return value
