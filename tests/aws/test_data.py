"""AwsData through the kit and DataStack: the EFS file system with a key of its own, settings from the file."""

import json
import tempfile
from pathlib import Path

import pytest
from cdktf import App, TerraformOutput

from platform_constructs.aws.contracts import AwsDataContract
from platform_constructs.aws.kit import AwsKit
from platform_constructs.contracts import ClusterContract
from stacks.data import DataStack
from tests.aws.test_addons import CLUSTER, ISSUER, NETWORK, PROVIDER_ARN
from tests.helpers import make_spec, one, ref, resources


def data_stack(spec, cluster=CLUSTER) -> tuple[dict, AwsDataContract]:
    with tempfile.TemporaryDirectory() as out:
        app = App(outdir=out)
        stack = DataStack(app, spec, AwsKit(), NETWORK, cluster)
        contract = stack.contract
        if contract.file_system_id is not None:  # what the contract's token resolves to
            TerraformOutput(stack, "probe_contract", value=contract.file_system_id)
        app.synth()
        doc = json.loads(Path(out, "stacks", spec.stack_name("data"), "cdk.tf.json").read_text())
    resolved = doc.get("output", {}).pop("probe_contract", {}).get("value")
    return doc, AwsDataContract(file_system_id=resolved)


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
    assert "force_destroy" not in json.dumps(doc)


def test_settings_follow_the_file():
    doc, _ = data_stack(make_spec(addons={"file_system": {
        "performance_mode": "maxIO", "throughput_mode": "provisioned", "provisioned_throughput_mibps": 128,
        "backup": False}}))
    fs = one(doc, "aws_efs_file_system")
    assert (fs["performance_mode"], fs["throughput_mode"], fs["provisioned_throughput_in_mibps"]) == ("maxIO", "provisioned", 128)
    assert resources(doc, "aws_efs_backup_policy") == []


def test_an_emulator_environment_may_destroy_what_it_applied():
    doc, _ = data_stack(make_spec(aws={"endpoint": "http://127.0.0.1:5000"}))
    assert "lifecycle" not in one(doc, "aws_efs_file_system")


def test_outputs_and_contract_name_the_file_system(default):
    doc, contract = default
    fs = one(doc, "aws_efs_file_system")
    assert contract.file_system_id == ref(doc, "aws_efs_file_system", fs)
    outputs = doc["output"]
    assert outputs["file_system_id"]["value"] == ref(doc, "aws_efs_file_system", fs)
    assert outputs["data_kms_key_arn"]["value"] == ref(doc, "aws_kms_key", one(doc, "aws_kms_key"), "arn")
    assert {"file_system_arn", "efs_security_group_id"} <= set(outputs)


def test_without_file_storage_the_layer_is_empty():
    doc, contract = data_stack(make_spec(addons={"file_storage": False}))
    assert doc.get("resource", {}) == {} and contract.file_system_id is None


def test_a_cluster_contract_without_the_node_group_is_refused():
    plain = ClusterContract(cluster_name="tc", endpoint="https://x", certificate_authority_data="",
                            oidc_issuer_url=ISSUER, workload_identity_provider=PROVIDER_ARN)
    with pytest.raises(TypeError, match="needs an AwsClusterContract"):
        data_stack(make_spec(), cluster=plain)
