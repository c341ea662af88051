"""Backends: local state outside the output folder, S3 with native locking and emulator endpoints."""

import os
import posixpath

from platform_constructs.backend import LOCAL_STATE_DIR
from tests.helpers import make_spec, synth


def test_local_state_lives_outside_the_output_folder():
    stacks = synth(make_spec())
    path = stacks["network"]["terraform"]["backend"]["local"]["path"]
    assert not os.path.isabs(path)
    # Terraform runs in <outdir>/stacks/<stack>/; the state must land beside <outdir>, not inside it.
    resolved = posixpath.normpath(posixpath.join("project/cdktf.out/stacks/t-network", path))
    assert resolved == f"project/{LOCAL_STATE_DIR}/t-network.tfstate"


def test_cross_stack_remote_state_resolves_to_the_producers_state_file():
    stacks = synth(make_spec())
    produced = stacks["network"]["terraform"]["backend"]["local"]["path"]
    remote = stacks["cluster"]["data"]["terraform_remote_state"]["cross-stack-reference-input-t-network"]
    assert remote["backend"] == "local"
    from_producer = posixpath.normpath(posixpath.join("out/stacks/t-network", produced))
    from_consumer = posixpath.normpath(posixpath.join("out/stacks/t-cluster", remote["config"]["path"]))
    assert from_consumer == from_producer


def test_s3_backend_with_lockfile_encryption_and_key_per_stack():
    spec = make_spec(name="s3env", backend={"type": "s3", "bucket": "state-bucket", "key_prefix": "envs/s3env"})
    stacks = synth(spec)
    for layer, stack in stacks.items():
        s3 = stack["terraform"]["backend"]["s3"]
        assert s3["bucket"] == "state-bucket" and s3["key"] == f"envs/s3env/s3env-{layer}.tfstate"
        assert s3["use_lockfile"] is True and s3["encrypt"] is True and s3["region"] == "us-east-1"
        assert "endpoints" not in s3
    remote = stacks["cluster"]["data"]["terraform_remote_state"]["cross-stack-reference-input-s3env-network"]
    assert remote["backend"] == "s3" and remote["config"]["key"] == "envs/s3env/s3env-network.tfstate"


def test_s3_backend_against_an_emulator():
    spec = make_spec(name="s3emu", backend={"type": "s3", "bucket": "state", "endpoint": "http://127.0.0.1:5000"})
    s3 = synth(spec)["network"]["terraform"]["backend"]["s3"]
    assert s3["endpoints"] == {"iam": "http://127.0.0.1:5000", "s3": "http://127.0.0.1:5000", "sts": "http://127.0.0.1:5000"}
    assert s3["use_path_style"] is True and s3["skip_credentials_validation"] is True


def test_gcs_backend_prefix_per_stack():
    spec = make_spec(name="gcsenv", backend={"type": "gcs", "bucket": "tf-state", "prefix": "envs"})
    stacks = synth(spec)
    assert stacks["network"]["terraform"]["backend"]["gcs"] == {"bucket": "tf-state", "prefix": "envs/gcsenv-network"}


def test_azurerm_backend_uses_entra_id_auth_and_a_key_per_stack():
    spec = make_spec(name="azenv", backend={"type": "azurerm", "resource_group_name": "rg", "storage_account_name": "tfstate123"})
    azurerm = synth(spec)["cluster"]["terraform"]["backend"]["azurerm"]
    assert azurerm == {"container_name": "tfstate", "key": "platform/azenv-cluster.tfstate", "resource_group_name": "rg",
                       "storage_account_name": "tfstate123", "use_azuread_auth": True}
