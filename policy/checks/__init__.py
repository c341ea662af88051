"""The platform's own checkov checks (``--external-checks-dir policy/checks``), one per file.

checkov has no checks for the in-cluster resources of the addons layer (Helm releases,
StorageClasses): these give that layer a gate of its own, and make checkov report checks on
every stack that holds such resources (the gate fails a stack on which no check ran).
They run inside checkov's own virtualenv, so they import only checkov and the standard library.
"""
