"""The AWS private zone: ``terraform validate`` of the network stack, and the real construct applied to the emulator.

1. validate: the ``<env>-network`` stack of an AWS spec with ``network.dns`` (private and public zone),
   with the real hashicorp/aws provider (``$PLATFORM_PROVIDER_MIRROR``).
2. emulator (moto, through :mod:`platform_tools.emulator_compat`): a probe stack holding a VPC with DNS
   support, the network's log key (:class:`EncryptionKey`) and the REAL :class:`AwsPrivateDns` with
   every part on (private zone on the VPC, public zone, Resolver query logging to an encrypted log
   group) is applied, read back through boto3, re-planned CLEAN, and destroyed (nothing left).
   Bare moto 5.2.5 could not: it stores a zone created with ``VPC`` but no ``HostedZoneConfig.PrivateZone``
   (what the hashicorp/aws provider sends) as public without its VPC, tags of a query log configuration
   answer "not found", and it cannot disassociate or delete a query log configuration. The shim corrects
   exactly these to what the AWS API reference documents (its docstring cites both sides); the JSON is
   the one synthesized for AWS. 3. checks on bare moto that each correction is still needed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import main
from platform_tools.terraform import run, terraform_env
from tests.emulator_probe import probe_fixture
from tests.helpers import make_spec

pytestmark = [pytest.mark.slow]

REGION = "us-east-1"
STACK = "private-dns-probe"
PRIVATE, PUBLIC = "corp.internal", "apps.example.com"
DNS = {"cidr": "10.0.0.0/16", "dns": {"private_zone": PRIVATE, "public_zone": PUBLIC}}


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

    spec = make_spec(network=DNS, aws={"endpoint": endpoint})
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


@pytest.fixture(scope="module")
def probe(tmp_path_factory, request):
    yield from probe_fixture(tmp_path_factory, request, label="private-dns", region=REGION, build=build_probe)


@pytest.mark.e2e
def test_the_private_zone_applies_replans_clean_and_destroys(probe):
    probe.apply("apply")

    ec2, route53, resolver = probe.aws("ec2"), probe.aws("route53"), probe.aws("route53resolver")
    [vpc] = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.0.0.0/16"]}])["Vpcs"]
    zones = {z["Name"]: z for z in route53.list_hosted_zones()["HostedZones"]}
    assert set(zones) == {f"{PRIVATE}.", f"{PUBLIC}."}
    assert zones[f"{PUBLIC}."]["Config"]["PrivateZone"] is False
    assert zones[f"{PRIVATE}."]["Config"]["PrivateZone"] is True
    private = route53.get_hosted_zone(Id=zones[f"{PRIVATE}."]["Id"])
    assert private["VPCs"] == [{"VPCRegion": REGION, "VPCId": vpc["VpcId"]}]

    [config] = resolver.list_resolver_query_log_configs()["ResolverQueryLogConfigs"]
    [group] = probe.aws("logs").describe_log_groups(logGroupNamePrefix="/aws/route53resolver/t/")["logGroups"]
    assert config["DestinationArn"] == group["arn"].removesuffix(":*") and group["kmsKeyId"].startswith("arn:aws:kms:")
    [association] = resolver.list_resolver_query_log_config_associations()["ResolverQueryLogConfigAssociations"]
    assert (association["ResolverQueryLogConfigId"], association["ResourceId"], association["Status"]) == (
        config["Id"], vpc["VpcId"], "ACTIVE")
    stack = json.loads((probe.folder / "cdk.tf.json").read_text())
    [provider] = stack["provider"]["aws"]
    default_tags = provider["default_tags"][0]["tags"]
    assert default_tags and {t["Key"]: t["Value"] for t in resolver.list_tags_for_resource(
        ResourceArn=config["Arn"])["Tags"]} == default_tags

    status, changes, output = probe.replan()
    assert [f"{rc['address']} {rc['change']['actions']}" for rc in changes] == [] and status == 0, output

    probe.destroy()
    assert route53.list_hosted_zones()["HostedZones"] == []
    assert resolver.list_resolver_query_log_configs()["ResolverQueryLogConfigs"] == []
    assert resolver.list_resolver_query_log_config_associations()["ResolverQueryLogConfigAssociations"] == []


def test_bare_moto_still_needs_each_emulator_compat_patch(monkeypatch):
    """Each patch of platform_tools/emulator_compat.py, checked on moto WITHOUT it (in-process, mock_aws).
    Should a moto upgrade answer as AWS documents, the failing assertion names the patch to remove
    from ``emulator_compat.PATCHES`` (and its docstring paragraph)."""
    import boto3
    from moto import mock_aws
    from moto.route53.responses import Route53
    from moto.route53resolver.models import Route53ResolverBackend
    from moto.route53resolver.responses import Route53ResolverResponse

    from platform_tools import emulator_compat

    assert emulator_compat.version_problem() is None
    assert Route53.create_hosted_zone.__module__ == "moto.route53.responses", "patched in this process: run alone"
    assert Route53ResolverBackend._matched_arn.__module__ == "moto.route53resolver.models"
    credentials = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": REGION}
    for name, value in credentials.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        vpc = boto3.client("ec2", region_name=REGION).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        zone = boto3.client("route53").create_hosted_zone(Name=PRIVATE, CallerReference="still-needed",
                                                          VPC={"VPCRegion": REGION, "VPCId": vpc})
        assert zone["HostedZone"]["Config"]["PrivateZone"] is False, \
            "moto now makes a zone with a VPC private: remove patch_private_zone_from_vpc from emulator_compat"

        resolver = boto3.client("route53resolver", region_name=REGION)
        config = resolver.create_resolver_query_log_config(
            Name="still-needed", DestinationArn=f"arn:aws:logs:{REGION}:123456789012:log-group:x",
            CreatorRequestId="still-needed", Tags=[{"Key": "k", "Value": "v"}])["ResolverQueryLogConfig"]
        with pytest.raises(Exception) as failed:
            resolver.list_tags_for_resource(ResourceArn=config["Arn"])
        assert "ResourceNotFoundException" in str(failed.value), \
            "moto now lists a query log config's tags: remove patch_query_log_config_tags from emulator_compat"
        for operation in ("disassociate_resolver_query_log_config", "delete_resolver_query_log_config"):
            assert not hasattr(Route53ResolverResponse, operation), \
                f"moto now implements {operation}: remove patch_query_log_config_delete from emulator_compat"
