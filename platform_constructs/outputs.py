"""Stack outputs with stable, plain names (``vpc_id``, not ``network_vpc_id_1A2B3C``)."""

from __future__ import annotations

from typing import Any

from constructs import Construct
from cdktf import TerraformOutput


def named_output(scope: Construct, name: str, value: Any, description: str, sensitive: bool = False) -> TerraformOutput:
    output = TerraformOutput(scope, name, value=value, description=description, sensitive=sensitive or None)
    output.override_logical_id(name)
    return output
