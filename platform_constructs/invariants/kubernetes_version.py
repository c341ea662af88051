"""Clusters run Kubernetes 1.33 or later."""

import re

from platform_constructs.invariants import Rule, Violation, resources
from platform_constructs.spec import MIN_KUBERNETES_VERSION

FIELDS = {
    "aws_eks_cluster": "version",
    "google_container_cluster": "min_master_version",
    "azurerm_kubernetes_cluster": "kubernetes_version",
}


def check(stack, doc, spec):
    lowest = ".".join(map(str, MIN_KUBERNETES_VERSION))
    for rtype, field in FIELDS.items():
        for address, body in resources(doc, rtype):
            value = body.get(field)
            match = re.match(r"^(\d+)\.(\d+)", str(value or ""))
            if match and (int(match[1]), int(match[2])) < MIN_KUBERNETES_VERSION:
                yield Violation(stack, address, f"Kubernetes {value} is below {lowest}: set kubernetes_version to \"{lowest}\" or later")
            if rtype == "aws_eks_cluster" and not value:
                yield Violation(stack, address, f"no Kubernetes version pinned: set kubernetes_version (>= {lowest})")


RULE = Rule("kubernetes-version", "Kubernetes >= 1.33", check)
