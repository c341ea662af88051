"""Every node pool keeps at least 3 nodes, at least one per zone, and spans every zone of the environment."""

from platform_constructs.invariants import Rule, Violation, as_list, resources

MIN_NODES = 3


def _minimum_problem(low: int, zones: int) -> str | None:
    """Why a pool whose minimum is ``low`` nodes (in all zones together) breaks the rule, else None:
    below :data:`MIN_NODES`, or fewer nodes than zones (a zone would be left without one)."""
    if low < MIN_NODES:
        return f"node pool minimum {low} is below {MIN_NODES}: set min_size >= {MIN_NODES}"
    if low < zones:
        return f"node pool minimum {low} cannot cover {zones} zones: set min_size >= {zones}"
    return None


def check(stack, doc, spec):
    # ``cloud: kubernetes`` environments have no zones (and no node pools of the platform's).
    zones = len(getattr(spec, "zones", ()))
    for address, body in resources(doc, "aws_eks_node_group"):
        scaling = as_list(body.get("scaling_config"))[0]
        problem = _minimum_problem(int(scaling.get("min_size", 0)), zones)
        if problem:
            yield Violation(stack, address, problem)
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
            problem = _minimum_problem(int(total), zones) if total is not None else None
            if problem:
                yield Violation(stack, address, problem)
        if locations and len(locations) < zones:
            yield Violation(stack, address, f"node pool covers {len(locations)} of {zones} zones: list every zone")
    aks_pools = [(a, b) for a, b in resources(doc, "azurerm_kubernetes_cluster_node_pool")]
    aks_pools += [(f"{a}.default_node_pool", as_list(b.get("default_node_pool"))[0])
                  for a, b in resources(doc, "azurerm_kubernetes_cluster") if b.get("default_node_pool")]
    for address, body in aks_pools:
        low = body.get("min_count") if body.get("auto_scaling_enabled") else body.get("node_count")
        problem = _minimum_problem(int(low), min(zones, 3)) if low is not None else None
        if problem:
            yield Violation(stack, address, problem)
        if len(as_list(body.get("zones"))) < min(zones, 3):
            yield Violation(stack, address, f"node pool covers {len(as_list(body.get('zones')))} zones of {zones}: list every zone")


RULE = Rule("node-pools-ha", ">= 3 nodes per pool, at least one per zone, across every zone", check)
