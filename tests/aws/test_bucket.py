"""PrivateBucket: one hardened S3 bucket (private, versioned, encrypted, TLS-only, expiring, logged)."""

import json

import pytest

from platform_constructs.aws.bucket import PrivateBucket
from platform_constructs.observability.storage import ABORT_INCOMPLETE_UPLOAD_DAYS, NONCURRENT_VERSION_DAYS
from tests.aws.test_observability_storage import aws_probe
from tests.helpers import one, ref, resources

KEY = "arn:aws:kms:us-east-1:111122223333:key/0f0e0d0c-0b0a-0908-0706-050403020100"


def bucket_doc(*, with_log_bucket: bool = False, **props) -> dict:
    props = {"name": "acme-t-111122223333-loki-chunks", **props}

    def build(stack):
        if with_log_bucket:
            props["log_bucket"] = PrivateBucket(stack, "logs", name="logs-bucket")
        PrivateBucket(stack, "b", **props)

    return aws_probe(build)


def of(doc, rtype, bucket_id="b") -> dict:
    """The ``rtype`` body of bucket construct ``bucket_id``."""
    [body] = [b for b in resources(doc, rtype) if b["//"]["metadata"]["path"].split("/")[1] == bucket_id]
    return body


@pytest.fixture(scope="module")
def kms():
    return bucket_doc(kms_key_arn=KEY, expiration_days=37, with_log_bucket=True)


def test_never_force_destroyed_and_destroy_guarded_by_default(kms):
    bucket = of(kms, "aws_s3_bucket")
    assert bucket["bucket"] == "acme-t-111122223333-loki-chunks"
    assert bucket["force_destroy"] is False
    assert bucket["lifecycle"] == {"prevent_destroy": True}
    assert "lifecycle" not in one(bucket_doc(prevent_destroy=False), "aws_s3_bucket")


def test_private_owner_enforced_and_versioned(kms):
    bucket = of(kms, "aws_s3_bucket")
    block = of(kms, "aws_s3_bucket_public_access_block")
    assert block["bucket"] == ref(kms, "aws_s3_bucket", bucket)
    assert all(block[k] is True for k in ("block_public_acls", "block_public_policy", "ignore_public_acls",
                                          "restrict_public_buckets"))
    assert of(kms, "aws_s3_bucket_ownership_controls")["rule"] == {"object_ownership": "BucketOwnerEnforced"}
    assert of(kms, "aws_s3_bucket_versioning")["versioning_configuration"] == {"status": "Enabled"}


def test_sse_kms_with_a_bucket_key_or_sse_s3_without_a_key(kms):
    [rule] = of(kms, "aws_s3_bucket_server_side_encryption_configuration")["rule"]
    assert rule["apply_server_side_encryption_by_default"] == {"sse_algorithm": "aws:kms", "kms_master_key_id": KEY}
    assert rule["bucket_key_enabled"] is True
    [plain] = one(bucket_doc(), "aws_s3_bucket_server_side_encryption_configuration")["rule"]
    assert plain["apply_server_side_encryption_by_default"] == {"sse_algorithm": "AES256"}
    assert "bucket_key_enabled" not in plain


def test_policy_denies_every_request_without_tls_and_adds_extra_statements(kms):
    bucket = of(kms, "aws_s3_bucket")
    arn = ref(kms, "aws_s3_bucket", bucket, "arn")
    policy = of(kms, "aws_s3_bucket_policy")
    [deny] = json.loads(policy["policy"])["Statement"]
    assert deny == {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
                    "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    block = ref(kms, "aws_s3_bucket_public_access_block", of(kms, "aws_s3_bucket_public_access_block"))
    assert policy["depends_on"] == [block.removeprefix("${").removesuffix(".id}")]
    extra = {"Sid": "X", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
             "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}
    statements = json.loads(one(bucket_doc(extra_statements=[extra]), "aws_s3_bucket_policy")["policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["DenyInsecureTransport", "X"]


def test_lifecycle_expires_current_objects_cleans_noncurrent_and_uploads(kms):
    lifecycle = of(kms, "aws_s3_bucket_lifecycle_configuration")
    rules = {r["id"]: r for r in lifecycle["rule"]}
    assert rules["expire-current"]["expiration"] == [{"days": 37}]
    assert rules["expire-current"]["filter"] == [{}] and rules["expire-current"]["status"] == "Enabled"
    clean = rules["clean-up"]
    assert clean["noncurrent_version_expiration"] == [{"noncurrent_days": NONCURRENT_VERSION_DAYS}]
    assert clean["abort_incomplete_multipart_upload"] == [{"days_after_initiation": ABORT_INCOMPLETE_UPLOAD_DAYS}]
    assert clean["expiration"] == [{"expired_object_delete_marker": True}]
    assert any(d.startswith("aws_s3_bucket_versioning.") for d in lifecycle["depends_on"])


def test_state_buckets_keep_current_objects():
    rules = one(bucket_doc(kms_key_arn=KEY), "aws_s3_bucket_lifecycle_configuration")["rule"]
    assert [r["id"] for r in rules] == ["clean-up"]


def test_access_logged_under_its_own_prefix_once_the_target_admits_it(kms):
    logging = one(kms, "aws_s3_bucket_logging")
    target = of(kms, "aws_s3_bucket", "logs")
    assert logging["bucket"] == ref(kms, "aws_s3_bucket", of(kms, "aws_s3_bucket"))
    assert logging["target_bucket"] == ref(kms, "aws_s3_bucket", target)
    assert logging["target_prefix"] == "acme-t-111122223333-loki-chunks/"
    policy = ref(kms, "aws_s3_bucket_policy", of(kms, "aws_s3_bucket_policy", "logs"))
    assert policy.removeprefix("${").removesuffix(".id}") in logging["depends_on"]
    assert "aws_s3_bucket_logging" not in bucket_doc()["resource"]


@pytest.mark.parametrize("days", [0, -1, 1.5])
def test_expiration_must_be_whole_days(days):
    with pytest.raises(ValueError, match=r"expiration_days .* whole number of days"):
        bucket_doc(expiration_days=days)


def test_noncurrent_days_and_archive_to_glacier():
    doc = bucket_doc(kms_key_arn=KEY, noncurrent_days=30, archive_after_days=45)
    rules = {r["id"]: r for r in one(doc, "aws_s3_bucket_lifecycle_configuration")["rule"]}
    assert rules["archive-current"]["transition"] == [{"days": 45, "storage_class": "GLACIER"}]
    assert rules["archive-current"]["filter"] == [{}] and rules["archive-current"]["status"] == "Enabled"
    assert rules["clean-up"]["noncurrent_version_expiration"] == [{"noncurrent_days": 30}]
    assert "expire-current" not in rules


def test_object_lock_enabled_at_creation_with_a_governance_default_retention():
    doc = bucket_doc(kms_key_arn=KEY, object_lock_days=90)
    bucket = one(doc, "aws_s3_bucket")
    assert bucket["object_lock_enabled"] is True
    lock = one(doc, "aws_s3_bucket_object_lock_configuration")
    assert lock["bucket"] == ref(doc, "aws_s3_bucket", bucket)
    assert lock["object_lock_enabled"] == "Enabled"
    assert lock["rule"] == {"default_retention": {"mode": "GOVERNANCE", "days": 90}}
    assert any(d.startswith("aws_s3_bucket_versioning.") for d in lock["depends_on"])


def test_unlocked_by_default():
    doc = bucket_doc(kms_key_arn=KEY)
    assert "object_lock_enabled" not in one(doc, "aws_s3_bucket")
    assert resources(doc, "aws_s3_bucket_object_lock_configuration") == []


def test_every_bad_day_count_is_reported_once():
    with pytest.raises(ValueError) as err:
        bucket_doc(noncurrent_days=0, archive_after_days=-3, object_lock_days=1.5)
    message = str(err.value)
    assert message.startswith("bucket acme-t-111122223333-loki-chunks: ")
    assert all(f in message for f in ("noncurrent_days 0", "archive_after_days -3", "object_lock_days 1.5"))


def test_expiry_must_follow_the_archive():
    with pytest.raises(ValueError, match="expiration_days 30 must come after archive_after_days 30"):
        bucket_doc(expiration_days=30, archive_after_days=30)
