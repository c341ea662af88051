"""One model per cloud: each owns its section and rules; what another cloud uses is refused by name."""

import pytest

from platform_constructs.aws.spec import AwsEnvironment
from platform_constructs.azure.spec import AzureEnvironment
from platform_constructs.gcp.spec import GcpEnvironment
from platform_constructs.spec import SpecError
from tests.helpers import azure_spec, gcp_spec, make_spec


def refused(factory, **override) -> SpecError:
    with pytest.raises(SpecError) as info:
        factory(**override)
    return info.value


def test_each_cloud_gets_its_own_model():
    assert (type(make_spec()), type(gcp_spec()), type(azure_spec())) == (AwsEnvironment, GcpEnvironment, AzureEnvironment)


@pytest.mark.parametrize("factory, override, path, users", [
    (azure_spec, {"cluster": {"admin_principals": ["arn:aws:iam::111122223333:role/admins"]}}, "cluster.admin_principals", "aws"),
    (azure_spec, {"aws": {"managed_addons": False}}, "aws", "aws"),
    (azure_spec, {"network": {"flow_log_retention_days": 30}}, "network.flow_log_retention_days", "aws"),
    (azure_spec, {"gcp": {"project": "p"}}, "gcp", "gcp"),
    (gcp_spec, {"cluster": {"authentication_mode": "API"}}, "cluster.authentication_mode", "aws"),
    (gcp_spec, {"cluster": {"log_retention_days": 30}}, "cluster.log_retention_days", "aws or azure"),
    (gcp_spec, {"network": {"nat": "single"}}, "network.nat", "aws or azure"),
    (gcp_spec, {"azure": {"sku_tier": "Free"}}, "azure", "azure"),
    (make_spec, {"azure": {"sku_tier": "Free"}}, "azure", "azure"),
])
def test_a_field_another_cloud_uses_is_refused_naming_it(factory, override, path, users):
    err = refused(factory, **override)
    cloud = factory().cloud
    assert (err.path, err.message) == (path, f"is only used with cloud: {users}, and this file's cloud is {cloud}: remove it")


def test_a_field_no_cloud_uses_is_an_unknown_key():
    err = refused(make_spec, cluster={"colour": "blue"})
    assert (err.path, err.message) == ("cluster.colour", "unknown key: remove it or check its spelling")


def test_log_retention_is_each_clouds_own_rule():
    azure = refused(azure_spec, cluster={"log_retention_days": 1000})
    assert azure.path == "cluster.log_retention_days" and "Log Analytics" in azure.message and "CloudWatch" not in azure.message
    assert azure_spec(cluster={"log_retention_days": 100}).cluster.log_retention_days == 100  # not a CloudWatch value: fine here
    aws = refused(make_spec, cluster={"log_retention_days": 100})
    assert aws.path == "cluster.log_retention_days" and "CloudWatch" in aws.message


@pytest.mark.parametrize("cloud", ["nimbus", ""])
def test_an_unknown_cloud_lists_the_registry(cloud):
    err = refused(make_spec, cloud=cloud)
    assert (err.path, err.message) == ("cloud", f"{cloud!r} is not a supported cloud: use one of aws, gcp, azure, kubernetes")
