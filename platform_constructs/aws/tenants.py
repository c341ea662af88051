"""The AWS tenants layer (``<env>-tenants``): per team an IAM role, namespace-scoped EKS access, its objects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from constructs import Construct
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition

from platform_constructs.aws.contracts import AwsDataContract
from platform_constructs.aws.data import data_bucket_grants
from platform_constructs.aws.tenant_access import TenantAccessEntries
from platform_constructs.contracts import ClusterContract, DataContract, NetworkContract
from platform_constructs.spec import EnvironmentSpec
from platform_constructs.spec.data import APP_BUCKET
from platform_constructs.spec.tenants import TenantSpec
from platform_constructs.tenants.names import identity_component, secret_prefix, service_account
from platform_constructs.tenants.network import TenantIngress
from platform_constructs.workload_identity import AwsGrants, WorkloadIdentity

if TYPE_CHECKING:
    from platform_constructs.aws.kit import AwsKit

#: Reading a secret's value and metadata (what the secrets-store CSI driver's AWS provider calls).
SECRET_ACTIONS = ("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret")
#: Pulling an image from a named ECR repository.
PULL_ACTIONS = ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability")
#: Getting a registry login token: an account-level action, which IAM does not scope to a resource.
TOKEN_ACTION = "ecr:GetAuthorizationToken"
#: The tenants' Secrets Manager path separator (``aws-dev/tenants/team-a/<secret>``).
SECRET_SEPARATOR = "/"
#: The EKS Pod Identity agent: a hostNetwork DaemonSet on every node answering the SDKs'
#: container-credentials calls on this link-local address, TCP 80 (EKS user guide, "EKS Pod
#: Identity considerations"). A default-deny egress policy blocks it unless allowed.
POD_IDENTITY_AGENT = "169.254.170.23/32"
POD_IDENTITY_AGENT_PORT = 80


def secrets_arn(spec: EnvironmentSpec, tenant: TenantSpec, *, partition: str, account: str) -> str:
    """The ARN pattern of the tenant's secrets: every secret named ``<env>/tenants/<tenant>/...``
    (``*`` also covers the six random characters Secrets Manager appends to each ARN)."""
    prefix = secret_prefix(spec, tenant, SECRET_SEPARATOR)
    return f"arn:{partition}:secretsmanager:{spec.region}:{account}:secret:{prefix}*"


def tenant_grants(spec: EnvironmentSpec, data: DataContract, tenant: TenantSpec, *, partition: str,
                  account: str) -> AwsGrants:
    """One inline policy, least privilege:

    - read-write on the tenant's folder (``bucket_prefix``, default its name) of the ``app`` data
      bucket and the data key through S3 only (:func:`platform_constructs.aws.data.bucket_access_policy`),
      when the data layer has that bucket;
    - ``GetSecretValue`` / ``DescribeSecret`` on its own secrets, :func:`secrets_arn` (encrypted with
      the account's ``aws/secretsmanager`` key, Secrets Manager's default: a customer-managed key
      needs its key policy to let the role decrypt);
    - when the data layer has repositories: ``ecr:GetAuthorizationToken`` (resource ``*``: it has no
      resource of its own) and the pull actions on those repositories only (their KMS key needs no
      grant: ECR holds one).
    """
    if not isinstance(data, AwsDataContract):
        raise TypeError(f"AWS tenant grants need the AWS data layer's contract (AwsDataContract), "
                        f"got {type(data).__name__}")
    statements: list[dict] = []
    if APP_BUCKET in data.buckets:
        bucket = data_bucket_grants(spec, data, bucket=APP_BUCKET, write=True, prefix=tenant.object_prefix)
        statements.extend(bucket.inline_policy["Statement"])
    statements.append({"Sid": "ReadOwnSecrets", "Effect": "Allow", "Action": list(SECRET_ACTIONS),
                       "Resource": [secrets_arn(spec, tenant, partition=partition, account=account)]})
    if data.repository_arns:
        statements.append({"Sid": "RegistryLogin", "Effect": "Allow", "Action": [TOKEN_ACTION], "Resource": ["*"]})
        statements.append({"Sid": "PullImages", "Effect": "Allow", "Action": list(PULL_ACTIONS),
                           "Resource": [data.repository_arns[name] for name in sorted(data.repository_arns)]})
    return AwsGrants(inline_policy={"Statement": statements})


def tenant_ingress(spec: EnvironmentSpec) -> TenantIngress:
    """Where AWS load balancers reach a tenant's pods from: the public subnets' CIDRs (literal, from
    the address plan). An internet-facing ALB, or an NLB with ``target-type: ip`` (client IP
    preservation off, its default for ip targets), sends from its nodes' addresses in those subnets.
    Internal load balancers (private subnets, shared with the nodes and pods) and NLBs preserving
    client IPs are not covered: a tenant allowing them writes its own NetworkPolicy."""
    return TenantIngress(cidrs=tuple(spec.subnet_layout().public))


def tenant_cloud_egress(spec: EnvironmentSpec) -> tuple[dict, ...]:
    """The egress a tenant's pods need to get their role's credentials: with ``pod_identity``, the
    node's Pod Identity agent (:data:`POD_IDENTITY_AGENT`, TCP 80); with ``irsa`` nothing on the node
    (the SDK exchanges its token at STS, an AWS API like the others). AWS APIs themselves (S3 through
    the VPC's gateway endpoint, STS, Secrets Manager) answer on public addresses: the tenant's
    ``public_https_egress`` (default on) opens them, else the team lists their ranges in ``egress_cidrs``. Secrets mounted by the
    secrets-store CSI driver need no egress: its AWS provider calls Secrets Manager from kube-system."""
    if spec.aws.workload_identity != "pod_identity":
        return ()
    return ({"to": [{"ipBlock": {"cidr": POD_IDENTITY_AGENT}}],
             "ports": [{"protocol": "TCP", "port": POD_IDENTITY_AGENT_PORT}]},)


class AwsTenantIdentities(Construct):
    """Per tenant, the IAM role of its service account ``<tenant>/workload``, from the kit's
    ``workload_identity`` (role ``<cluster>-tenant-<tenant>``, bounded to 64 characters; Pod
    Identity or IRSA as ``aws.workload_identity`` says) holding :func:`tenant_grants`.

    :attr:`identities` maps each tenant's name to its :class:`WorkloadIdentity`.

    :param spec: the environment (``tenants``, ``name``, ``region``).
    :param cluster: the cluster's contract.
    :param data: the data layer's contract (an :class:`AwsDataContract`).
    :param kit: the AWS kit whose ``workload_identity`` builds each role.
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, cluster: ClusterContract,
                 data: DataContract, kit: "AwsKit"):
        super().__init__(scope, id)
        self.identities: dict[str, WorkloadIdentity] = {}
        if not spec.tenants:
            return
        partition = DataAwsPartition(self, "partition").partition
        account = DataAwsCallerIdentity(self, "account").account_id
        for tenant in spec.tenants:
            self.identities[tenant.name] = kit.workload_identity(
                self, spec, cluster, name=identity_component(tenant), layer="tenants",
                service_account=service_account(tenant),
                grants=tenant_grants(spec, data, tenant, partition=partition, account=account),
            )


class AwsTenants(Construct):
    """What ``tenants`` asks for on EKS:

    | part | what |
    |---|---|
    | :class:`AwsTenantIdentities` | an IAM role per tenant: its bucket folder, its secrets, registry pull |
    | :class:`~platform_constructs.aws.tenant_access.TenantAccessEntries` | admins / developers as access entries with AmazonEKSAdminPolicy / AmazonEKSEditPolicy scoped to the namespaces |
    | ``TenantObjects`` | the neutral manifests (namespace, quota, limits, NetworkPolicies, service account), ingress from :func:`tenant_ingress`, egress to the credentials agent from :func:`tenant_cloud_egress`, no RoleBindings |

    The NetworkPolicies are enforced by the VPC CNI's network policy agent, which the cluster
    stack turns on in the vpc-cni add-on (``enableNetworkPolicy``).

    :param spec: the environment.
    :param network: its network contract (unused: the ingress ranges are literal from the address plan).
    :param cluster: its cluster contract.
    :param data: its data contract (an :class:`AwsDataContract`).
    :param kit: the AWS kit (its ``workload_identity``).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, network: NetworkContract,
                 cluster: ClusterContract, data: DataContract, kit: "AwsKit"):
        # Deferred: the neutral objects import the kubernetes bindings, which the AWS side does not need.
        from platform_constructs.tenants.manifests import tenant_manifests
        from platform_constructs.tenants.objects import TenantObjects

        super().__init__(scope, id)
        self.identities = AwsTenantIdentities(self, "identities", spec=spec, cluster=cluster, data=data, kit=kit)
        self.access = TenantAccessEntries(self, "access", cluster_name=cluster.cluster_name, tenants=spec.tenants)
        ingress = tenant_ingress(spec)
        cloud_egress = tenant_cloud_egress(spec)
        self.objects = {
            tenant.name: TenantObjects(
                self, f"objects-{tenant.name}",
                manifests=tenant_manifests(spec, tenant, ingress=ingress,
                                           identity=self.identities.identities[tenant.name], rbac_subjects=None,
                                           cloud_egress=cloud_egress),
            )
            for tenant in spec.tenants
        }
