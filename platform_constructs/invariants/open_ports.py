"""Nothing is open to 0.0.0.0/0 except the load balancers' HTTP(S) ports 80 and 443.

Reads the JSON as Terraform does: a ``prefix_list_ids: null`` that cdktf writes next to
``cidr_blocks`` does not hide an open port here (it does from checkov's CKV_AWS_24).
"""

from platform_constructs.invariants import WORLD, Rule, Violation, as_list, resources

ALLOWED = {80, 443}


def _ports_ok(low, high) -> bool:
    try:
        low, high = int(low), int(high)
    except (TypeError, ValueError):
        return False
    return low == high and low in ALLOWED


def _world(values) -> bool:
    return any(v in WORLD for v in as_list(values))


def _message(what):
    return f"{what} is open to 0.0.0.0/0: only ports 80/443 of load balancers may be; narrow the source range"


def check(stack, doc, spec):
    for address, body in resources(doc, "aws_security_group", "aws_default_security_group"):
        for rule in as_list(body.get("ingress")):
            if (_world(rule.get("cidr_blocks")) or _world(rule.get("ipv6_cidr_blocks"))) and not _ports_ok(rule.get("from_port"), rule.get("to_port")):
                yield Violation(stack, address, _message(f"ingress {rule.get('from_port')}-{rule.get('to_port')}"))
    for address, body in resources(doc, "aws_security_group_rule"):
        if body.get("type") == "ingress" and (_world(body.get("cidr_blocks")) or _world(body.get("ipv6_cidr_blocks"))) \
                and not _ports_ok(body.get("from_port"), body.get("to_port")):
            yield Violation(stack, address, _message(f"ingress {body.get('from_port')}-{body.get('to_port')}"))
    for address, body in resources(doc, "aws_vpc_security_group_ingress_rule"):
        if _world(body.get("cidr_ipv4")) or _world(body.get("cidr_ipv6")):
            if not _ports_ok(body.get("from_port"), body.get("to_port")):
                yield Violation(stack, address, _message(f"ingress {body.get('from_port')}-{body.get('to_port')}"))
    for address, body in resources(doc, "google_compute_firewall"):
        if body.get("direction", "INGRESS") == "INGRESS" and _world(body.get("source_ranges")):
            for allow in as_list(body.get("allow")):
                ports = as_list(allow.get("ports"))
                if not ports or any(not _ports_ok(*(str(p).split("-") * 2)[:2]) for p in ports):
                    yield Violation(stack, address, _message(f"firewall allow {allow.get('protocol')} {ports or 'all ports'}"))
    nsg_rules = [(a, b) for a, b in resources(doc, "azurerm_network_security_rule")]
    nsg_rules += [(f"{a}.security_rule[{i}]", r) for a, b in resources(doc, "azurerm_network_security_group")
                  for i, r in enumerate(as_list(b.get("security_rule")))]
    for address, body in nsg_rules:
        if body.get("direction") == "Inbound" and body.get("access") == "Allow":
            sources = as_list(body.get("source_address_prefix")) + as_list(body.get("source_address_prefixes"))
            ports = as_list(body.get("destination_port_range")) + as_list(body.get("destination_port_ranges"))
            if _world(sources) and (not ports or any(not _ports_ok(*(str(p).split("-") * 2)[:2]) for p in ports)):
                yield Violation(stack, address, _message(f"inbound rule ports {ports or 'all'}"))


RULE = Rule("no-open-ports", "nothing open to 0.0.0.0/0 but 80/443", check)
