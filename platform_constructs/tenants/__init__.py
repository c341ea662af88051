"""The tenants layer, cloud-neutral: one namespace per team with its quota, limits, network
isolation, RBAC bindings and service account (the kits add the cloud's RBAC and identity)."""
