"""Cloud-neutral in-cluster pieces: plain Kubernetes objects the platform writes itself.

Nothing here imports a provider package: the builders return plain, typed values
(and manifests as dicts) that any stack can hand to the kubernetes provider.
"""
