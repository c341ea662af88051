"""The AWS private zone: ``terraform validate`` of the network stack, and the real construct applied to the emulator.

1. validate: the ``<env>-network`` stack of an AWS spec with ``network.dns`` (private and public zone),
   with the real hashicorp/aws provider (``$PLATFORM_PROVIDER_MIRROR``).
2. emulator (moto): a probe stack holding a VPC with DNS support, the network's log key
   (:class:`EncryptionKey`) and the REAL :class:`AwsPrivateDns` (private zone on the VPC, public zone)
   is applied, read back through boto3, re-planned, and destroyed (no zone left).
   The emulator does not model the VPC association: the hashicorp/aws provider creates a private zone by
   passing ``VPC`` without ``HostedZoneConfig.PrivateZone`` (AWS infers it), and moto makes a zone private
   only from that flag (moto/route53/responses.py ``create_hosted_zone``), so it stores a public zone
   with no VPC. The re-plan therefore shows exactly one change, the private zone's ``vpc`` added back
   in place, and nothing else (asserted); on AWS the association exists and the plan is clean.
   Resolver query logging is off there (``network.dns.query_logging: false``, as an emulator's
   environment file sets it): moto creates the query log configuration but answers its
   ``ListTagsForResource`` with "not found", so no apply can finish with it. Test 1 validates it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import main
from platform_tools.local import destroy, init, terraform
from platform_tools.terraform import run, terraform_env
from tests.emulator_probe import probe_fixture
from tests.helpers import make_spec

pytestmark = [pytest.mark.slow]

REGION = "us-east-1"
STACK = "private-dns-probe"
PRIVATE, PUBLIC = "corp.internal", "apps.example.com"
DNS = {"cidr": "10.0.0.0/16", "dns": {"private_zone": PRIVATE, "public_zone": PUBLIC}}
#: The emulator's switch: no Resolver query logging (see the module's docstring).
EMULATED_DNS = {"cidr": "10.0.0.0/16", "dns": {**DNS["dns"], "query_logging": False}}


def test_the_network_stack_with_private_dns_validates_with_the_real_provider(tmp_path):
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not on PATH; the README lists it as a prerequisite")
    env_file = tmp_path / "dns.yaml"
    import yaml

    from tests.helpers import AWS_ADMIN, BASE, merge
    doc = merge(BASE, {"name": "dnsv", "network": DNS, "cluster": {"admin_principals": [AWS_ADMIN]}})
    env_file.write_text(yaml.safe_dump(doc), encoding="utf-8")
    out = tmp_path / "cdktf.out"
    assert main.main(["--env-file", str(env_file), "--outdir", str(out)]) == 0
    folder = out / "stacks" / "dnsv-network"
    stack = json.loads((folder / "cdk.tf.json").read_text())
    assert {z["name"] for z in stack["resource"]["aws_route53_zone"].values()} == {PRIVATE, PUBLIC}
    assert len(stack["resource"]["aws_route53_resolver_query_log_config_association"]) == 1
    env = terraform_env(tmp_path / "tf")
    run(["init", "-backend=false", "-input=false"], cwd=folder, env=env)
    result = json.loads(run(["validate", "-json"], cwd=folder, env=env, check=False).stdout)
    assert result["valid"] is True and result["error_count"] == 0 and result["warning_count"] == 0, \
        json.dumps(result["diagnostics"], indent=1)


def build_probe(outdir: Path, endpoint: str) -> Path:
    from cdktf import App, LocalBackend, TerraformStack
    from cdktf_cdktf_provider_aws.vpc import Vpc

    from platform_constructs.aws.kms_key import EncryptionKey
    from platform_constructs.aws.private_dns import AwsPrivateDns
    from platform_constructs.aws.provider import aws_provider

    spec = make_spec(network=EMULATED_DNS, aws={"endpoint": endpoint})
    dns = spec.network.dns
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, STACK)
    LocalBackend(stack, path=str(outdir / "state" / f"{STACK}.tfstate"))
    aws_provider(stack, spec, "network")
    vpc = Vpc(stack, "vpc", cidr_block="10.0.0.0/16", enable_dns_support=True, enable_dns_hostnames=True)
    key = EncryptionKey(stack, "logs-key", alias="t-network-logs", description="t: logs", region=REGION)
    AwsPrivateDns(stack, "private-dns", name="t", vpc_id=vpc.id, private_zone=dns.private_zone,
                  public_zone=dns.public_zone, kms_key_arn=key.arn, query_logging=dns.query_logging)
    app.synth()
    return outdir / "stacks" / STACK


def emulator_artifact(rc: dict) -> bool:
    """The private zone's ``vpc`` added back in place (moto stores no association), nothing else."""
    change = rc["change"]
    if rc["type"] != "aws_route53_zone" or change["actions"] != ["update"] or change["after"]["name"] != PRIVATE:
        return False
    return differences(change) == {"vpc"} and change["before"]["vpc"] == []


def differences(change: dict) -> set[str]:
    """Attributes a planned change alters (known after-values that differ, or values known only after apply)."""
    unknown = {k for k, v in (change.get("after_unknown") or {}).items() if _holds_true(v)}
    return {k for k in set(change["before"] or {}) | set(change["after"] or {})
            if (change["before"] or {}).get(k) != (change["after"] or {}).get(k)} | unknown


def _holds_true(value) -> bool:
    if isinstance(value, dict):
        return any(_holds_true(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_true(v) for v in value)
    return value is True


@pytest.fixture(scope="module")
def probe(tmp_path_factory, request):
    yield from probe_fixture(tmp_path_factory, request, label="private-dns", region=REGION, build=build_probe)


@pytest.mark.e2e
def test_the_private_zone_applies_replans_clean_and_destroys(probe):
    started = time.monotonic()
    init(probe.folder, probe.env)
    terraform(["apply", "-auto-approve", "-input=false"], probe.folder, probe.env)
    probe.timed("apply", started)

    route53 = probe.aws("route53")
    zones = {z["Name"]: z for z in route53.list_hosted_zones()["HostedZones"]}
    assert set(zones) == {f"{PRIVATE}.", f"{PUBLIC}."}
    assert zones[f"{PUBLIC}."]["Config"]["PrivateZone"] is False
    resolver = probe.aws("route53resolver")
    assert resolver.list_resolver_query_log_configs()["ResolverQueryLogConfigs"] == []

    started = time.monotonic()
    terraform(["plan", "-input=false", "-out=replan.tfplan"], probe.folder, probe.env)
    shown = json.loads(terraform(["show", "-json", "replan.tfplan"], probe.folder, probe.env).stdout)
    probe.timed("re-plan", started)
    changes = [rc for rc in shown.get("resource_changes", []) if rc["change"]["actions"] != ["no-op"]]
    assert [emulator_artifact(rc) for rc in changes] == [True] * len(changes), \
        "perpetual diff beyond the emulator's missing VPC association:\n" + json.dumps(
            [{"address": rc["address"], "actions": rc["change"]["actions"], "differs": sorted(differences(rc["change"]))}
             for rc in changes], indent=1)
    assert len(changes) <= 1

    started = time.monotonic()
    destroy(probe.folder, probe.env)
    probe.timed("destroy", started)
    assert route53.list_hosted_zones()["HostedZones"] == []
    assert resolver.list_resolver_query_log_configs()["ResolverQueryLogConfigs"] == []
