"""The ``kubernetes`` kit: the platform's in-cluster layers on an existing cluster (any cloud or on
premises). Provider imports: kubernetes and helm only; no aws, google or azurerm package."""
