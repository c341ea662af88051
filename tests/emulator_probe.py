"""A probe stack applied to the emulator: what the construct-level e2e modules share.

``build(outdir, endpoint) -> stack folder`` synthesizes the probe; :func:`probe_fixture` starts moto
on a free port, synthesizes, and yields an :class:`EmulatorProbe` (boto3 clients, Terraform outputs,
timed phases printed as they end), stopping the emulator whatever happens.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from platform_tools.local import Emulator, aws_env, client, free_port, terraform
from platform_tools.terraform import terraform_env
from tests.helpers import live_printer


class EmulatorProbe:
    def __init__(self, folder: Path, endpoint: str, env: dict[str, str], say, label: str, region: str):
        self.folder, self.endpoint, self.env, self.say = folder, endpoint, env, say
        self.label, self.region = label, region
        self.timings: dict[str, float] = {}

    def aws(self, service: str):
        return client(service, self.endpoint, self.region)

    def timed(self, phase: str, started: float) -> None:
        self.timings[phase] = time.monotonic() - started
        self.say(f"[{self.label}] {phase}: {self.timings[phase]:.1f}s")

    def outputs(self) -> dict:
        return {k: v["value"] for k, v in json.loads(terraform(["output", "-json"], self.folder, self.env).stdout).items()}


def probe_fixture(tmp_path_factory, request, *, label: str, region: str,
                  build: Callable[[Path, str], Path]) -> Iterator[EmulatorProbe]:
    """The body of a module-scoped fixture: ``yield from probe_fixture(...)``."""
    base = tmp_path_factory.mktemp(label)
    started = time.monotonic()
    emulator = Emulator(free_port(), base / "moto.log").start()
    try:
        folder = build(base / "cdktf.out", emulator.endpoint)
        env = aws_env(region, terraform_env(base / "tf"))
        probe = EmulatorProbe(folder, emulator.endpoint, env, live_printer(request), label, region)
        probe.timed("emulator + synth", started)
        yield probe
        probe.say(f"[{label}] phases: " + ", ".join(f"{k} {v:.0f}s" for k, v in probe.timings.items()))
    finally:
        emulator.stop()
