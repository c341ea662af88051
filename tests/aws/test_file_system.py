"""EfsFileSystem: encryption, lifecycle, deletion guard, NFS from the nodes only, backups, TLS-only policy."""

import json
import shutil

import pytest
from cdktf import App, TerraformOutput, TerraformStack

from platform_constructs.aws.file_system import EfsFileSystem
from platform_constructs.invariants import check_stack
from platform_tools.terraform import run, terraform_env
from tests.helpers import make_spec, one, ref, resources
from tests.invariants.helpers import stack_doc

KEY = "arn:aws:kms:us-east-1:111122223333:key/0f0e0d0c-0b0a-0908-0706-050403020100"
NODE_SG = "sg-0123456789abcdef0"
SUBNETS = {"us-east-1a": "subnet-a", "us-east-1b": "subnet-b", "us-east-1c": "subnet-c"}
REQUIRED = dict(name="t-data", kms_key_arn=KEY, subnet_ids_by_zone=SUBNETS, vpc_id="vpc-1", node_security_group_id=NODE_SG)


def probe(**props) -> dict:
    return stack_doc(lambda s: EfsFileSystem(s, "efs", **{**REQUIRED, **props}))


@pytest.fixture(scope="module")
def doc():
    return probe()


def test_encrypted_with_the_customer_key(doc):
    fs = one(doc, "aws_efs_file_system")
    assert fs["encrypted"] is True and fs["kms_key_id"] == KEY
    assert fs["creation_token"] == "t-data" and fs["tags"]["Name"] == "t-data"
    assert fs["performance_mode"] == "generalPurpose" and fs["throughput_mode"] == "elastic"
    assert "provisioned_throughput_in_mibps" not in fs


def test_infrequent_access_after_30_days_and_back_on_first_access(doc):
    assert one(doc, "aws_efs_file_system")["lifecycle_policy"] == [
        {"transition_to_ia": "AFTER_30_DAYS"},
        {"transition_to_primary_storage_class": "AFTER_1_ACCESS"},
    ]


def test_terraform_refuses_to_destroy_it(doc):
    assert one(doc, "aws_efs_file_system")["lifecycle"] == {"prevent_destroy": True}
    assert "force_destroy" not in json.dumps(doc)


def test_one_mount_target_per_zone_behind_the_nfs_group(doc):
    fs = one(doc, "aws_efs_file_system")
    sg = one(doc, "aws_security_group")
    targets = resources(doc, "aws_efs_mount_target")
    assert sorted(t["subnet_id"] for t in targets) == sorted(SUBNETS.values())
    for target in targets:
        assert target["file_system_id"] == ref(doc, "aws_efs_file_system", fs)
        assert target["security_groups"] == [ref(doc, "aws_security_group", sg)]
    assert all(any(zone in key for zone in SUBNETS) for key in doc["resource"]["aws_efs_mount_target"])


def test_nfs_only_from_the_nodes_and_no_egress(doc):
    sg = one(doc, "aws_security_group")
    assert sg["vpc_id"] == "vpc-1" and sg["name_prefix"] == "t-data-efs-"
    [rule] = sg["ingress"]
    assert (rule["protocol"], rule["from_port"], rule["to_port"]) == ("tcp", 2049, 2049)
    assert rule["security_groups"] == [NODE_SG]
    assert not rule.get("cidr_blocks") and not rule.get("ipv6_cidr_blocks") and not rule.get("prefix_list_ids")
    assert not rule.get("self")
    assert sg["egress"] == []
    assert not any(rtype in doc["resource"] for rtype in (
        "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"))


def test_backup_policy_on_by_default_and_absent_when_switched_off(doc):
    fs = one(doc, "aws_efs_file_system")
    policy = one(doc, "aws_efs_backup_policy")
    assert policy["backup_policy"] == {"status": "ENABLED"}
    assert policy["file_system_id"] == ref(doc, "aws_efs_file_system", fs)
    without = probe(enable_backup=False)
    assert "aws_efs_backup_policy" not in without["resource"]
    assert len(resources(without, "aws_efs_mount_target")) == 3


def test_policy_denies_plain_nfs_and_allows_clients_only_through_mount_targets(doc):
    fs = one(doc, "aws_efs_file_system")
    body = one(doc, "aws_efs_file_system_policy")
    assert body["file_system_id"] == ref(doc, "aws_efs_file_system", fs)
    assert "bypass_policy_lockout_safety_check" not in body
    deny, allow = json.loads(body["policy"])["Statement"]
    arn = ref(doc, "aws_efs_file_system", fs, "arn")
    assert deny == {"Sid": "DenyWithoutTls", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "*", "Resource": arn,
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    assert allow["Effect"] == "Allow" and allow["Resource"] == arn
    assert sorted(allow["Action"]) == ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientRootAccess",
                                       "elasticfilesystem:ClientWrite"]
    assert allow["Condition"] == {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}}


def test_modes_and_switches_reach_the_resource():
    doc = probe(performance_mode="maxIO", throughput_mode="provisioned", provisioned_throughput_mibps=128,
                ia_after_days=1, prevent_destroy=False)
    fs = one(doc, "aws_efs_file_system")
    assert (fs["performance_mode"], fs["throughput_mode"], fs["provisioned_throughput_in_mibps"]) == ("maxIO", "provisioned", 128)
    assert fs["lifecycle_policy"][0] == {"transition_to_ia": "AFTER_1_DAY"}
    assert "lifecycle" not in fs


@pytest.mark.parametrize("props, named, fix", [
    ({"performance_mode": "fast"}, "'fast'", "use generalPurpose"),
    ({"throughput_mode": "burst"}, "'burst'", "use elastic"),
    ({"throughput_mode": "provisioned"}, "'provisioned'", "set provisioned_throughput_mibps"),
    ({"throughput_mode": "provisioned", "provisioned_throughput_mibps": 0}, "got 0", "set provisioned_throughput_mibps"),
    ({"provisioned_throughput_mibps": 64}, "64", "drop it"),
    ({"performance_mode": "maxIO"}, "'maxIO'", "use generalPurpose"),
    ({"subnet_ids_by_zone": {}}, "no subnets", "one private subnet per zone"),
    ({"ia_after_days": 45}, "45", "pick one"),
])
def test_bad_arguments_are_refused_in_one_line(props, named, fix):
    stack = TerraformStack(App(), "probe")
    with pytest.raises(ValueError) as caught:
        EfsFileSystem(stack, "efs", **{**REQUIRED, **props})
    message = str(caught.value)
    assert "\n" not in message and named in message and fix in message


def test_every_problem_is_reported_at_once():
    stack = TerraformStack(App(), "probe")
    with pytest.raises(ValueError, match="'fast'.*'burst'"):
        EfsFileSystem(stack, "efs", **{**REQUIRED, "performance_mode": "fast", "throughput_mode": "burst"})


def test_platform_invariants_hold(doc):
    assert check_stack("probe", doc, make_spec()) == []


@pytest.mark.slow
@pytest.mark.validate
def test_probe_stack_validates_with_the_real_provider(doc, tmp_path):
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not on PATH; the README lists it as a prerequisite")
    folder = tmp_path / "probe"
    folder.mkdir()
    (folder / "cdk.tf.json").write_text(json.dumps(doc))
    env = terraform_env(tmp_path / "tfconfig")
    run(["init", "-backend=false", "-input=false"], cwd=folder, env=env)
    result = json.loads(run(["validate", "-json"], cwd=folder, env=env, check=False).stdout)
    assert result["valid"] is True, json.dumps(result["diagnostics"], indent=1)
    assert result["error_count"] == 0 and result["warning_count"] == 0, json.dumps(result["diagnostics"], indent=1)


def test_exposes_the_file_system_and_its_security_group():
    built = {}

    def build(stack):
        efs = built["efs"] = EfsFileSystem(stack, "efs", **REQUIRED)
        for name in ("id", "arn", "security_group_id"):
            TerraformOutput(stack, name, value=getattr(efs, name))

    doc = stack_doc(build)
    fs, sg = one(doc, "aws_efs_file_system"), one(doc, "aws_security_group")
    assert {k: v["value"] for k, v in doc["output"].items()} == {
        "id": ref(doc, "aws_efs_file_system", fs),
        "arn": ref(doc, "aws_efs_file_system", fs, "arn"),
        "security_group_id": ref(doc, "aws_security_group", sg),
    }
    efs = built["efs"]
    assert efs.node.id == "efs" and sorted(efs.mount_targets) == sorted(SUBNETS) and efs.backup_policy is not None
