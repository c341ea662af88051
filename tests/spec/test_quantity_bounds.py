"""Kubernetes quantities out of range (issue 31, class 5): one ValueError naming the value and the fix,
never an overflow, a traceback or a hang, however large the number or its exponent."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from platform_constructs.spec.quantity import MAX_QUANTITY, MIN_QUANTITY, parse_quantity

TOO_LARGE = ["1e999999999", "9999999999999999999999Ei", "1e" + "9" * 5000, "1" + "0" * 5000, "1e99999", "8Ei",
             "9223372036854775808", "9.3E", "10E", "-1e999999"]
TOO_SMALL = ["1e-999999999", "0.5n", "0.0000000001", "1e-" + "9" * 5000]


@pytest.mark.parametrize("text", TOO_LARGE + TOO_SMALL, ids=lambda t: t[:24])
def test_out_of_range_is_one_value_error_and_fast(text):
    started = time.perf_counter()
    with pytest.raises(ValueError) as caught:
        parse_quantity(text)
    assert time.perf_counter() - started < 0.5
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300
    assert "give a" in message  # the fix
    assert text[:20] in message


@pytest.mark.parametrize("text,value", [
    ("9223372036854775807", MAX_QUANTITY), ("7Ei", Decimal(7 * 2**60)), ("1n", MIN_QUANTITY), ("0", Decimal(0)),
    ("0e999999999", Decimal(0)), ("500m", Decimal("0.5")), ("64Gi", Decimal(64 * 2**30)), ("1e3", Decimal(1000)),
    ("2k", Decimal(2000)), ("9.2E", Decimal("9.2e18")),
])
def test_the_edges_of_the_range_are_accepted(text, value):
    assert parse_quantity(text) == value


def test_the_bounds_are_kubernetes_own():
    assert MAX_QUANTITY == 2**63 - 1
    assert MIN_QUANTITY == Decimal("1e-9")
