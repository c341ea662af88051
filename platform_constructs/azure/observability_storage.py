"""The observability layer's storage on Azure: the seed's six containers, one identity per component."""

from __future__ import annotations

from constructs import Construct

from platform_constructs.azure.contracts import AzureClusterContract, AzureNetworkContract
from platform_constructs.azure.observability_account import ObservabilityStorageAccount, storage_account_name
from platform_constructs.azure.provider import platform_tags
from platform_constructs.azure.workload_identity import AzureWorkloadIdentity
from platform_constructs.observability.storage import (
    BUCKETS, COMPONENT_BUCKETS, SERVICE_ACCOUNTS, ObjectStore, ObservabilityStorage, expiration_days, name_head,
)
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.workload_identity import AzureGrants, AzureRoleAssignment, bounded_name

#: The stack layer (tags).
LAYER = "observability"
#: Read, write, list and delete blobs of one container (no role or account management). What
#: Mimir's, Loki's and Tempo's Azure clients call; granted per container, never on the account.
BLOB_ROLE = "Storage Blob Data Contributor"


def observability_key_name(spec: EnvironmentSpec) -> str:
    """``<cluster>-observability``: the storage key's name in the cluster's key vault."""
    return f"{spec.cluster.name}-observability"


class AzureObservabilityStorage(Construct):
    """The observability buckets and who may use them, on Azure.

    - One storage account (:class:`ObservabilityStorageAccount`) named by
      :func:`storage_account_name` from the observability ``name_head`` and the subscription
      (the account name is the globally unique part), in the environment's resource group:
      private endpoint only, no shared keys, customer-managed key ``<cluster>-observability`` in
      the cluster's key vault, versioning, lifecycle from ``observability.retention_days``
      (:func:`expiration_days`; the ruler and Alertmanager containers never expire), blob access
      logs into the cluster's Log Analytics workspace.
    - The six containers named exactly as the seed (:data:`BUCKETS`).
    - Per component (mimir, loki, tempo) a user-assigned identity ``<cluster>-<component>``
      federated with ``observability/<component>`` (built as the kit's ``workload_identity``
      builds them), holding Storage Blob Data Contributor on each of its own containers
      (:data:`COMPONENT_BUCKETS`) and nothing on the account or another component's container.

    Needs ``azure.enable_customer_managed_keys`` (the model refuses observability without it).

    :param spec: the environment (name, region, ``azure``, ``observability``, the cluster's name).
    :param network: its network contract (VNet, private endpoint subnet, resource group).
    :param cluster: its cluster contract (key vault, workspace, OIDC issuer).
    :param blob_dns_zone_id: the data layer's ``privatelink.blob.core.windows.net`` zone. Default: none
        (the account creates and links its own).
    :param prevent_destroy: refuse plans that destroy the account, its containers or key. Default: true.

    Attributes: ``account``, ``identities`` (component -> :class:`AzureWorkloadIdentity`) and
    ``storage`` (what the neutral releases take).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, network: AzureNetworkContract,
                 cluster: AzureClusterContract, blob_dns_zone_id: str | None = None, prevent_destroy: bool = True):
        if spec.azure is None:
            raise ValueError(f"{spec.name}: AzureObservabilityStorage needs the environment's azure: section")
        if cluster.key_vault_id is None:
            raise ValueError(f"{spec.name}: observability storage is encrypted with a key in the cluster's key "
                             "vault: set azure.enable_customer_managed_keys: true (or observability.enabled: false)")
        super().__init__(scope, id)
        tags = platform_tags(spec, LAYER)
        retention = spec.observability.retention_days
        self.account = ObservabilityStorageAccount(
            self, "account", name=storage_account_name(name_head(spec.name, spec.observability),
                                                       spec.azure.subscription_id),
            location=spec.region, resource_group_name=network.resource_group_name,
            containers={seed: expiration_days(seed, retention) for seed in BUCKETS},
            key_vault_id=cluster.key_vault_id, key_name=observability_key_name(spec), vnet_id=network.network_id,
            private_endpoint_subnet_id=network.private_endpoint_subnet_id,
            log_analytics_workspace_id=cluster.log_analytics_workspace_id, tags=tags,
            blob_dns_zone_id=blob_dns_zone_id, prevent_destroy=prevent_destroy,
        )
        self.identities: dict[str, AzureWorkloadIdentity] = {
            component: AzureWorkloadIdentity(
                self, f"{component}-identity", name=bounded_name(f"{spec.cluster.name}-{component}", 128),
                cluster=cluster, location=spec.region, service_account=SERVICE_ACCOUNTS[component],
                grants=AzureGrants(tuple(
                    AzureRoleAssignment(BLOB_ROLE, self.account.containers[seed].id) for seed in seeds
                )),
                tags=tags,
            )
            for component, seeds in COMPONENT_BUCKETS.items()
        }
        self.storage = ObservabilityStorage(
            store=ObjectStore(backend="azure", buckets={seed: seed for seed in BUCKETS},
                              account_name=self.account.name),
            identities={component: identity.identity for component, identity in self.identities.items()},
            depends_on=(
                *self.account.reachable,
                *(resource for identity in self.identities.values()
                  for resource in (identity.credential, *identity.role_assignments)),
            ),
        )
