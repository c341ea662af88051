"""google_provider: project, region and platform labels on every GCP stack."""

from platform_constructs.kits import IN_CLUSTER_LAYERS
from tests.helpers import gcp_spec
from tests.helpers import synth


def test_every_stack_configures_project_region_and_default_labels():
    stacks = synth(gcp_spec())
    for layer, stack in stacks.items():
        (provider,) = stack["provider"]["google"]
        assert provider["project"] == "proj-1" and provider["region"] == "us-central1"
        assert provider["default_labels"] == {
            "team": "platform", "platform": "officeless", "environment": "t", "stack": f"t-{layer}", "managed_by": "cdktf",
        }


def test_gcp_stacks_hold_no_other_cloud_provider():
    for layer, stack in synth(gcp_spec()).items():
        in_cluster = {"kubernetes", "helm"} if layer in IN_CLUSTER_LAYERS else set()
        assert set(stack["provider"]) == {"google"} | in_cluster, layer
