"""ExternalDNS, cloud-neutral: the chart values every cloud shares.

ExternalDNS (the kubernetes-sigs chart, ``versions.CHARTS["external-dns"]``) watches Services and
Ingresses and writes their names into the environment's zones (``network.dns``). Each kit gives it
an identity allowed to change only those zones, and the provider settings (``<cloud>/external_dns.py``).

Defaults that matter:

- ``policy: upsert-only``: records are created and updated, never deleted (a Service removed by
  mistake does not take its name with it; stale names are removed by hand or by switching the
  policy to ``sync``).
- ``registry: txt`` with ``txtOwnerId`` = the cluster's name: ExternalDNS changes only records
  it created from this cluster, so two clusters (or a person) can share a zone safely.
- ``domainFilters`` = the environment's zones: nothing outside them is ever touched, even where
  the identity could.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from platform_constructs import namespaces
from platform_constructs.workload_identity import ServiceAccount, WorkloadIdentity

CHART = "external-dns"
NAMESPACE = namespaces.SYSTEM
#: The chart's service account (``serviceAccount.name``; the chart creates it in the release's namespace).
SERVICE_ACCOUNT = ServiceAccount(NAMESPACE, "external-dns")
#: What the identity's ``name=`` is (part of the cloud identity's name).
COMPONENT = "external-dns"
#: ``policy``: ``upsert-only`` (never delete) or ``sync`` (delete what no longer has a source).
POLICIES = ("upsert-only", "sync")
DEFAULT_POLICY = "upsert-only"
#: Kubernetes objects whose names become records.
SOURCES = ("service", "ingress")
#: Seconds between two full synchronisations (``interval``); events trigger earlier runs.
INTERVAL = "1m"


def external_dns_values(
    *,
    provider: str,
    txt_owner_id: str,
    domain_filters: Sequence[str],
    identity: WorkloadIdentity,
    service_account: ServiceAccount = SERVICE_ACCOUNT,
    policy: str = DEFAULT_POLICY,
    extra_args: Sequence[str] = (),
    env: Sequence[Mapping] = (),
    extra_volumes: Sequence[Mapping] = (),
    extra_volume_mounts: Sequence[Mapping] = (),
) -> dict:
    """The chart's values.

    :param provider: ``provider.name`` (``aws``, ``google``, ``azure-private-dns``, ``azure``).
    :param txt_owner_id: the owner written into every TXT ownership record: the cluster's name.
    :param domain_filters: the zones ExternalDNS may write into (at least one).
    :param identity: the workload identity bound to ``service_account`` (annotations on the service
        account, labels on the pod).
    :param service_account: the chart's service account. Default: :data:`SERVICE_ACCOUNT`.
    :param policy: one of :data:`POLICIES`. Default: ``upsert-only``.
    :param extra_args: provider flags (``--zone-id-filter=...``). Default: none.
    :param env: container environment variables. Default: none.
    :param extra_volumes: pod volumes (Azure's configuration file). Default: none.
    :param extra_volume_mounts: their mounts in the container. Default: none.
    """
    problems = []
    if not provider:
        problems.append("provider must name an ExternalDNS provider like aws")
    if not txt_owner_id:
        problems.append("txt_owner_id must be the cluster's name")
    if not domain_filters:
        problems.append("domain_filters is empty: give the zones ExternalDNS may write (network.dns)")
    if policy not in POLICIES:
        problems.append(f"policy {policy!r} is not one of {', '.join(POLICIES)}")
    if identity.service_account != service_account:
        problems.append(f"the identity binds {identity.service_account} but ExternalDNS runs as {service_account}: "
                        "bind the chart's service account")
    if problems:
        raise ValueError("ExternalDNS: " + "; ".join(problems))
    values: dict = {
        "provider": {"name": provider},
        "sources": list(SOURCES),
        "policy": policy,
        "registry": "txt",
        "txtOwnerId": txt_owner_id,
        "domainFilters": list(domain_filters),
        "interval": INTERVAL,
        "serviceAccount": {"create": True, "name": service_account.name, "annotations": dict(identity.annotations)},
        "podLabels": dict(identity.pod_labels),
    }
    if extra_args:
        values["extraArgs"] = list(extra_args)
    if env:
        values["env"] = [dict(e) for e in env]
    if extra_volumes:
        values["extraVolumes"] = [dict(v) for v in extra_volumes]
    if extra_volume_mounts:
        values["extraVolumeMounts"] = [dict(m) for m in extra_volume_mounts]
    return values
