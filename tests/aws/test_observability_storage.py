"""AwsObservabilityStorage: the six buckets on a key of their own, the access-log bucket, one IRSA role per
component reaching only its own buckets, and the ObservabilityStorage handed to the releases.

Also home of ``aws_probe``: a stack with the AWS provider and whatever ``build(stack)`` adds, synthesized to JSON.
"""

import json
import tempfile
from pathlib import Path

import pytest

from platform_constructs.aws.bucket import ACCESS_LOG_DAYS
from platform_constructs.aws.observability_storage import AwsObservabilityStorage, s3_endpoint, storage_policy
from platform_constructs.observability.storage import BUCKETS, COMPONENT_BUCKETS, SERVICE_ACCOUNTS, ObservabilityStorage
from tests.aws.test_addons import CLUSTER, ISSUER, PROVIDER_ARN
from tests.helpers import make_spec, one, ref, resources

ACCOUNT = "${data.aws_caller_identity.probe_account.account_id}"


def aws_probe(build, spec=None) -> dict:
    """The synthesized JSON of stack ``probe`` (AWS provider of ``spec``, default make_spec()) after ``build(stack)``."""
    from cdktf import App, TerraformStack

    from platform_constructs.aws.provider import aws_provider

    with tempfile.TemporaryDirectory() as out:
        app = App(outdir=out)
        stack = TerraformStack(app, "probe")
        aws_provider(stack, spec or make_spec(), "observability")
        build(stack)
        app.synth()
        return json.loads(Path(out, "stacks/probe/cdk.tf.json").read_text())


def storage_doc(spec=None, cluster=CLUSTER) -> tuple[dict, AwsObservabilityStorage]:
    spec = spec or make_spec()
    made = {}
    doc = aws_probe(lambda stack: made.setdefault(
        "storage", AwsObservabilityStorage(stack, "probe", spec=spec, cluster=cluster)), spec)
    return doc, made["storage"]


@pytest.fixture(scope="module")
def default():
    return storage_doc()


def buckets_by_seed(doc) -> dict[str, dict]:
    """Seed name (or ``access-logs``) -> its aws_s3_bucket body."""
    account = next(iter(doc["data"]["aws_caller_identity"]))
    out = {}
    for body in resources(doc, "aws_s3_bucket"):
        head, _, seed = body["bucket"].partition(f"-${{data.aws_caller_identity.{account}.account_id}}-")
        out[seed] = body
    return out


def test_six_buckets_named_head_account_seed_and_an_access_log_bucket(default):
    doc, _ = default
    buckets = buckets_by_seed(doc)
    assert set(buckets) == {*BUCKETS, "access-logs"}
    account = next(iter(doc["data"]["aws_caller_identity"]))
    assert buckets["mimir-metrics"]["bucket"] == f"t-${{data.aws_caller_identity.{account}.account_id}}-mimir-metrics"


def test_bucket_prefix_leads_every_name():
    doc, _ = storage_doc(make_spec(observability={"bucket_prefix": "acme"}))
    assert all(b["bucket"].startswith("acme-t-") for b in resources(doc, "aws_s3_bucket"))


def test_every_bucket_guarded_versioned_private_tls_only(default):
    doc, _ = default
    assert len(resources(doc, "aws_s3_bucket")) == 7
    for body in resources(doc, "aws_s3_bucket"):
        assert body["force_destroy"] is False and body["lifecycle"] == {"prevent_destroy": True}
    for rtype in ("aws_s3_bucket_versioning", "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls",
                  "aws_s3_bucket_policy", "aws_s3_bucket_server_side_encryption_configuration",
                  "aws_s3_bucket_lifecycle_configuration"):
        assert len(resources(doc, rtype)) == 7, rtype
    for policy in resources(doc, "aws_s3_bucket_policy"):
        assert json.loads(policy["policy"])["Statement"][0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_buckets_on_the_layers_own_rotating_key_the_log_bucket_on_sse_s3(default):
    doc, storage = default
    key = one(doc, "aws_kms_key")
    key_arn = ref(doc, "aws_kms_key", key, "arn")
    assert key["enable_key_rotation"] is True and key["deletion_window_in_days"] == 30
    assert key["lifecycle"] == {"prevent_destroy": True}
    assert one(doc, "aws_kms_alias")["name"] == "alias/tc-observability"
    assert CLUSTER.kms_key_arn not in json.dumps(doc)
    algorithms = sorted(r["rule"][0]["apply_server_side_encryption_by_default"]["sse_algorithm"]
                        for r in resources(doc, "aws_s3_bucket_server_side_encryption_configuration"))
    assert algorithms == ["AES256"] + ["aws:kms"] * 6
    for seed, bucket in storage.buckets.items():
        [rule] = [r for r in resources(doc, "aws_s3_bucket_server_side_encryption_configuration")
                  if r["bucket"] == ref(doc, "aws_s3_bucket", one_bucket(doc, seed))]
        assert rule["rule"][0]["apply_server_side_encryption_by_default"]["kms_master_key_id"] == key_arn, seed


def one_bucket(doc, seed):
    return buckets_by_seed(doc)[seed]


def lifecycle_of(doc, seed) -> dict[str, dict]:
    [config] = [r for r in resources(doc, "aws_s3_bucket_lifecycle_configuration")
                if r["bucket"] == ref(doc, "aws_s3_bucket", one_bucket(doc, seed))]
    return {rule["id"]: rule for rule in config["rule"]}


def test_signal_buckets_expire_after_retention_plus_margin_state_buckets_never(default):
    doc, _ = default
    assert lifecycle_of(doc, "mimir-metrics")["expire-current"]["expiration"] == [{"days": 407}]
    assert lifecycle_of(doc, "loki-chunks")["expire-current"]["expiration"] == [{"days": 37}]
    assert lifecycle_of(doc, "tempo-traces")["expire-current"]["expiration"] == [{"days": 21}]
    for seed in ("mimir-ruler", "mimir-alertmanager", "loki-ruler"):
        assert set(lifecycle_of(doc, seed)) == {"clean-up"}, seed
    assert lifecycle_of(doc, "access-logs")["expire-current"]["expiration"] == [{"days": ACCESS_LOG_DAYS}]


def test_retention_follows_the_file():
    doc, _ = storage_doc(make_spec(observability={"retention_days": {"metrics": 90, "logs": 7, "traces": 3}}))
    assert lifecycle_of(doc, "mimir-metrics")["expire-current"]["expiration"] == [{"days": 97}]
    assert lifecycle_of(doc, "loki-chunks")["expire-current"]["expiration"] == [{"days": 14}]
    assert lifecycle_of(doc, "tempo-traces")["expire-current"]["expiration"] == [{"days": 10}]


def test_six_buckets_log_to_the_log_bucket_which_admits_only_their_delivery(default):
    doc, _ = default
    log_bucket = one_bucket(doc, "access-logs")
    logging = resources(doc, "aws_s3_bucket_logging")
    assert len(logging) == 6
    assert {entry["target_bucket"] for entry in logging} == {ref(doc, "aws_s3_bucket", log_bucket)}
    [policy] = [p for p in resources(doc, "aws_s3_bucket_policy") if p["bucket"] == ref(doc, "aws_s3_bucket", log_bucket)]
    [deny, delivery] = json.loads(policy["policy"])["Statement"]
    assert delivery["Principal"] == {"Service": "logging.s3.amazonaws.com"} and delivery["Action"] == "s3:PutObject"
    sources = delivery["Condition"]["ArnLike"]["aws:SourceArn"]
    assert len(sources) == 6 and all(s.startswith("arn:${data.aws_partition.") for s in sources)
    assert {s.split("}-", 1)[1] for s in sources} == set(BUCKETS)
    assert list(delivery["Condition"]["StringEquals"]) == ["aws:SourceAccount"]


def test_emulator_environments_may_destroy_buckets_and_key():
    doc, _ = storage_doc(make_spec(aws={"endpoint": "http://127.0.0.1:5000"}))
    assert all("lifecycle" not in b for b in resources(doc, "aws_s3_bucket"))
    assert "lifecycle" not in one(doc, "aws_kms_key")
    assert all(b["force_destroy"] is False for b in resources(doc, "aws_s3_bucket"))


@pytest.mark.parametrize("mode", ["pod_identity", "irsa"])
def test_components_always_use_irsa_for_their_own_service_account(mode):
    doc, storage = storage_doc(make_spec(aws={"workload_identity": mode}))
    assert resources(doc, "aws_eks_pod_identity_association") == []
    roles = {r["name"]: json.loads(r["assume_role_policy"]) for r in resources(doc, "aws_iam_role")}
    assert set(roles) == {"tc-mimir", "tc-loki", "tc-tempo"}
    issuer = ISSUER.removeprefix("https://")
    for component in COMPONENT_BUCKETS:
        [statement] = roles[f"tc-{component}"]["Statement"]
        assert statement["Principal"] == {"Federated": PROVIDER_ARN}
        assert statement["Condition"]["StringEquals"][f"{issuer}:sub"] == SERVICE_ACCOUNTS[component].subject
        identity = storage.storage.identities[component]
        assert identity.service_account == SERVICE_ACCOUNTS[component]
        assert list(identity.annotations) == ["eks.amazonaws.com/role-arn"]
        assert identity.pod_labels == {}
    assert resources(doc, "aws_iam_role_policy_attachment") == []


def test_each_role_reaches_only_its_own_buckets_and_the_key_through_s3(default):
    doc, _ = default
    bucket_arns = {seed: ref(doc, "aws_s3_bucket", body, "arn") for seed, body in buckets_by_seed(doc).items()}
    key_arn = ref(doc, "aws_kms_key", one(doc, "aws_kms_key"), "arn")
    policies = {p["name"]: json.loads(p["policy"]) for p in resources(doc, "aws_iam_role_policy")}
    assert set(policies) == {"tc-mimir", "tc-loki", "tc-tempo"}
    for component, seeds in COMPONENT_BUCKETS.items():
        statements = {s["Sid"]: s for s in policies[f"tc-{component}"]["Statement"]}
        own = [bucket_arns[seed] for seed in seeds]
        assert statements["ListOwnBuckets"]["Resource"] == own
        assert statements["ListOwnBuckets"]["Action"] == ["s3:ListBucket", "s3:GetBucketLocation"]
        assert statements["ReadWriteOwnObjects"]["Resource"] == [f"{arn}/*" for arn in own]
        tagging = ["s3:GetObjectTagging", "s3:PutObjectTagging"] if component == "tempo" else []
        assert statements["ReadWriteOwnObjects"]["Action"] == ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", *tagging]
        kms = statements["UseStorageKeyThroughS3"]
        assert kms["Resource"] == key_arn and kms["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
        assert kms["Condition"] == {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}
        others = [arn for seed, arn in bucket_arns.items() if seed not in seeds]
        assert not any(arn in json.dumps(policies[f"tc-{component}"]) for arn in others), component


def test_storage_contract_s3_backend_region_endpoint_no_keys(default):
    doc, storage = default
    contract = storage.storage
    assert isinstance(contract, ObservabilityStorage)
    assert (contract.store.backend, contract.store.region, contract.store.endpoint) == (
        "s3", "us-east-1", "s3.us-east-1.amazonaws.com")
    assert set(contract.store.buckets) == set(BUCKETS)
    assert contract.store.path_style is False
    assert set(contract.identities) == set(COMPONENT_BUCKETS)
    # The releases wait for every role, its policy, and each bucket with its encryption and policy.
    kinds = sorted({type(item).__name__ for item in contract.depends_on})
    assert kinds == ["IamRole", "IamRolePolicy", "S3Bucket", "S3BucketPolicy", "S3BucketServerSideEncryptionConfigurationA"]
    assert len(contract.depends_on) == 3 * 2 + 6 * 3
    text = json.dumps(doc).lower()
    assert "access_key" not in text and "secret_key" not in text and "secret_access" not in text


def test_outputs_name_buckets_roles_and_key(default):
    doc, _ = default
    assert set(doc["output"]) == {"observability_bucket_names", "observability_access_log_bucket",
                                  "observability_kms_key_arn", "observability_role_arns"}
    assert set(doc["output"]["observability_bucket_names"]["value"]) == set(BUCKETS)
    assert set(doc["output"]["observability_role_arns"]["value"]) == set(COMPONENT_BUCKETS)


@pytest.mark.parametrize("region, host", [("eu-west-1", "s3.eu-west-1.amazonaws.com"),
                                          ("cn-north-1", "s3.cn-north-1.amazonaws.com.cn")])
def test_s3_endpoint_per_partition(region, host):
    assert s3_endpoint(region) == host
    assert storage_policy("loki", ["arn"], "key", region)["Statement"][2]["Condition"]["StringEquals"] == {
        "kms:ViaService": host}


def test_a_long_environment_name_still_fits_63_characters():
    doc, _ = storage_doc(make_spec(name="a" * 40, observability={"bucket_prefix": "b" * 20}))
    account = next(iter(doc["data"]["aws_caller_identity"]))
    token = f"${{data.aws_caller_identity.{account}.account_id}}"
    for body in resources(doc, "aws_s3_bucket"):
        assert len(body["bucket"].replace(token, "1" * 12)) <= 63, body["bucket"]


def test_refuses_another_clouds_environment():
    from tests.helpers import gcp_spec

    with pytest.raises(ValueError, match="AWS buckets, but t is on gcp"):
        aws_probe(lambda stack: AwsObservabilityStorage(stack, "probe", spec=gcp_spec(), cluster=CLUSTER))
