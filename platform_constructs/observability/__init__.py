"""The observability layer, cloud-neutral: the six buckets' names and lifecycle numbers, the
components' service accounts, and the Helm releases (Mimir, Loki, Tempo, collector, Grafana).

Each kit builds the buckets and identities of its cloud (``<cloud>/observability*.py``) and
hands an :class:`~platform_constructs.observability.storage.ObservabilityStorage` to the
neutral releases.
"""
