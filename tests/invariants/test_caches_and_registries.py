"""private-data: caches encrypted at rest and in transit, registries and buckets not opened to everyone."""

import json

import pytest

from tests.invariants.helpers import messages

RULE = "private-data"


def doc(rtype: str, body: dict) -> dict:
    return {"resource": {rtype: {"x": body}}}


VALKEY = {"at_rest_encryption_enabled": "true", "transit_encryption_enabled": True, "kms_key_id": "arn:key"}
MEMORYSTORE = {"transit_encryption_mode": "SERVER_AUTHENTICATION", "authorization_mode": "IAM_AUTH"}
MANAGED_REDIS = {"default_database": {"client_protocol": "Encrypted"}, "public_network_access": "Disabled"}
ACR = {"public_network_access_enabled": False, "admin_enabled": False, "anonymous_pull_enabled": False}
DENY_PLAIN_HTTP = json.dumps({"Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
                                             "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})


@pytest.mark.parametrize("rtype, body", [
    ("aws_elasticache_replication_group", VALKEY), ("google_memorystore_instance", MEMORYSTORE),
    ("azurerm_managed_redis", MANAGED_REDIS), ("azurerm_container_registry", ACR),
    ("aws_s3_bucket_policy", {"policy": DENY_PLAIN_HTTP}),
    ("google_storage_bucket_iam_member", {"member": "serviceAccount:a@p.iam.gserviceaccount.com"}),
])
def test_the_platforms_settings_pass(rtype, body):
    assert messages(RULE, doc(rtype, body)) == []


@pytest.mark.parametrize("rtype, body, fix", [
    ("aws_elasticache_replication_group", {**VALKEY, "transit_encryption_enabled": False}, "in transit"),
    ("aws_elasticache_replication_group", {**VALKEY, "kms_key_id": None}, "customer key"),
    ("google_memorystore_instance", {**MEMORYSTORE, "transit_encryption_mode": "TRANSIT_ENCRYPTION_DISABLED"}, "TLS"),
    ("google_memorystore_instance", {**MEMORYSTORE, "authorization_mode": "AUTH_DISABLED"}, "IAM"),
    ("azurerm_managed_redis", {**MANAGED_REDIS, "default_database": {"client_protocol": "Plaintext"}}, "plain text"),
    ("azurerm_managed_redis", {**MANAGED_REDIS, "public_network_access": "Enabled"}, "internet"),
    ("azurerm_container_registry", {**ACR, "anonymous_pull_enabled": True}, "registry is public"),
    ("azurerm_container_registry", {**ACR, "public_network_access_enabled": None}, "registry is public"),
    ("google_artifact_registry_repository_iam_member", {"member": "allUsers"}, "everyone"),
    ("google_storage_bucket_iam_binding", {"members": ["user:a@b.c", "allAuthenticatedUsers"]}, "everyone"),
    ("aws_ecr_repository_policy", {"policy": json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*",
                                                                         "Action": "ecr:*"}]})}, "everyone"),
    ("aws_s3_bucket_policy", {"policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]},
                                                         "Action": "s3:GetObject"}]}}, "everyone"),
])
def test_each_opening_is_named(rtype, body, fix):
    [message] = messages(RULE, doc(rtype, body))
    assert fix in message
