"""The data layer's container registry: Azure Container Registry Premium behind a private endpoint."""

from __future__ import annotations

import re

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_azurerm.container_registry import ContainerRegistry
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment

from platform_constructs.azure.names import container_registry_problem
from platform_constructs.azure.private_link import private_link

#: Private DNS zone of registry private endpoints (the login server and the regional data endpoints).
REGISTRY_PRIVATE_ZONE = "privatelink.azurecr.io"
#: What the nodes hold on the registry: pull, nothing else.
PULL_ROLE = "AcrPull"
#: Days untagged manifests are kept before the registry deletes them. Default of the construct.
UNTAGGED_RETENTION_DAYS = 7


def registry_name(head: str, unique: str) -> str:
    """``<head's letters and digits, at most 13>acr<unique>``: the registry name (globally unique)."""
    return f"{re.sub(r'[^a-z0-9]', '', head.lower())[:13]}acr{unique}"


class AzureContainerRegistry(Construct):
    """Premium registry: private, key-less, zone redundant.

    - Admin user (a shared password) off, anonymous pull off, export off (images leave only
      through the API), public network access off; the network rule set denies by default and
      trusted Azure services bypass it.
    - A ``registry`` private endpoint in ``private_endpoint_subnet_id`` with
      ``privatelink.azurecr.io`` linked to the VNet (the login server and the regional data
      endpoint resolve privately); dedicated data endpoints on.
    - Zone redundancy on; untagged manifests deleted after ``untagged_retention_days``.
    - Encryption at rest with Microsoft-managed keys. Not a customer-managed key: Azure Container
      Registry takes its key only at creation, through a user-assigned identity, and that identity
      is not a trusted service that passes the cluster vault's firewall (public access off, private
      endpoint only) (MicrosoftDocs/azure-docs#61064).
    - ``AcrPull`` on the registry for ``pull_principal_ids`` (the kubelet identity: the nodes pull;
      pushing is a grant a later layer gives the CI/CD agent).
    - ``prevent_destroy`` on the registry (Default: on).

    Repositories need no resource: ``data.registry.repositories`` name paths pushed under
    ``<login server>/<repository>``.

    :param name: the registry's name (5-50 letters and digits; :func:`registry_name`).
    :param pull_principal_ids: principals (object ids) given AcrPull. Default: none.
    :param untagged_retention_days: 0-365. Default: :data:`UNTAGGED_RETENTION_DAYS`.
    :param prevent_destroy: refuse plans that destroy the registry. Default: true.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, resource_group_name: str,
                 vnet_id: str, private_endpoint_subnet_id: str, tags: dict[str, str],
                 pull_principal_ids: dict[str, str] | None = None,
                 untagged_retention_days: int = UNTAGGED_RETENTION_DAYS, prevent_destroy: bool = True):
        problems = []
        if container_registry_problem(name):
            problems.append(f"registry name {name!r} {container_registry_problem(name)}")
        if not 0 <= untagged_retention_days <= 365:
            problems.append(f"untagged_retention_days {untagged_retention_days} must be 0-365")
        if problems:
            raise ValueError("; ".join(problems))
        super().__init__(scope, id)
        self.registry = ContainerRegistry(
            self, "registry", name=name, location=location, resource_group_name=resource_group_name, sku="Premium",
            admin_enabled=False, anonymous_pull_enabled=False, export_policy_enabled=False,
            public_network_access_enabled=False, network_rule_bypass_option="AzureServices",
            data_endpoint_enabled=True, zone_redundancy_enabled=True, quarantine_policy_enabled=False,
            retention_policy_in_days=untagged_retention_days, tags=tags,
            lifecycle=TerraformResourceLifecycle(prevent_destroy=prevent_destroy),
        )
        self.pull_access = [
            RoleAssignment(self, f"pull-{key}", scope=self.registry.id, role_definition_name=PULL_ROLE,
                           principal_id=principal, principal_type="ServicePrincipal")
            for key, principal in (pull_principal_ids or {}).items()
        ]
        link = private_link(
            self, name=name, resource_id=self.registry.id, label="registry", zone_name=REGISTRY_PRIVATE_ZONE,
            location=location, resource_group_name=resource_group_name, vnet_id=vnet_id,
            subnet_id=private_endpoint_subnet_id, tags=tags,
        )
        self.dns_link, self.private_endpoint = link.link, link.endpoint

    @property
    def id(self) -> str:
        return self.registry.id

    @property
    def login_server(self) -> str:
        """``<name>.azurecr.io``: where images are pushed and pulled."""
        return self.registry.login_server
