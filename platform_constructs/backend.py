"""Terraform state backends from ``backend:`` in the environment file (cloud-neutral).

Local state lives OUTSIDE the synthesized output, in ``.terraform-state/``
next to the output folder, because synth replaces the output folder. The path
is relative and climbs out of ``<outdir>/stacks/<stack>/``, where Terraform
runs; every stack folder sits at that same depth, so the path copied into a
consumer's cross-stack ``terraform_remote_state`` resolves to the same file.
"""

from __future__ import annotations

from cdktf import AzurermBackend, GcsBackend, LocalBackend, S3Backend, S3BackendEndpointConfig, TerraformStack

from platform_constructs.spec import EnvironmentSpec
from platform_constructs.spec.backend import AzurermBackendSpec, GcsBackendSpec, LocalBackendSpec, S3BackendSpec

#: Folder (beside the output folder) holding local state files.
LOCAL_STATE_DIR = ".terraform-state"


def local_state_path(stack_name: str) -> str:
    """State path relative to ``<outdir>/stacks/<stack>/``."""
    return f"../../../{LOCAL_STATE_DIR}/{stack_name}.tfstate"


def configure_backend(stack: TerraformStack, spec: EnvironmentSpec, stack_name: str) -> None:
    backend = spec.backend
    if isinstance(backend, LocalBackendSpec):
        LocalBackend(stack, path=local_state_path(stack_name))
    elif isinstance(backend, S3BackendSpec):
        endpoint = backend.endpoint
        s3 = S3Backend(
            stack,
            bucket=backend.bucket,
            key=f"{backend.key_prefix}/{stack_name}.tfstate",
            region=backend.region or spec.region,
            encrypt=backend.encrypt,
            kms_key_id=backend.kms_key_id,
            endpoints=S3BackendEndpointConfig(s3=endpoint, sts=endpoint, iam=endpoint) if endpoint else None,
            use_path_style=True if endpoint else None,
            skip_credentials_validation=True if endpoint else None,
            skip_requesting_account_id=True if endpoint else None,
            skip_metadata_api_check=True if endpoint else None,
            skip_region_validation=True if endpoint else None,
        )
        if backend.use_lockfile:
            # cdktf 0.21's typed config predates Terraform 1.10's S3-native locking.
            s3.add_override("use_lockfile", True)
    elif isinstance(backend, GcsBackendSpec):
        GcsBackend(stack, bucket=backend.bucket, prefix=f"{backend.prefix}/{stack_name}")
    elif isinstance(backend, AzurermBackendSpec):
        AzurermBackend(
            stack,
            resource_group_name=backend.resource_group_name,
            storage_account_name=backend.storage_account_name,
            container_name=backend.container_name,
            key=f"{backend.key_prefix}/{stack_name}.tfstate",
            use_azuread_auth=True,
        )
    else:  # pragma: no cover - the model admits no other type
        raise TypeError(f"unknown backend {backend!r}")
