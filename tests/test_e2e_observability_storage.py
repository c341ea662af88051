"""End to end: the observability layer's AWS storage, applied by real Terraform to the local emulator (IRSA).

The releases of ``<env>-observability`` need helm/kubernetes providers and a cluster (absent here), so its
cloud resources are proven like the addons layer's (tests/test_e2e_addon_resources.py): the real construct
in a probe stack of its own, applied to moto, checked through boto3, re-planned, and destroyed.

Applied, exactly:
- a stand-in for what the cluster stack gives (not under test): an IAM OIDC provider (a fake issuer);
- the REAL :class:`AwsObservabilityStorage` from the environment's spec: its KMS key and alias, the
  access-log bucket and the six buckets (ownership controls, public access block, versioning, default
  encryption, TLS-only policy, lifecycle, access logging), and three IRSA roles with their inline policies.
``aws.endpoint`` makes the buckets and the key destroyable (the storage's rule for emulator environments);
``aws.workload_identity: irsa`` is the emulator file's mode (the storage uses IRSA whatever it says).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from platform_constructs.observability.storage import (
    ABORT_INCOMPLETE_UPLOAD_DAYS, BUCKETS, COMPONENT_BUCKETS, NONCURRENT_VERSION_DAYS, expiration_days,
)
from platform_tools.local import destroy
from tests.emulator_probe import probe_fixture
from tests.helpers import make_spec
from tests.test_e2e_emulator import unexpected

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

REGION = "us-east-1"
ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
AUDIENCE = "sts.amazonaws.com"
STACK = "observability-storage-probe"
CLUSTER_NAME = "tc"
#: moto's account id: the unique part of every bucket name.
ACCOUNT = "123456789012"


def probe_spec(endpoint: str):
    return make_spec(aws={"endpoint": endpoint, "workload_identity": "irsa"})


def build_probe(outdir: Path, endpoint: str) -> Path:
    """Synthesize the probe stack into ``outdir``; returns its stack folder."""
    from cdktf import App, LocalBackend, TerraformStack
    from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider

    from platform_constructs.aws.observability_storage import AwsObservabilityStorage
    from platform_constructs.aws.provider import aws_provider
    from platform_constructs.contracts import ClusterContract

    spec = probe_spec(endpoint)
    assert spec.cluster.name == CLUSTER_NAME
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, STACK)
    LocalBackend(stack, path=str(outdir / "state" / f"{STACK}.tfstate"))
    aws_provider(stack, spec, "observability")

    # Stand-in for the cluster layer.
    oidc = IamOpenidConnectProvider(stack, "oidc", url=ISSUER, client_id_list=[AUDIENCE],
                                    thumbprint_list=["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"])
    cluster = ClusterContract(cluster_name=CLUSTER_NAME, endpoint="https://probe.invalid", certificate_authority_data="",
                              oidc_issuer_url=ISSUER, workload_identity_provider=oidc.arn)

    storage = AwsObservabilityStorage(stack, "storage", spec=spec, cluster=cluster)
    assert storage.key.key.lifecycle is None  # emulator: destroyable
    app.synth()
    return outdir / "stacks" / STACK


def name_of(seed: str) -> str:
    return f"t-{ACCOUNT}-{seed}"


LOG_BUCKET = name_of("access-logs")


def loads(doc):
    return json.loads(doc) if isinstance(doc, str) else doc


@pytest.fixture(scope="module")
def probe(tmp_path_factory, request):
    yield from probe_fixture(tmp_path_factory, request, label="e2e-observability", region=REGION, build=build_probe)


def test_1_apply(probe):
    probe.apply()
    out = probe.outputs()
    assert out["observability_bucket_names"] == {seed: name_of(seed) for seed in BUCKETS}
    assert out["observability_access_log_bucket"] == LOG_BUCKET


def test_2_buckets_encrypted_with_the_layers_key_versioned_private_owner_enforced(probe):
    s3 = probe.aws("s3")
    key_arn = probe.outputs()["observability_kms_key_arn"]
    key = probe.aws("kms").describe_key(KeyId=key_arn)["KeyMetadata"]
    assert probe.aws("kms").get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True
    for seed in BUCKETS:
        name = name_of(seed)
        [rule] = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
        default = rule["ApplyServerSideEncryptionByDefault"]
        assert default["SSEAlgorithm"] == "aws:kms", name
        assert default["KMSMasterKeyID"] in (key_arn, key["KeyId"]), name
        assert rule["BucketKeyEnabled"] is True, name
    # The access-log target: SSE-S3 (S3 delivers server access logs to SSE-S3 targets only).
    [rule] = s3.get_bucket_encryption(Bucket=LOG_BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    for name in [*map(name_of, BUCKETS), LOG_BUCKET]:
        assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled", name
        block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        assert block == {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                         "RestrictPublicBuckets": True}, name
        [ownership] = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"]
        assert ownership["ObjectOwnership"] == "BucketOwnerEnforced", name


def test_3_policies_deny_plain_http_and_admit_only_this_layers_log_delivery(probe):
    s3 = probe.aws("s3")
    for name in [*map(name_of, BUCKETS), LOG_BUCKET]:
        statements = loads(s3.get_bucket_policy(Bucket=name)["Policy"])["Statement"]
        deny = next(s for s in statements if s["Sid"] == "DenyInsecureTransport")
        assert deny["Effect"] == "Deny" and deny["Principal"] == {"AWS": "*"} and deny["Action"] == "s3:*", name
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}, name
        assert sorted(deny["Resource"]) == sorted([f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]), name
        allows = [s for s in statements if s["Effect"] == "Allow"]
        if name != LOG_BUCKET:
            assert allows == [], name
    # The emulator evaluates bucket policies and is reached over plain HTTP: the deny applies.
    with pytest.raises(s3.exceptions.ClientError) as refused:
        s3.put_object(Bucket=name_of("loki-chunks"), Key="probe", Body=b"x")
    assert refused.value.response["Error"]["Code"] in ("403", "AccessDenied")
    [delivery] = [s for s in loads(s3.get_bucket_policy(Bucket=LOG_BUCKET)["Policy"])["Statement"] if s["Effect"] == "Allow"]
    assert delivery["Principal"] == {"Service": "logging.s3.amazonaws.com"} and delivery["Action"] == "s3:PutObject"
    assert delivery["Resource"] == f"arn:aws:s3:::{LOG_BUCKET}/*"
    assert sorted(delivery["Condition"]["ArnLike"]["aws:SourceArn"]) == sorted(f"arn:aws:s3:::{name_of(s)}" for s in BUCKETS)
    assert delivery["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}


def test_4_lifecycle_expires_by_retention_and_cleans_up(probe):
    s3 = probe.aws("s3")
    retention = probe_spec(probe.endpoint).observability.retention_days
    for seed in BUCKETS:
        rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=name_of(seed))["Rules"]}
        days = expiration_days(seed, retention)
        if days is None:
            assert set(rules) == {"clean-up"}, seed
        else:
            assert set(rules) == {"expire-current", "clean-up"}, seed
            assert rules["expire-current"]["Expiration"] == {"Days": days}, seed
        clean = rules["clean-up"]
        assert clean["Status"] == "Enabled"
        assert clean["NoncurrentVersionExpiration"]["NoncurrentDays"] == NONCURRENT_VERSION_DAYS, seed
        assert clean["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": ABORT_INCOMPLETE_UPLOAD_DAYS}, seed
    assert {seed: expiration_days(seed, retention) for seed in BUCKETS} == {
        "mimir-metrics": 407, "mimir-alertmanager": None, "mimir-ruler": None, "loki-chunks": 37,
        "loki-ruler": None, "tempo-traces": 21}


def test_5_access_of_every_bucket_is_logged_to_the_log_bucket(probe):
    s3 = probe.aws("s3")
    for seed in BUCKETS:
        enabled = s3.get_bucket_logging(Bucket=name_of(seed))["LoggingEnabled"]
        assert (enabled["TargetBucket"], enabled["TargetPrefix"]) == (LOG_BUCKET, f"{name_of(seed)}/"), seed
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket=LOG_BUCKET)


def test_6_each_role_trusts_its_service_account_and_reaches_only_its_buckets(probe):
    iam = probe.aws("iam")
    issuer = ISSUER.removeprefix("https://")
    provider_arn = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"][0]["Arn"]
    key_arn = probe.outputs()["observability_kms_key_arn"]
    for component, seeds in COMPONENT_BUCKETS.items():
        role = f"{CLUSTER_NAME}-{component}"
        [statement] = loads(iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"])["Statement"]
        assert statement["Principal"] == {"Federated": provider_arn}
        assert statement["Condition"] == {"StringEquals": {
            f"{issuer}:sub": f"system:serviceaccount:observability:{component}", f"{issuer}:aud": AUDIENCE}}, role
        assert iam.list_role_policies(RoleName=role)["PolicyNames"] == [role]
        assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == []
        doc = loads(iam.get_role_policy(RoleName=role, PolicyName=role)["PolicyDocument"])
        own = {f"arn:aws:s3:::{name_of(seed)}" for seed in seeds}
        s3_resources = {r for s in doc["Statement"] if s["Action"][0].startswith("s3:")
                        for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])}
        assert s3_resources == own | {f"{arn}/*" for arn in own}, role
        others = {name_of(seed) for seed in BUCKETS if seed not in seeds}
        assert not any(other in json.dumps(doc) for other in others), role
        [kms] = [s for s in doc["Statement"] if s["Action"][0].startswith("kms:")]
        assert kms["Resource"] == key_arn and sorted(kms["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
        assert all(s["Effect"] == "Allow" and "*" not in json.dumps(s["Action"]) for s in doc["Statement"])


def test_7_replan_is_clean(probe):
    status, changes, _ = probe.replan()
    assert unexpected(changes) == [], "perpetual diff (not an emulator artifact):\n" + "\n".join(unexpected(changes))


def test_8_destroy_leaves_nothing(probe):
    started = time.monotonic()
    # The buckets are never force-destroyed, and moto delivers server access logs like S3 does: the log
    # bucket holds objects by now, and every request Terraform makes to the six buckets adds one. An operator
    # switches the logging off and empties the bucket (every version) before a destroy; so does the test.
    s3 = probe.aws("s3")
    for seed in BUCKETS:
        s3.put_bucket_logging(Bucket=name_of(seed), BucketLoggingStatus={})
    # The emulator answers plain HTTP, which the TLS-only policy refuses (test_3): lift it to empty the bucket.
    s3.delete_bucket_policy(Bucket=LOG_BUCKET)
    listed = s3.list_object_versions(Bucket=LOG_BUCKET)
    versions = [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]
    assert not listed.get("IsTruncated")
    for version in versions:
        s3.delete_object(Bucket=LOG_BUCKET, Key=version["Key"], VersionId=version["VersionId"])
    probe.say(f"[e2e-observability] emptied {LOG_BUCKET}: {len(versions)} access log version(s)")
    destroy(probe.folder, probe.env)
    probe.timed("destroy", started)
    assert probe.aws("s3").list_buckets().get("Buckets", []) == []
    roles = {r["RoleName"] for r in probe.aws("iam").list_roles()["Roles"]}
    assert roles.isdisjoint(f"{CLUSTER_NAME}-{c}" for c in COMPONENT_BUCKETS)
    assert probe.aws("iam").list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
    keys = probe.aws("kms").list_keys()["Keys"]
    states = [probe.aws("kms").describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] for k in keys]
    assert all(state == "PendingDeletion" for state in states)
