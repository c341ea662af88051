"""The Kubernetes API is never reachable from the whole internet."""

from platform_constructs.invariants import WORLD, Rule, Violation, as_list, resources


def check(stack, doc, spec):
    for address, body in resources(doc, "aws_eks_cluster"):
        vpc = as_list(body.get("vpc_config"))[0] if body.get("vpc_config") else {}
        if vpc.get("endpoint_public_access") is not False:
            cidrs = vpc.get("public_access_cidrs") or []
            if not cidrs or any(c in WORLD for c in cidrs):
                yield Violation(stack, address, "cluster API is reachable from 0.0.0.0/0: set endpoint: private, "
                                                "or public_and_private with public_access_cidrs listing your ranges")
    for address, body in resources(doc, "google_container_cluster"):
        private = as_list(body.get("private_cluster_config"))
        networks = as_list(body.get("master_authorized_networks_config"))
        cidrs = [b.get("cidr_block") for n in networks for b in as_list(n.get("cidr_blocks"))]
        public = not (private and private[0].get("enable_private_endpoint") is True)
        if any(c in WORLD for c in cidrs) or (public and not cidrs):
            yield Violation(stack, address, "cluster API is reachable from 0.0.0.0/0: use a private endpoint or "
                                            "master authorized networks with your ranges")
    for address, body in resources(doc, "azurerm_kubernetes_cluster"):
        profile = as_list(body.get("api_server_access_profile"))
        ranges = [r for p in profile for r in as_list(p.get("authorized_ip_ranges"))]
        if any(r in WORLD for r in ranges) or (body.get("private_cluster_enabled") is not True and not ranges):
            yield Violation(stack, address, "cluster API is reachable from 0.0.0.0/0: enable the private cluster or "
                                            "list authorized IP ranges")


RULE = Rule("api-not-public", "cluster API never open to 0.0.0.0/0", check)
