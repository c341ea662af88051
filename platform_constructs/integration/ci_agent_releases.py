"""The CI/CD agent's in-cluster side, the same on every cloud; the kits give it the identities.

Built in this order (each waits for the one before):

1. the namespace ``ci-agent`` with its Pod Security labels, and the runners' service account
   ``ci-runner`` carrying the runner identity's annotations (token not automounted: the runners reach
   their cloud through workload identity, not the Kubernetes API);
2. External Secrets Operator (``external-secrets`` namespace) as its own identity;
3. the SecretStore and the ExternalSecret (``platform-objects`` release) writing the registration
   Secret from the cloud's secret store;
4. the agent: ARC controller + runner scale set, or the GitLab Runner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from constructs import Construct
from cdktf_cdktf_provider_kubernetes.namespace_v1 import NamespaceV1, NamespaceV1Metadata
from cdktf_cdktf_provider_kubernetes.service_account_v1 import ServiceAccountV1, ServiceAccountV1Metadata

from platform_constructs.integration import ci_agent as agent_values
from platform_constructs.integration.objects_release import objects_release
from platform_constructs.kubernetes.chart_release import chart_release
from platform_constructs.spec.addons import CiAgentSpec
from platform_constructs.workload_identity import WorkloadIdentity


class CiAgentReleases(Construct):
    """Namespace, runner service account, External Secrets, the secret objects and the agent's charts.

    :param agent: ``addons.ci_agent``.
    :param name: the runner scale set's name (GitHub ``runs-on:``): the environment's name.
    :param runner_identity: the identity bound to ``ci-agent/ci-runner`` (registry push).
    :param eso_identity: the identity bound to ``external-secrets/external-secrets`` (reads the one secret).
    :param secret_provider: the cloud's External Secrets provider block for the SecretStore.
    :param runner_dependables: the runner identity's resources (created before any runner starts).
    :param eso_dependables: the External Secrets identity's resources (before the operator starts).
    :param chart_repository: an ``oci://`` mirror of every chart. Default: the charts' own repositories.
    """

    def __init__(self, scope: Construct, id: str, *, agent: CiAgentSpec, name: str,
                 runner_identity: WorkloadIdentity, eso_identity: WorkloadIdentity, secret_provider: Mapping,
                 runner_dependables: Sequence = (), eso_dependables: Sequence = (),
                 chart_repository: str | None = None):
        super().__init__(scope, id)
        self.agent = agent
        runner_sa = agent_values.RUNNER_SERVICE_ACCOUNT
        self.namespace = NamespaceV1(self, "namespace", metadata=NamespaceV1Metadata(
            name=agent_values.NAMESPACE, labels=agent_values.pod_security_labels(agent.kind),
        ))
        self.runner_service_account = ServiceAccountV1(
            self, "runner-service-account",
            metadata=ServiceAccountV1Metadata(name=runner_sa.name, namespace=runner_sa.namespace,
                                              annotations=dict(runner_identity.annotations) or None),
            automount_service_account_token=False, depends_on=[self.namespace, *runner_dependables],
        )
        if runner_identity.service_account != runner_sa:
            raise ValueError(f"the runner identity binds {runner_identity.service_account}, not {runner_sa}")

        self.eso_values = agent_values.eso_values(eso_identity)
        self.eso = chart_release(self, "external-secrets", chart=agent_values.ESO_CHART,
                                 namespace=agent_values.ESO_NAMESPACE, values=self.eso_values,
                                 chart_repository=chart_repository, create_namespace=True,
                                 depends_on=list(eso_dependables) or None)
        self.secret_objects = agent_values.secret_objects(agent, secret_provider)
        self.secrets = objects_release(self, "registration-secret", name="ci-agent-secrets",
                                       namespace=agent_values.NAMESPACE, objects=self.secret_objects,
                                       depends_on=[self.eso, self.namespace])
        after = [self.secrets, self.runner_service_account]
        self.values: dict[str, dict] = {}
        if agent.kind == "github":
            self.values["controller"] = agent_values.arc_controller_values()
            controller = chart_release(self, "arc-controller", chart=agent_values.ARC_CONTROLLER_CHART,
                                       namespace=agent_values.NAMESPACE, values=self.values["controller"],
                                       chart_repository=chart_repository, depends_on=[self.namespace])
            self.values["runners"] = agent_values.arc_scale_set_values(agent, name=name, identity=runner_identity)
            self.releases = [controller, chart_release(
                self, "arc-runners", chart=agent_values.ARC_SCALE_SET_CHART, name=f"{name}-runners"[:53],
                namespace=agent_values.NAMESPACE, values=self.values["runners"],
                chart_repository=chart_repository, depends_on=[controller, *after])]
        else:
            self.values["runner"] = agent_values.gitlab_values(agent, identity=runner_identity)
            self.releases = [chart_release(
                self, "gitlab-runner", chart=agent_values.GITLAB_CHART, namespace=agent_values.NAMESPACE,
                values=self.values["runner"], chart_repository=chart_repository, depends_on=after)]
