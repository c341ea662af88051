"""A dedicated, least-privilege service account for GKE nodes (instead of the Compute default)."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_google.project_iam_member import ProjectIamMember
from cdktf_cdktf_provider_google.service_account import ServiceAccount

#: What a node needs: write logs and metrics, read monitoring, report resource
#: metadata, pull images from Artifact Registry. Nothing else.
NODE_ROLES = (
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
    "roles/artifactregistry.reader",
)


def account_id_for(cluster_name: str) -> str:
    """``<cluster>-nodes``, shortened to the 30 characters a service account id allows."""
    return f"{cluster_name[:23].rstrip('-')}-nodes"


class NodeServiceAccount(Construct):
    """Service account ``<cluster>-nodes`` with :data:`NODE_ROLES` on the project, nothing more.

    Workloads do not use it: GKE_METADATA mode hides it from pods, which get their own
    identity through Workload Identity.
    """

    def __init__(self, scope: Construct, id: str, *, cluster_name: str, project: str):
        super().__init__(scope, id)
        self.account = ServiceAccount(
            self,
            "account",
            account_id=account_id_for(cluster_name),
            display_name=f"GKE nodes of {cluster_name}",
            description="Least-privilege node identity (logs, metrics, image pulls)",
            project=project,
        )
        self.member = f"serviceAccount:{self.account.email}"
        self.grants = [
            ProjectIamMember(self, f"role-{role.removeprefix('roles/').replace('.', '-')}",
                             project=project, role=role, member=self.member)
            for role in NODE_ROLES
        ]

    @property
    def email(self) -> str:
        return self.account.email
