"""Every node pool keeps at least 3 nodes and spans every zone of the environment."""

from platform_constructs.invariants import Rule, Violation, as_list, resources

MIN_NODES = 3


def check(stack, doc, spec):
    # ``cloud: kubernetes`` environments have no zones (and no node pools of the platform's).
    zones = len(getattr(spec, "zones", ()))
    for address, body in resources(doc, "aws_eks_node_group"):
        scaling = as_list(body.get("scaling_config"))[0]
        if int(scaling.get("min_size", 0)) < MIN_NODES:
            yield Violation(stack, address, f"node pool minimum {scaling.get('min_size')} is below {MIN_NODES}: set min_size >= {MIN_NODES}")
        if len(as_list(body.get("subnet_ids"))) < zones:
            yield Violation(stack, address, f"node pool spans {len(as_list(body.get('subnet_ids')))} subnets but the "
                                            f"environment lists {zones} zones: give it a private subnet in every zone")
    for address, body in resources(doc, "google_container_node_pool"):
        scaling = as_list(body.get("autoscaling"))
        locations = as_list(body.get("node_locations"))
        if scaling:
            s = scaling[0]
            total = s.get("total_min_node_count")
            if total is None and s.get("min_node_count") is not None:
                total = int(s["min_node_count"]) * max(len(locations), 1)
            if total is not None and int(total) < MIN_NODES:
                yield Violation(stack, address, f"node pool minimum {total} is below {MIN_NODES}: set min_size >= {MIN_NODES}")
        if locations and len(locations) < zones:
            yield Violation(stack, address, f"node pool covers {len(locations)} of {zones} zones: list every zone")
    aks_pools = [(a, b) for a, b in resources(doc, "azurerm_kubernetes_cluster_node_pool")]
    aks_pools += [(f"{a}.default_node_pool", as_list(b.get("default_node_pool"))[0])
                  for a, b in resources(doc, "azurerm_kubernetes_cluster") if b.get("default_node_pool")]
    for address, body in aks_pools:
        low = body.get("min_count") if body.get("auto_scaling_enabled") else body.get("node_count")
        if low is not None and int(low) < MIN_NODES:
            yield Violation(stack, address, f"node pool minimum {low} is below {MIN_NODES}: set min_size >= {MIN_NODES}")
        if len(as_list(body.get("zones"))) < min(zones, 3):
            yield Violation(stack, address, f"node pool covers {len(as_list(body.get('zones')))} zones of {zones}: list every zone")


RULE = Rule("node-pools-ha", ">= 3 nodes per pool, across every zone", check)
