"""The google provider of one stack: project, region, and default labels."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_google.provider import GoogleProvider

from platform_constructs.spec import EnvironmentSpec


def platform_labels(spec: EnvironmentSpec, layer: str) -> dict[str, str]:
    """Labels on every labelable resource, through the provider's default labels.

    ``spec.tags`` are checked to be valid GCP labels when the file loads (lowercase; keys
    without "-", which cdktf would rewrite to "_" in provider default labels).
    """
    return spec.platform_tags(layer, separator="_")


def google_provider(scope: Construct, spec: EnvironmentSpec, layer: str) -> GoogleProvider:
    assert spec.gcp is not None  # the model requires gcp: when cloud is gcp
    return GoogleProvider(
        scope,
        "google",
        project=spec.gcp.project,
        region=spec.region,
        default_labels=platform_labels(spec, layer),
    )
