"""Every external version the platform's constructs deploy, each with where and when it was read.

One place to bump when a cloud ships or retires a version: the environment model
(platform_constructs/spec/) refuses anything not listed here, so a typo such as
"1.330" fails at synth time instead of at ``terraform apply``.

The Kubernetes minors each managed Kubernetes service creates clusters with, and the
EKS managed add-on versions per minor. Later: chart versions (see ../shared/charts/README.md).
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
