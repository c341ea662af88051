"""Buckets and storage accounts are versioned, private, TLS-only and never force-destroyed.

They hold what must outlive a cluster (metrics, logs, traces, application data), so a bucket a
``terraform destroy`` could empty, or the internet could read, is refused at synth:

- ``aws_s3_bucket``: ``force_destroy`` not true; an ``aws_s3_bucket_versioning`` with status
  ``Enabled`` and an ``aws_s3_bucket_public_access_block`` with all four switches true that point
  at it (its encryption is the ``encrypted`` rule's);
- ``google_storage_bucket``: ``force_destroy`` not true, ``uniform_bucket_level_access``,
  ``public_access_prevention = "enforced"``, versioning on (or, since GCS refuses both, a retention
  policy), ``encryption.default_kms_key_name``;
- ``azurerm_storage_account``: shared keys, public network access and public blobs off, HTTPS
  only (its 4.x default), a customer-managed key (inline or an
  ``azurerm_storage_account_customer_managed_key`` pointing at it), blob versioning on.
"""

from platform_constructs.invariants import Rule, Violation, as_list, resources

_PUBLIC_ACCESS_SWITCHES = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")


def _pointing_at(doc, rtype: str, field: str, address: str) -> list[dict]:
    """Bodies of ``rtype`` whose ``field`` references the resource at ``address`` (``${<address>.id}``...)."""
    return [body for _, body in resources(doc, rtype)
            if isinstance(body.get(field), str) and f"${{{address}." in body[field]]


def _first(value) -> dict:
    items = as_list(value)
    return items[0] if items and isinstance(items[0], dict) else {}


def _aws(stack, doc):
    for address, body in resources(doc, "aws_s3_bucket"):
        if body.get("force_destroy") is True:
            yield Violation(stack, address, "bucket is force-destroyable: remove force_destroy (a destroy would "
                                            "delete every object)")
        versioning = _pointing_at(doc, "aws_s3_bucket_versioning", "bucket", address)
        if not any(_first(v.get("versioning_configuration")).get("status") == "Enabled" for v in versioning):
            yield Violation(stack, address, "bucket is not versioned: add aws_s3_bucket_versioning with status "
                                            "Enabled")
        blocks = _pointing_at(doc, "aws_s3_bucket_public_access_block", "bucket", address)
        if not any(all(b.get(s) is True for s in _PUBLIC_ACCESS_SWITCHES) for b in blocks):
            yield Violation(stack, address, "bucket's public access is not blocked: add "
                                            "aws_s3_bucket_public_access_block with all four switches true")


def _gcp(stack, doc):
    for address, body in resources(doc, "google_storage_bucket"):
        problems = []
        if body.get("force_destroy") is True:
            problems.append("force_destroy is true (remove it)")
        if body.get("uniform_bucket_level_access") is not True:
            problems.append("uniform_bucket_level_access is not true")
        if body.get("public_access_prevention") != "enforced":
            problems.append('public_access_prevention is not "enforced"')
        # Cloud Storage refuses a retention policy on a versioned bucket: a retained (immutable) bucket
        # keeps old data through its policy instead.
        retained = bool(_first(body.get("retention_policy")).get("retention_period"))
        if _first(body.get("versioning")).get("enabled") is not True and not retained:
            problems.append("versioning is not enabled (nor a retention policy)")
        if not _first(body.get("encryption")).get("default_kms_key_name"):
            problems.append("encryption.default_kms_key_name is not set")
        if problems:
            yield Violation(stack, address, f"bucket is not private, versioned and CMEK-encrypted: {'; '.join(problems)}")


def _azure(stack, doc):
    for address, body in resources(doc, "azurerm_storage_account"):
        problems = []
        for field in ("shared_access_key_enabled", "public_network_access_enabled", "allow_nested_items_to_be_public"):
            if body.get(field) is not False:
                problems.append(f"{field} is not false")
        if body.get("https_traffic_only_enabled") is False:
            problems.append("https_traffic_only_enabled is false")
        if not (_first(body.get("customer_managed_key"))
                or _pointing_at(doc, "azurerm_storage_account_customer_managed_key", "storage_account_id", address)):
            problems.append("no customer-managed key")
        if _first(body.get("blob_properties")).get("versioning_enabled") is not True:
            problems.append("blob_properties.versioning_enabled is not true")
        if problems:
            yield Violation(stack, address, f"storage account is not private, versioned and customer-key encrypted: "
                                            f"{'; '.join(problems)}")


def check(stack, doc, spec):
    yield from _aws(stack, doc)
    yield from _gcp(stack, doc)
    yield from _azure(stack, doc)


RULE = Rule("buckets-private", "buckets are versioned, not public, customer-key encrypted and never force-destroyed",
            check)
