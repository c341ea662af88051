"""Terraform state backends from ``backend:`` in the environment file (cloud-neutral).

Local state lives OUTSIDE the synthesized output, in ``.terraform-state/``
next to the output folder, because synth replaces the output folder. The path
is relative and climbs out of ``<outdir>/stacks/<stack>/``, where Terraform
runs; every stack folder sits at that same depth, so the path copied into a
consumer's cross-stack ``terraform_remote_state`` resolves to the same file.

HCP Terraform / Terraform Enterprise (``type: cloud``): a ``cloud`` block per stack naming ONE
workspace, ``<workspace_prefix><stack>``, in the optional project. Terraform allows either a
workspace ``name`` or ``tags`` in the cloud block, never both ("Only one of workspace "tags" or
"name" is allowed", Terraform 1.11): a named workspace is what cross-stack references need (the
consumer's ``terraform_remote_state`` reads the producer's workspace by name, through the ``remote``
backend), so the tags (:func:`workspace_tags`) are set on the workspace itself, by the API, the UI or
the ``tfe`` provider, not in the configuration. :func:`workspace_settings` lists each workspace's
tags, execution mode and the workspaces its state must be shared with.
"""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import (
    AzurermBackend, CloudBackend, GcsBackend, LocalBackend, NamedCloudWorkspace, S3Backend, S3BackendEndpointConfig,
    TerraformStack,
)

from platform_constructs.spec import EnvironmentSpec
from platform_constructs.spec.backend import (
    AzurermBackendSpec, CloudBackendSpec, GcsBackendSpec, LocalBackendSpec, S3BackendSpec,
)

#: Folder (beside the output folder) holding local state files.
LOCAL_STATE_DIR = ".terraform-state"


def local_state_path(stack_name: str) -> str:
    """State path relative to ``<outdir>/stacks/<stack>/``."""
    return f"../../../{LOCAL_STATE_DIR}/{stack_name}.tfstate"


#: Layers whose Terraform talks to the cluster's Kubernetes API (kubernetes / helm providers). The API
#: endpoint is private, so their runs need an HCP Terraform agent inside the network (execution mode
#: ``agent``); the other layers only call the cloud's public APIs and run remotely (``remote``).
CLUSTER_ACCESS_LAYERS = ("addons", "observability", "tenants")


def workspace_name(backend: CloudBackendSpec, stack_name: str) -> str:
    """``<workspace_prefix><stack>``."""
    return f"{backend.workspace_prefix}{stack_name}"


def workspace_tags(spec: EnvironmentSpec, layer: str) -> dict[str, str]:
    """The tags of a stack's workspace: its environment and its layer."""
    return {"environment": spec.name, "layer": layer}


def execution_mode(layer: str) -> str:
    """``agent`` for the layers reaching the private Kubernetes API endpoint, else ``remote``."""
    return "agent" if layer in CLUSTER_ACCESS_LAYERS else "remote"


@dataclass(frozen=True)
class WorkspaceSettings:
    """What one stack's HCP Terraform workspace needs besides what the cloud block creates."""

    name: str
    project: str | None
    tags: dict[str, str]
    execution_mode: str
    #: Workspaces reading this one's outputs: the workspace's "Remote state sharing" list.
    share_state_with: tuple[str, ...]


def workspace_settings(spec: EnvironmentSpec, consumers: dict[str, list[str]]) -> list[WorkspaceSettings]:
    """The settings of every workspace of ``spec`` (``type: cloud`` only), in deploy order.

    :param consumers: stack name -> the stacks reading its outputs (the stack dependencies; see
        :func:`platform_tools.synth.remote_state_consumers`).
    """
    backend = spec.backend
    if not isinstance(backend, CloudBackendSpec):
        raise ValueError(f"{spec.name}: backend type {backend.type!r} has no workspaces: use type: cloud")
    out = []
    for stack in consumers:
        layer = stack.removeprefix(f"{spec.name}-")
        out.append(WorkspaceSettings(
            name=workspace_name(backend, stack), project=backend.project, tags=workspace_tags(spec, layer),
            execution_mode=execution_mode(layer),
            share_state_with=tuple(workspace_name(backend, c) for c in consumers[stack]),
        ))
    return out


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
    elif isinstance(backend, CloudBackendSpec):
        # The hostname is always written: consumers' remote state then names the same host explicitly.
        CloudBackend(
            stack,
            organization=backend.organization,
            hostname=backend.hostname,
            workspaces=NamedCloudWorkspace(workspace_name(backend, stack_name), backend.project),
        )
    else:  # pragma: no cover - the model admits no other type
        raise TypeError(f"unknown backend {backend!r}")
