"""The Azure kit: VNet network and AKS cluster constructs (hashicorp/azurerm 4.55.0)."""
