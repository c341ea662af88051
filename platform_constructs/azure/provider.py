"""The azurerm provider of one stack: subscription, features, Entra ID auth for storage, tags."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_azurerm.provider import (
    AzurermProvider,
    AzurermProviderFeatures,
    AzurermProviderFeaturesKeyVault,
    AzurermProviderFeaturesResourceGroup,
    AzurermProviderFeaturesStorage,
)

from platform_constructs.azure.names import tag_problems
from platform_constructs.spec import EnvironmentSpec


def platform_tags(spec: EnvironmentSpec, layer: str) -> dict[str, str]:
    """Tags on every taggable resource (azurerm has no provider-level default tags), checked against
    Azure's tag rules (:func:`~platform_constructs.azure.names.tag_problems`)."""
    tags = spec.platform_tags(layer)
    problems = tag_problems(tags)
    if problems:
        raise ValueError("tags: " + "; ".join(problems))
    return tags


def azurerm_provider(scope: Construct, spec: EnvironmentSpec) -> AzurermProvider:
    """Provider pinned to ``azure.subscription_id``.

    - Key Vaults are never purged on destroy (purge protection would refuse anyway) and a
      soft-deleted vault of the same name is recovered instead of failing.
    - A resource group still holding resources Terraform does not know is not deleted.
    - Storage data-plane calls use Entra ID, not shared keys; and storage accounts are managed
      through Resource Manager only (``data_plane_available = false``, azurerm 4.9+,
      hashicorp/terraform-provider-azurerm#27818): the observability account has public network
      access off, so a runner outside the VNet cannot read its queue and static-website
      properties (403, terraform-provider-azurerm#30893, #33454).
    """
    assert spec.azure is not None, "the model requires azure: when cloud is azure"
    return AzurermProvider(
        scope,
        "azurerm",
        subscription_id=spec.azure.subscription_id,
        storage_use_azuread=True,
        features=[AzurermProviderFeatures(
            key_vault=[AzurermProviderFeaturesKeyVault(
                purge_soft_delete_on_destroy=False,
                purge_soft_deleted_keys_on_destroy=False,
                recover_soft_deleted_key_vaults=True,
                recover_soft_deleted_keys=True,
            )],
            resource_group=[AzurermProviderFeaturesResourceGroup(prevent_deletion_if_contains_resources=True)],
            storage=[AzurermProviderFeaturesStorage(data_plane_available=False)],
        )],
    )
