"""Integration services the addons layer installs when the environment asks: ExternalDNS for
``network.dns`` and a CI/CD agent for ``addons.ci_agent``. Cloud-neutral chart values only; each kit
adds its identity and provider settings (``<cloud>/external_dns.py``, ``<cloud>/ci_agent.py``)."""
