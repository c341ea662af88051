"""Caches are encrypted at rest and in transit; registries and buckets are never opened to everyone.

- ``aws_elasticache_replication_group``: ``at_rest_encryption_enabled`` and
  ``transit_encryption_enabled`` true, ``kms_key_id`` set (a customer key);
- ``google_memorystore_instance``: ``transit_encryption_mode = SERVER_AUTHENTICATION`` (at rest
  Memorystore always encrypts) and ``authorization_mode = IAM_AUTH``;
- ``azurerm_managed_redis``: ``client_protocol = Encrypted`` on the default database and
  ``public_network_access = Disabled``;
- ``azurerm_container_registry``: public network access, the admin user and anonymous pull off;
- no IAM grant to everyone: a ``google_*_iam_member`` / ``_iam_binding`` naming ``allUsers`` or
  ``allAuthenticatedUsers``, or an ``aws_ecr_repository_policy`` / ``aws_s3_bucket_policy`` that
  allows ``"*"`` as principal, is refused (a deny to everyone, like a TLS-only policy, is fine).
"""

import json

from platform_constructs.invariants import Rule, Violation, as_list, resources

_EVERYONE = ("allUsers", "allAuthenticatedUsers")


def _first(value) -> dict:
    items = as_list(value)
    return items[0] if items and isinstance(items[0], dict) else {}


def _true(value) -> bool:
    return value is True or str(value).lower() == "true"


def _allows_everyone(policy) -> bool:
    try:
        doc = json.loads(policy) if isinstance(policy, str) else policy
    except ValueError:
        return False
    for statement in as_list((doc or {}).get("Statement")):
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        if principal == "*" or (isinstance(principal, dict) and "*" in as_list(principal.get("AWS"))):
            return True
    return False


def check(stack, doc, spec):
    for address, body in resources(doc, "aws_elasticache_replication_group"):
        if not (_true(body.get("at_rest_encryption_enabled")) and _true(body.get("transit_encryption_enabled"))
                and body.get("kms_key_id")):
            yield Violation(stack, address, "cache is not encrypted at rest with a customer key and in transit: set "
                                            "at_rest_encryption_enabled, kms_key_id and transit_encryption_enabled")
    for address, body in resources(doc, "google_memorystore_instance"):
        if body.get("transit_encryption_mode") != "SERVER_AUTHENTICATION" or body.get("authorization_mode") != "IAM_AUTH":
            yield Violation(stack, address, "cache does not require TLS and IAM: set transit_encryption_mode "
                                            "SERVER_AUTHENTICATION and authorization_mode IAM_AUTH")
    for address, body in resources(doc, "azurerm_managed_redis"):
        if _first(body.get("default_database")).get("client_protocol") != "Encrypted" or \
                body.get("public_network_access") != "Disabled":
            yield Violation(stack, address, "cache is reachable in plain text or from the internet: set "
                                            "default_database.client_protocol Encrypted and public_network_access Disabled")
    for address, body in resources(doc, "azurerm_container_registry"):
        if body.get("public_network_access_enabled") is not False or body.get("admin_enabled") is True or \
                body.get("anonymous_pull_enabled") is True:
            yield Violation(stack, address, "registry is public: set public_network_access_enabled false, admin_enabled "
                                            "false and anonymous_pull_enabled false")
    for rtype in sorted(doc.get("resource", {})):
        if not rtype.startswith("google_") or not rtype.endswith(("_iam_member", "_iam_binding")):
            continue
        for address, body in resources(doc, rtype):
            members = as_list(body.get("members")) + as_list(body.get("member"))
            if any(m in _EVERYONE for m in members):
                yield Violation(stack, address, "grants a role to everyone (allUsers / allAuthenticatedUsers): "
                                                "name the principals")
    for address, body in resources(doc, "aws_ecr_repository_policy", "aws_s3_bucket_policy"):
        if _allows_everyone(body.get("policy")):
            yield Violation(stack, address, "policy allows everyone (Principal \"*\"): name the principals")


RULE = Rule("private-data", "caches encrypted at rest and in transit; registries and buckets not public", check)
