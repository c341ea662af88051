"""ValkeyCache: ElastiCache for Valkey, multi-AZ, encrypted, IAM-authenticated (no secret), nodes only."""

import json

import pytest

from platform_constructs.aws.cache import MAINTENANCE_WINDOW, PORT, SNAPSHOT_WINDOW, ValkeyCache
from platform_constructs.versions import ELASTICACHE_VALKEY_VERSION
from tests.aws.test_observability_storage import aws_probe
from tests.helpers import one, ref

KEY = "arn:aws:kms:us-east-1:111122223333:key/0f0e0d0c-0b0a-0908-0706-050403020100"
SUBNETS = {"us-east-1a": "subnet-a", "us-east-1b": "subnet-b"}


def cache_doc(**props) -> dict:
    props = {"name": "tc-cache", "node_type": "cache.t4g.medium", "kms_key_arn": KEY, "subnet_ids_by_zone": SUBNETS,
             "vpc_id": "vpc-1", "node_security_group_id": "sg-nodes", **props}
    return aws_probe(lambda stack: ValkeyCache(stack, "cache", **props))


@pytest.fixture(scope="module")
def doc():
    return cache_doc()


def test_valkey_current_major_one_shard_replicas_multi_az_failover(doc):
    group = one(doc, "aws_elasticache_replication_group")
    assert (group["engine"], group["engine_version"]) == ("valkey", ELASTICACHE_VALKEY_VERSION)
    assert ELASTICACHE_VALKEY_VERSION.startswith("9.")
    assert (group["cluster_mode"], group["num_node_groups"], group["replicas_per_node_group"]) == ("disabled", 1, 1)
    assert group["automatic_failover_enabled"] is True and group["multi_az_enabled"] is True
    assert group["node_type"] == "cache.t4g.medium" and group["port"] == PORT
    assert one(cache_doc(replicas=2), "aws_elasticache_replication_group")["replicas_per_node_group"] == 2


def test_encrypted_at_rest_with_the_key_and_in_transit(doc):
    group = one(doc, "aws_elasticache_replication_group")
    assert group["at_rest_encryption_enabled"] == "true" and group["kms_key_id"] == KEY
    assert group["transit_encryption_enabled"] is True


def test_iam_authenticated_user_in_a_valkey_user_group_and_no_secret(doc):
    group = one(doc, "aws_elasticache_replication_group")
    user = one(doc, "aws_elasticache_user")
    user_group = one(doc, "aws_elasticache_user_group")
    assert user["authentication_mode"] == {"type": "iam"}
    assert user["user_id"] == user["user_name"] == "tc-cache-app" and user["engine"] == "valkey"
    assert user_group["engine"] == "valkey" and user_group["user_ids"] == [ref(doc, "aws_elasticache_user", user, "user_id")]
    assert group["user_group_ids"] == [ref(doc, "aws_elasticache_user_group", user_group, "user_group_id")]
    text = json.dumps(doc)
    for secret in ("auth_token", "passwords", "random_password", "aws_secretsmanager_secret"):
        assert secret not in text


def test_private_subnets_and_reachable_from_the_nodes_only(doc):
    group = one(doc, "aws_elasticache_replication_group")
    subnets = one(doc, "aws_elasticache_subnet_group")
    assert sorted(subnets["subnet_ids"]) == ["subnet-a", "subnet-b"]
    assert group["subnet_group_name"] == ref(doc, "aws_elasticache_subnet_group", subnets, "name")
    sg = one(doc, "aws_security_group")
    assert group["security_group_ids"] == [ref(doc, "aws_security_group", sg)]
    [rule] = sg["ingress"]
    assert (rule["protocol"], rule["from_port"], rule["to_port"], rule["security_groups"]) == ("tcp", PORT, PORT, ["sg-nodes"])
    assert not rule.get("cidr_blocks") and sg["egress"] == []


def test_snapshots_kept_final_snapshot_windows_and_destroy_guard(doc):
    group = one(doc, "aws_elasticache_replication_group")
    assert group["snapshot_retention_limit"] == 7 and group["snapshot_window"] == SNAPSHOT_WINDOW
    assert group["final_snapshot_identifier"] == "tc-cache-final"
    assert group["maintenance_window"] == MAINTENANCE_WINDOW
    assert group["lifecycle"] == {"prevent_destroy": True}
    assert "lifecycle" not in one(cache_doc(prevent_destroy=False), "aws_elasticache_replication_group")


def test_slow_log_to_an_encrypted_log_group(doc):
    group = one(doc, "aws_elasticache_replication_group")
    log = one(doc, "aws_cloudwatch_log_group")
    assert log["name"] == "/aws/elasticache/tc-cache/slow-log" and log["kms_key_id"] == KEY
    assert log["retention_in_days"] == 30
    assert group["log_delivery_configuration"] == [{"destination": ref(doc, "aws_cloudwatch_log_group", log, "name"),
                                                    "destination_type": "cloudwatch-logs", "log_format": "json",
                                                    "log_type": "slow-log"}]


def test_bad_arguments_are_reported_together():
    with pytest.raises(ValueError) as err:
        cache_doc(name="Bad--name", node_type="m6i.large", replicas=0, subnet_ids_by_zone={"us-east-1a": "subnet-a"},
                  snapshot_retention_days=0)
    message = str(err.value)
    for part in ("'Bad--name' is not an ElastiCache id", "'m6i.large' is not an ElastiCache node type", "replicas 0",
                 "1 zone(s)", "snapshot_retention_days 0"):
        assert part in message, part
