"""tagged: the AWS provider's default tags carry the environment's tags."""

from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup

from tests.invariants.helpers import messages, stack_doc


def test_resources_without_the_environment_tags():
    found = messages("tagged", stack_doc(lambda s: CloudwatchLogGroup(s, "logs", name="/x", kms_key_id="k"), tags={"team": "other"}))
    assert len(found) == 1 and "default tags lack" in found[0] and "'team': 'platform'" in found[0]
    assert messages("tagged", stack_doc(lambda s: CloudwatchLogGroup(s, "logs", name="/x", kms_key_id="k"))) == []
