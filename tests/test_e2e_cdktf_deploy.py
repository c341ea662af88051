"""The README's own words, end to end on the emulator, through the pinned cdktf CLI.

A copy of the project (its virtualenv and node_modules linked, never reinstalled) gets
environments/aws-local.yaml pointed at a moto server on a free port; then, as a user would
type them, each printing its time:

1. ``make synth``: every environment, and the pinned CLI installed;
2. ``PLATFORM_ENV_FILES=environments/aws-local.yaml npx cdktf deploy aws-local-network
   aws-local-cluster --skip-provider-lock --auto-approve`` (mirror CLI config, emulator
   credentials); what the file says exists in the emulator, state in its S3 bucket;
3. ``npx cdktf diff <stack> --skip-provider-lock`` for both stacks succeeds, and the plan it
   computed (the ``plan`` file the CLI leaves in the stack's folder, read with ``terraform show
   -json``) holds no change but the emulator artifacts allow-listed in tests/test_e2e_emulator.py;
4. ``npx cdktf destroy <stack> --ignore-missing-stack-dependencies --parallelism 1
   --skip-provider-lock --auto-approve`` for the cluster, then the network (as ``make destroy``
   does: the data and addons stacks, which depend on them, were never deployed, and cdktf refuses
   to destroy a stack without its dependants unless told so; with that flag cdktf 0.21 needs
   ``--parallelism 1`` or it starts the same stack's destroy over and over)
   leaves no VPC and no cluster.

No CLI output may hold an ``[ERROR]`` line or ``ENOENT``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from platform_constructs.spec import load_environment
from platform_tools.local import Emulator, aws_env, create_state_bucket, free_port, load_local_spec
from platform_tools.terraform import MIRROR_VAR, terraform_env
from tests.helpers import PROJECT_PARTS, ROOT, live_printer
from tests.test_e2e_emulator import aws, unexpected

pytestmark = [pytest.mark.slow, pytest.mark.e2e, pytest.mark.cli]

LOCAL_FILE = "environments/aws-local.yaml"
#: What the README's commands need next to the synth sources.
EXTRA_PARTS = ("platform_tools", "cdktf.json", "Makefile", "package.json", "package-lock.json", "requirements", "scripts")
#: The install stamps `make synth` depends on; up to date in the linked virtualenv and node_modules.
STAMPS = (".venv/.runtime-installed", "node_modules/.installed")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SPINNER = re.compile(r"^\s*[\u2800-\u28ff]\s")  # the CLI's progress lines, noise in a failure message


@dataclass
class World:
    project: Path
    spec: object
    endpoint: str
    env: dict[str, str]
    say: object = print
    make_flags: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def stacks(self) -> list[str]:
        return [self.spec.stack_name("network"), self.spec.stack_name("cluster")]

    def timed(self, phase: str, started: float) -> None:
        self.timings[phase] = time.monotonic() - started
        self.say(f"[e2e-cli] {phase}: {self.timings[phase]:.1f}s")


def copy_project(where: Path) -> None:
    for part in dict.fromkeys((*PROJECT_PARTS, *EXTRA_PARTS)):
        src = ROOT / part
        if src.is_dir():  # copytree and copy2 keep mtimes: the install stamps stay up to date
            shutil.copytree(src, where / part, ignore=shutil.ignore_patterns("__pycache__", ".terraform"))
        else:
            shutil.copy2(src, where / part)
    (where / ".venv").symlink_to(sys.prefix)  # the virtualenv running these tests
    (where / "node_modules").symlink_to(ROOT / "node_modules")


def point_at_emulator(project: Path, endpoint: str) -> None:
    path = project / LOCAL_FILE
    data = yaml.safe_load(path.read_text())
    data["aws"]["endpoint"] = endpoint
    assert data["backend"]["type"] == "s3"
    data["backend"]["endpoint"] = endpoint
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def mirror_setting() -> str:
    """$PLATFORM_PROVIDER_MIRROR, else what `make` would find on this machine."""
    if os.environ.get(MIRROR_VAR):
        return os.environ[MIRROR_VAR]
    return subprocess.run([str(ROOT / "scripts/find-provider-mirror")], capture_output=True, text=True,
                          timeout=120).stdout.strip()


@pytest.fixture(scope="module")
def world(tmp_path_factory, request):
    if not (ROOT / "node_modules/.bin/cdktf").exists():
        pytest.fail("node_modules/.bin/cdktf is missing: run `make setup-test` (npm ci) first")
    base = tmp_path_factory.mktemp("e2e-cli")
    started = time.monotonic()
    project = base / "project"
    project.mkdir()
    copy_project(project)
    emulator = Emulator(free_port(), base / "moto.log").start()
    try:
        spec = load_local_spec(ROOT / LOCAL_FILE, endpoint=emulator.endpoint)
        create_state_bucket(spec, emulator.endpoint)
        point_at_emulator(project, emulator.endpoint)

        env = {k: v for k, v in os.environ.items() if k not in ("PLATFORM_ENV_FILES", "CDKTF_OUTDIR", "MAKEFLAGS", "MFLAGS")}
        env.update(CHECKPOINT_DISABLE="1", JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20",
                   TF_PLUGIN_CACHE_DIR=str(base / "plugin-cache"),  # the CLI's cache, kept out of $HOME
                   npm_config_update_notifier="false")
        mirror = mirror_setting()
        if mirror:
            env[MIRROR_VAR] = mirror
        (base / "plugin-cache").mkdir()
        env = aws_env(spec.region, terraform_env(base / "tf", base=env))
        assert not mirror or env.get("TF_CLI_CONFIG_FILE"), "the mirror CLI config was not written"

        # Never pip-install or `npm ci` into the linked virtualenv / node_modules: if a stamp is
        # stale there, `make` is told to treat it as done (and says so).
        flags = []
        stale = subprocess.run(["make", "-q", *STAMPS], cwd=project, env=env, capture_output=True, text=True, timeout=120)
        if stale.returncode != 0:
            flags = [arg for stamp in STAMPS for arg in ("-o", stamp)]

        say = live_printer(request)

        w = World(project=project, spec=spec, endpoint=emulator.endpoint, env=env, say=say, make_flags=flags)
        if flags:
            say(f"[e2e-cli] install stamps not up to date in {sys.prefix} / node_modules: make runs with {' '.join(flags)}")
        w.timed("copy, emulator, bucket", started)
        yield w
        say("[e2e-cli] phases: " + ", ".join(f"{k} {v:.0f}s" for k, v in w.timings.items()))
    finally:
        emulator.stop()


def run(world: World, args: list[str], env: dict[str, str] | None = None, timeout: float = 900) -> str:
    """Run a command in the copied project; it must succeed and print no [ERROR] line and no ENOENT."""
    proc = subprocess.run(args, cwd=world.project, env=env or world.env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)
    output = ANSI.sub("", proc.stdout + proc.stderr)
    quiet = "\n".join(line for line in output.splitlines() if line.strip() and not SPINNER.match(line))
    shown = f"$ {' '.join(args)}\n{quiet[-6000:]}"
    assert proc.returncode == 0, shown
    assert [line for line in output.splitlines() if "[ERROR]" in line] == [], shown
    assert "ENOENT" not in output, shown
    return output


def cdktf(world: World, *args: str, env: dict[str, str] | None = None) -> str:
    return run(world, ["npx", "cdktf", *args], env=env)


def deploy_env(world: World) -> dict[str, str]:
    return {**world.env, "PLATFORM_ENV_FILES": LOCAL_FILE}


def planned_changes(plan: Path, env: dict[str, str]) -> list[dict]:
    """The changes a saved plan would make (`cdktf diff` saves its plan as `plan` in the stack's folder)."""
    shown = subprocess.run(["terraform", "show", "-json", "-no-color", plan.name], cwd=plan.parent, env=env,
                           capture_output=True, text=True, timeout=300)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    return [rc for rc in json.loads(shown.stdout).get("resource_changes", [])
            if rc["change"]["actions"] not in (["no-op"], ["read"])]


# --------------------------------------------------------------------------- steps


def test_1_make_synth_synthesizes_every_environment(world):
    started = time.monotonic()
    run(world, ["make", *world.make_flags, "synth"])
    manifest = json.loads((world.project / "cdktf.out/manifest.json").read_text())
    environments = sorted(p.stem for p in (world.project / "environments").glob("*.yaml"))
    assert len(environments) > 1, "a full synth needs several environments to mean anything"
    for name in environments:
        first = load_environment(world.project / "environments" / f"{name}.yaml").layers()[0]
        assert f"{name}-{first}" in manifest["stacks"], name
    assert (world.project / "node_modules/.bin/cdktf").exists()
    world.timed("make synth (every environment)", started)


def test_2_cdktf_deploy_applies_network_then_cluster(world):
    started = time.monotonic()
    output = cdktf(world, "deploy", *world.stacks, "--skip-provider-lock", "--auto-approve", env=deploy_env(world))
    for stack in world.stacks:
        assert stack in output
    world.timed("npx cdktf deploy network + cluster", started)

    spec = world.spec
    ec2, eks, s3 = aws(world, "ec2"), aws(world, "eks"), aws(world, "s3")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:environment", "Values": [spec.name]}])["Vpcs"]
    assert [v["CidrBlock"] for v in vpcs] == [spec.network.cidr]
    cluster = eks.describe_cluster(name=spec.cluster.name)["cluster"]
    in_vpc = {s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpcs[0]["VpcId"]]}])["Subnets"]}
    assert cluster["resourcesVpcConfig"]["subnetIds"] and set(cluster["resourcesVpcConfig"]["subnetIds"]) <= in_vpc
    assert sorted(eks.list_nodegroups(clusterName=spec.cluster.name)["nodegroups"]) == \
        sorted(p.name for p in spec.cluster.node_pools)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=spec.backend.bucket).get("Contents", [])]
    for stack in world.stacks:
        assert f"{spec.backend.key_prefix}/{stack}.tfstate" in keys


@pytest.mark.parametrize("layer", ["network", "cluster"])
def test_3_cdktf_diff_shows_no_changes_but_emulator_artifacts(world, layer):
    started = time.monotonic()
    stack = world.spec.stack_name(layer)
    plan = world.project / "cdktf.out" / "stacks" / stack / "plan"
    plan.unlink(missing_ok=True)  # only the plan this diff computes counts
    output = cdktf(world, "diff", stack, "--skip-provider-lock", env=deploy_env(world))
    assert plan.is_file(), f"cdktf diff left no plan file in {plan.parent}"
    changes = planned_changes(plan, world.env)
    assert unexpected(changes) == [], \
        "perpetual diff (not an emulator artifact):\n" + "\n".join(unexpected(changes)) + "\n" + output[-4000:]
    if layer == "network":
        assert changes == [] and "No changes" in output, output[-4000:]
    world.timed(f"npx cdktf diff {stack}", started)


def test_4_cdktf_destroy_leaves_nothing(world):
    started = time.monotonic()
    for stack in reversed(world.stacks):
        cdktf(world, "destroy", stack, "--ignore-missing-stack-dependencies", "--parallelism", "1",
              "--skip-provider-lock", "--auto-approve", env=deploy_env(world))
    world.timed("npx cdktf destroy cluster + network", started)
    spec = world.spec
    assert spec.cluster.name not in aws(world, "eks").list_clusters()["clusters"]
    ec2 = aws(world, "ec2")
    assert ec2.describe_vpcs(Filters=[{"Name": "tag:environment", "Values": [spec.name]}])["Vpcs"] == []
    assert [v for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")] == []
