"""platform_tools.emulator_compat: the emulator answers as the AWS API reference documents (fast: boto3 only).

One emulator, started exactly as every e2e test starts it (:class:`platform_tools.local.Emulator`, a
subprocess on a free port), serves the module. Whether moto *still needs* each patch is checked by
tests/test_e2e_private_dns.py (on bare moto, in-process).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from platform_tools import emulator_compat
from platform_tools.local import Emulator, client, free_port

REGION = "us-east-1"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    emulator = Emulator(free_port(), tmp_path_factory.mktemp("compat") / "moto.log").start()
    try:
        yield emulator.endpoint
    finally:
        emulator.stop()


@pytest.fixture(scope="module")
def vpc_id(endpoint):
    return client("ec2", endpoint, REGION).create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]


def test_a_zone_created_with_a_vpc_and_no_private_flag_is_private_with_that_vpc(endpoint, vpc_id):
    route53 = client("route53", endpoint, REGION)
    created = route53.create_hosted_zone(Name="compat.internal", CallerReference="compat-1",
                                         VPC={"VPCRegion": REGION, "VPCId": vpc_id})
    assert created["HostedZone"]["Config"]["PrivateZone"] is True
    assert created["VPC"] == {"VPCRegion": REGION, "VPCId": vpc_id}
    zone = route53.get_hosted_zone(Id=created["HostedZone"]["Id"])
    assert zone["HostedZone"]["Config"]["PrivateZone"] is True
    assert zone["VPCs"] == [{"VPCRegion": REGION, "VPCId": vpc_id}]
    by_vpc = route53.list_hosted_zones_by_vpc(VPCId=vpc_id, VPCRegion=REGION)["HostedZoneSummaries"]
    assert [z["Name"] for z in by_vpc] == ["compat.internal."]


def test_a_zone_without_a_vpc_stays_public(endpoint):
    route53 = client("route53", endpoint, REGION)
    created = route53.create_hosted_zone(Name="compat.example.com", CallerReference="compat-2")
    assert created["HostedZone"]["Config"]["PrivateZone"] is False
    zone = route53.get_hosted_zone(Id=created["HostedZone"]["Id"])
    assert "VPCs" not in zone and len(zone["DelegationSet"]["NameServers"]) == 4


def test_an_explicit_private_flag_is_still_honoured(endpoint, vpc_id):
    route53 = client("route53", endpoint, REGION)
    created = route53.create_hosted_zone(Name="flagged.internal", CallerReference="compat-3",
                                         HostedZoneConfig={"PrivateZone": True},
                                         VPC={"VPCRegion": REGION, "VPCId": vpc_id})
    zone = route53.get_hosted_zone(Id=created["HostedZone"]["Id"])
    assert zone["HostedZone"]["Config"]["PrivateZone"] is True and zone["VPCs"][0]["VPCId"] == vpc_id


def test_a_query_log_config_has_its_tags_and_is_disassociated_then_deleted(endpoint, vpc_id):
    resolver = client("route53resolver", endpoint, REGION)
    config = resolver.create_resolver_query_log_config(
        Name="compat-queries", DestinationArn=f"arn:aws:logs:{REGION}:123456789012:log-group:compat",
        CreatorRequestId="compat-ql", Tags=[{"Key": "environment", "Value": "compat"}])["ResolverQueryLogConfig"]
    assert resolver.list_tags_for_resource(ResourceArn=config["Arn"])["Tags"] == [
        {"Key": "environment", "Value": "compat"}]
    resolver.tag_resource(ResourceArn=config["Arn"], Tags=[{"Key": "layer", "Value": "network"}])
    resolver.untag_resource(ResourceArn=config["Arn"], TagKeys=["environment"])
    assert resolver.list_tags_for_resource(ResourceArn=config["Arn"])["Tags"] == [{"Key": "layer", "Value": "network"}]

    association = resolver.associate_resolver_query_log_config(
        ResolverQueryLogConfigId=config["Id"], ResourceId=vpc_id)["ResolverQueryLogConfigAssociation"]
    with pytest.raises(ClientError) as refused:
        resolver.delete_resolver_query_log_config(ResolverQueryLogConfigId=config["Id"])
    assert refused.value.response["Error"]["Code"] == "InvalidRequestException"

    gone = resolver.disassociate_resolver_query_log_config(
        ResolverQueryLogConfigId=config["Id"], ResourceId=vpc_id)["ResolverQueryLogConfigAssociation"]
    assert (gone["Id"], gone["Status"]) == (association["Id"], "DELETING")
    with pytest.raises(ClientError) as missing:
        resolver.get_resolver_query_log_config_association(ResolverQueryLogConfigAssociationId=association["Id"])
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert resolver.get_resolver_query_log_config(ResolverQueryLogConfigId=config["Id"])[
        "ResolverQueryLogConfig"]["AssociationCount"] == 0

    deleted = resolver.delete_resolver_query_log_config(ResolverQueryLogConfigId=config["Id"])["ResolverQueryLogConfig"]
    assert (deleted["Id"], deleted["Status"]) == (config["Id"], "DELETING")
    assert resolver.list_resolver_query_log_configs()["ResolverQueryLogConfigs"] == []
    for call in (lambda: resolver.get_resolver_query_log_config(ResolverQueryLogConfigId=config["Id"]),
                 lambda: resolver.list_tags_for_resource(ResourceArn=config["Arn"]),
                 lambda: resolver.delete_resolver_query_log_config(ResolverQueryLogConfigId=config["Id"])):
        with pytest.raises(ClientError) as missing:
            call()
        assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_the_installed_moto_is_the_pinned_one():
    assert emulator_compat.version_problem() is None


def test_another_moto_version_is_refused_with_one_line_before_anything_is_patched(monkeypatch, capsys):
    applied = []
    monkeypatch.setattr(emulator_compat, "version", lambda _: "9.9.9")
    monkeypatch.setattr(emulator_compat, "apply_patches", lambda: applied.append(True))
    assert emulator_compat.main(["-p", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "moto 9.9.9 is installed" in err
    assert f"moto {emulator_compat.pinned_moto()}" in err and "requirements/test.txt" in err
    assert applied == []


def test_the_pin_is_read_from_the_requirements_file(tmp_path, monkeypatch):
    pins = tmp_path / "test.txt"
    pins.write_text("boto3==1.0\nmoto[server]==4.1.0\npytest==9\n", encoding="utf-8")
    monkeypatch.setattr(emulator_compat, "PIN_FILE", pins)
    assert emulator_compat.pinned_moto() == "4.1.0"
