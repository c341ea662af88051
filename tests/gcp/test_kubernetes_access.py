"""GkeClusterAccess: the addons stack's kubernetes and helm providers reach GKE by its literal name, with a short-lived token."""

import json

import pytest

from tests.helpers import gcp_spec, synth


@pytest.fixture(scope="module")
def addons():
    return synth(gcp_spec())["addons"]


def _only(addons, kind):
    (logical_id, body), = addons["data"][kind].items()
    return logical_id, body


def test_cluster_read_by_its_literal_name_location_and_project(addons):
    _, cluster = _only(addons, "google_container_cluster")
    assert {k: cluster[k] for k in ("name", "location", "project")} == {
        "name": "tc", "location": "us-central1", "project": "proj-1",
    }


def test_both_providers_use_the_data_sources_and_the_access_token(addons):
    cluster_id, _ = _only(addons, "google_container_cluster")
    config_id, _ = _only(addons, "google_client_config")
    cluster = f"data.google_container_cluster.{cluster_id}"
    expected = {
        "host": f"https://${{{cluster}.endpoint}}",
        "cluster_ca_certificate": f"${{base64decode({cluster}.master_auth[0].cluster_ca_certificate)}}",
        "token": f"${{data.google_client_config.{config_id}.access_token}}",
    }
    (kubernetes,) = addons["provider"]["kubernetes"]
    (helm,) = addons["provider"]["helm"]
    assert kubernetes == expected
    assert helm == {"kubernetes": expected}


def test_no_cross_stack_value_kubeconfig_or_credential_plugin_in_a_provider_block(addons):
    blocks = json.dumps({k: addons["provider"][k] for k in ("kubernetes", "helm")})
    assert "terraform_remote_state" not in blocks
    for word in ("config_path", "config_context", "exec", "client_key", "password"):
        assert word not in blocks, word


def test_the_cluster_follows_the_file():
    spec = gcp_spec(name="other", region="europe-west4", zones=["europe-west4-a", "europe-west4-b", "europe-west4-c"],
                    gcp={"project": "acme-prod"}, cluster={"name": "platform"})
    _, cluster = _only(synth(spec)["addons"], "google_container_cluster")
    assert (cluster["name"], cluster["location"], cluster["project"]) == ("platform", "europe-west4", "acme-prod")


def test_only_the_addons_stack_talks_to_the_cluster():
    stacks = synth(gcp_spec())
    for layer in ("network", "cluster", "data"):
        assert set(stacks[layer]["provider"]) == {"google"}, layer
        assert "google_client_config" not in stacks[layer].get("data", {}), layer
