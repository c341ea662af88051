"""The typed output contracts between layers.

Later layers consume these, never raw resources of another layer. Values are
Terraform tokens (strings that resolve at apply time); when a consumer lives in
another stack, cdktf turns each token it reads into an output of the producer
and a remote-state lookup in the consumer.

Cloud-specific values travel in each kit's subclasses (``aws/contracts.py``,
``gcp/contracts.py``, ``azure/contracts.py``): typed fields, read only by that kit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NetworkContract:
    """What the network layer gives the cluster layer."""

    #: The VPC / VNet / network id.
    network_id: str
    #: Zone name -> private subnet id (nodes and internal load balancers).
    private_subnet_ids_by_zone: dict[str, str]
    #: Zone name -> public subnet id (internet-facing load balancers, NAT). May be empty
    #: on clouds whose subnets are regional and private (then say so in the kit).
    public_subnet_ids_by_zone: dict[str, str]
    #: The private DNS zone bound to the network (``network.dns.private_zone``): the Route 53 hosted
    #: zone id, the Cloud DNS managed zone's name, the Azure Private DNS zone's id. None without
    #: ``network.dns``. Keyword-only, so the clouds' subclasses keep their required fields.
    private_zone_id: str | None = field(default=None, kw_only=True)
    #: The public zone's id in the same form; None without ``network.dns.public_zone``.
    public_zone_id: str | None = field(default=None, kw_only=True)

    @property
    def private_subnet_ids(self) -> list[str]:
        return list(self.private_subnet_ids_by_zone.values())

    @property
    def public_subnet_ids(self) -> list[str]:
        return list(self.public_subnet_ids_by_zone.values())


@dataclass(frozen=True)
class ClusterContract:
    """What the cluster layer gives the addons and observability layers."""

    cluster_name: str
    #: HTTPS URL of the Kubernetes API server.
    endpoint: str
    #: Base64-encoded PEM of the cluster CA.
    certificate_authority_data: str
    #: OIDC issuer URL for workload identity (service-account tokens).
    oidc_issuer_url: str
    #: Where workload identity federates: AWS the IAM OIDC provider ARN, GCP the
    #: workload identity pool (``<project>.svc.id.goog``), Azure the OIDC issuer URL.
    workload_identity_provider: str


@dataclass(frozen=True)
class DataContract:
    """What the data layer (state that outlives any cluster) gives the later layers.

    Neutral fields come with the layers that need them on every cloud; each kit's subclass
    carries its own (``AwsDataContract.file_system_id``). A workload's access to a bucket is the
    kit's ``bucket_grants(...)``, which reads the kit's own subclass.
    """

    #: ``data.buckets`` short name -> the bucket's name (S3, GCS) or container's name (Azure).
    #: Default: none.
    buckets: Mapping[str, str] = field(default_factory=dict)
    #: Where images are pushed and pulled: the registry host and path prefix (ECR
    #: ``<account>.dkr.ecr.<region>.amazonaws.com``, ``<region>-docker.pkg.dev/<project>/<repo>``,
    #: ``<acr>.azurecr.io``); None without repositories.
    registry_url: str | None = None
    #: The cache's primary endpoint host and port; None without a cache.
    cache_endpoint: str | None = None
    cache_port: str | None = None
