"""VpcFlowLogs: all traffic into an encrypted log group with retention."""

from tests.helpers import make_spec, one, ref, synth


def test_flow_logs_capture_all_traffic_into_the_log_group():
    stack = synth(make_spec(network={"flow_log_retention_days": 14}))["network"]
    group = one(stack, "aws_cloudwatch_log_group")
    flow = one(stack, "aws_flow_log")
    assert flow["traffic_type"] == "ALL" and flow["log_destination_type"] == "cloud-watch-logs"
    assert flow["log_destination"] == ref(stack, "aws_cloudwatch_log_group", group, "arn")
    assert flow["vpc_id"] == ref(stack, "aws_vpc", one(stack, "aws_vpc"))
    assert group["name"] == "/aws/vpc/t/flow-logs"
    assert group["retention_in_days"] == 14
    assert group["kms_key_id"] == ref(stack, "aws_kms_key", one(stack, "aws_kms_key"), "arn")


def test_flow_log_role_is_trusted_by_the_flow_logs_service_only():
    stack = synth(make_spec())["network"]
    role = one(stack, "aws_iam_role")
    assert '"Service": "vpc-flow-logs.amazonaws.com"' in role["assume_role_policy"]
    assert '"logs:PutLogEvents"' in one(stack, "aws_iam_role_policy")["policy"]
