"""The neutral ``observability:`` section: what ``<env>-observability`` runs and keeps.

Mimir (metrics, with its ruler and Alertmanager), Loki (logs), Tempo (traces) on six buckets, a
collector on every node, Grafana; plus the cloud's own logging for cluster logs. The same
retention numbers configure the components and their buckets' lifecycle.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from platform_constructs.spec.common import Model, shown

#: Lowercase letters, digits and '-', a letter first, no '-' last: valid in every cloud's bucket names.
_PREFIX = re.compile(r"[a-z]([a-z0-9-]*[a-z0-9])?")
#: Longest ``bucket_prefix``: bucket names stop at 63 characters on S3 and Cloud Storage.
BUCKET_PREFIX_MAX = 20


def _bucket_prefix(value: str) -> str:
    if len(value) > BUCKET_PREFIX_MAX or not _PREFIX.fullmatch(value) or "--" in value:
        raise ValueError(f"{shown(value)} is not a bucket name prefix: use at most {BUCKET_PREFIX_MAX} lowercase "
                         "letters, digits and single '-', starting with a letter and ending with a letter or digit "
                         "(like acme)")
    return value


class RetentionDays(Model):
    """How long each signal is kept, in days: the component's own retention (Mimir's and Loki's
    compactors, Tempo's block retention) and, plus a margin, its bucket's lifecycle expiry."""

    #: Metrics (Mimir blocks). Default: 400.
    metrics: int = Field(default=400, ge=1, le=3650)
    #: Application logs (Loki chunks and index). Default: 30.
    logs: int = Field(default=30, ge=1, le=3650)
    #: Traces (Tempo blocks). Default: 14.
    traces: int = Field(default=14, ge=1, le=3650)


class ObservabilitySpec(Model):
    """``<env>-observability``. Defaults: on, small, Grafana on, 400/30/14 days."""

    #: Build ``<env>-observability``. ``false``: no such stack (and no buckets). Default: true.
    enabled: bool = True
    #: Put in front of every bucket name (``<prefix>-<env>-...``), e.g. your organisation's short
    #: name, so names stay unique across accounts and projects. Default: none.
    bucket_prefix: Annotated[str, AfterValidator(_bucket_prefix)] | None = None
    #: Days each signal is kept. Default: metrics 400, logs 30, traces 14.
    retention_days: RetentionDays = Field(default_factory=RetentionDays)
    #: ``small``: one replica per component, for a development cluster (about 100k active series,
    #: 10 GB of logs a day, 1k spans/s). ``medium``: replicated and zone-aware across three zones, for
    #: production (about 1M active series, 100 GB of logs a day, 10k spans/s). Default: small.
    size: Literal["small", "medium"] = "small"
    #: Grafana with Mimir, Loki and Tempo as data sources. Default: true.
    grafana: bool = True
