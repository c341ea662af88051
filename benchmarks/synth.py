"""Synth benchmark: eager provider imports vs the platform's loader, measured in one run.

    .venv/bin/python benchmarks/synth.py [--runs 3] [--env aws-prod ...]

For each shipped environment and for all of them together (`make synth`, with
its default --jobs), prints the median wall time and peak RSS of >= 3 runs the
eager way (PLATFORM_EAGER_PROVIDERS=1) and with the loader, and the ratio
loader/eager. For single environments it also prints the floor (importing cdktf
and exactly the provider modules that environment uses, then synthesizing an
empty stack) and the loader's overhead above it. Ends with the worst ratio.

Then, per AWS environment, the cost of the in-cluster layers: the same synth with only
the network and cluster stacks and with every stack (data, addons, observability; both with the loader), and
the ratio between them (the target: within 1.5x). ``--layers-only`` skips the first part.

Peak RSS is the largest resident set of the Python process and of the jsii
node process it drives (each measured by the kernel through getrusage).
Not part of `make test`: ratios, not absolute times, are what it proves.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs a command in a child and reports its wall time and the peak RSS of it and its waited-for descendants.
MEASURE = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
print(json.dumps({"code": code, "wall": wall, "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""

# Records which provider modules a loader synth of one environment imports.
MODULES = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import main
main.main(sys.argv[2:])
print(json.dumps(sorted(m for m in sys.modules if m.startswith("cdktf_cdktf_provider_") and "." in m
                        and not m.endswith("._jsii"))))
"""

# The floor: cdktf plus the same provider modules, one empty stack synthesized.
FLOOR = r"""
import importlib, json, sys, tempfile
sys.path.insert(0, sys.argv[1])
import platform_constructs  # the loader, so only the listed modules load
from cdktf import App, TerraformStack
for name in json.loads(sys.argv[2]):
    importlib.import_module(name)
with tempfile.TemporaryDirectory() as out:
    app = App(outdir=out)
    TerraformStack(app, "empty")
    app.synth()
"""


# One environment's stacks up to a layer, through the real stack classes and kit (loader on).
LAYERS = r"""
import sys
sys.path.insert(0, sys.argv[1])
import platform_constructs  # the loader
from cdktf import App
from platform_constructs.kits import kit_for
from platform_constructs.spec import load_environment
from stacks.cluster import ClusterStack
from stacks.environment import build_environment
from stacks.network import NetworkStack
spec = load_environment(sys.argv[2])
app = App(outdir=sys.argv[3])
if sys.argv[4] == "all":
    build_environment(app, spec)
else:
    kit = kit_for(spec.cloud)
    network = NetworkStack(app, spec, kit)
    ClusterStack(app, spec, kit, network.contract)
app.synth()
"""

#: Most an environment's synth may grow by its in-cluster and data stacks (issues 12 and 13).
LAYERS_BUDGET = 1.5


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    proc = subprocess.run([sys.executable, "-c", MEASURE, *cmd], env=env, capture_output=True, text=True, cwd=ROOT)
    result = json.loads(proc.stdout)
    if result["code"] != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return result["wall"], result["rss_kb"] / 1024


def median_of(runs: int, cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    samples = [measure(cmd, env) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--env", action="append", default=[], help="environment name (default: every shipped one)")
    parser.add_argument("--layers-only", action="store_true", help="only the cost of the data, addons and observability stacks")
    args = parser.parse_args()
    runs = max(3, args.runs)
    files = sorted((ROOT / "environments").glob("*.yaml"))
    if args.env:
        files = [f for f in files if f.stem in args.env]
    base = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "PLATFORM_EAGER_PROVIDERS": "0"}
    eager_env = {**base, "PLATFORM_EAGER_PROVIDERS": "1"}
    worst = 0.0
    if not args.layers_only:
        worst = loader_vs_eager(files, runs, base, eager_env)
        print(f"worst loader/eager ratio: {worst:.2f}")
    layer_cost(files, runs, base)
    return 0


def layer_cost(files: list[Path], runs: int, env: dict[str, str]) -> None:
    """Synth of network+cluster vs every stack of the environment per AWS environment, one run each way."""
    aws = [f for f in files if f.read_text(encoding="utf-8").find("cloud: aws") >= 0]
    print(f"\n{'case':18} {'2 stacks s':>10} {'all s':>10} {'ratio':>6} {'2 MB':>7} {'all MB':>7}  within {LAYERS_BUDGET}x")
    with tempfile.TemporaryDirectory() as tmp:
        for f in aws:
            walls = {}
            for layers in ("base", "all"):
                cmd = [sys.executable, "-c", LAYERS, str(ROOT), str(f), str(Path(tmp, layers)), layers]
                walls[layers] = median_of(runs, cmd, env)
            ratio = walls["all"][0] / walls["base"][0]
            print(f"{f.stem:18} {walls['base'][0]:10.2f} {walls['all'][0]:10.2f} {ratio:6.2f} "
                  f"{walls['base'][1]:7.0f} {walls['all'][1]:7.0f}  {'yes' if ratio <= LAYERS_BUDGET else 'NO'}", flush=True)


def loader_vs_eager(files: list[Path], runs: int, base: dict[str, str], eager_env: dict[str, str]) -> float:
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        cases = [(f.stem, ["--env-file", str(f)]) for f in files] + [("all (make synth)", [])]
        print(f"{'case':18} {'eager s':>8} {'loader s':>8} {'ratio':>6} {'eager MB':>9} {'loader MB':>9} "
              f"{'floor s':>8} {'overhead':>8}")
        for name, env_args in cases:
            synth = [sys.executable, str(ROOT / "main.py"), *env_args, "--outdir", str(Path(tmp, "out"))]
            eager_wall, eager_rss = median_of(runs, synth, eager_env)
            lazy_wall, lazy_rss = median_of(runs, synth, base)
            ratio = lazy_wall / eager_wall
            worst = max(worst, ratio)
            floor_text = overhead_text = "-"
            if env_args:
                modules = subprocess.run([sys.executable, "-c", MODULES, str(ROOT), *env_args, "--outdir",
                                          str(Path(tmp, "mods"))], env=base, capture_output=True, text=True, cwd=ROOT)
                floor_cmd = [sys.executable, "-c", FLOOR, str(ROOT), modules.stdout.strip().splitlines()[-1]]
                floor_wall, _ = median_of(runs, floor_cmd, base)
                floor_text = f"{floor_wall:8.2f}"
                overhead_text = f"{(lazy_wall / floor_wall - 1) * 100:7.0f}%"
            print(f"{name:18} {eager_wall:8.2f} {lazy_wall:8.2f} {ratio:6.2f} {eager_rss:9.0f} {lazy_rss:9.0f} "
                  f"{floor_text:>8} {overhead_text:>8}", flush=True)
    return worst


if __name__ == "__main__":
    sys.exit(main())
