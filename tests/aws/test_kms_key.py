"""EncryptionKey: rotation, explicit policy, alias."""

import json

from tests.helpers import make_spec, one, resources, synth


def test_keys_rotate_and_carry_an_explicit_policy():
    stacks = synth(make_spec())
    for layer in ("network", "cluster"):
        key = one(stacks[layer], "aws_kms_key")
        assert key["enable_key_rotation"] is True
        assert key["deletion_window_in_days"] == 30
        policy = json.loads(key["policy"])
        sids = [s["Sid"] for s in policy["Statement"]]
        assert sids == ["AccountAdministers", "CloudWatchLogsEncrypts"]
        logs = policy["Statement"][1]
        assert logs["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
        assert "kms:Decrypt*" in logs["Action"] and "kms:*" not in logs["Action"]


def test_alias_names_the_purpose():
    stacks = synth(make_spec())
    assert [a["name"] for a in resources(stacks["network"], "aws_kms_alias")] == ["alias/t-network-logs"]
    assert [a["name"] for a in resources(stacks["cluster"], "aws_kms_alias")] == ["alias/tc-eks"]
