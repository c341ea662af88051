"""The ``backend:`` section: where Terraform keeps each stack's state."""

from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, Field

from platform_constructs.spec.common import Folder, Model, Url, matching, shown

#: AWS region names (us-east-1, ap-southeast-2, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1).
AWS_REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?|sc-[a-z]{2})?-(central|(north|south)?(east|west)|north|south)-[1-9]\d?")


def _s3_bucket(value: str) -> str:
    """S3's bucket naming rules (general purpose buckets), each broken rule named."""
    problem = None
    if not 3 <= len(value) <= 63:
        problem = f"is {len(value)} characters long; bucket names must be between 3 and 63 characters long"
    elif not re.fullmatch(r"[a-z0-9.-]+", value):
        problem = "can consist only of lowercase letters, numbers, periods (.) and hyphens (-)"
    elif not (value[0].isalnum() and value[-1].isalnum()):
        problem = "must begin and end with a letter or number"
    elif ".." in value:
        problem = "must not contain two adjacent periods"
    elif re.fullmatch(r"\d+\.\d+\.\d+\.\d+", value):
        problem = "must not be formatted as an IP address (for example, 192.168.5.4)"
    else:
        prefix = next((p for p in ("xn--", "sthree-", "amzn-s3-demo-") if value.startswith(p)), None)
        suffix = next((x for x in ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3") if value.endswith(x)), None)
        if prefix:
            problem = f"must not start with the prefix {prefix}, which S3 reserves"
        elif suffix:
            problem = f"must not end with the suffix {suffix}, which S3 reserves"
    if problem:
        raise ValueError(f"{shown(value)} is not a valid S3 bucket name: it {problem} (S3 bucket naming rules)")
    return value


class LocalBackendSpec(Model):
    """State on local disk, in ``.terraform-state/<stack>.tfstate`` beside the output folder."""

    type: Literal["local"] = "local"


class S3BackendSpec(Model):
    type: Literal["s3"]
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

    type: Literal["gcs"]
    bucket: Annotated[str, matching(r"[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]", "is not a valid GCS bucket name")]
    #: Folder inside the bucket; each stack gets ``<prefix>/<stack>``. Default: "platform".
    prefix: Folder = "platform"


class AzurermBackendSpec(Model):
    """State in an Azure Storage blob container, authenticated with Entra ID (no access keys)."""

    type: Literal["azurerm"]
    resource_group_name: str
    storage_account_name: Annotated[str, matching(r"[a-z0-9]{3,24}", "is not a storage account name (3-24 lowercase letters and digits)")]
    container_name: str = "tfstate"
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
