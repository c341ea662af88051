"""EcrRepositories: private ECR repositories <namespace>/<name>, immutable, scanned, KMS, untagged images expire."""

import json

import pytest

from platform_constructs.aws.registry import UNTAGGED_IMAGE_DAYS, EcrRepositories, registry_host
from tests.aws.test_observability_storage import aws_probe
from tests.helpers import ref, resources

KEY = "arn:aws:kms:us-east-1:111122223333:key/0f0e0d0c-0b0a-0908-0706-050403020100"


def registry_doc(**props) -> dict:
    props = {"namespace": "aws-prod", "names": ["api", "web"], "kms_key_arn": KEY, **props}
    return aws_probe(lambda stack: EcrRepositories(stack, "registry", **props))


@pytest.fixture(scope="module")
def doc():
    return registry_doc()


def test_one_immutable_scanned_kms_repository_per_name(doc):
    repos = resources(doc, "aws_ecr_repository")
    assert sorted(r["name"] for r in repos) == ["aws-prod/api", "aws-prod/web"]
    for repo in repos:
        assert repo["image_tag_mutability"] == "IMMUTABLE"
        assert repo["image_scanning_configuration"] == {"scan_on_push": True}
        assert repo["encryption_configuration"] == [{"encryption_type": "KMS", "kms_key": KEY}]
        assert repo["force_delete"] is False
        assert repo["lifecycle"] == {"prevent_destroy": True}
    assert resources(doc, "aws_ecr_repository_policy") == []


def test_untagged_images_expire(doc):
    policies = resources(doc, "aws_ecr_lifecycle_policy")
    repos = resources(doc, "aws_ecr_repository")
    assert sorted(p["repository"] for p in policies) == sorted(ref(doc, "aws_ecr_repository", r, "name") for r in repos)
    [rule] = json.loads(policies[0]["policy"])["rules"]
    assert rule["selection"] == {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                                 "countNumber": UNTAGGED_IMAGE_DAYS}
    assert rule["action"] == {"type": "expire"}
    days = json.loads(resources(registry_doc(untagged_days=3), "aws_ecr_lifecycle_policy")[0]["policy"])
    assert days["rules"][0]["selection"]["countNumber"] == 3


def test_destroyable_when_asked():
    assert all("lifecycle" not in r for r in resources(registry_doc(prevent_destroy=False), "aws_ecr_repository"))


def test_registry_host_per_partition():
    assert registry_host("111122223333", "eu-west-1") == "111122223333.dkr.ecr.eu-west-1.amazonaws.com"
    assert registry_host("111122223333", "cn-north-1") == "111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn"


def test_bad_arguments_are_reported_together():
    with pytest.raises(ValueError) as err:
        registry_doc(names=["api", "api"], untagged_days=0)
    assert "name one twice" in str(err.value) and "untagged_days 0" in str(err.value)
    with pytest.raises(ValueError, match="no repository names"):
        registry_doc(names=[])
