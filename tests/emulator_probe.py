"""A probe stack applied to the emulator: what the construct-level e2e modules share.

``build(outdir, endpoint) -> stack folder`` synthesizes the probe; :func:`probe_fixture` starts moto
on a free port, synthesizes, and yields an :class:`EmulatorProbe` (boto3 clients, Terraform outputs,
timed phases printed as they end), stopping the emulator whatever happens.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from platform_tools.local import Emulator, aws_env, client, destroy, free_port, init, terraform
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

    def apply(self, phase: str = "init + apply") -> None:
        """``terraform init`` and ``apply`` of the probe, timed as ``phase``."""
        started = time.monotonic()
        init(self.folder, self.env)
        terraform(["apply", "-auto-approve", "-input=false"], self.folder, self.env)
        self.timed(phase, started)

    def replan(self) -> tuple[int, list[dict], str]:
        """A timed re-plan: ``terraform plan -detailed-exitcode``'s status (0 clean, 2 changes), the
        resource changes other than no-op and read, and the plan's output (for messages)."""
        started = time.monotonic()
        proc = subprocess.run(["terraform", "plan", "-detailed-exitcode", "-input=false", "-no-color",
                               "-out=replan.tfplan"], cwd=self.folder, env=self.env, capture_output=True, text=True,
                              timeout=600)
        assert proc.returncode in (0, 2), proc.stdout + proc.stderr
        shown = json.loads(terraform(["show", "-json", "replan.tfplan"], self.folder, self.env).stdout)
        self.timed("re-plan", started)
        changes = [rc for rc in shown.get("resource_changes", []) if rc["change"]["actions"] not in (["no-op"], ["read"])]
        return proc.returncode, changes, proc.stdout[-4000:] + proc.stderr[-2000:]

    def destroy(self) -> None:
        """``terraform destroy`` of the probe, timed."""
        started = time.monotonic()
        destroy(self.folder, self.env)
        self.timed("destroy", started)

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
