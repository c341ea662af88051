"""Every taggable AWS resource carries the environment's tags (through provider default tags)."""

from platform_constructs.invariants import Rule, Violation, as_list


def check(stack, doc, spec):
    if not doc.get("resource") or spec.cloud != "aws":
        return
    required = {**spec.tags, "environment": spec.name}
    providers = as_list(doc.get("provider", {}).get("aws"))
    if not providers:
        yield Violation(stack, "provider.aws", "stack has AWS resources but no AWS provider with default tags")
    for i, provider in enumerate(providers):
        tags = {}
        for block in as_list(provider.get("default_tags")):
            tags.update(block.get("tags") or {})
        missing = {k: v for k, v in required.items() if tags.get(k) != v}
        if missing:
            yield Violation(stack, f"provider.aws[{i}]", f"default tags lack {missing}: every taggable resource must carry "
                                                         "the environment's tags")


RULE = Rule("tagged", "AWS provider default tags carry the environment's tags", check)
