"""``cloud: kubernetes``: what the model requires, what it refuses (one line each, with the path), and
the rules of the neutral base it shares with the other clouds."""

from __future__ import annotations

import pytest

from platform_constructs.generic.spec import REFUSED_SECTIONS, KubernetesEnvironment
from platform_constructs.spec import SpecError, parse_environment
from platform_tools.synth import load_all
from tests.helpers import kubernetes_doc, kubernetes_spec

QUOTA = {"cpu": "2", "memory": "4Gi", "pods": 20}


def refused(doc: dict) -> SpecError:
    with pytest.raises(SpecError) as raised:
        parse_environment(doc, "onprem.yaml")
    err = raised.value
    assert "\n" not in str(err) and str(err).startswith(f"onprem.yaml: {err.path}: ")
    return err


def without(doc: dict, *path: str) -> dict:
    inner = doc
    for key in path[:-1]:
        inner = inner[key]
    del inner[path[-1]]
    return doc


def test_the_issue_example_loads_with_its_names():
    spec = kubernetes_spec(name="onprem-prod", kubernetes={"context": "prod"})
    assert isinstance(spec, KubernetesEnvironment)
    assert (spec.kubernetes.kubeconfig, spec.kubernetes.context) == ("~/.kube/config", "prod")
    assert (spec.kubernetes.storage_classes.block, spec.kubernetes.storage_classes.file) == ("standard", None)
    assert spec.observability.storage.credentials_secret == "observability-s3"


@pytest.mark.parametrize("section, value", [
    ("network", {"cidr": "10.0.0.0/16"}),
    ("cluster", {"name": "c", "kubernetes_version": "1.33", "node_pools": []}),
    ("zones", ["a", "b", "c"]),
    ("region", "us-east-1"),
    ("data", {"buckets": ["app"]}),
    ("aws", {"workload_identity": "irsa"}),
    ("gcp", {"project": "p"}),
    ("azure", {"subscription_id": "00000000-0000-0000-0000-000000000000"}),
])
def test_each_refused_section_is_one_line_naming_it(section, value):
    err = refused(kubernetes_doc(**{section: value}))
    assert err.path == section
    assert err.message.startswith("is not used with cloud: kubernetes: ")
    assert "remove" in err.message
    assert "more problem" not in err.message


def test_several_refused_sections_report_the_first_and_count_the_rest():
    err = refused(kubernetes_doc(network={"cidr": "10.0.0.0/16"}, zones=["a"], data={}))
    assert err.path == "zones"
    assert err.message.endswith("(and 2 more problems)")


def test_the_refused_list_is_the_issues():
    assert set(REFUSED_SECTIONS) == {"region", "zones", "network", "cluster", "data", "aws", "gcp", "azure"}


@pytest.mark.parametrize("path", [("kubernetes",), ("kubernetes", "kubeconfig"), ("kubernetes", "context"),
                                  ("kubernetes", "storage_classes"), ("kubernetes", "storage_classes", "block"),
                                  ("kubernetes", "storage_classes", "file")])
def test_kubeconfig_context_and_both_storage_classes_are_required(path):
    err = refused(without(kubernetes_doc(), *path))
    assert err.path == ".".join(path)
    assert err.message == ("is required when cloud is kubernetes" if path == ("kubernetes",) else "is required")


@pytest.mark.parametrize("kubeconfig, complaint", [
    ("kube/config", "relative path"),
    ("./config", "relative path"),
    ("https://example.com/kubeconfig", "is a URL"),
    ("apiVersion: v1\nclusters: []", "not a file path"),
])
def test_a_kubeconfig_that_is_not_an_absolute_or_home_path_is_refused(kubeconfig, complaint):
    err = refused(kubernetes_doc(kubernetes={"kubeconfig": kubeconfig}))
    assert err.path == "kubernetes.kubeconfig" and complaint in err.message


def test_a_storage_class_name_must_be_one_kubernetes_accepts():
    err = refused(kubernetes_doc(kubernetes={"storage_classes": {"block": "Fast SSD"}}))
    assert err.path == "kubernetes.storage_classes.block" and "not a StorageClass name" in err.message


@pytest.mark.parametrize("group, complaint", [
    ("team a", "not a Kubernetes group name"),
    ("", "not a Kubernetes group name"),
    ("system:masters", "Kubernetes' own groups"),
    ("system:authenticated", "Kubernetes' own groups"),
])
def test_tenant_groups_are_kubernetes_group_names_never_system_groups(group, complaint):
    doc = kubernetes_doc(tenants=[{"name": "team-a", "quota": QUOTA, "admins": ["ok-admins"], "developers": [group]}])
    err = refused(doc)
    assert err.path == "tenants.0.developers.0" and complaint in err.message


def test_group_names_of_any_authenticator_are_accepted():
    spec = kubernetes_spec(tenants=[{"name": "team-a", "quota": QUOTA,
                                     "admins": ["oidc:team-a", "team-a-admins@example.com", "g1"]}])
    assert spec.tenants[0].admins == ["oidc:team-a", "team-a-admins@example.com", "g1"]


@pytest.mark.parametrize("key, value, complaint", [
    ("block_storage", True, "storage is the cluster's"),
    ("file_storage", False, "storage is the cluster's"),
    ("ci_agent", {"kind": "github", "url": "https://github.com/acme", "secret_name": "ci"}, "cloud's secret store"),
])
def test_addon_switches_that_make_no_sense_here_are_refused(key, value, complaint):
    err = refused(kubernetes_doc(addons={key: value}))
    assert err.path == f"addons.{key}" and complaint in err.message


@pytest.mark.parametrize("key, value", [("cluster_autoscaler", True), ("autoscaling_profile", "BALANCED"),
                                        ("autoscaler_profile", {"expander": "random"})])
def test_other_clouds_addon_keys_are_refused_as_theirs(key, value):
    err = refused(kubernetes_doc(addons={key: value}))
    assert err.path == f"addons.{key}"
    assert err.message.startswith("is only used with cloud: ") and "this file's cloud is kubernetes" in err.message


def test_a_provider_without_the_driver_is_refused():
    err = refused(kubernetes_doc(addons={"secrets_store": False, "secrets_store_provider": "vault"}))
    assert err.path == "addons.secrets_store_provider"


def test_an_s3_state_backend_needs_its_region_here():
    err = refused(kubernetes_doc(backend={"type": "s3", "bucket": "tf-state", "key_prefix": "platform",
                                          "endpoint": "https://minio.example.internal"}))
    assert err.path == "backend.region"
    spec = kubernetes_spec(backend={"type": "s3", "bucket": "tf-state", "key_prefix": "platform",
                                    "endpoint": "https://minio.example.internal", "region": "us-east-1"})
    assert spec.backend.region == "us-east-1"


def test_observability_storage_is_required_while_observability_is_on():
    err = refused(without(kubernetes_doc(), "observability", "storage"))
    assert err.path == "observability.storage"
    assert kubernetes_spec(observability={"enabled": False, "storage": None},
                           kubernetes={"storage_classes": {"block": None}}).layers() == ("addons",)


def test_neutral_rules_still_apply_reserved_tags():
    err = refused(kubernetes_doc(tags={"environment": "x"}))
    assert err.path == "tags.environment"


def test_two_files_on_one_kubeconfig_context_are_refused(tmp_path):
    import yaml
    for name in ("one", "two"):
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(kubernetes_doc(name=name)))
    with pytest.raises(SpecError) as raised:
        load_all([tmp_path / "one.yaml", tmp_path / "two.yaml"])
    assert raised.value.path == "kubernetes.context" and "one.yaml" in raised.value.message
    (tmp_path / "two.yaml").write_text(yaml.safe_dump(kubernetes_doc(name="two", kubernetes={"context": "other"})))
    assert [s.name for s in load_all([tmp_path / "one.yaml", tmp_path / "two.yaml"])] == ["one", "two"]


def test_local_emulator_runs_refuse_an_existing_cluster_environment(tmp_path):
    import yaml

    from platform_tools.local import load_local_spec
    path = tmp_path / "k.yaml"
    path.write_text(yaml.safe_dump(kubernetes_doc()))
    with pytest.raises(SpecError) as raised:
        load_local_spec(path)
    assert raised.value.path == "cloud" and "local runs apply the AWS network and cluster stacks" in raised.value.message


def test_a_tenants_bucket_folder_is_refused_there_is_no_app_bucket():
    err = refused(kubernetes_doc(tenants=[{"name": "team-a", "quota": QUOTA, "bucket_prefix": "apps/team-a"}]))
    assert err.path == "tenants.0.bucket_prefix" and "no app bucket" in err.message
