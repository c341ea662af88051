"""Run an environment against a local AWS emulator (moto server): no AWS account needed.

    python -m platform_tools.local up   [--env-file environments/aws-local.yaml]
    python -m platform_tools.local down [--env-file environments/aws-local.yaml]

``up`` starts moto on the port of the file's ``aws.endpoint`` (unless something
already answers there), creates the S3 state bucket, synthesizes the environment
into ``.local/<env>/cdktf.out``, applies the network then the cluster stack with
Terraform (:data:`LOCAL_LAYERS`), and prints what exists in the emulator. ``down`` destroys the stacks in
reverse order and stops the emulator it started.

The tests use the same pieces (:class:`Emulator`, :func:`apply`, ...) on a free port.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
#: The stacks the emulator can hold, in deploy order. Not data: moto's EKS cluster has no cluster
#: security group, which the file system's NFS rule admits; not addons: its helm and kubernetes
#: providers need a Kubernetes API server, which the emulator's EKS does not run.
LOCAL_LAYERS = ("network", "cluster")
DEFAULT_ENV_FILE = ROOT / "environments" / "aws-local.yaml"
WORK = ROOT / ".local"

#: Credentials the emulator accepts; never real ones.
EMULATOR_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(endpoint: str) -> bool:
    try:
        urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)  # noqa: S310 - loopback only
        return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


class Emulator:
    """A moto server process on 127.0.0.1:<port>, with AWS-managed IAM policies loaded, started through
    :mod:`platform_tools.emulator_compat` (moto with its documented corrections; refuses another moto version)."""

    #: The module that runs moto's server (``python -m <module> -H <host> -p <port>``).
    SERVER = "platform_tools.emulator_compat"

    def __init__(self, port: int, log: Path):
        self.port = port
        self.endpoint = f"http://127.0.0.1:{port}"
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "Emulator":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        moto = [sys.executable, "-m", self.SERVER]
        env = {**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen([*moto, "-H", "127.0.0.1", "-p", str(self.port)], cwd=ROOT,
                                            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while not answers(self.endpoint):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"moto server did not start on {self.endpoint}; see {self.log}")
            time.sleep(0.2)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def aws_env(region: str, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env.update(EMULATOR_CREDENTIALS)
    env["AWS_REGION"] = env["AWS_DEFAULT_REGION"] = region
    return env


def client(service: str, endpoint: str, region: str):
    import boto3  # test extra: imported only when talking to the emulator

    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="test", aws_secret_access_key="test")


def create_state_bucket(spec, endpoint: str) -> None:
    backend = spec.backend
    if getattr(backend, "type", None) != "s3":
        return
    s3 = client("s3", backend.endpoint or endpoint, backend.region or spec.region)
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if backend.bucket not in existing:
        s3.create_bucket(Bucket=backend.bucket)
    s3.put_bucket_versioning(Bucket=backend.bucket, VersioningConfiguration={"Status": "Enabled"})


def terraform(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess:
    proc = subprocess.run(["terraform", *args, "-no-color"], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"terraform {' '.join(args)} failed in {cwd.name}:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc


def init(stack_dir: Path, env: dict[str, str]) -> None:
    terraform(["init", "-input=false", "-reconfigure"], stack_dir, env)


def apply(stack_dir: Path, env: dict[str, str]) -> None:
    terraform(["apply", "-auto-approve", "-input=false"], stack_dir, env)


def destroy(stack_dir: Path, env: dict[str, str]) -> None:
    terraform(["destroy", "-auto-approve", "-input=false"], stack_dir, env)


def load_local_spec(env_file: Path, endpoint: str | None = None):
    """Load an emulator environment; ``endpoint`` replaces the file's emulator URL (tests use a free port)."""
    from platform_constructs.spec import SpecError, load_environment, parse_environment

    spec = load_environment(env_file)
    if spec.cloud != "aws" or "network" not in spec.layers():
        raise SpecError(str(env_file), "cloud", f"is {spec.cloud}: local runs apply the AWS network and cluster stacks "
                                                "(LOCAL_LAYERS) to the AWS emulator: use an aws environment with aws.endpoint")
    if endpoint:
        data = spec.model_dump()
        data["aws"]["endpoint"] = endpoint
        if data["backend"]["type"] == "s3":
            data["backend"]["endpoint"] = endpoint
        spec = parse_environment(data, str(env_file))
    if not spec.aws.endpoint:
        raise SpecError(str(env_file), "aws.endpoint", "is not set: local runs need an emulator URL such as http://127.0.0.1:5000")
    host = urlparse(spec.aws.endpoint).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SpecError(str(env_file), "aws.endpoint", f"{spec.aws.endpoint} is not on this machine: local runs use a loopback URL")
    return spec


def synthesize(spec, outdir: Path) -> Path:
    from platform_tools.synth import synthesize as synth_app

    synth_app([spec], outdir)
    return outdir / "stacks"


def summary(spec, endpoint: str) -> list[str]:
    """What exists in the emulator for this environment, one line per fact."""
    ec2 = client("ec2", endpoint, spec.region)
    eks = client("eks", endpoint, spec.region)
    lines = []
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:environment", "Values": [spec.name]}])["Vpcs"]
    for vpc in vpcs:
        subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
        nats = ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["NatGateways"]
        lines.append(f"VPC {vpc['VpcId']} {vpc['CidrBlock']}: {len(subnets)} subnets, "
                     f"{sum(1 for n in nats if n['State'] == 'available')} NAT gateway(s)")
    try:
        cluster = eks.describe_cluster(name=spec.cluster.name)["cluster"]
    except Exception:  # noqa: BLE001 - absent cluster is a fact to print
        lines.append(f"EKS cluster {spec.cluster.name}: absent")
        return lines
    vpc_cfg = cluster["resourcesVpcConfig"]
    lines.append(f"EKS cluster {cluster['name']} {cluster['version']} {cluster['status']}: "
                 f"private endpoint {vpc_cfg['endpointPrivateAccess']}, public {vpc_cfg['endpointPublicAccess']}")
    for name in eks.list_nodegroups(clusterName=spec.cluster.name)["nodegroups"]:
        ng = eks.describe_nodegroup(clusterName=spec.cluster.name, nodegroupName=name)["nodegroup"]
        sc = ng["scalingConfig"]
        lines.append(f"  node group {name}: {ng['capacityType']} {','.join(ng['instanceTypes'])} "
                     f"min {sc['minSize']} desired {sc['desiredSize']} max {sc['maxSize']}")
    efs = client("efs", endpoint, spec.region)
    for fs in efs.describe_file_systems()["FileSystems"]:
        tags = {t["Key"]: t["Value"] for t in fs.get("Tags", [])}
        if tags.get("environment") != spec.name:
            continue
        targets = efs.describe_mount_targets(FileSystemId=fs["FileSystemId"])["MountTargets"]
        lines.append(f"EFS {fs['FileSystemId']} ({tags.get('Name', '-')}): encrypted {fs['Encrypted']}, "
                     f"{fs['PerformanceMode']}/{fs['ThroughputMode']}, {len(targets)} mount target(s)")
    return lines


def _pidfile(port: int) -> Path:
    return WORK / f"moto-{port}.pid"


def up(env_file: Path) -> int:
    from platform_tools.terraform import terraform_env

    spec = load_local_spec(env_file)
    endpoint = spec.aws.endpoint
    port = urlparse(endpoint).port or 80
    if not answers(endpoint):
        emulator = Emulator(port, WORK / f"moto-{port}.log").start()
        _pidfile(port).write_text(str(emulator.process.pid))
        print(f"started moto on {endpoint} (pid {emulator.process.pid}, log {emulator.log})")
    else:
        print(f"using the emulator already answering on {endpoint}")
    create_state_bucket(spec, endpoint)
    stacks = synthesize(spec, WORK / spec.name / "cdktf.out")
    env = aws_env(spec.region, terraform_env(WORK / "terraform"))
    for layer in LOCAL_LAYERS:
        started = time.monotonic()
        folder = stacks / spec.stack_name(layer)
        init(folder, env)
        apply(folder, env)
        print(f"applied {spec.stack_name(layer)} in {time.monotonic() - started:.1f}s")
    print("\n".join(summary(spec, endpoint)))
    print(f"tear down with: make local-down ENV_FILE={env_file}")
    return 0


def down(env_file: Path) -> int:
    from platform_tools.terraform import terraform_env

    spec = load_local_spec(env_file)
    endpoint = spec.aws.endpoint
    port = urlparse(endpoint).port or 80
    stacks = WORK / spec.name / "cdktf.out" / "stacks"
    if answers(endpoint) and stacks.exists():
        env = aws_env(spec.region, terraform_env(WORK / "terraform"))
        for layer in reversed(LOCAL_LAYERS):
            folder = stacks / spec.stack_name(layer)
            if not folder.exists():  # synthesized before the layer existed: nothing of it was applied
                continue
            init(folder, env)
            destroy(folder, env)
            print(f"destroyed {spec.stack_name(layer)}")
        print("\n".join(summary(spec, endpoint)))
    pidfile = _pidfile(port)
    if pidfile.exists():
        try:
            os.killpg(int(pidfile.read_text()), signal.SIGTERM)
            print(f"stopped moto on {endpoint}")
        except ProcessLookupError:
            pass
        pidfile.unlink()
    return 0


def main(argv: list[str] | None = None) -> int:
    from platform_constructs.spec import SpecError

    parser = argparse.ArgumentParser(description="Apply an environment to a local AWS emulator.")
    parser.add_argument("command", choices=["up", "down"])
    parser.add_argument("--env-file", type=Path, default=DEFAULT_ENV_FILE)
    args = parser.parse_args(argv)
    try:
        return up(args.env_file) if args.command == "up" else down(args.env_file)
    except SpecError as err:
        print(str(err), file=sys.stderr)
        return 2
    except (RuntimeError, OSError) as err:
        print(f"local {args.command} failed: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    import platform_constructs  # noqa: F401 - provider loader

    sys.exit(main())
