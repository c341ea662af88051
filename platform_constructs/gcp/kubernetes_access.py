"""How an in-cluster stack reaches GKE: the cluster read by its literal name, a short-lived token."""

from __future__ import annotations

from constructs import Construct
from cdktf import Fn
from cdktf_cdktf_provider_google.data_google_client_config import DataGoogleClientConfig
from cdktf_cdktf_provider_google.data_google_container_cluster import DataGoogleContainerCluster

from platform_constructs.kubernetes.providers import ClusterAccess


class GkeClusterAccess(Construct):
    """The GKE cluster ``name`` in ``location`` of ``project``, read through the
    ``google_container_cluster`` data source, and the caller's OAuth access token from
    ``google_client_config`` (about an hour, refreshed on every plan and apply).

    Every input is a literal from the environment file, never a cross-stack reference, so the
    kubernetes and helm providers built from :attr:`access` are configured at plan time
    (terraform-cdk#2662) and no token passes through another stack's state.

    The host is the cluster's ``endpoint``: the private endpoint unless the cluster is
    ``public_and_private``, so the stack must run where that address is reachable.

    :param name: the cluster's name (``cluster.name``).
    :param location: the cluster's region (a regional cluster).
    :param project: the cluster's project (``gcp.project``).
    """

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, project: str):
        super().__init__(scope, id)
        self.client_config = DataGoogleClientConfig(self, "client-config")
        self.cluster = DataGoogleContainerCluster(self, "cluster", name=name, location=location, project=project)
        self.access = ClusterAccess(
            host=f"https://{self.cluster.endpoint}",
            cluster_ca_certificate=Fn.base64decode(self.cluster.master_auth.get(0).cluster_ca_certificate),
            token=self.client_config.access_token,
        )
