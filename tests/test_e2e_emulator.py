"""End to end: environments/aws-local.yaml applied by real Terraform to a local AWS emulator.

One emulator (moto server on a free port, started here) serves the whole module;
the steps run in file order, each printing its time:

1. apply network, then cluster (the first cluster apply is interrupted with SIGINT,
   then re-run: it must converge);
2. what exists matches the environment file (through boto3);
3. re-plans are clean, except for the emulator artifacts in ``EMULATOR_ARTIFACTS``;
4. a second apply fails on the state lock held by a first, and the state survives;
5. destroy in reverse order leaves no VPC and no cluster.

The data and addons stacks are synthesized but not applied here: moto's EKS cluster has no
cluster security group (``clusterSecurityGroupId`` is empty), which the data stack's NFS rule
admits, and the addons stack's helm and kubernetes providers need a Kubernetes API server.
tests/test_e2e_addon_resources.py applies both layers' AWS resources on their own.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from platform_tools.local import (
    Emulator, aws_env, client, create_state_bucket, destroy, free_port, init, load_local_spec, synthesize, terraform,
)
from platform_tools.terraform import terraform_env
from tests.helpers import ROOT, live_printer

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

ENV_FILE = ROOT / "environments" / "aws-local.yaml"


def _only_remote_access_replaced(change: dict) -> bool:
    paths = change.get("replace_paths") or []
    return change["actions"] == ["delete", "create"] and bool(paths) and all(p[0] == "remote_access" for p in paths)


def _only_launch_template_tag_spec_copied(change: dict) -> bool:
    if change["actions"] != ["update"]:
        return False
    before, after = dict(change["before"]), dict(change["after"])
    volatile = ("default_version", "latest_version", "tag_specifications")
    if any(before.get(k) != after.get(k) for k in set(before) | set(after) if k not in volatile):
        return False
    kept = [t for t in before.get("tag_specifications") or [] if t["resource_type"] != "launch-template"]
    return kept == after.get("tag_specifications")


def _only_upgrade_policy_and_zonal_shift_added_back(change: dict) -> bool:
    if change["actions"] != ["update"]:
        return False
    before, after = change["before"] or {}, change["after"] or {}
    unknown = change.get("after_unknown") or {}
    changed = {k for k in set(before) | set(after) | set(unknown) if unknown.get(k) or before.get(k) != after.get(k)}
    added_back = {"upgrade_policy", "zonal_shift_config"}
    return bool(changed) and changed <= added_back and all(not before.get(k) and after.get(k) for k in changed)


#: Every diff tolerated on a re-plan, with its reason. Anything else is a perpetual diff: a bug.
EMULATOR_ARTIFACTS = {
    "aws_eks_cluster": (
        _only_upgrade_policy_and_zonal_shift_added_back,
        "moto's EKS cluster model stores neither upgradePolicy nor zonalShiftConfig (moto/eks/models.py "
        "create_cluster takes neither), so DescribeCluster returns them empty and a re-plan adds both back "
        "in place; no other attribute may differ",
    ),
    "aws_eks_node_group": (
        _only_remote_access_replaced,
        "moto invents a remote_access block on every node group it returns, so a re-plan replaces the "
        "group with replace_paths under remote_access only",
    ),
    "aws_launch_template": (
        _only_launch_template_tag_spec_copied,
        "moto copies the template's own tags (CreateLaunchTemplate TagSpecifications, resource type "
        "launch-template) into the version data (moto/ec2/responses/launch_templates.py), which real EC2 "
        "rejects there; the only diff is dropping that copied entry",
    ),
}


@dataclass
class World:
    spec: object
    endpoint: str
    stacks: Path
    env: dict[str, str]
    say: object = print
    timings: dict[str, float] = field(default_factory=dict)

    def folder(self, layer: str) -> Path:
        return self.stacks / self.spec.stack_name(layer)

    def timed(self, phase: str, started: float) -> None:
        self.timings[phase] = time.monotonic() - started
        self.say(f"[e2e] {phase}: {self.timings[phase]:.1f}s")


@pytest.fixture(scope="module")
def world(tmp_path_factory, request):
    base = tmp_path_factory.mktemp("e2e")
    started = time.monotonic()
    emulator = Emulator(free_port(), base / "moto.log").start()
    try:
        spec = load_local_spec(ENV_FILE, endpoint=emulator.endpoint)
        create_state_bucket(spec, emulator.endpoint)
        stacks = synthesize(spec, base / "cdktf.out")
        env = aws_env(spec.region, terraform_env(base / "tf"))
        say = live_printer(request)

        w = World(spec=spec, endpoint=emulator.endpoint, stacks=stacks, env=env, say=say)
        w.timed("emulator, bucket, synth", started)
        yield w
        say("[e2e] phases: " + ", ".join(f"{k} {v:.0f}s" for k, v in w.timings.items()))
    finally:
        emulator.stop()


def aws(world: World, service: str):
    return client(service, world.endpoint, world.spec.region)


def plan_changes(world: World, layer: str) -> tuple[int, list[dict]]:
    folder = world.folder(layer)
    proc = subprocess.run(["terraform", "plan", "-detailed-exitcode", "-input=false", "-no-color", "-out=replan.tfplan"],
                          cwd=folder, env=world.env, capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 2), proc.stdout + proc.stderr
    shown = json.loads(terraform(["show", "-json", "replan.tfplan"], folder, world.env).stdout)
    changes = [rc for rc in shown.get("resource_changes", []) if rc["change"]["actions"] not in (["no-op"], ["read"])]
    return proc.returncode, changes


def unexpected(changes: list[dict]) -> list[str]:
    out = []
    for rc in changes:
        rule = EMULATOR_ARTIFACTS.get(rc["type"])
        if rule is None or not rule[0](rc["change"]):
            out.append(f"{rc['address']} {rc['change']['actions']} {rc.get('action_reason')} {rc['change'].get('replace_paths')}")
    return out


def assert_clean_plan(world: World, layer: str) -> None:
    code, changes = plan_changes(world, layer)
    assert unexpected(changes) == [], "perpetual diff (not an emulator artifact):\n" + "\n".join(unexpected(changes))
    if layer == "network":
        assert code == 0


class Streamed:
    """A Terraform process whose output is collected as it comes (prompts have no newline)."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str], stdin=None):
        self.proc = subprocess.Popen(["terraform", *args, "-no-color"], cwd=cwd, env=env, stdin=stdin,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.output = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for chunk in iter(lambda: self.proc.stdout.read(1), ""):
            self.output += chunk

    def wait_for(self, text: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if self.proc.poll() is not None and text not in self.output:
                self._reader.join(5)
                if text in self.output:
                    return
                raise AssertionError(f"terraform ended before printing {text!r}:\n{self.output[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} within {timeout}s:\n{self.output[-3000:]}")
            time.sleep(0.05)

    def finish(self, timeout: float = 300) -> int:
        code = self.proc.wait(timeout)
        self._reader.join(10)
        return code


# --------------------------------------------------------------------------- steps


def test_1_apply_network(world):
    started = time.monotonic()
    init(world.folder("network"), world.env)
    terraform(["apply", "-auto-approve", "-input=false"], world.folder("network"), world.env)
    world.timed("apply network", started)


def test_2_interrupted_cluster_apply_converges_on_rerun(world):
    started = time.monotonic()
    folder = world.folder("cluster")
    init(folder, world.env)
    # One operation at a time, interrupted while the secrets key is being created: a create in flight when
    # Terraform cancels it can finish in the cloud without reaching the state (Terraform cannot record what
    # its canceled request did). An orphaned KMS key is harmless to the re-run; an orphaned IAM role or log
    # group, with their fixed names, would fail it with "already exists", which is the race, not the code.
    (key,) = json.loads((folder / "cdk.tf.json").read_text())["resource"]["aws_kms_key"]
    first = Streamed(["apply", "-auto-approve", "-input=false", "-parallelism=1"], folder, world.env)
    first.wait_for(f"aws_kms_key.{key}: Creating...")
    first.proc.send_signal(signal.SIGINT)
    code = first.finish()
    assert code != 0 and "Interrupt received" in first.output, first.output[-3000:]
    eks = aws(world, "eks")
    assert world.spec.cluster.name not in eks.list_clusters()["clusters"], "the interrupt came too late to test anything"
    try:
        terraform(["apply", "-auto-approve", "-input=false"], folder, world.env)
    except RuntimeError as err:
        raise AssertionError(f"re-run after the interrupt failed:\n{err}\n--- interrupted run ---\n{first.output[-4000:]}") from None
    world.timed("interrupted + converged cluster apply", started)


def test_3_network_matches_the_environment_file(world):
    spec = world.spec
    ec2 = aws(world, "ec2")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:environment", "Values": [spec.name]}])["Vpcs"]
    assert [v["CidrBlock"] for v in vpcs] == [spec.network.cidr]
    vpc_id = vpcs[0]["VpcId"]
    attrs = {a: ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute=a) for a in ("enableDnsSupport", "enableDnsHostnames")}
    assert attrs["enableDnsSupport"]["EnableDnsSupport"]["Value"] and attrs["enableDnsHostnames"]["EnableDnsHostnames"]["Value"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    for zone in spec.zones:
        in_zone = [s for s in subnets if s["AvailabilityZone"] == zone]
        tags = sorted(next(t["Key"] for t in s["Tags"] if t["Key"].startswith("kubernetes.io/role/")) for s in in_zone)
        assert tags == ["kubernetes.io/role/elb", "kubernetes.io/role/internal-elb"], zone
    nats = [n for n in ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["NatGateways"]
            if n["State"] == "available"]
    assert len(nats) == (len(spec.zones) if spec.network.nat == "per_zone" else 1)
    flow_logs = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["FlowLogs"]
    assert [(f["TrafficType"], f["LogDestinationType"]) for f in flow_logs] == [("ALL", "cloud-watch-logs")]


def test_4_cluster_matches_the_environment_file(world):
    spec = world.spec
    eks = aws(world, "eks")
    cluster = eks.describe_cluster(name=spec.cluster.name)["cluster"]
    vpc_cfg = cluster["resourcesVpcConfig"]
    assert vpc_cfg["endpointPrivateAccess"] is True and vpc_cfg["endpointPublicAccess"] is False
    assert cluster["version"] == spec.cluster.kubernetes_version
    enabled = [t for entry in cluster["logging"]["clusterLogging"] if entry["enabled"] for t in entry["types"]]
    assert sorted(enabled) == sorted(["api", "audit", "authenticator", "controllerManager", "scheduler"])
    outputs = json.loads(terraform(["output", "-json"], world.folder("cluster"), world.env).stdout)
    assert cluster["encryptionConfig"] == [{"resources": ["secrets"], "provider": {"keyArn": outputs["kms_key_arn"]["value"]}}]
    assert aws(world, "kms").describe_key(KeyId=outputs["kms_key_arn"]["value"])["KeyMetadata"]["KeyState"] == "Enabled"

    ec2 = aws(world, "ec2")
    for pool in spec.cluster.node_pools:
        ng = eks.describe_nodegroup(clusterName=spec.cluster.name, nodegroupName=pool.name)["nodegroup"]
        assert ng["scalingConfig"]["minSize"] == pool.min_size and ng["scalingConfig"]["maxSize"] == pool.max_size
        assert ng["capacityType"] == ("SPOT" if pool.capacity == "spot" else "ON_DEMAND")
        assert ng["instanceTypes"] == pool.instance_types
        lt = ng["launchTemplate"]
        data = ec2.describe_launch_template_versions(LaunchTemplateId=lt["id"])["LaunchTemplateVersions"][-1]["LaunchTemplateData"]
        assert data["MetadataOptions"]["HttpTokens"] == "required"
        assert int(data["MetadataOptions"]["HttpPutResponseHopLimit"]) == 1
        ebs = data["BlockDeviceMappings"][0]["Ebs"]
        assert ebs["Encrypted"] in (True, "true") and int(ebs["VolumeSize"]) == pool.disk_size_gb


def test_5_replans_are_clean(world):
    started = time.monotonic()
    assert_clean_plan(world, "network")
    assert_clean_plan(world, "cluster")
    world.timed("re-plan both stacks", started)


def test_6_second_apply_fails_on_the_lock_and_state_survives(world):
    started = time.monotonic()
    folder = world.folder("network")
    env = {**world.env, "TF_INPUT": "1"}
    vpc_endpoint = next(a for a in json.loads(terraform(["show", "-json"], folder, world.env).stdout)
                        ["values"]["root_module"]["resources"] if a["type"] == "aws_vpc_endpoint")["address"]
    holder = Streamed(["apply", f"-replace={vpc_endpoint}"], folder, env, stdin=subprocess.PIPE)
    try:
        holder.wait_for("Enter a value:")
        s3 = aws(world, "s3")
        backend = world.spec.backend
        key = f"{backend.key_prefix}/{world.spec.stack_name('network')}.tfstate"
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=backend.bucket).get("Contents", [])]
        assert f"{key}.tflock" in keys
        second = subprocess.run(["terraform", "apply", "-auto-approve", "-input=false", "-lock-timeout=2s", "-no-color"],
                                cwd=folder, env=world.env, capture_output=True, text=True, timeout=300)
        assert second.returncode != 0
        assert "Error acquiring the state lock" in second.stdout + second.stderr
    finally:
        holder.proc.stdin.write("no\n")
        holder.proc.stdin.flush()
        holder.finish()
    assert "Apply cancelled" in holder.output
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=backend.bucket).get("Contents", [])]
    assert f"{key}.tflock" not in keys
    state = json.loads(s3.get_object(Bucket=backend.bucket, Key=key)["Body"].read())
    assert state["version"] == 4 and state["resources"]
    assert_clean_plan(world, "network")
    world.timed("lock contention", started)


def test_7_destroy_in_reverse_order_leaves_nothing(world):
    started = time.monotonic()
    destroy(world.folder("cluster"), world.env)
    destroy(world.folder("network"), world.env)
    spec = world.spec
    assert spec.cluster.name not in aws(world, "eks").list_clusters()["clusters"]
    ec2 = aws(world, "ec2")
    assert ec2.describe_vpcs(Filters=[{"Name": "tag:environment", "Values": [spec.name]}])["Vpcs"] == []
    assert [v for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")] == []
    world.timed("destroy", started)
