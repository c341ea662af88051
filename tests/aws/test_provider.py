"""The AWS provider: region, default tags on every stack, emulator endpoints only when asked."""

from tests.helpers import make_spec, synth


def test_region_and_default_tags():
    stacks = synth(make_spec())
    for layer, stack in stacks.items():
        provider = stack["provider"]["aws"][0]
        assert provider["region"] == "us-east-1"
        tags = provider["default_tags"][0]["tags"]
        assert tags == {"team": "platform", "platform": "officeless", "environment": "t", "stack": f"t-{layer}", "managed-by": "cdktf"}
        assert "endpoints" not in provider and "skip_credentials_validation" not in provider


def test_emulator_endpoint_points_every_service_at_one_url():
    stack = synth(make_spec(name="emu", aws={"endpoint": "http://127.0.0.1:5000"}))["network"]
    provider = stack["provider"]["aws"][0]
    endpoints = provider["endpoints"][0]
    assert {"ec2", "eks", "iam", "kms", "s3", "sts"} <= set(endpoints)
    assert set(endpoints.values()) == {"http://127.0.0.1:5000"}
    assert provider["skip_credentials_validation"] is True and provider["s3_use_path_style"] is True
