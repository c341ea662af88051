"""SecretsStoreCsi: the driver installed once (rotation on), the AWS provider without its bundled driver."""

from platform_constructs.aws.secrets_store import ROTATION_POLL_INTERVAL
from tests.aws.test_addons import addons_doc, release_of, releases
from tests.helpers import make_spec, ref

DRIVER = "secrets-store-csi-driver"
PROVIDER = "secrets-store-csi-driver-provider-aws"


def test_the_driver_is_installed_once_with_rotation_on():
    doc = addons_doc()
    driver, values = release_of(doc, DRIVER)
    assert values["enableSecretRotation"] is True and values["rotationPollInterval"] == ROTATION_POLL_INTERVAL
    assert values["syncSecret"] == {"enabled": False}
    _, provider = release_of(doc, PROVIDER)
    assert provider["secrets-store-csi-driver"] == {"install": False}
    assert [body["chart"] for body in releases(doc).values()].count(DRIVER) == 1


def test_the_driver_hands_out_tokens_for_both_aws_identity_modes():
    _, values = release_of(addons_doc(), DRIVER)
    assert values["tokenRequests"] == [{"audience": "sts.amazonaws.com"}, {"audience": "pods.eks.amazonaws.com"}]


def test_the_provider_follows_the_driver_with_the_region_explicit():
    doc = addons_doc(make_spec(region="eu-west-1", zones=["eu-west-1a", "eu-west-1b"]))
    driver, _ = release_of(doc, DRIVER)
    body, values = release_of(doc, PROVIDER)
    assert body["depends_on"] == [ref(doc, "helm_release", driver).removeprefix("${").removesuffix(".id}")]
    assert values["awsRegion"] == "eu-west-1"
    assert body["namespace"] == driver["namespace"] == "kube-system"


def test_no_cloud_identity_of_its_own():
    doc = addons_doc()
    names = {r["name"] for r in doc["resource"]["aws_iam_role"].values()}
    assert not any("secret" in name for name in names)
