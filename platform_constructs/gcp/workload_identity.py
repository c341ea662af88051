"""GCP workload identity: a Google service account that one Kubernetes service account may act as."""

from __future__ import annotations

import re

from constructs import Construct
from cdktf_cdktf_provider_google.artifact_registry_repository_iam_member import ArtifactRegistryRepositoryIamMember
from cdktf_cdktf_provider_google.project_iam_member import ProjectIamMember, ProjectIamMemberCondition
from cdktf_cdktf_provider_google.service_account import ServiceAccount as GoogleServiceAccount
from cdktf_cdktf_provider_google.service_account_iam_member import ServiceAccountIamMember
from cdktf_cdktf_provider_google.storage_bucket_iam_member import (
    StorageBucketIamMember,
    StorageBucketIamMemberCondition,
)

from platform_constructs.gcp.contracts import GcpClusterContract
from platform_constructs.workload_identity import GcpGrants, ServiceAccount, WorkloadIdentity, bounded_name

#: What lets a Kubernetes service account impersonate a Google service account.
WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser"
#: The service account annotation GKE's metadata server reads.
ANNOTATION = "iam.gke.io/gcp-service-account"

#: A service account id: 6-30 characters, a lowercase letter first, no '-' last.
_ACCOUNT_ID = re.compile(r"[a-z][-a-z0-9]{4,28}[a-z0-9]")


def account_id_for(cluster_name: str, name: str) -> str:
    """``<cluster>-<name>`` as a valid service account id: shortened with a hash past 30
    characters, ``-wi`` appended below 6."""
    account_id = bounded_name(f"{cluster_name}-{name}", 30)
    return account_id if len(account_id) >= 6 else f"{account_id}-wi"


def workload_identity_member(workload_pool: str, service_account: ServiceAccount) -> str:
    """The IAM member of a Kubernetes service account: ``serviceAccount:<pool>[<ns>/<name>]``."""
    return f"serviceAccount:{workload_pool}[{service_account.namespace}/{service_account.name}]"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class GcpWorkloadIdentity(Construct):
    """Google service account ``account_id`` in the cluster's project, which the Kubernetes service
    account ``service_account`` (and no other) may act as through GKE Workload Identity.

    - ``roles/iam.workloadIdentityUser`` on the Google account for
      ``serviceAccount:<project>.svc.id.goog[<namespace>/<name>]`` (the cluster contract's
      workload pool).
    - One ``google_project_iam_member`` per ``grants.project_roles``.
    - One ``google_storage_bucket_iam_member`` per ``grants.bucket_roles``, with an IAM condition
      limiting it to the objects under the role's prefix when it has one (the bucket's uniform
      access makes conditions apply).
    - One ``google_project_iam_member`` with its ``condition`` per
      ``grants.conditional_project_roles``.
    - One ``google_artifact_registry_repository_iam_member`` per ``grants.repository_roles`` (the
      repository named by its full name, which carries its project and location).
    - The service account carries ``iam.gke.io/gcp-service-account: <email>``.

    :param account_id: the Google service account id (6-30 characters; see :func:`account_id_for`).
    :param cluster: the cluster's contract (project, workload pool).
    :param grants: what the account may do on the project and on single buckets. Default: nothing.
    """

    def __init__(self, scope: Construct, id: str, *, account_id: str, cluster: GcpClusterContract,
                 service_account: ServiceAccount, grants: GcpGrants | None = None):
        if not _ACCOUNT_ID.fullmatch(account_id):
            raise ValueError(f"service account id {account_id!r} must be 6-30 lowercase letters, digits and '-', "
                             "starting with a letter and not ending with '-'")
        super().__init__(scope, id)
        grants = grants or GcpGrants()
        project = cluster.project
        self.service_account = service_account
        self.account = GoogleServiceAccount(
            self, "account", account_id=account_id, project=project,
            display_name=f"Kubernetes {service_account}"[:100],
            description=f"Workload identity of the Kubernetes service account {service_account}",
        )
        self.binding = ServiceAccountIamMember(
            self, "workload-identity-user", service_account_id=self.account.name, role=WORKLOAD_IDENTITY_USER,
            member=workload_identity_member(cluster.workload_identity_provider, service_account),
        )
        self.grants = [
            ProjectIamMember(self, f"role-{re.sub(r'[^a-z0-9]+', '-', role.lower()).strip('-')}",
                             project=project, role=role, member=self.account.member)
            for role in grants.project_roles
        ]
        self.bucket_grants = [
            StorageBucketIamMember(
                self, f"bucket-{i}-{grant.role.rsplit('.', 1)[-1].lower()}",
                bucket=grant.bucket, role=grant.role, member=self.account.member,
                condition=StorageBucketIamMemberCondition(
                    title=f"only {grant.prefix.strip('/')}/"[:100],
                    description=f"Objects under {grant.prefix.strip('/')}/ only",
                    expression=grant.condition_expression,
                ) if grant.prefix is not None else None,
            )
            for i, grant in enumerate(grants.bucket_roles)
        ]
        self.conditional_grants = [
            ProjectIamMember(
                self, f"conditional-{i}-{_slug(grant.role.rsplit('/', 1)[-1])}", project=project, role=grant.role,
                member=self.account.member,
                condition=ProjectIamMemberCondition(title=grant.title, expression=grant.expression,
                                                    description=grant.description),
            )
            for i, grant in enumerate(grants.conditional_project_roles)
        ]
        self.repository_grants = [
            ArtifactRegistryRepositoryIamMember(
                self, f"repository-{i}-{_slug(grant.role.rsplit('.', 1)[-1])}", repository=grant.repository,
                role=grant.role, member=self.account.member,
            )
            for i, grant in enumerate(grants.repository_roles)
        ]
        self.identity = WorkloadIdentity(
            service_account=service_account, principal=self.account.email,
            annotations={ANNOTATION: self.account.email},
        )

    @property
    def email(self) -> str:
        return self.account.email
