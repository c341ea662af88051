"""The local AWS emulator (moto server) with the few corrections the platform's stacks need.

    python -m platform_tools.emulator_compat -H 127.0.0.1 -p PORT

Started instead of the bare ``moto_server`` by :class:`platform_tools.local.Emulator` (so by
``python -m platform_tools.local up`` and every e2e test): it imports moto, applies :data:`PATCHES`,
then runs moto's own server main with the same arguments. Each patch makes moto answer as the AWS
API reference documents, where moto deviates in a way that Terraform's re-plan or destroy would
show; the synthesized JSON is never changed for the emulator. The patches are written against
the moto version pinned in requirements/test.txt (:data:`PIN_FILE`): with any other version
installed the shim refuses to start with one line (exit 2), since a moto upgrade may have fixed,
moved or changed the code patched here. tests/test_e2e_private_dns.py checks that moto still
needs each patch, and says to remove the one it no longer needs.

Patches (moto 5.2.5):

1. Route 53 ``CreateHostedZone``: a zone created with a ``VPC`` is private.
   AWS API reference, CreateHostedZone, request element ``VPC``: "(Private hosted zones only) A
   complex type that contains information about the Amazon VPC that you're associating with this
   hosted zone. You can specify only one Amazon VPC when you create a private hosted zone."
   ``HostedZoneConfig`` (with its ``PrivateZone`` flag) is optional ("If you don't specify a comment
   or the PrivateZone element, omit HostedZoneConfig"), and the hashicorp/aws provider
   (``aws_route53_zone`` with a ``vpc`` block) sends ``VPC`` without it. moto
   (moto/route53/responses.py ``Route53.create_hosted_zone``) reads only
   ``HostedZoneConfig.PrivateZone``, so it stores a *public* zone and drops the VPC: the re-plan
   then adds the ``vpc`` back. Corrected: ``VPC.VPCId`` given and no ``PrivateZone`` flag means
   ``PrivateZone=true``; everything else is moto's own code.
2. Route 53 Resolver ``ListTagsForResource`` / ``TagResource`` / ``UntagResource`` on a query
   logging configuration. AWS API reference, CreateResolverQueryLogConfig, ``Tags``: "A list of the
   tag keys and values that you want to associate with the query logging configuration" (the
   provider reads them back with ListTagsForResource on the configuration's ARN). moto stores those
   tags (moto/route53resolver/models.py ``create_resolver_query_log_config``) but its ARN check
   ``Route53ResolverBackend._matched_arn`` knows only endpoints and rules, so it answers
   ResourceNotFoundException for the configuration it just created. Corrected: the ARN of an
   existing query logging configuration is found too.
3. Route 53 Resolver ``DisassociateResolverQueryLogConfig`` and ``DeleteResolverQueryLogConfig``:
   AWS API reference documents both ("Disassociates a VPC from a query logging configuration";
   "Deletes a query logging configuration ... Before you can delete a query logging configuration,
   you must first disassociate all VPCs from the configuration"); moto 5.2.5
   (moto/route53resolver/responses.py ``Route53ResolverResponse``) has no handler for either, so
   ``terraform destroy`` fails with "not implemented". Added: both operations on moto's own model
   (the association is removed, the configuration's ``AssociationCount`` drops; deleting a
   configuration that still has associations is refused with InvalidRequestException; unknown ids
   answer ResourceNotFoundException), each returning the object as AWS does (``Status: DELETING``).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Where the moto version the patches are written against is pinned (what ``make`` installs).
PIN_FILE = ROOT / "requirements" / "test.txt"


def pinned_moto() -> str:
    """The ``moto==X`` version of :data:`PIN_FILE`."""
    found = re.search(r"^moto(?:\[[^\]]*\])?==(\S+)", PIN_FILE.read_text(encoding="utf-8"), re.MULTILINE)
    if not found:
        raise RuntimeError(f"{PIN_FILE.relative_to(ROOT)}: no moto==<version> line")
    return found.group(1)


def version_problem() -> str | None:
    """Why the installed moto is not the one the patches are written against, else None."""
    installed, pinned = version("moto"), pinned_moto()
    if installed != pinned:
        return (f"emulator_compat: moto {installed} is installed but its patches are written against moto {pinned} "
                f"(requirements/test.txt): install moto=={pinned}, or re-check each patch against {installed} "
                f"and update the pin")
    return None


def patch_private_zone_from_vpc() -> None:
    """Patch 1: CreateHostedZone with a ``VPC`` and no ``PrivateZone`` flag creates a private zone."""
    from moto.route53.responses import Route53

    original = Route53.create_hosted_zone

    def create_hosted_zone(self):
        if self._get_param("VPC.VPCId") and self._get_param("HostedZoneConfig.PrivateZone") is None:
            self.params.setdefault("HostedZoneConfig", {})["PrivateZone"] = True
        return original(self)

    Route53.create_hosted_zone = create_hosted_zone


def patch_query_log_config_tags() -> None:
    """Patch 2: a query logging configuration's ARN is a taggable Resolver resource."""
    from moto.route53resolver.models import Route53ResolverBackend

    original = Route53ResolverBackend._matched_arn

    def _matched_arn(self, resource_arn: str) -> None:
        if any(config.arn == resource_arn for config in self.resolver_query_log_configs.values()):
            return
        original(self, resource_arn)

    Route53ResolverBackend._matched_arn = _matched_arn


def patch_query_log_config_delete() -> None:
    """Patch 3: DisassociateResolverQueryLogConfig and DeleteResolverQueryLogConfig."""
    from moto.route53resolver.exceptions import InvalidRequestException, ResourceNotFoundException
    from moto.route53resolver.responses import Route53ResolverResponse

    def config_of(backend, config_id: str):
        if config_id not in backend.resolver_query_log_configs:
            raise ResourceNotFoundException(f"Resolver query log config with ID '{config_id}' does not exist")
        return backend.resolver_query_log_configs[config_id]

    def disassociate_resolver_query_log_config(self) -> str:
        backend = self.route53resolver_backend
        config_id, vpc_id = self._get_param("ResolverQueryLogConfigId"), self._get_param("ResourceId")
        config = config_of(backend, config_id)
        found = [a for a in backend.resolver_query_log_config_associations.values()
                 if a.resolver_query_log_config_id == config_id and a.resource_id == vpc_id]
        if not found:
            raise ResourceNotFoundException(
                f"Resolver query log config '{config_id}' is not associated with VPC '{vpc_id}'")
        del backend.resolver_query_log_config_associations[found[0].id]
        config.association_count -= 1
        found[0].status = "DELETING"
        return json.dumps({"ResolverQueryLogConfigAssociation": found[0].description()})

    def delete_resolver_query_log_config(self) -> str:
        backend = self.route53resolver_backend
        config_id = self._get_param("ResolverQueryLogConfigId")
        config = config_of(backend, config_id)
        if config.association_count > 0:
            raise InvalidRequestException(
                f"Resolver query log config '{config_id}' is still associated with {config.association_count} "
                f"VPC(s): disassociate them first")
        del backend.resolver_query_log_configs[config_id]
        backend.tagger.delete_all_tags_for_resource(config.arn)
        config.status = "DELETING"
        return json.dumps({"ResolverQueryLogConfig": config.description()})

    Route53ResolverResponse.disassociate_resolver_query_log_config = disassociate_resolver_query_log_config
    Route53ResolverResponse.delete_resolver_query_log_config = delete_resolver_query_log_config


#: Every correction, in the order applied (the module docstring cites the AWS reference and moto's code).
PATCHES: tuple[Callable[[], None], ...] = (
    patch_private_zone_from_vpc,
    patch_query_log_config_tags,
    patch_query_log_config_delete,
)


def apply_patches() -> None:
    for patch in PATCHES:
        patch()


def main(argv: list[str] | None = None) -> int:
    problem = version_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    apply_patches()
    from moto.server import main as moto_main

    moto_main(list(sys.argv[1:] if argv is None else argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
