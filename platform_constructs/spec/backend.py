"""The ``backend:`` section: where Terraform keeps each stack's state."""

from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, Field

from platform_constructs.spec.common import Folder, Model, Url, matching, shown

#: AWS region names (us-east-1, ap-southeast-2, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1).
AWS_REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?|sc-[a-z]{2})?-(central|(north|south)?(east|west)|north|south)-[1-9]\d?")


def _s3_bucket(value: str) -> str:
    """S3's bucket naming rules (general purpose buckets, :func:`platform_constructs.aws.names.s3_bucket_problem`:
    one rule set for the state bucket and every bucket the platform creates)."""
    from platform_constructs.aws.names import s3_bucket_problem
    problem = s3_bucket_problem(value)
    if problem:
        raise ValueError(f"{shown(value)} is not a valid S3 bucket name: it {problem} (S3 bucket naming rules)")
    return value


def _gcs_bucket(value: str) -> str:
    """Cloud Storage's bucket naming rules (:func:`platform_constructs.gcp.names.gcs_bucket_problem`)."""
    from platform_constructs.gcp.names import gcs_bucket_problem
    problem = gcs_bucket_problem(value)
    if problem:
        raise ValueError(f"{shown(value)} is not a valid GCS bucket name: it {problem}")
    return value


def _azure_container(value: str) -> str:
    """Azure's blob container naming rules (:func:`platform_constructs.azure.names.container_problem`)."""
    from platform_constructs.azure.names import container_problem
    problem = container_problem(value)
    if problem:
        raise ValueError(f"{shown(value)} is not a valid container name: it {problem}")
    return value


class LocalBackendSpec(Model):
    """State on local disk, in ``.terraform-state/<stack>.tfstate`` beside the output folder."""

    #: ``local``: state files on this machine, for one person trying things. Default: local.
    type: Literal["local"] = "local"


class S3BackendSpec(Model):
    #: ``s3``: state in an S3 bucket, locked with S3-native lock files.
    type: Literal["s3"]
    #: The existing state bucket (S3 bucket naming rules); not one the platform creates.
    bucket: Annotated[str, AfterValidator(_s3_bucket)]
    #: Object key prefix; each stack's state is ``<key_prefix>/<stack>.tfstate``. Default: "platform".
    key_prefix: Folder = "platform"
    #: Default: the environment's region.
    region: Annotated[str, matching(AWS_REGION.pattern, "is not an AWS region like us-east-1, ap-southeast-2 or us-gov-west-1")] | None = None
    #: S3-native state locking (Terraform 1.10+). Default: true.
    use_lockfile: bool = True
    #: Server-side encryption of the state object. Default: true.
    encrypt: bool = True
    #: KMS key for the state object. Default: the bucket's default encryption.
    kms_key_id: str | None = None
    #: S3 endpoint URL (an emulator or a private endpoint). Default: AWS.
    endpoint: Url | None = None


class GcsBackendSpec(Model):
    """State in a GCS bucket; GCS locks state natively. Object: ``<prefix>/<stack>/default.tfstate``."""

    #: ``gcs``: state in a Cloud Storage bucket.
    type: Literal["gcs"]
    #: The existing state bucket (Cloud Storage bucket naming rules).
    bucket: Annotated[str, AfterValidator(_gcs_bucket)]
    #: Folder inside the bucket; each stack gets ``<prefix>/<stack>``. Default: "platform".
    prefix: Folder = "platform"


class AzurermBackendSpec(Model):
    """State in an Azure Storage blob container, authenticated with Entra ID (no access keys)."""

    #: ``azurerm``: state in an Azure Storage blob container, with Entra ID authentication.
    type: Literal["azurerm"]
    #: The resource group of the state storage account.
    resource_group_name: str
    #: The existing state storage account (3-24 lowercase letters and digits).
    storage_account_name: Annotated[str, matching(r"[a-z0-9]{3,24}", "is not a storage account name (3-24 lowercase letters and digits)")]
    #: The blob container holding the state (Azure's container naming rules). Default: tfstate.
    container_name: Annotated[str, AfterValidator(_azure_container)] = "tfstate"
    #: Blob name prefix; each stack's state is ``<key_prefix>/<stack>.tfstate``. Default: "platform".
    key_prefix: Folder = "platform"


#: Longest HCP Terraform workspace name.
MAX_WORKSPACE_NAME = 90
#: Longest stack name: a 40-character environment name, "-" and the longest layer ("observability").
MAX_STACK_NAME = 40 + 1 + len("observability")


class CloudBackendSpec(Model):
    """State (and runs) in HCP Terraform (Terraform Cloud) or Terraform Enterprise.

    One workspace per stack, named ``<workspace_prefix><stack>`` (``aws-prod-network``), created by
    ``terraform init`` in ``project`` when it does not exist. The API token comes from the environment
    (``TF_TOKEN_<hostname with dots as underscores>``) or ``terraform login``, never from this file.
    """

    #: ``cloud``: state and runs in HCP Terraform (Terraform Cloud) or Terraform Enterprise, one workspace per stack.
    type: Literal["cloud"]
    #: The HCP Terraform / Terraform Enterprise organization holding the workspaces.
    organization: Annotated[str, matching(r"[A-Za-z0-9_-]+",
                                          "is not an HCP Terraform organization name: letters, digits, '-' and '_' only, "
                                          "exactly as shown in the organization's settings")]
    #: The Terraform Enterprise host name. Default: app.terraform.io (HCP Terraform).
    hostname: Annotated[str, matching(r"(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
                                      "is not a host name like tfe.example.com: give the host only, without https:// or a path")] = "app.terraform.io"
    #: The project new workspaces are created in. Default: the organization's default project.
    project: Annotated[str, matching(r"[A-Za-z0-9_-][A-Za-z0-9 _-]{1,38}[A-Za-z0-9_-]",
                                     "is not an HCP Terraform project name: 3 to 40 letters, digits, inner spaces, '-' and '_'")] | None = None
    #: Put before every stack name to form its workspace name. Default: "" (the workspace is the stack's name).
    workspace_prefix: Annotated[str, matching(rf"[A-Za-z0-9_-]{{0,{MAX_WORKSPACE_NAME - MAX_STACK_NAME}}}",
                                              f"is not a workspace name prefix: at most {MAX_WORKSPACE_NAME - MAX_STACK_NAME} "
                                              "letters, digits, '-' and '_' (workspace names are at most "
                                              f"{MAX_WORKSPACE_NAME} characters and the longest stack name is {MAX_STACK_NAME})")] = ""


BACKEND_TYPES = ("local", "s3", "gcs", "azurerm", "cloud")

BackendSpec = Annotated[
    Union[LocalBackendSpec, S3BackendSpec, GcsBackendSpec, AzurermBackendSpec, CloudBackendSpec], Field(discriminator="type")
]
