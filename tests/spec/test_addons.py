"""The ``addons:`` section: defaults on every cloud, each cloud's own keys, and its rules."""

import pytest

from platform_constructs.spec import SpecError
from tests.helpers import azure_spec, gcp_spec, make_spec


def refused(factory, **override) -> SpecError:
    with pytest.raises(SpecError) as info:
        factory(**override)
    return info.value


@pytest.mark.parametrize("factory", [make_spec, gcp_spec, azure_spec])
def test_every_component_is_on_by_default(factory):
    addons = factory().addons
    assert (addons.load_balancer_controller, addons.metrics_server, addons.block_storage, addons.file_storage,
            addons.secrets_store, addons.chart_repository) == (True, True, True, True, True, None)


def test_aws_defaults_autoscaler_efs_and_pod_identity():
    spec = make_spec()
    assert spec.addons.cluster_autoscaler is True
    efs = spec.addons.file_system
    assert (efs.performance_mode, efs.throughput_mode, efs.provisioned_throughput_mibps, efs.backup) == (
        "generalPurpose", "elastic", None, True)
    assert spec.aws.workload_identity == "pod_identity"
    assert make_spec(aws={"workload_identity": "irsa"}).aws.workload_identity == "irsa"


def test_gcp_and_azure_defaults():
    assert (gcp_spec().addons.autoscaling_profile, gcp_spec().addons.filestore_tier) == ("BALANCED", "standard")
    profile = azure_spec().addons.autoscaler_profile
    assert (profile.expander, profile.balance_similar_node_groups, profile.scale_down_unneeded,
            profile.scale_down_utilization_threshold, profile.skip_nodes_with_local_storage) == (
        "least-waste", True, "10m", 0.5, False)


@pytest.mark.parametrize("factory", [gcp_spec, azure_spec])
def test_the_cluster_autoscaler_key_is_refused_where_the_cloud_autoscales_natively(factory):
    err = refused(factory, addons={"cluster_autoscaler": True})
    assert (err.path, err.message) == (
        "addons.cluster_autoscaler", f"is only used with cloud: aws, and this file's cloud is {factory().cloud}: remove it")


@pytest.mark.parametrize("factory, key, service", [
    (gcp_spec, "metrics_server", "GKE"), (gcp_spec, "load_balancer_controller", "GKE"), (azure_spec, "metrics_server", "AKS"),
])
def test_built_in_components_cannot_be_switched_off(factory, key, service):
    err = refused(factory, addons={key: False})
    assert err.path == f"addons.{key}" and f"{service} runs it itself" in err.message
    assert getattr(factory(addons={key: True}).addons, key) is True


@pytest.mark.parametrize("factory, override, path", [
    (make_spec, {"addons": {"autoscaling_profile": "BALANCED"}}, "addons.autoscaling_profile"),
    (make_spec, {"addons": {"autoscaler_profile": {"expander": "random"}}}, "addons.autoscaler_profile"),
    (gcp_spec, {"addons": {"file_system": {"backup": False}}}, "addons.file_system"),
    (azure_spec, {"addons": {"filestore_tier": "zonal"}}, "addons.filestore_tier"),
    (gcp_spec, {"aws": {"workload_identity": "irsa"}}, "aws"),
])
def test_another_clouds_addon_keys_are_refused(factory, override, path):
    assert refused(factory, **override).path == path


@pytest.mark.parametrize("value, fragment", [
    ("https://charts.example.com", "not a URL with scheme oci"),
    ("oci://", "not a URL with scheme oci and a host"),
    ("oci://user:pw@registry.example.com/charts", "nothing secret"),
    ("oci://registry.example.com/Charts", "repository path"),
    ("oci://registry.example.com/my charts", "whitespace"),
    ("oci://registry.example.com:99999/charts", "not a valid URL"),
])
def test_chart_repository_must_be_an_oci_repository_without_credentials(value, fragment):
    err = refused(make_spec, addons={"chart_repository": value})
    assert err.path == "addons.chart_repository" and fragment in err.message


def test_chart_repository_is_kept_without_a_trailing_slash():
    spec = make_spec(addons={"chart_repository": "oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/helm-charts/"})
    assert spec.addons.chart_repository == "oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/helm-charts"


@pytest.mark.parametrize("file_system, path, fragment", [
    ({"throughput_mode": "provisioned"}, "addons.file_system.provisioned_throughput_mibps", "is required"),
    ({"provisioned_throughput_mibps": 64}, "addons.file_system.provisioned_throughput_mibps", "only used with throughput_mode provisioned"),
    ({"performance_mode": "maxIO"}, "addons.file_system.performance_mode", "maxIO does not work with throughput_mode elastic"),
    ({"throughput_mode": "provisioned", "provisioned_throughput_mibps": 5000}, "addons.file_system.provisioned_throughput_mibps", "3414"),
])
def test_efs_settings_are_checked_together(file_system, path, fragment):
    err = refused(make_spec, addons={"file_system": file_system})
    assert err.path == path and fragment in err.message


def test_provisioned_efs_throughput_is_accepted_with_its_mode():
    efs = make_spec(addons={"file_system": {"throughput_mode": "provisioned", "provisioned_throughput_mibps": 128,
                                            "performance_mode": "maxIO"}}).addons.file_system
    assert (efs.throughput_mode, efs.provisioned_throughput_mibps, efs.performance_mode) == ("provisioned", 128, "maxIO")


def test_pod_identity_needs_the_managed_pod_identity_agent():
    err = refused(make_spec, aws={"managed_addons": False})
    assert err.path == "aws.workload_identity" and "workload_identity: irsa" in err.message
    assert make_spec(aws={"managed_addons": False, "workload_identity": "irsa"}).aws.managed_addons is False


def test_filestore_tier_only_with_file_storage():
    err = refused(gcp_spec, addons={"file_storage": False, "filestore_tier": "zonal"})
    assert err.path == "addons.filestore_tier"
    assert gcp_spec(addons={"file_storage": False}).addons.file_storage is False
    assert refused(gcp_spec, addons={"filestore_tier": "platinum"}).path == "addons.filestore_tier"


def test_azure_block_storage_needs_the_customer_key():
    err = refused(azure_spec, azure={"enable_customer_managed_keys": False})
    assert err.path == "addons.block_storage" and "enable_customer_managed_keys" in err.message
    spec = azure_spec(azure={"enable_customer_managed_keys": False}, addons={"block_storage": False},
                      observability={"enabled": False}, data={"buckets": []})
    assert spec.addons.block_storage is False


@pytest.mark.parametrize("profile, path", [
    ({"scale_down_unneeded": "10 minutes"}, "addons.autoscaler_profile.scale_down_unneeded"),
    ({"scale_down_utilization_threshold": 0}, "addons.autoscaler_profile.scale_down_utilization_threshold"),
    ({"expander": "cheapest"}, "addons.autoscaler_profile.expander"),
])
def test_azure_autoscaler_profile_values_are_checked(profile, path):
    assert refused(azure_spec, addons={"autoscaler_profile": profile}).path == path
