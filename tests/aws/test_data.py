"""AwsData through the kit and DataStack: the EFS file system, the data buckets, the ECR repositories and the
Valkey cache on a key of their own, settings from the file; the kit's bucket grants."""

import json
import tempfile
from pathlib import Path

import pytest
from cdktf import App, TerraformOutput

from platform_constructs.aws.contracts import AwsDataContract
from platform_constructs.aws.kit import AwsKit
from platform_constructs.contracts import ClusterContract, DataContract
from platform_constructs.workload_identity import AwsGrants, ServiceAccount
from stacks.data import DataStack
from tests.aws.test_addons import CLUSTER, ISSUER, NETWORK, PROVIDER_ARN
from tests.helpers import make_spec, one, ref, resources


#: A data section with everything on.
FULL = {"cache": {"size": "cache.t4g.medium", "replicas": 2}, "bucket_prefix": "acme", "archive_after_days": 60,
        "backup_immutable_days": 90, "registry": {"repositories": ["api", "web"]}}

#: Contract fields resolved through a probe output (what their tokens become in the JSON).
FIELDS = ("file_system_id", "buckets", "bucket_arns", "kms_key_arn", "registry_url", "cache_endpoint", "cache_port",
          "cache_arn", "cache_user_name", "cache_user_arn")


def data_stack(spec, cluster=CLUSTER) -> tuple[dict, AwsDataContract]:
    with tempfile.TemporaryDirectory() as out:
        app = App(outdir=out)
        stack = DataStack(app, spec, AwsKit(), NETWORK, cluster)
        contract = stack.contract
        for field in FIELDS:  # what the contract's tokens resolve to
            if getattr(contract, field):
                TerraformOutput(stack, f"probe_{field}", value=getattr(contract, field))
        app.synth()
        doc = json.loads(Path(out, "stacks", spec.stack_name("data"), "cdk.tf.json").read_text())
    outputs = doc.get("output", {})
    resolved = {f: outputs.pop(f"probe_{f}")["value"] for f in FIELDS if f"probe_{f}" in outputs}
    return doc, AwsDataContract(**resolved)


@pytest.fixture(scope="module")
def default():
    return data_stack(make_spec())


def test_file_system_encrypted_with_the_data_layers_own_key(default):
    doc, _ = default
    fs = one(doc, "aws_efs_file_system")
    key = one(doc, "aws_kms_key")
    assert fs["encrypted"] is True
    assert fs["kms_key_id"] == ref(doc, "aws_kms_key", key, "arn")
    assert CLUSTER.kms_key_arn not in json.dumps(doc)
    assert key["enable_key_rotation"] is True and key["deletion_window_in_days"] == 30
    assert one(doc, "aws_kms_alias")["name"] == "alias/tc-data"
    assert key["lifecycle"] == {"prevent_destroy": True}


def test_a_mount_target_in_each_private_subnet_nfs_only_from_the_nodes(default):
    doc, _ = default
    assert sorted(t["subnet_id"] for t in resources(doc, "aws_efs_mount_target")) == ["subnet-a", "subnet-b"]
    sg = one(doc, "aws_security_group")
    assert sg["vpc_id"] == NETWORK.network_id
    [rule] = sg["ingress"]
    assert (rule["protocol"], rule["from_port"], rule["to_port"]) == ("tcp", 2049, 2049)
    assert rule["security_groups"] == [CLUSTER.node_security_group_id]
    assert not rule.get("cidr_blocks") and not rule.get("ipv6_cidr_blocks")


def test_defaults_general_purpose_elastic_backed_up_and_destroy_guarded(default):
    doc, _ = default
    fs = one(doc, "aws_efs_file_system")
    assert (fs["performance_mode"], fs["throughput_mode"]) == ("generalPurpose", "elastic")
    assert fs["lifecycle"] == {"prevent_destroy": True}
    assert one(doc, "aws_efs_backup_policy")["backup_policy"] == {"status": "ENABLED"}
    assert '"force_destroy": true' not in json.dumps(doc) and '"force_delete": true' not in json.dumps(doc)


def test_settings_follow_the_file():
    doc, _ = data_stack(make_spec(addons={"file_system": {
        "performance_mode": "maxIO", "throughput_mode": "provisioned", "provisioned_throughput_mibps": 128,
        "backup": False}}))
    fs = one(doc, "aws_efs_file_system")
    assert (fs["performance_mode"], fs["throughput_mode"], fs["provisioned_throughput_in_mibps"]) == ("maxIO", "provisioned", 128)
    assert resources(doc, "aws_efs_backup_policy") == []


def test_an_emulator_environment_may_destroy_what_it_applied():
    doc, _ = data_stack(make_spec(aws={"endpoint": "http://127.0.0.1:5000"}, data=FULL))
    for rtype in ("aws_efs_file_system", "aws_kms_key", "aws_s3_bucket", "aws_ecr_repository",
                  "aws_elasticache_replication_group"):
        assert all("lifecycle" not in body for body in resources(doc, rtype)), rtype


def test_outputs_and_contract_name_the_file_system(default):
    doc, contract = default
    fs = one(doc, "aws_efs_file_system")
    assert contract.file_system_id == ref(doc, "aws_efs_file_system", fs)
    outputs = doc["output"]
    assert outputs["file_system_id"]["value"] == ref(doc, "aws_efs_file_system", fs)
    assert outputs["data_kms_key_arn"]["value"] == ref(doc, "aws_kms_key", one(doc, "aws_kms_key"), "arn")
    assert {"file_system_arn", "efs_security_group_id"} <= set(outputs)


def test_without_file_storage_buckets_registry_or_cache_the_layer_is_empty():
    doc, contract = data_stack(make_spec(addons={"file_storage": False}, data={"buckets": []}))
    assert doc.get("resource", {}) == {} and contract == AwsDataContract()


def test_a_cluster_contract_without_the_node_group_is_refused():
    plain = ClusterContract(cluster_name="tc", endpoint="https://x", certificate_authority_data="",
                            oidc_issuer_url=ISSUER, workload_identity_provider=PROVIDER_ARN)
    with pytest.raises(TypeError, match="needs an AwsClusterContract"):
        data_stack(make_spec(), cluster=plain)


@pytest.fixture(scope="module")
def full():
    return data_stack(make_spec(data=FULL))


def bucket_of(doc, short) -> dict:
    [body] = [b for b in resources(doc, "aws_s3_bucket") if b["bucket"].endswith(f"-{short}")]
    return body


def test_data_buckets_named_with_prefix_env_and_account_on_the_data_key(full):
    doc, contract = full
    account = next(iter(doc["data"]["aws_caller_identity"]))
    unique = f"${{data.aws_caller_identity.{account}.account_id}}"
    key = ref(doc, "aws_kms_key", one(doc, "aws_kms_key"), "arn")
    assert sorted(b["bucket"] for b in resources(doc, "aws_s3_bucket")) == sorted(
        f"acme-t-{unique}-{s}" for s in ("app", "backup", "data-access-logs"))
    for short in ("app", "backup"):
        bucket = bucket_of(doc, short)
        assert bucket["force_destroy"] is False and bucket["lifecycle"] == {"prevent_destroy": True}
    encryption = {e["bucket"]: e["rule"][0]["apply_server_side_encryption_by_default"]
                  for e in resources(doc, "aws_s3_bucket_server_side_encryption_configuration")}
    assert encryption[ref(doc, "aws_s3_bucket", bucket_of(doc, "app"))] == {"sse_algorithm": "aws:kms",
                                                                              "kms_master_key_id": key}
    assert encryption[ref(doc, "aws_s3_bucket", bucket_of(doc, "data-access-logs"))] == {"sse_algorithm": "AES256"}
    assert len(resources(doc, "aws_s3_bucket_public_access_block")) == 3
    assert contract.buckets == {s: ref(doc, "aws_s3_bucket", bucket_of(doc, s), "bucket") for s in ("app", "backup")}
    assert contract.bucket_arns == {s: ref(doc, "aws_s3_bucket", bucket_of(doc, s), "arn") for s in ("app", "backup")}
    assert doc["output"]["data_bucket_names"]["value"] == contract.buckets


def test_only_the_backup_bucket_archives_and_is_object_locked(full):
    doc, _ = full
    lifecycles = {l["bucket"]: {r["id"]: r for r in l["rule"]} for l in resources(doc, "aws_s3_bucket_lifecycle_configuration")}
    backup = lifecycles[ref(doc, "aws_s3_bucket", bucket_of(doc, "backup"))]
    app = lifecycles[ref(doc, "aws_s3_bucket", bucket_of(doc, "app"))]
    assert backup["archive-current"]["transition"] == [{"days": 60, "storage_class": "GLACIER"}]
    assert "archive-current" not in app and "expire-current" not in app
    for rules in (app, backup):
        assert rules["clean-up"]["noncurrent_version_expiration"] == [{"noncurrent_days": 30}]
        assert rules["clean-up"]["abort_incomplete_multipart_upload"] == [{"days_after_initiation": 1}]
    assert bucket_of(doc, "backup")["object_lock_enabled"] is True and "object_lock_enabled" not in bucket_of(doc, "app")
    lock = one(doc, "aws_s3_bucket_object_lock_configuration")
    assert lock["bucket"] == ref(doc, "aws_s3_bucket", bucket_of(doc, "backup"))
    assert lock["rule"] == {"default_retention": {"mode": "GOVERNANCE", "days": 90}}


def test_data_buckets_access_logged_to_the_layers_log_bucket(full):
    doc, _ = full
    target = ref(doc, "aws_s3_bucket", bucket_of(doc, "data-access-logs"))
    logging = resources(doc, "aws_s3_bucket_logging")
    assert sorted(l["bucket"] for l in logging) == sorted(ref(doc, "aws_s3_bucket", bucket_of(doc, s)) for s in ("app", "backup"))
    assert all(l["target_bucket"] == target for l in logging)


def test_registry_repositories_under_the_environment_on_the_data_key(full):
    doc, contract = full
    key = ref(doc, "aws_kms_key", one(doc, "aws_kms_key"), "arn")
    repos = resources(doc, "aws_ecr_repository")
    assert sorted(r["name"] for r in repos) == ["t/api", "t/web"]
    assert all(r["encryption_configuration"] == [{"encryption_type": "KMS", "kms_key": key}] for r in repos)
    account = next(iter(doc["data"]["aws_caller_identity"]))
    assert contract.registry_url == f"${{data.aws_caller_identity.{account}.account_id}}.dkr.ecr.us-east-1.amazonaws.com/t"
    assert doc["output"]["registry_url"]["value"] == contract.registry_url


def test_cache_on_the_private_subnets_from_the_nodes_on_the_data_key(full):
    doc, contract = full
    group = one(doc, "aws_elasticache_replication_group")
    assert group["replication_group_id"] == "tc-cache" and group["node_type"] == "cache.t4g.medium"
    assert group["replicas_per_node_group"] == 2
    assert group["kms_key_id"] == ref(doc, "aws_kms_key", one(doc, "aws_kms_key"), "arn")
    assert sorted(one(doc, "aws_elasticache_subnet_group")["subnet_ids"]) == ["subnet-a", "subnet-b"]
    cache_sg = [sg for sg in resources(doc, "aws_security_group") if sg["ingress"][0]["from_port"] == 6379]
    assert cache_sg[0]["ingress"][0]["security_groups"] == [CLUSTER.node_security_group_id]
    assert contract.cache_endpoint == ref(doc, "aws_elasticache_replication_group", group, "primary_endpoint_address")
    assert contract.cache_port == "6379"
    assert contract.cache_user_name == ref(doc, "aws_elasticache_user", one(doc, "aws_elasticache_user"), "user_name")
    outputs = doc["output"]
    assert outputs["cache_endpoint"]["value"] == contract.cache_endpoint and outputs["cache_port"]["value"] == 6379
    assert {"cache_user_name", "cache_arn"} <= set(outputs)
    assert not any(o.get("sensitive") for o in outputs.values())


def test_no_cache_or_registry_by_default(default):
    doc, contract = default
    for rtype in ("aws_elasticache_replication_group", "aws_ecr_repository", "aws_s3_bucket_object_lock_configuration"):
        assert resources(doc, rtype) == [], rtype
    assert contract.cache_endpoint is None and contract.registry_url is None
    assert set(contract.buckets) == {"app", "backup"}


def grants(contract, **kwargs) -> AwsGrants:
    return AwsKit().bucket_grants(make_spec(), contract, **kwargs)


def test_bucket_grants_read_or_read_write_one_bucket(full):
    _, contract = full
    arn = contract.bucket_arns["app"]
    read = grants(contract, bucket="app", write=False).inline_policy["Statement"]
    by_sid = {s["Sid"]: s for s in read}
    assert by_sid["ListBucket"] == {"Sid": "ListBucket", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [arn]}
    assert by_sid["ReadObjects"]["Action"] == ["s3:GetObject"] and by_sid["ReadObjects"]["Resource"] == [f"{arn}/*"]
    assert by_sid["UseDataKeyThroughS3"]["Action"] == ["kms:Decrypt"]
    assert by_sid["UseDataKeyThroughS3"]["Resource"] == [contract.kms_key_arn]
    assert by_sid["UseDataKeyThroughS3"]["Condition"] == {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}
    write = {s["Sid"]: s for s in grants(contract, bucket="app", write=True).inline_policy["Statement"]}
    assert write["WriteObjects"]["Action"] == ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    assert write["UseDataKeyThroughS3"]["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]


def test_bucket_grants_under_a_prefix(full):
    _, contract = full
    arn = contract.bucket_arns["backup"]
    statements = {s["Sid"]: s for s in grants(contract, bucket="backup", write=True, prefix="/team-a/").inline_policy["Statement"]}
    assert statements["ListBucket"]["Condition"] == {"StringLike": {"s3:prefix": ["team-a/", "team-a/*"]}}
    assert statements["WriteObjects"]["Resource"] == [f"{arn}/team-a/*"]
    with pytest.raises(ValueError, match="is not a folder"):
        grants(contract, bucket="backup", write=False, prefix="team-*")


def test_bucket_grants_refuse_an_unknown_bucket_or_another_clouds_contract(full):
    _, contract = full
    with pytest.raises(ValueError, match=r"bucket 'logs' is not a data bucket of t \(data.buckets: app, backup\)"):
        grants(contract, bucket="logs", write=False)
    with pytest.raises(TypeError, match="AwsDataContract"):
        grants(DataContract(buckets={"app": "x"}), bucket="app", write=False)


def test_a_bucket_grant_synthesizes_as_a_workload_identitys_policy():
    from tests.aws.test_observability_storage import aws_probe

    spec = make_spec()
    contract = AwsDataContract(buckets={"app": "b"}, bucket_arns={"app": "arn:aws:s3:::b"},
                               kms_key_arn="arn:aws:kms:us-east-1:111122223333:key/k")
    kit = AwsKit()
    doc = aws_probe(lambda stack: kit.workload_identity(
        stack, spec, CLUSTER, name="tenant-a", layer="tenants", service_account=ServiceAccount("team-a", "app"),
        grants=kit.bucket_grants(spec, contract, bucket="app", write=True, prefix="team-a")), spec)
    policy = json.loads(one(doc, "aws_iam_role_policy")["policy"])
    assert {"Sid": "WriteObjects", "Effect": "Allow", "Resource": ["arn:aws:s3:::b/team-a/*"],
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]} in policy["Statement"]
