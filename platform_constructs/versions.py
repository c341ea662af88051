"""Every external version the platform's constructs deploy, each with where and when it was read.

One place to bump when a cloud ships or retires a version: the environment model
(platform_constructs/spec/) refuses anything not listed here, so a typo such as
"1.330" fails at synth time instead of at ``terraform apply``.

The Kubernetes minors each managed Kubernetes service creates clusters with, and the
EKS managed add-on versions per minor, and the charts the addons layer will install (CHARTS).
"""

from __future__ import annotations

#: Kubernetes minors accepted for ``cluster.kubernetes_version``, per cloud, oldest first.
#: Only minors at or above the platform's floor (spec.MIN_KUBERNETES_VERSION, 1.33) are listed.
KUBERNETES_MINORS: dict[str, tuple[str, ...]] = {
    # Amazon EKS, read 2026-11 from the EKS user guide "Understand the Kubernetes version
    # lifecycle on EKS" (release calendar) and "Review release notes for Kubernetes versions
    # on standard support" (1.36 "now available in Amazon EKS"):
    #   1.33  released 2025-05-29, standard support to 2026-07-29, extended to 2027-07-29
    #         (extended support costs more per cluster hour; move to 1.34+ before 2027-07)
    #   1.34  released 2025-10-02, standard support to 2026-12-02, extended to 2027-12-02
    #   1.35  released 2026-01-28, standard support to 2027-03-27
    #   1.36  available on EKS since 2026 (standard support page lists it)
    # EKS creates clusters on any version in standard or extended support.
    "aws": ("1.33", "1.34", "1.35", "1.36"),
    # GKE, read 2026-11 from the GKE release notes "Current versions" table:
    # Regular channel "1.33 to 1.36", Extended channel "1.30 to 1.36".
    # The platform uses the version as min_master_version; the release channel
    # (gcp.release_channel, default REGULAR) picks the patch and upgrades.
    "gcp": ("1.33", "1.34", "1.35", "1.36"),
    # AKS, read 2026-11 from MicrosoftDocs azure-aks-docs "Supported Kubernetes versions
    # in AKS" release calendar (AKS GA / end of life):
    #   1.33  GA 2025-06, end of life 2026-07, platform support until 1.37 GA (~2026-10)
    #         kept only because the shipped azure-*.yaml pin it: move them to 1.34+ and drop it
    #   1.34  GA 2025-11, end of life 2026-11
    #   1.35  GA 2026-03, end of life 2027-03
    #   1.36  GA 2026-06, end of life 2027-06
    # (1.37: GA planned 2026-10 in the calendar, not confirmed here: add it once AKS lists it.)
    "azure": ("1.33", "1.34", "1.35", "1.36"),
}

#: EKS managed add-on versions per Kubernetes minor: every minor of KUBERNETES_MINORS["aws"] lists
#: every add-on the AWS kit installs (tests/aws/test_managed_addons.py checks it). Pinned, not
#: "EKS's default": the default moves under a cluster over time, so the same file would give
#: different clusters on different days, and an upgrade would not show in a plan.
#:
#: Read 2026-11 (research notes of 2026-11-26):
#:   kube-proxy, coredns  the EKS user guide's tables "latest add-on version per Kubernetes version",
#:                        https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html and
#:                        .../managing-coredns.html (ja_jp snapshot of ~2026-07/08, the newest stored).
#:   vpc-cni              the guide's table stops at 1.33 (v1.20.1-eksbuild.3, mid-2025); no AWS list of
#:                        2026 builds per minor was found, so each minor takes a build seen running on
#:                        clusters of that minor. 1.34-1.36: v1.22.4-eksbuild.3, described as "the EKS
#:                        1.35 default version" in a 2026 module's variables and pinned on 1.34, 1.35
#:                        and 1.36 clusters (and an EKS 1.36 network benchmark of 2026-09). Newer builds
#:                        exist (v1.23.0-eksbuild.1, zalando/kubernetes-on-aws #11667, 2026-07-15) but
#:                        were not seen on every minor. 1.33 has no pin of 1.22.4 on a 1.33 cluster:
#:                        it takes v1.22.3-eksbuild.1, seen on EKS 1.33 (ministryofjustice/cloud-
#:                        platform-infrastructure #4678, 2026-07-08).
#:   eks-pod-identity-agent  v1.3.10-eksbuild.1 became the default in all regions (aws/containers-
#:                        roadmap #2684, 2025-11-24); v1.3.10-eksbuild.3 is pinned with EKS 1.35 and
#:                        1.36 in 2026 code and reported COMPATIBLE by a 2026 upgrade check towards 1.33;
#:                        the agent is one build for every minor.
#: Before applying, confirm in the target region (the defaultVersion per minor):
#:   aws eks describe-addon-versions --kubernetes-version <minor> --addon-name <addon> \
#:     --query 'addons[].addonVersions[].addonVersion'
EKS_ADDON_VERSIONS: dict[str, dict[str, str]] = {
    "1.33": {
        "vpc-cni": "v1.22.3-eksbuild.1",  # seen on EKS 1.33 (MoJ #4678, 2026-07-08)
        "kube-proxy": "v1.33.10-eksbuild.13",  # guide table
        "eks-pod-identity-agent": "v1.3.10-eksbuild.3",  # one build for every minor
        "coredns": "v1.12.4-eksbuild.18",  # guide table
    },
    "1.34": {
        "vpc-cni": "v1.22.4-eksbuild.3",  # pinned on 1.34 clusters, 2026
        "kube-proxy": "v1.34.6-eksbuild.13",  # guide table
        "eks-pod-identity-agent": "v1.3.10-eksbuild.3",  # one build for every minor
        "coredns": "v1.13.2-eksbuild.11",  # guide table
    },
    "1.35": {
        "vpc-cni": "v1.22.4-eksbuild.3",  # "EKS 1.35 default version", 2026
        "kube-proxy": "v1.35.3-eksbuild.13",  # guide table
        "eks-pod-identity-agent": "v1.3.10-eksbuild.3",  # one build for every minor
        "coredns": "v1.14.3-eksbuild.3",  # guide table
    },
    "1.36": {
        "vpc-cni": "v1.22.4-eksbuild.3",  # pinned on 1.36 clusters, 2026-09
        "kube-proxy": "v1.36.0-eksbuild.14",  # guide table
        "eks-pod-identity-agent": "v1.3.10-eksbuild.3",  # one build for every minor
        "coredns": "v1.14.3-eksbuild.3",  # guide table (same build as 1.35)
    },
}


# --- Charts -----------------------------------------------------------------------------------------
# The Helm charts the addons stacks install. Read 2026-11 from ../shared/charts/README.md (version,
# Helm repository, source repository and path) and each chart's own Chart.yaml copied unchanged into
# ../shared/charts/<name>-<version>/ (name, version, appVersion). ``source`` is where the chart's
# templates live (repository and path), to read what a value renders.

from dataclasses import dataclass  # noqa: E402  (kept with the section it serves)


@dataclass(frozen=True)
class Chart:
    """One pinned Helm chart: ``name`` in ``repository`` (an https Helm repository, or ``oci://`` where the
    chart is published only in an OCI registry) at ``version``;
    ``app_version`` is the Chart.yaml ``appVersion`` (None when the chart declares none); ``source``
    is ``<owner>/<repo> <path>`` of the chart's templates."""

    name: str
    repository: str
    version: str
    app_version: str | None
    source: str


CHARTS: dict[str, Chart] = {
    # ../shared/charts/aws-load-balancer-controller-3.5.0/Chart.yaml: version 3.5.0, appVersion v3.5.0
    "aws-load-balancer-controller": Chart(
        name="aws-load-balancer-controller",
        repository="https://aws.github.io/eks-charts",
        version="3.5.0",
        app_version="v3.5.0",
        source="kubernetes-sigs/aws-load-balancer-controller helm/aws-load-balancer-controller",
    ),
    # ../shared/charts/cluster-autoscaler-9.59.0/Chart.yaml: version 9.59.0, appVersion 1.35.0
    # (values.yaml image.tag v1.35.0; set image.tag from CLUSTER_AUTOSCALER_IMAGE_TAGS instead)
    "cluster-autoscaler": Chart(
        name="cluster-autoscaler",
        repository="https://kubernetes.github.io/autoscaler",
        version="9.59.0",
        app_version="1.35.0",
        source="kubernetes/autoscaler charts/cluster-autoscaler",
    ),
    # ../shared/charts/metrics-server-3.13.1/Chart.yaml: version 3.13.1, appVersion 0.8.1
    "metrics-server": Chart(
        name="metrics-server",
        repository="https://kubernetes-sigs.github.io/metrics-server/",
        version="3.13.1",
        app_version="0.8.1",
        source="kubernetes-sigs/metrics-server charts/metrics-server",
    ),
    # ../shared/charts/secrets-store-csi-driver-1.6.0/Chart.yaml: version 1.6.0, appVersion 1.6.0,
    # kubeVersion ">=1.30.0-0"
    "secrets-store-csi-driver": Chart(
        name="secrets-store-csi-driver",
        repository="https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts",
        version="1.6.0",
        app_version="1.6.0",
        source="kubernetes-sigs/secrets-store-csi-driver charts/secrets-store-csi-driver",
    ),
    # ../shared/charts/secrets-store-csi-driver-provider-aws-3.1.1/Chart.yaml: version 3.1.1, no
    # appVersion (its values.yaml image.tag is 3.1.1). It depends on secrets-store-csi-driver "^1"
    # (condition secrets-store-csi-driver.install): install the driver once, from the entry above,
    # and leave that condition false.
    "secrets-store-csi-driver-provider-aws": Chart(
        name="secrets-store-csi-driver-provider-aws",
        repository="https://aws.github.io/secrets-store-csi-driver-provider-aws",
        version="3.1.1",
        app_version=None,
        source="aws/secrets-store-csi-driver-provider-aws charts/secrets-store-csi-driver-provider-aws",
    ),
    # --- The observability layer (platform_constructs/observability/) ---
    # mimir-distributed 6.1.0: ../shared/charts/README.md (values not copied there); the chart's
    # Chart.yaml and values.yaml read in grafana/mimir operations/helm/charts/mimir-distributed
    # (kubeVersion ^1.29.0-0; classic-architecture.yaml beside it). appVersion left unset: the 6.1.0
    # Chart.yaml was not among the stored versions (6.0.4 shipped Mimir 3.0.1, grafana/mimir#13702);
    # the image is the one the chart pins.
    "mimir-distributed": Chart(
        name="mimir-distributed",
        repository="https://grafana.github.io/helm-charts",
        version="6.1.0",
        app_version=None,
        source="grafana/mimir operations/helm/charts/mimir-distributed",
    ),
    # ../shared/charts/loki-18.11.0/Chart.yaml: version 18.11.0, appVersion 3.7.6, kubeVersion ">=1.25.0-0"
    "loki": Chart(
        name="loki",
        repository="https://grafana-community.github.io/helm-charts",
        version="18.11.0",
        app_version="3.7.6",
        source="grafana-community/helm-charts charts/loki",
    ),
    # ../shared/charts/tempo-2.2.4/Chart.yaml: version 2.2.4, appVersion 2.10.8 (single binary)
    "tempo": Chart(
        name="tempo",
        repository="https://grafana-community.github.io/helm-charts",
        version="2.2.4",
        app_version="2.10.8",
        source="grafana-community/helm-charts charts/tempo",
    ),
    # ../shared/charts/grafana-12.11.1/Chart.yaml: version 12.11.1, appVersion 13.2.0, kubeVersion "^1.25.0-0"
    "grafana": Chart(
        name="grafana",
        repository="https://grafana-community.github.io/helm-charts",
        version="12.11.1",
        app_version="13.2.0",
        source="grafana-community/helm-charts charts/grafana",
    ),
    # Grafana Alloy chart 1.8.1 with Alloy v1.16.1: grafana/alloy#6192 "chore: Release alloy helm chart
    # v1.8.1" (merged 2026-05-05, "Update Helm chart for Alloy v1.16.1"); the chart 1.8.1 is also pinned
    # in public 2026 deployments. Templates and values: grafana/alloy operations/helm/charts/alloy.
    # Not copied into ../shared/charts.
    "alloy": Chart(
        name="alloy",
        repository="https://grafana.github.io/helm-charts",
        version="1.8.1",
        app_version="v1.16.1",
        source="grafana/alloy operations/helm/charts/alloy",
    ),
    # --- Integration services (platform_constructs/integration/): ExternalDNS and the CI agent ---
    # external-dns 1.20.0: the kubernetes-sigs chart (https://kubernetes-sigs.github.io/external-dns/),
    # seen as the current minor in 2026 (szinn/k8s-homelab #6905, "1.19.0 -> 1.20.0", 2026-01-02; the
    # chart's move to app v0.23.0 is still open, kubernetes-sigs/external-dns #6741, 2026-09-18).
    # Values read in the chart's README (provider.name, policy, registry, txtOwnerId, domainFilters,
    # sources, serviceAccount.*, podLabels, extraArgs, env, extraVolumes). appVersion not confirmed
    # here: the image is the one the chart pins.
    "external-dns": Chart(
        name="external-dns",
        repository="https://kubernetes-sigs.github.io/external-dns/",
        version="1.20.0",
        app_version=None,
        source="kubernetes-sigs/external-dns charts/external-dns",
    ),
    # Actions Runner Controller (runner scale sets), both charts released together: 0.14.2
    # (szinn/k8s-homelab #8246, "actions runner controller group 0.14.1 -> 0.14.2", 2026-05-22).
    # An OCI Helm repository (GitHub publishes these charts only there).
    "gha-runner-scale-set-controller": Chart(
        name="gha-runner-scale-set-controller",
        repository="oci://ghcr.io/actions/actions-runner-controller-charts",
        version="0.14.2",
        app_version=None,
        source="actions/actions-runner-controller charts/gha-runner-scale-set-controller",
    ),
    "gha-runner-scale-set": Chart(
        name="gha-runner-scale-set",
        repository="oci://ghcr.io/actions/actions-runner-controller-charts",
        version="0.14.2",
        app_version=None,
        source="actions/actions-runner-controller charts/gha-runner-scale-set",
    ),
    # external-secrets 2.10.0 (External Secrets Operator v2.10.0; helm-chart-2.10.0, 2026-08-28: shaman007/
    # home-k3s #682 and entigolabs/entigo-infralib #1653 "2.9.0 -> 2.10.0"). Values: installCRDs,
    # serviceAccount.{create,name,annotations}, podLabels. It writes the CI agent's registration secret
    # into a Kubernetes Secret from the cloud's secret store (never through Terraform).
    "external-secrets": Chart(
        name="external-secrets",
        repository="https://charts.external-secrets.io",
        version="2.10.0",
        app_version="v2.10.0",
        source="external-secrets/external-secrets deploy/charts/external-secrets",
    ),
    # gitlab-runner 0.93.0 (https://charts.gitlab.io): installed with ``--version 0.93.0`` in a 2026
    # runbook (0.91.2 in another); GitLab Runner 19.x (19.2.0 released 2026-07-10, endoflife.date #10612).
    # The chart lives on gitlab.com (gitlab-org/charts/gitlab-runner), not GitHub.
    "gitlab-runner": Chart(
        name="gitlab-runner",
        repository="https://charts.gitlab.io",
        version="0.93.0",
        app_version=None,
        source="gitlab-org/charts gitlab-runner (on gitlab.com: the project gitlab-org/charts/gitlab-runner)",
    ),
    # --- cloud: kubernetes (platform_constructs/generic/): what no cloud provides on an existing cluster ---
    # Traefik chart 41.5.0 with Traefik Proxy v3.7.13: traefik/traefik-helm-chart #1997 "publish 41.5.0"
    # (merged 2026-09-07, "Support of Traefik proxy v3.7.13"); 41.6.0 (#2003, 2026-09-16) only adds a
    # Traefik Hub early-access build. Traefik v3.7 implements Gateway API v1.5 (rancher/rke2-docs #572).
    # The ingress and Gateway API controller, chosen because ingress-nginx was retired by Kubernetes SIG
    # Network and the Security Response Committee (no releases or security fixes after March 2026).
    # Values read in the chart's values.yaml (deployment.replicas, podDisruptionBudget, ingressClass,
    # providers.kubernetesIngress / kubernetesGateway, gateway, gatewayClass, service, ports).
    "traefik": Chart(
        name="traefik",
        repository="https://traefik.github.io/charts",
        version="41.5.0",
        app_version="v3.7.13",
        source="traefik/traefik-helm-chart traefik",
    ),
    # HashiCorp's Vault chart 0.34.1 (hashicorp/vault-helm release v0.34.1, published to the OpenShift
    # catalogue on 2026-08-13, openshift-helm-charts/charts #3408; 0.33.0 shipped vault-csi-provider
    # v1.7.2, hashicorp/vault-helm #1149). Installed with server and injector off and csi on: only the
    # Vault provider of the secrets-store CSI driver (addons.secrets_store_provider: vault). appVersion
    # (the Vault server's) not confirmed here and unused: no server is installed.
    "vault": Chart(
        name="vault",
        repository="https://helm.releases.hashicorp.com",
        version="0.34.1",
        app_version=None,
        source="hashicorp/vault-helm (the repository root)",
    ),
}

#: cluster-autoscaler image tag (registry.k8s.io/autoscaling/cluster-autoscaler) per Kubernetes minor
#: of KUBERNETES_MINORS["aws"]: the autoscaler's minor must match the cluster's (its README and the
#: chart's "match image.tag to the cluster's minor"). The latest patch of each release line, read
#: 2026-11 from the kubernetes/autoscaler releases cluster-autoscaler-1.36.1, -1.35.2, -1.34.5 and
#: -1.33.6 (all published 2026-07-23, each listing registry.k8s.io/autoscaling/cluster-autoscaler:
#: v<version>); no later patch of any of these lines was found. Chart 9.59.0 defaults to v1.35.0,
#: superseded on 1.35 by v1.35.2.
CLUSTER_AUTOSCALER_IMAGE_TAGS: dict[str, str] = {
    "1.33": "v1.33.6",
    "1.34": "v1.34.5",
    "1.35": "v1.35.2",
    "1.36": "v1.36.1",
}

#: EKS managed add-on versions of the CSI drivers per Kubernetes minor of KUBERNETES_MINORS["aws"]:
#: installed by the addons layer (platform_constructs/aws/csi_addons.py), not by the cluster layer,
#: so kept apart from EKS_ADDON_VERSIONS (which the cluster layer iterates). Pinned for the same
#: reason: EKS's default build moves under a cluster, and an upgrade must show in a plan.
#:
#: Read 2026-11 through the issues and code search indexes (no AWS table of CSI add-on builds per
#: minor was found; each add-on build covers every minor EKS supports):
#:   aws-ebs-csi-driver  v1.66.0-eksbuild.1: "the version AWS currently marks defaultVersion for
#:                       Kubernetes 1.36" (mitodl/ol-infrastructure #5959, 2026-09-21, which moved
#:                       from v1.65.0-eksbuild.1; upstream v1.66.0 adds encrypted EBS clones).
#:                       Seen running on EKS 1.33 (an EKS test run of 2026-09-26 with kube-proxy
#:                       v1.33.10-eksbuild.29), pinned with EKS 1.35 (kube-proxy v1.35.3-eksbuild.29)
#:                       and 1.36 clusters in 2026 code, and in a 2026 module pinning one build
#:                       "AWS lists as compatible with every Kubernetes version" it supports.
#:                       1.34: no cluster of that minor was seen with it; it rests on that
#:                       compatibility (every build is listed for all supported minors).
#:   aws-efs-csi-driver  v3.4.2-eksbuild.1: "still the newest AWS offers for 1.36" (same PR,
#:                       2026-09-21); earlier 2026 builds v3.3.0-eksbuild.1 (zalando-incubator/
#:                       kubernetes-on-aws #11666 and ministryofjustice/modernisation-platform-
#:                       environments #17347, 2026-06/07). Pinned with EKS 1.35 (kube-proxy
#:                       v1.35.3-eksbuild.21) and in the same all-minors module; 1.33 and 1.34 rest
#:                       on that compatibility.
#: Before applying, confirm in the target region:
#:   aws eks describe-addon-versions --kubernetes-version <minor> --addon-name aws-ebs-csi-driver \
#:     --query 'addons[].addonVersions[].addonVersion'
EKS_CSI_ADDON_VERSIONS: dict[str, dict[str, str]] = {
    "1.33": {
        "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",  # seen on EKS 1.33, 2026-09-26
        "aws-efs-csi-driver": "v3.4.2-eksbuild.1",  # all-minors build, 2026
    },
    "1.34": {
        "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",  # all-minors build, 2026
        "aws-efs-csi-driver": "v3.4.2-eksbuild.1",  # all-minors build, 2026
    },
    "1.35": {
        "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",  # pinned on 1.35 clusters, 2026
        "aws-efs-csi-driver": "v3.4.2-eksbuild.1",  # pinned on 1.35 clusters, 2026
    },
    "1.36": {
        "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",  # 1.36 defaultVersion (mitodl #5959, 2026-09-21)
        "aws-efs-csi-driver": "v3.4.2-eksbuild.1",  # newest for 1.36 (mitodl #5959, 2026-09-21)
    },
}

#: The ``amazon-cloudwatch-observability`` EKS add-on (CloudWatch agent + Fluent Bit: Container
#: Insights metrics and the cluster's logs in CloudWatch Logs) per Kubernetes minor of
#: KUBERNETES_MINORS["aws"], installed by the observability layer (platform_constructs/aws/
#: cloud_logging.py). Pinned for the same reason as EKS_ADDON_VERSIONS: EKS's default build moves.
#:
#: Read 2026-11 through the code search index (no AWS table of builds per minor was found; each
#: build is listed for every minor EKS supports, like the CSI add-ons):
#:   v6.6.0-eksbuild.1  the defaultVersion of ``aws eks describe-addon-versions --kubernetes-version 1.36``
#:                      in ap-southeast-1 on 2026-09-18 (listed above v6.5.0-eksbuild.1 and
#:                      v6.4.0-eksbuild.1), installed ACTIVE on an EKS 1.36 cluster the same day (an EKS
#:                      workshop's "实验三 ... CloudWatch Container Insight" lab, "EKS 1.36版本 @2026");
#:                      "Verified in Seoul for EKS 1.35 on 2026-09-16" (a 2026 Terraform module's
#:                      cloudwatch_addon_version) and queried "for EKS 1.35 in AWS Seoul" by another
#:                      2026 project; pinned with eks_version 1.36 in a 2026 tfvars.
#:   v6.4.0-eksbuild.1  the previous build, pinned for 1.31-1.35 alike in one 2026 version map and for a
#:                      module "qualified only for EKS Kubernetes 1.34" (with kube-proxy v1.34.6-eksbuild.17),
#:                      default for 1.36 on 2026-08-08: evidence that one build serves every minor.
#: 1.33 and 1.34 take v6.6.0-eksbuild.1 on that all-minors compatibility (no 1.33/1.34 cluster was seen
#: running it). Known change since v5.3.0: the agent's ClusterRole lost the cluster-wide ConfigMap
#: ``get`` (aws-observability/helm-charts #287), which broke Application Signals' EKS resource detection
#: (aws-observability/application-signals-demo #334, 2026-04-07, pinned v4.10.3 for that); this
#: platform does not turn Application Signals on.
#: Before applying, confirm in the target region:
#:   aws eks describe-addon-versions --kubernetes-version <minor> --addon-name amazon-cloudwatch-observability \
#:     --query 'addons[].addonVersions[].addonVersion'
EKS_OBSERVABILITY_ADDON_VERSIONS: dict[str, str] = {
    "1.33": "v6.6.0-eksbuild.1",  # all-minors build, 2026
    "1.34": "v6.6.0-eksbuild.1",  # all-minors build, 2026
    "1.35": "v6.6.0-eksbuild.1",  # verified on EKS 1.35 in Seoul, 2026-09-16
    "1.36": "v6.6.0-eksbuild.1",  # 1.36 defaultVersion, ap-southeast-1, 2026-09-18
}

#: ElastiCache for Valkey engine version of the data layer's cache (platform_constructs/aws/cache.py),
#: "<major>.<minor>" as ElastiCache takes it (it refuses a patch level like 9.0.0 on create; patches and
#: minors then arrive in the maintenance window through auto_minor_version_upgrade).
#: Read 2026-11 through the search index: Valkey 9.0 on ElastiCache since May 2026 (full-text and hybrid
#: search "Valkey 9.0, May 2026", jayendrapatil.com/tag/redis-multi-az); 2026 Terraform projects pin
#: engine_version "9.0" with parameter group default.valkey9 (one records "2026-05-20: Valkey 7.2 -> 9.0",
#: another "ElastiCache rejects patch-level '9.0.0' on create; use minor '9.0'"); "9.1" appears in a few
#: later 2026 files. The major pinned is 9, the current one; 8.2 (default.valkey8) is the previous.
#: Before applying, confirm in the target region:
#:   aws elasticache describe-cache-engine-versions --engine valkey --query 'CacheEngineVersions[].EngineVersion'
ELASTICACHE_VALKEY_VERSION = "9.0"

#: Memorystore for Valkey engine of the GCP cache (``google_memorystore_instance.engine_version``,
#: google provider 6.50.0). Valkey 8.0; not checked here against the 2026 release notes (Memorystore
#: may offer a newer major, as ElastiCache offers 9.0 above). Confirm before the first apply:
#:   gcloud memorystore instances create --help   (the --engine-version values)
MEMORYSTORE_VALKEY_VERSION = "VALKEY_8_0"

#: The GitHub Actions runner image of the CI agent's runner scale set (``addons.ci_agent.kind: github``),
#: pinned instead of the chart's ``latest``. 2.337.0: the newest release pinned in 2026 runner images
#: ("pinned to the latest stable release", FROM ghcr.io/actions/actions-runner:2.337.0, with digest
#: sha256:e5496277be5d09bc968b3d64911b74e219ac4a3f2edce956a3ecf9271bea1ef4 in another). GitHub refuses
#: runners older than its supported window, so bump this with the runner's releases
#: (https://github.com/actions/runner/releases).
GITHUB_RUNNER_IMAGE = "ghcr.io/actions/actions-runner:2.337.0"
