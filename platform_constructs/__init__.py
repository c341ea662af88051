"""Reusable constructs of the Officeless platform, one kit per cloud.

Importing this package installs the provider loader (see ``_provider_loader``)
before any provider package can be imported, so every entry point gets it.
"""

from platform_constructs import _provider_loader

_provider_loader.install()
