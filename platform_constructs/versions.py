"""Every external version the platform's constructs deploy, each with where and when it was read.

One place to bump when a cloud ships or retires a version: the environment model
(platform_constructs/spec/) refuses anything not listed here, so a typo such as
"1.330" fails at synth time instead of at ``terraform apply``.

For now: the Kubernetes minors each managed Kubernetes service creates clusters
with. Later: EKS add-on versions, chart versions (see ../shared/charts/README.md).
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
