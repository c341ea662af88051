"""The review guard (platform_tools/review.py) applies every entry of its force-new table
(platform_tools/replacements.py) to a diff, for every cloud, and reads its flags strictly.

- every force-new attribute of every resource type, of aws, google, azurerm and the in-cluster
  providers: changing it, adding it and removing it (a whole block too) in a minimal stack document
  of that provider flags the resource as replaced, naming the attribute; changing an attribute the
  entry does not name is an update in place;
- attributes whose removal only forces replacement (EKS ``encryption_config``): removed is a
  replacement, added or changed inside is not;
- the AKS cluster: a private-cluster change replaces it (exit status 4, the cluster holding the
  workloads' state, then 3 with ``ALLOW_DESTROY=1``), a default-pool change does not;
- every type that inherits the provider's default tags / labels (aws ``default_tags``, google
  ``default_labels``): a new default shows as an in-place change of it, unless it sets the key itself;
- ``ALLOW_REPLACE`` / ``ALLOW_DESTROY`` through ``review.main``: 1, true, yes (any case) allow;
  0, false, no, nothing refuse.

The destroy table (platform_tools/destroys.py) is exercised entry by entry in
tests/test_review_destroys.py.
"""

from __future__ import annotations

import copy

import pytest

from platform_tools import review
from platform_tools.destroys import DEFAULT_TAGGED, DEFAULTS_BLOCK, HOLDS_DATA
from platform_tools.replacements import FORCE_NEW
from platform_tools.review import EXIT_DESTROY, EXIT_REPLACE, diff_trees
from tests.test_review import _meta, _write_tree

#: One provider block per provider of the table, as cdktf writes it.
PROVIDER = {"aws": {"aws": [{"region": "eu-west-1"}]}, "google": {"google": [{"project": "p", "region": "europe-west1"}]},
            "azurerm": {"azurerm": [{"features": [{}], "subscription_id": "00000000-0000-0000-0000-000000000000"}]},
            "kubernetes": {"kubernetes": [{}]}, "helm": {"helm": [{}]}}
LOGICAL = "thing_1234"


def stack(rtype: str, body: dict) -> dict:
    """A one-resource stack of ``rtype``'s provider."""
    return {"provider": PROVIDER[rtype.split("_", 1)[0]],
            "resource": {rtype: {LOGICAL: {**_meta(f"s/{LOGICAL}"), **body}}}}


def nested(path: str, value) -> dict:
    """``{"a": {"b": value}}`` for ``a.b`` (nested blocks are objects in cdktf's JSON)."""
    head, _, rest = path.partition(".")
    return {head: nested(rest, value) if rest else value}


def body_with(rtype: str, path: str | None, value) -> dict:
    """A resource body with a stable ``keep`` attribute, and ``path`` set to ``value`` when given."""
    body = {"keep": "same"}
    if path is not None:
        body.update(nested(path, value))
    return body


def replaced(rtype: str, before: dict, after: dict) -> list[str]:
    """The forced attribute paths of the one resource, when the review says it is replaced; else []."""
    result = diff_trees({"s": stack(rtype, before)}, {"s": stack(rtype, after)})
    changes = [c for s in result.stacks for c in s.changed]
    assert len(changes) == 1, changes
    (change,) = changes
    assert change.address == f"{rtype}.{LOGICAL}"
    return [c.path for c in change.changes if c.forces_replacement] if change.replaced else []


ENTRIES = [(rtype, attr) for rtype, entry in sorted(FORCE_NEW.items()) for attr in entry.attributes]


def test_the_entries_span_every_provider_of_the_table():
    providers = {rtype.split("_", 1)[0] for rtype, _ in ENTRIES}
    assert providers == {"aws", "google", "azurerm", "kubernetes", "helm"}
    assert ("azurerm_kubernetes_cluster", "private_cluster_enabled") in ENTRIES


@pytest.mark.parametrize("rtype, attr", ENTRIES, ids=[f"{t}.{a}" for t, a in ENTRIES])
def test_changing_adding_or_removing_a_force_new_attribute_replaces(rtype, attr):
    one, other = body_with(rtype, attr, "old"), body_with(rtype, attr, "new")
    missing = body_with(rtype, None, None)
    assert replaced(rtype, one, other) == [attr], "changed"
    assert replaced(rtype, missing, other) == [attr.split(".")[0]], "added"
    assert replaced(rtype, one, missing) == [attr.split(".")[0]], "removed"


@pytest.mark.parametrize("rtype", sorted(FORCE_NEW))
def test_changing_an_attribute_the_entry_does_not_name_is_in_place(rtype):
    assert replaced(rtype, {"keep": "same", "probe_setting": "a"}, {"keep": "same", "probe_setting": "b"}) == []


ON_REMOVAL = [(rtype, attr) for rtype, entry in sorted(FORCE_NEW.items()) for attr in entry.on_removal]


def test_eks_encryption_config_is_a_removal_only_entry():
    assert ("aws_eks_cluster", "encryption_config") in ON_REMOVAL


@pytest.mark.parametrize("rtype, attr", ON_REMOVAL, ids=[f"{t}.{a}" for t, a in ON_REMOVAL])
def test_removing_a_removal_only_block_replaces_and_adding_it_does_not(rtype, attr):
    block = {"provider": {"key_arn": "${aws_kms_key.k.arn}"}, "resources": ["secrets"]}
    with_block = {"keep": "same", **nested(attr, block)}
    without = {"keep": "same"}
    assert replaced(rtype, with_block, without) == [attr]
    assert replaced(rtype, without, with_block) == []
    rotated = copy.deepcopy(with_block)
    rotated[attr]["provider"]["key_arn"] = "${aws_kms_key.other.arn}"
    assert replaced(rtype, with_block, rotated) == []


def eks_cluster(**body) -> dict:
    return {"name": "c", "role_arn": "${aws_iam_role.r.arn}", "version": "1.33",
            "encryption_config": {"provider": {"key_arn": "${aws_kms_key.k.arn}"}, "resources": ["secrets"]}, **body}


@pytest.fixture
def guard(tmp_path, monkeypatch):
    """``run(base, head, environ)``: ``review.main`` on two hand-made trees, its exit status."""
    count = iter(range(1000))

    def run(base: dict, head: dict, environ: dict) -> int:
        n = next(count)
        b = _write_tree(tmp_path / f"b{n}", base)
        h = _write_tree(tmp_path / f"h{n}", head)
        monkeypatch.setattr(review, "synth_both", lambda *a, **k: (b, h))
        monkeypatch.setattr(review, "environment_names", lambda *a, **k: None)
        return review.main(["--base", "main"], environ=environ)
    return run


def test_removing_eks_encryption_config_trips_the_guard(guard, capsys):
    before = {"c": stack("aws_eks_cluster", eks_cluster())}
    body = eks_cluster()
    del body["encryption_config"]
    after = {"c": stack("aws_eks_cluster", body)}
    assert guard(before, after, {"ALLOW_DESTROY": "1"}) == EXIT_REPLACE
    assert "forces replacement: `encryption_config`" in capsys.readouterr().out
    assert guard(after, before, {}) == 0  # adding envelope encryption is an update in place


# --------------------------------------------------------------------------- AKS: the private cluster


def aks(**changes) -> dict:
    body = {"name": "officeless-prod", "location": "westeurope", "resource_group_name": "rg",
            "dns_prefix_private_cluster": "officeless-prod", "private_cluster_enabled": True,
            "default_node_pool": {"name": "system", "vm_size": "Standard_D4ds_v5", "min_count": 3, "max_count": 5,
                                  "auto_scaling_enabled": True, "zones": ["1", "2", "3"],
                                  "temporary_name_for_rotation": "systemtmp"},
            "network_profile": {"network_plugin": "azure", "network_plugin_mode": "overlay",
                                "pod_cidr": "10.244.0.0/16", "service_cidr": "172.16.0.0/16"}}
    for path, value in changes.items():
        target = body
        *parents, leaf = path.split("__")
        for p in parents:
            target = target[p]
        target[leaf] = value
    return {"c": stack("azurerm_kubernetes_cluster", body)}


def test_aks_private_cluster_change_replaces_the_cluster(guard, capsys):
    assert "azurerm_kubernetes_cluster" in HOLDS_DATA
    public = aks(private_cluster_enabled=False)
    assert guard(aks(), public, {}) == EXIT_DESTROY
    out = capsys.readouterr().out
    assert "forces replacement: `private_cluster_enabled`" in out
    assert guard(aks(), public, {"ALLOW_DESTROY": "1"}) == EXIT_REPLACE
    assert guard(aks(), public, {"ALLOW_DESTROY": "1", "ALLOW_REPLACE": "1"}) == 0


@pytest.mark.parametrize("change, forced", [
    ({"network_profile__pod_cidr": "10.248.0.0/16"}, ["network_profile.pod_cidr"]),
    ({"network_profile__network_plugin": "kubenet"}, ["network_profile.network_plugin"]),
    ({"dns_prefix_private_cluster": "other"}, ["dns_prefix_private_cluster"]),
    ({"default_node_pool__vm_size": "Standard_D8ds_v5"}, []),
    ({"default_node_pool__max_count": 9}, []),
    ({"network_profile__network_plugin_mode": None}, []),
])
def test_aks_cluster_changes(change, forced):
    assert replaced("azurerm_kubernetes_cluster", aks()["c"]["resource"]["azurerm_kubernetes_cluster"][LOGICAL],
                    aks(**change)["c"]["resource"]["azurerm_kubernetes_cluster"][LOGICAL]) == forced


# --------------------------------------------------------------------------- the flags, through main


SUBNET = {"cidr_block": "10.0.0.0/19", "vpc_id": "${aws_vpc.v.id}", "availability_zone": "eu-west-1a"}
OFF = ["0", "false", "FALSE", "no", "No", "", " 0 "]
ON = ["1", "true", "True", "yes", "YES", " yes "]


@pytest.mark.parametrize("value, status", [(v, EXIT_REPLACE) for v in OFF] + [(v, 0) for v in ON])
def test_allow_replace_spellings(value, status, guard):
    base = {"n": stack("aws_subnet", SUBNET)}
    head = {"n": stack("aws_subnet", {**SUBNET, "cidr_block": "10.0.64.0/19"})}
    assert guard(base, head, {"ALLOW_REPLACE": value}) == status


@pytest.mark.parametrize("value, status", [(v, EXIT_DESTROY) for v in OFF] + [(v, 0) for v in ON])
def test_allow_destroy_spellings(value, status, guard):
    base = {"d": stack("aws_s3_bucket", {"bucket": "b"})}
    head = {"d": {"provider": PROVIDER["aws"], "resource": {}}}
    assert guard(base, head, {"ALLOW_DESTROY": value}) == status


# --------------------------------------------------------------------------- default tags and labels


TAGGED = [(provider, rtype) for provider, types in sorted(DEFAULT_TAGGED.items()) for rtype in sorted(types)]


def test_default_tagged_types_of_both_providers():
    assert {p for p, _ in TAGGED} == {"aws", "google"}


@pytest.mark.parametrize("provider, rtype", TAGGED, ids=[t for _, t in TAGGED])
def test_a_new_default_tag_changes_each_inheriting_resource_in_place(provider, rtype):
    block, attribute = DEFAULTS_BLOCK[provider]

    def doc(defaults: dict, own: dict) -> dict:
        config = {**PROVIDER[provider][provider][0],
                  block: [{"tags": defaults}] if provider == "aws" else defaults}
        own_key = "tags" if provider == "aws" else "labels"
        return {"provider": {provider: [config]},
                "resource": {rtype: {LOGICAL: {**_meta(f"s/{LOGICAL}"), "keep": "same", own_key: own}}}}

    result = diff_trees({"s": doc({"team": "a"}, {})}, {"s": doc({"team": "a", "owner": "sre"}, {})})
    (tags,) = result.default_tags
    assert (tags.attribute, tags.keys, tags.addresses) == (attribute, ("owner",), (f"{rtype}.{LOGICAL}",))
    assert not result.replacements
    own = diff_trees({"s": doc({"team": "a"}, {"owner": "x"})}, {"s": doc({"team": "a", "owner": "sre"}, {"owner": "x"})})
    assert own.default_tags[0].addresses == ()
