"""The CI/CD agent on EKS: runners that push to ECR, the registration token from Secrets Manager."""

from __future__ import annotations

from collections.abc import Mapping

from constructs import Construct
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition

from platform_constructs.aws.csi_addons import identity_dependables
from platform_constructs.aws.workload_identity import AwsWorkloadIdentity, Mode
from platform_constructs.contracts import ClusterContract
from platform_constructs.integration import ci_agent as agent_values
from platform_constructs.integration.ci_agent_releases import CiAgentReleases
from platform_constructs.spec.addons import CiAgentSpec
from platform_constructs.workload_identity import AwsGrants, bounded_name

#: What ``docker push`` / ``crane push`` calls on a repository (and reads back layers it skips).
ECR_PUSH_ACTIONS = (
    "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
    "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
)


def runner_grants(repository_arns: Mapping[str, str]) -> AwsGrants:
    """Push (and pull) on the data layer's repositories only; the registry login
    (``ecr:GetAuthorizationToken``, which takes no resource) on ``*``. No repository: nothing."""
    if not repository_arns:
        return AwsGrants()
    return AwsGrants(inline_policy={"Statement": [
        {"Sid": "Login", "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": ["*"]},
        {"Sid": "PushToTheEnvironmentsRepositories", "Effect": "Allow", "Action": list(ECR_PUSH_ACTIONS),
         "Resource": [repository_arns[name] for name in sorted(repository_arns)]},
    ]})


def secret_reader_grants(secret_arn_pattern: str) -> AwsGrants:
    """Read one Secrets Manager secret (its ARN ends in a random ``-XXXXXX`` suffix, hence the pattern)."""
    return AwsGrants(inline_policy={"Statement": [
        {"Sid": "ReadTheRegistrationSecret", "Effect": "Allow",
         "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
         "Resource": [secret_arn_pattern]},
    ]})


class AwsCiAgent(Construct):
    """Runner identity ``<cluster>-ci-runner`` (ECR push on the data layer's repositories), External
    Secrets identity ``<cluster>-external-secrets`` (read of ``secret_name`` in Secrets Manager only),
    then the neutral releases (:class:`CiAgentReleases`). Both identities use the environment's mode.

    :param agent: ``addons.ci_agent``.
    :param name: the environment's name (the runner scale set's name).
    :param cluster_name: the cluster's name (identities' prefix).
    :param region: the region of the secret.
    :param cluster: the cluster contract.
    :param repository_arns: the data layer's ECR repositories (``AwsDataContract.repository_arns``).
    :param mode: ``pod_identity`` or ``irsa``. Default: ``pod_identity``.
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the charts' own repositories.
    """

    def __init__(self, scope: Construct, id: str, *, agent: CiAgentSpec, name: str, cluster_name: str, region: str,
                 cluster: ClusterContract, repository_arns: Mapping[str, str], mode: Mode = "pod_identity",
                 chart_repository: str | None = None):
        super().__init__(scope, id)
        partition = DataAwsPartition(self, "partition").partition
        account = DataAwsCallerIdentity(self, "account").account_id
        self.secret_arn_pattern = f"arn:{partition}:secretsmanager:{region}:{account}:secret:{agent.secret_name}-??????"
        self.runner = AwsWorkloadIdentity(
            self, "runner-identity", name=bounded_name(f"{cluster_name}-{agent_values.RUNNER_COMPONENT}", 64),
            cluster=cluster, service_account=agent_values.RUNNER_SERVICE_ACCOUNT,
            grants=runner_grants(repository_arns), mode=mode,
        )
        self.secret_reader = AwsWorkloadIdentity(
            self, "external-secrets-identity", name=bounded_name(f"{cluster_name}-{agent_values.ESO_COMPONENT}", 64),
            cluster=cluster, service_account=agent_values.ESO_SERVICE_ACCOUNT,
            grants=secret_reader_grants(self.secret_arn_pattern), mode=mode,
        )
        self.releases = CiAgentReleases(
            self, "releases", agent=agent, name=name, runner_identity=self.runner.identity,
            eso_identity=self.secret_reader.identity,
            secret_provider={"aws": {"service": "SecretsManager", "region": region}},
            runner_dependables=identity_dependables(self.runner),
            eso_dependables=identity_dependables(self.secret_reader), chart_repository=chart_repository,
        )
