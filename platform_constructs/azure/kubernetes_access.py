"""How an in-cluster stack reaches AKS: the cluster read by its literal name, Entra ID tokens from kubelogin.

The cluster's local accounts are disabled (no admin kubeconfig, no client certificate): every
call to the API server carries an Entra ID token for the AKS server application, which the
kubernetes and helm providers get by running ``kubelogin get-token`` as a credential plugin.

Choosing the login mode (a CI runner sets the environment, the code stays the same)
------------------------------------------------------------------------------------
The plugin runs with ``--login azurecli``: the token comes from the Azure CLI session of the
machine that runs Terraform (``az login`` on a workstation; in GitHub Actions ``azure/login``
with OpenID Connect, which signs in without a stored secret). kubelogin lets the environment
variable ``AAD_LOGIN_METHOD`` override ``--login`` (it reads the variable after the flags), so
a runner picks its mode without touching the synthesized JSON:

- ``AAD_LOGIN_METHOD=workloadidentity``: a runner pod or Terraform Cloud agent with Microsoft
  Entra Workload ID; the webhook sets ``AZURE_CLIENT_ID``, ``AZURE_TENANT_ID``,
  ``AZURE_FEDERATED_TOKEN_FILE`` and ``AZURE_AUTHORITY_HOST``, which kubelogin reads.
- ``AAD_LOGIN_METHOD=msi``: a VM or scale-set runner with a managed identity (``AZURE_CLIENT_ID``
  selects a user-assigned one).
- unset: ``azurecli``.

Whatever the mode, the identity needs an Azure RBAC role on the cluster (e.g. membership of an
``azure.admin_group_object_ids`` group, or "Azure Kubernetes Service RBAC Cluster Admin"), and
``kubelogin`` must be on the runner's PATH. No secret is passed through the provider block or
stored in state: the plugin is run at plan and apply time and its token is never written.

The API server is private by default: run the stack where the cluster's private FQDN resolves
and is reachable (a runner in the VNet or a peered one, the site-to-site VPN), or use
``cluster.endpoint: public_and_private`` with the runner's egress in ``public_access_cidrs``.
"""

from __future__ import annotations

from constructs import Construct
from cdktf import Fn
from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_azurerm.data_azurerm_kubernetes_cluster import DataAzurermKubernetesCluster

from platform_constructs.kubernetes.providers import ClusterAccess

#: The credential plugin and its login mode when ``AAD_LOGIN_METHOD`` is not set.
KUBELOGIN = "kubelogin"
DEFAULT_LOGIN = "azurecli"
#: The environment variable that overrides ``--login`` (read by kubelogin, not by this code).
LOGIN_METHOD_VARIABLE = "AAD_LOGIN_METHOD"
#: The application id of the AKS AAD server (the audience of tokens for every AKS API server).
AKS_SERVER_ID = "6dae42f8-4368-4678-94ff-3960e28e3630"


class AksClusterAccess(Construct):
    """The AKS cluster ``name`` in ``resource_group_name``, read through the
    ``azurerm_kubernetes_cluster`` data source (host and CA from its user kubeconfig, which carries
    no credential for an Entra ID cluster), and ``kubelogin`` as the credential plugin.

    Both inputs are literals from the environment file, never cross-stack references, so the
    providers built from :attr:`access` are configured at plan time (terraform-cdk#2662). The
    tenant passed to kubelogin is the one the azurerm provider signed in to
    (``azurerm_client_config``), the tenant of the cluster's Entra ID integration.

    :param name: the cluster's name (``cluster.name``).
    :param resource_group_name: the cluster's resource group (``azure.resource_group_name``, default ``<env>-rg``).
    """

    def __init__(self, scope: Construct, id: str, *, name: str, resource_group_name: str):
        super().__init__(scope, id)
        self.client_config = DataAzurermClientConfig(self, "client-config")
        self.cluster = DataAzurermKubernetesCluster(self, "cluster", name=name, resource_group_name=resource_group_name)
        kube_config = self.cluster.kube_config.get(0)
        self.access = ClusterAccess(
            host=kube_config.host,
            cluster_ca_certificate=Fn.base64decode(kube_config.cluster_ca_certificate),
            exec_command=KUBELOGIN,
            exec_args=(
                "get-token",
                "--login", DEFAULT_LOGIN,
                "--server-id", AKS_SERVER_ID,
                "--tenant-id", self.client_config.tenant_id,
            ),
        )
