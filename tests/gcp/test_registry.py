"""GcpRegistry: one Artifact Registry Docker repository, CMEK, immutable tags, cleanup, pull-only readers."""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_google.provider import GoogleProvider

from platform_constructs.gcp.registry import GcpRegistry, registry_url
from tests.helpers import one, ref, resources


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    out = tmp_path_factory.mktemp("registry")
    app = App(outdir=str(out))
    stack = TerraformStack(app, "probe")
    GoogleProvider(stack, "google", project="p-1", region="us-central1")
    registry = GcpRegistry(stack, "r", repository_id="env", project="p-1", location="us-central1", kms_key_id="k",
                           images=["api", "web"], readers=["serviceAccount:n@p-1.iam.gserviceaccount.com"])
    app.synth()
    return registry, json.loads(Path(out, "stacks", "probe", "cdk.tf.json").read_text())


def test_a_docker_repository_with_cmek_and_immutable_tags(probe):
    _, doc = probe
    repo = one(doc, "google_artifact_registry_repository")
    assert repo == {**repo, "repository_id": "env", "project": "p-1", "location": "us-central1", "format": "DOCKER",
                    "mode": "STANDARD_REPOSITORY", "kms_key_name": "k", "docker_config": {"immutable_tags": True},
                    "lifecycle": {"prevent_destroy": True}}


def test_untagged_images_are_cleaned_up_for_real(probe):
    _, doc = probe
    repo = one(doc, "google_artifact_registry_repository")
    assert repo["cleanup_policy_dry_run"] is False
    assert repo["cleanup_policies"] == [{"id": "delete-untagged", "action": "DELETE",
                                         "condition": {"tag_state": "UNTAGGED", "older_than": "1209600s"}}]


def test_readers_may_only_pull_and_nobody_is_public(probe):
    _, doc = probe
    [member] = resources(doc, "google_artifact_registry_repository_iam_member")
    assert member == {**member, "role": "roles/artifactregistry.reader",
                      "member": "serviceAccount:n@p-1.iam.gserviceaccount.com",
                      "repository": ref(doc, "google_artifact_registry_repository",
                                        one(doc, "google_artifact_registry_repository"), "name")}
    assert not any(m["member"] in ("allUsers", "allAuthenticatedUsers")
                   for m in resources(doc, "google_artifact_registry_repository_iam_member"))


def test_the_url_and_image_paths(probe):
    registry, _ = probe
    assert registry.url == registry_url("us-central1", "p-1", "env") == "us-central1-docker.pkg.dev/p-1/env"
    assert registry.images == {"api": "us-central1-docker.pkg.dev/p-1/env/api",
                               "web": "us-central1-docker.pkg.dev/p-1/env/web"}


@pytest.mark.parametrize("props, problem", [
    ({"repository_id": "Env"}, "repository id 'Env' must be"),
    ({"repository_id": "env-"}, "not ending with '-'"),
    ({"untagged_days": 0}, "untagged_days 0 must be at least 1"),
])
def test_invalid_props_are_refused(props, problem):
    with pytest.raises(ValueError, match=problem):
        GcpRegistry(TerraformStack(App(), "s"), "r", **{"repository_id": "env", "project": "p-1",
                                                        "location": "us-central1", "kms_key_id": "k", **props})
