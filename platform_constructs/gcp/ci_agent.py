"""The CI/CD agent on GKE: runners that push to Artifact Registry, the token from Secret Manager."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_google.secret_manager_secret_iam_member import SecretManagerSecretIamMember

from platform_constructs.gcp.contracts import GcpClusterContract
from platform_constructs.gcp.workload_identity import GcpWorkloadIdentity, account_id_for
from platform_constructs.integration import ci_agent as agent_values
from platform_constructs.integration.ci_agent_releases import CiAgentReleases
from platform_constructs.spec.addons import CiAgentSpec
from platform_constructs.workload_identity import ArtifactRepositoryRole, GcpGrants

#: Push (and pull) images in one Artifact Registry repository.
PUSH_ROLE = "roles/artifactregistry.writer"
#: Read one Secret Manager secret's versions.
SECRET_ROLE = "roles/secretmanager.secretAccessor"


class GcpCiAgent(Construct):
    """Runner account ``<cluster>-ci-runner`` (``roles/artifactregistry.writer`` on the data layer's
    repository only), External Secrets account ``<cluster>-external-secrets`` (``secretAccessor`` on the
    one secret ``secret_name``, a secret-level binding), then the neutral releases.

    :param agent: ``addons.ci_agent``.
    :param name: the environment's name (the runner scale set's name).
    :param cluster_name: the cluster's name.
    :param cluster: the cluster contract (project, workload pool).
    :param repository_id: the Artifact Registry repository (``GcpDataContract.registry_repository_id``);
        None: the runners get no push right.
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the charts' own repositories.
    """

    def __init__(self, scope: Construct, id: str, *, agent: CiAgentSpec, name: str, cluster_name: str,
                 cluster: GcpClusterContract, repository_id: str | None, chart_repository: str | None = None):
        super().__init__(scope, id)
        grants = GcpGrants(repository_roles=(ArtifactRepositoryRole(repository_id, PUSH_ROLE),)) \
            if repository_id else GcpGrants()
        self.runner = GcpWorkloadIdentity(
            self, "runner-identity", account_id=account_id_for(cluster_name, agent_values.RUNNER_COMPONENT),
            cluster=cluster, service_account=agent_values.RUNNER_SERVICE_ACCOUNT, grants=grants,
        )
        self.secret_reader = GcpWorkloadIdentity(
            self, "external-secrets-identity", account_id=account_id_for(cluster_name, agent_values.ESO_COMPONENT),
            cluster=cluster, service_account=agent_values.ESO_SERVICE_ACCOUNT,
        )
        self.secret_grant = SecretManagerSecretIamMember(
            self, "secret-accessor", project=cluster.project, secret_id=agent.secret_name, role=SECRET_ROLE,
            member=self.secret_reader.account.member,
        )
        self.releases = CiAgentReleases(
            self, "releases", agent=agent, name=name, runner_identity=self.runner.identity,
            eso_identity=self.secret_reader.identity, secret_provider={"gcpsm": {"projectID": cluster.project}},
            runner_dependables=[self.runner.binding, *self.runner.repository_grants],
            eso_dependables=[self.secret_reader.binding, self.secret_grant], chart_repository=chart_repository,
        )
