"""The tenants layer on GCP: per team a Google service account with its grants, its Google groups
bound in its namespace, and the neutral Kubernetes objects."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_google.data_google_project import DataGoogleProject

from platform_constructs.gcp.contracts import GcpClusterContract, GcpDataContract
from platform_constructs.gcp.firewall import HEALTH_CHECK_RANGES
from platform_constructs.gcp.registry import READER as REGISTRY_READER
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.spec.data import APP_BUCKET
from platform_constructs.spec.tenants import TenantSpec
from platform_constructs.tenants.manifests import tenant_manifests
from platform_constructs.tenants.names import identity_component, secret_prefix, service_account
from platform_constructs.tenants.network import TenantIngress
from platform_constructs.tenants.objects import TenantObjects
from platform_constructs.workload_identity import (
    ArtifactRepositoryRole, ConditionalProjectRole, GcpGrants, WorkloadIdentity,
)

#: Reads secret payloads (``secretmanager.versions.access``), nothing else of Secret Manager.
SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"
#: Joins the parts of a tenant's secret names: ``<env>_tenants_<tenant>_<secret>``. Not '-': tenant
#: names hold '-', so with it tenant ``team``'s prefix ``gcp-dev-tenants-team-`` would also match
#: every secret of tenant ``team-a``. Secret ids allow '_' and tenant names never hold one.
SECRET_SEPARATOR = "_"
#: The GKE metadata server, where a pod of a Workload Identity node pool (``GKE_METADATA``) gets its
#: Google access tokens: ``169.254.169.254:80`` on Dataplane V2 (every cluster here), and
#: ``169.254.169.252:988`` where GKE's older path intercepts it. Under the tenants' default-deny
#: egress a pod reaches neither unless a policy allows it, and its identity is then useless.
METADATA_SERVER: tuple[tuple[str, int], ...] = (("169.254.169.254/32", 80), ("169.254.169.252/32", 988))
#: The Kubernetes group of RBAC subjects.
RBAC_API_GROUP = "rbac.authorization.k8s.io"


def tenant_ingress(spec: EnvironmentSpec) -> TenantIngress:
    """Where Google's load balancers reach a tenant's pods from (container-native load balancing:
    GKE Ingress and Gateway send to pod IPs through network endpoint groups): the Google Front
    End and health-check ranges :data:`~platform_constructs.gcp.firewall.HEALTH_CHECK_RANGES`
    (external Application Load Balancers, every health check) and the proxy-only subnet's range
    (internal and regional Application Load Balancers), all literal from the address plan."""
    assert spec.gcp is not None
    return TenantIngress(cidrs=(*HEALTH_CHECK_RANGES, spec.gcp.ranges(spec.network.cidr)["proxy_only"]))


def metadata_egress() -> list[dict]:
    """NetworkPolicy egress rules to the GKE metadata server (:data:`METADATA_SERVER`), TCP only."""
    return [{"to": [{"ipBlock": {"cidr": cidr}}], "ports": [{"protocol": "TCP", "port": port}]}
            for cidr, port in METADATA_SERVER]


def group_subject(email: str) -> dict:
    """A RoleBinding subject for the Google group ``email``."""
    return {"kind": "Group", "apiGroup": RBAC_API_GROUP, "name": email}


def rbac_subjects(tenant: TenantSpec) -> dict[str, list[dict]]:
    """``admins`` bound to ``admin``, ``developers`` to ``edit``, as Google group subjects."""
    return {"admin": [group_subject(g) for g in tenant.admins],
            "edit": [group_subject(g) for g in tenant.developers]}


def tenant_secret_prefix(spec: EnvironmentSpec, tenant: TenantSpec) -> str:
    """The start of every secret id the tenant may read: ``<env>_tenants_<tenant>_``."""
    return secret_prefix(spec, tenant, SECRET_SEPARATOR)


def secret_condition(spec: EnvironmentSpec, tenant: TenantSpec, project_number: str) -> ConditionalProjectRole:
    """``roles/secretmanager.secretAccessor`` on the project, only on the secrets (and their
    versions) whose id starts with :func:`tenant_secret_prefix`. IAM conditions see Secret
    Manager resources as ``projects/<project number>/secrets/<id>[/versions/<v>]``: the number,
    not the id (https://cloud.google.com/secret-manager/docs/access-control#iam-conditions,
    https://cloud.google.com/iam/docs/conditions-resource-attributes). Regional secrets
    (``.../locations/<region>/secrets/...``) are not covered."""
    prefix = tenant_secret_prefix(spec, tenant)
    return ConditionalProjectRole(
        role=SECRET_ACCESSOR,
        title=f"only {prefix}*"[:100],
        description=f"Secret Manager secrets of tenant {tenant.name} (ids starting {prefix})",
        expression=f'resource.name.startsWith("projects/{project_number}/secrets/{prefix}")',
    )


class GcpTenants(Construct):
    """Every ``tenants:`` entry on GKE.

    Per tenant ``t``:

    - A Google service account ``<cluster>-tenant-<t>`` (hashed past 30 characters) through the
      kit's ``workload_identity``, bound to the Kubernetes service account ``<t>/workload`` only,
      holding:

      - ``roles/storage.objectUser`` on the application bucket (``data.buckets`` ``app``) limited by
        an IAM condition to the objects under ``<bucket_prefix or t>/`` (the kit's
        ``bucket_grants``); nothing without an ``app`` bucket;
      - ``roles/secretmanager.secretAccessor`` on the project, limited by an IAM condition to the
        secrets whose id starts ``<env>_tenants_<t>_`` (:func:`secret_condition`; the project number
        read once through a ``google_project`` data source);
      - ``roles/artifactregistry.reader`` on the data layer's repository (pull, every image of it);
        nothing without ``data.registry.repositories``.

    - The neutral objects (``tenant_manifests``, written by ``TenantObjects``): the Namespace, quota,
      limits, NetworkPolicies with ingress from :func:`tenant_ingress` and egress to the GKE metadata
      server (:func:`metadata_egress`, policy ``allow-cloud-apis``), the service account annotated
      with the Google account's email, and RoleBindings of ``admin`` / ``edit`` to the tenant's
      Google groups (:func:`rbac_subjects`). GKE asserts a user's Google groups only with
      ``gcp.rbac_security_group`` set (Google Groups for RBAC) and the groups members of it; without
      it the bindings name groups nothing asserts.

    :param spec: the environment (its ``tenants``, ``gcp`` section, cluster name).
    :param cluster: the cluster's contract (project, workload pool).
    :param data: the data layer's contract (bucket names, repository).

    Attributes: ``project`` (the data source), ``identities`` and ``objects`` (tenant name ->
    :class:`WorkloadIdentity` / :class:`TenantObjects`), ``grants`` (tenant name -> its
    :class:`GcpGrants`).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, cluster: GcpClusterContract,
                 data: GcpDataContract):
        if getattr(spec, "gcp", None) is None:
            raise ValueError(f"{spec.name}: GcpTenants needs a GCP environment (cloud: gcp, with its gcp: section); "
                             f"{spec.name} is on {spec.cloud}")
        if not isinstance(data, GcpDataContract):
            raise TypeError(f"GcpTenants takes the GCP data contract (GcpDataContract), got {type(data).__name__}")
        from platform_constructs.gcp.kit import GcpKit

        super().__init__(scope, id)
        kit = GcpKit()
        self.project = DataGoogleProject(self, "project", project_id=spec.gcp.project)
        ingress = tenant_ingress(spec)
        self.identities: dict[str, WorkloadIdentity] = {}
        self.objects: dict[str, TenantObjects] = {}
        self.grants: dict[str, GcpGrants] = {}
        for tenant in spec.tenants:
            grants = GcpGrants(
                conditional_project_roles=(secret_condition(spec, tenant, self.project.number),),
                repository_roles=(ArtifactRepositoryRole(repository=data.registry_repository_id,
                                                         role=REGISTRY_READER),)
                if data.registry_repository_id else (),
            )
            if APP_BUCKET in data.buckets:
                grants = kit.bucket_grants(spec, data, bucket=APP_BUCKET, write=True,
                                           prefix=tenant.object_prefix) + grants
            self.grants[tenant.name] = grants
            identity = kit.workload_identity(self, spec, cluster, name=identity_component(tenant), layer="tenants",
                                             service_account=service_account(tenant), grants=grants)
            self.identities[tenant.name] = identity
            self.objects[tenant.name] = TenantObjects(
                self, f"{tenant.name}-objects",
                manifests=tenant_manifests(spec, tenant, ingress=ingress, identity=identity,
                                           rbac_subjects=rbac_subjects(tenant), cloud_egress=metadata_egress()),
            )
