"""The CI/CD agent on AKS: runners that push to ACR, the token from the environment's Key Vault."""

from __future__ import annotations

from cdktf import Fn
from constructs import Construct

from platform_constructs.azure.contracts import AzureClusterContract
from platform_constructs.azure.workload_identity import AzureWorkloadIdentity
from platform_constructs.integration import ci_agent as agent_values
from platform_constructs.integration.ci_agent_releases import CiAgentReleases
from platform_constructs.spec.addons import CiAgentSpec
from platform_constructs.workload_identity import AzureGrants, AzureRoleAssignment, bounded_name

#: Push (and pull) images in the registry.
PUSH_ROLE = "AcrPush"
#: Read secret values, here on one secret (a role assignment scoped to ``<vault>/secrets/<name>``).
SECRET_ROLE = "Key Vault Secrets User"


def vault_url(key_vault_id: str) -> str:
    """``https://<vault name>.vault.azure.net/`` of a vault id (its 9th path segment is the name)."""
    return f"https://{Fn.element(Fn.split('/', key_vault_id), 8)}.vault.azure.net/"


class AzureCiAgent(Construct):
    """Runner identity ``<cluster>-ci-runner`` (``AcrPush`` on the data layer's registry), External
    Secrets identity ``<cluster>-external-secrets`` (``Key Vault Secrets User`` on the one secret
    ``secret_name`` of the cluster's Key Vault), then the neutral releases.

    The secret lives in the cluster's Key Vault (``AzureClusterContract.key_vault_id``), which exists
    with ``azure.enable_customer_managed_keys``; its public network access is off, so write the secret
    from inside the network (or through its private endpoint) before the first deploy.

    :param agent: ``addons.ci_agent``.
    :param name: the environment's name (the runner scale set's name).
    :param cluster_name: the cluster's name.
    :param cluster: the cluster contract (resource group, OIDC issuer, Key Vault).
    :param location: the identities' region.
    :param registry_id: the ACR id (``AzureDataContract.registry_id``); None: no push right.
    :param tags: tags of the identities. Default: none.
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the charts' own repositories.
    """

    def __init__(self, scope: Construct, id: str, *, agent: CiAgentSpec, name: str, cluster_name: str,
                 cluster: AzureClusterContract, location: str, registry_id: str | None,
                 tags: dict[str, str] | None = None, chart_repository: str | None = None):
        if not cluster.key_vault_id:
            raise ValueError("addons.ci_agent on Azure reads its secret from the cluster's Key Vault, which exists only "
                             "with azure.enable_customer_managed_keys: true; turn the keys on")
        super().__init__(scope, id)
        runner_grants = AzureGrants(role_assignments=(AzureRoleAssignment(PUSH_ROLE, registry_id),)) \
            if registry_id else AzureGrants()
        self.runner = AzureWorkloadIdentity(
            self, "runner-identity", name=bounded_name(f"{cluster_name}-{agent_values.RUNNER_COMPONENT}", 128),
            cluster=cluster, location=location, service_account=agent_values.RUNNER_SERVICE_ACCOUNT,
            grants=runner_grants, tags=tags,
        )
        self.secret_reader = AzureWorkloadIdentity(
            self, "external-secrets-identity", name=bounded_name(f"{cluster_name}-{agent_values.ESO_COMPONENT}", 128),
            cluster=cluster, location=location, service_account=agent_values.ESO_SERVICE_ACCOUNT, tags=tags,
            grants=AzureGrants(role_assignments=(
                AzureRoleAssignment(SECRET_ROLE, f"{cluster.key_vault_id}/secrets/{agent.secret_name}"),)),
        )
        self.releases = CiAgentReleases(
            self, "releases", agent=agent, name=name, runner_identity=self.runner.identity,
            eso_identity=self.secret_reader.identity,
            secret_provider={"azurekv": {"authType": "WorkloadIdentity", "vaultUrl": vault_url(cluster.key_vault_id)}},
            runner_dependables=[self.runner.credential, *self.runner.role_assignments],
            eso_dependables=[self.secret_reader.credential, *self.secret_reader.role_assignments],
            chart_repository=chart_repository,
        )
