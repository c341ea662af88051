"""The typed output contracts between layers.

Later layers consume these, never raw resources of another layer. Values are
Terraform tokens (strings that resolve at apply time); when a consumer lives in
another stack, cdktf turns each token it reads into an output of the producer
and a remote-state lookup in the consumer.

Cloud-specific values travel in each kit's subclasses (``aws/contracts.py``,
``gcp/contracts.py``, ``azure/contracts.py``): typed fields, read only by that kit.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    """What the data layer (state that outlives any cluster) gives the addons layer.

    Neutral fields come with the layers that need them on every cloud; each kit's subclass
    carries its own (``AwsDataContract.file_system_id``).
    """
