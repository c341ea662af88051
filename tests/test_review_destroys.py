"""The review's destroy guard, capacity warning, rename hints and default-tag summaries
(platform_tools/review.py with the curated table platform_tools/destroys.py).

Fast tests diff hand-made cdk.tf.json documents; the slow ones synthesize environments/aws-local.yaml
and single changes of it (bucket rename, pool rename, NAT per_zone -> single, a tag added) and run the
command on them (synth stubbed), each asserting its exit status.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from platform_tools import review
from platform_tools.destroys import CAPACITY, CANNOT_RENAME, DEFAULT_TAGGED, HOLDS_DATA, data_reason
from platform_tools.replacements import FORCE_NEW
from platform_tools.review import (
    EXIT_DESTROY, EXIT_ERROR, EXIT_REPLACE, ReviewError, diff_trees, env_names, parse_flag, render,
)
from tests.test_review import _meta, _write_tree, cluster_stack, network_stack
from tests.test_review_replacements import aws_schema  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parent.parent
PROVIDER = {"aws": {"aws": [{"region": "eu-west-1"}]}, "google": {"google": [{"project": "p"}]},
            "azurerm": {"azurerm": [{"features": [{}]}]}, "kubernetes": {"kubernetes": [{}]}}


def one(rtype: str, body: dict | None = None, logical: str = "thing_1234") -> dict:
    cloud = rtype.split("_", 1)[0]
    return {"provider": PROVIDER[cloud], "resource": {rtype: {logical: {**_meta(f"s/{logical}"), "name": "x",
                                                                            **(body or {})}}}}


def empty(rtype: str) -> dict:
    return {"provider": PROVIDER[rtype.split("_", 1)[0]], "resource": {}}


@pytest.fixture
def stub(tmp_path, monkeypatch):
    def install(base: dict, head: dict, names=None):
        b = _write_tree(tmp_path / "b", base)
        h = _write_tree(tmp_path / "h", head)
        monkeypatch.setattr(review, "synth_both", lambda *a, **k: (b, h))
        monkeypatch.setattr(review, "environment_names", lambda *a, **k: names)
    return install


# --------------------------------------------------------------------------- the table, entry by entry


def test_the_table_covers_the_three_clouds_and_in_cluster_storage():
    clouds = {rtype.split("_", 1)[0] for rtype in HOLDS_DATA}
    assert clouds == {"aws", "google", "azurerm", "kubernetes"}
    for rtype, reason in HOLDS_DATA.items():
        assert reason and "\n" not in reason, rtype
    for kind in ("bucket", "file_system", "container_registry", "key", "zone", "redis", "log"):
        assert any(kind in rtype for rtype in HOLDS_DATA), kind
    assert not set(HOLDS_DATA) & set(CAPACITY)


@pytest.mark.parametrize("rtype", sorted(HOLDS_DATA))
def test_destroying_an_entry_fails_the_review(rtype, stub, capsys):
    stub({"s": one(rtype)}, {"s": empty(rtype)})
    assert review.main(["--base", "main"], environ={}) == EXIT_DESTROY
    captured = capsys.readouterr()
    assert f"`{rtype}.thing_1234`" in captured.out and HOLDS_DATA[rtype] in captured.out
    assert f"exit {EXIT_DESTROY}" in captured.err and captured.err.count("\n") == 1
    assert review.main(["--base", "main"], environ={"ALLOW_DESTROY": "yes"}) == 0


@pytest.mark.parametrize("rtype", sorted(HOLDS_DATA))
def test_replacing_an_entry_fails_the_review_even_with_replacements_allowed(rtype):
    # a logical id changed without a moved block: Terraform destroys the old object
    result = diff_trees({"s": one(rtype)}, {"s": one(rtype, logical="thing_5678")})
    assert [(x.address, x.how) for x in result.losses] == [(f"{rtype}.thing_5678", "replaced")]
    assert result.replacements


@pytest.mark.parametrize("rtype", sorted(CAPACITY))
def test_node_pools_destroyed_are_capacity_removed_not_a_failure(rtype, stub, capsys):
    stub({"s": one(rtype)}, {"s": empty(rtype)})
    assert review.main(["--base", "main"], environ={}) == 0
    out = capsys.readouterr().out
    assert "**Capacity removed: 1 node group(s)" in out and f"`{rtype}.thing_1234`" in out
    assert "[!CAUTION]" not in out


def test_what_only_the_body_shows():
    assert data_reason("helm_release", {"values": ["ingester:\n  persistence:\n    enabled: true\n    size: 10Gi\n"]})
    assert data_reason("helm_release", {"values": ["persistence:\n  enabled: false\nreplicas: 2\n"]}) is None
    assert data_reason("helm_release", {"values": ["replicas: 2\n"]}) is None
    assert data_reason("kubernetes_manifest", {"manifest": {"kind": "PersistentVolumeClaim"}})
    assert data_reason("kubernetes_manifest", {"manifest": {"kind": "Namespace"}})
    assert data_reason("kubernetes_manifest", {"manifest": {"kind": "StatefulSet",
                                                            "spec": {"volumeClaimTemplates": [{}]}}})
    assert data_reason("kubernetes_manifest", {"manifest": {"kind": "ConfigMap"}}) is None
    assert "Terraform state" in data_reason("aws_s3_bucket", {"bucket": "st"}, frozenset({"st"}))


def test_a_bucket_holding_state_says_so():
    head = {"provider": PROVIDER["aws"], "resource": {},
            "terraform": {"backend": {"s3": {"bucket": "tfstate-bucket", "key": "n.tfstate"}}}}
    base = {**head, "resource": {"aws_s3_bucket": {"st_1": {"bucket": "tfstate-bucket"}}}}
    (loss,) = diff_trees({"n": base}, {"n": head}).losses
    assert "Terraform state" in loss.reason


def test_a_moved_state_location_is_guarded_and_other_backend_settings_are_not():
    base = network_stack()
    moved = json.loads(json.dumps(base).replace("n.tfstate", "m.tfstate"))
    (loss,) = diff_trees({"n": base}, {"n": moved}).losses
    assert (loss.address, loss.how) == ("terraform.backend", "state moves") and "-migrate-state" in loss.reason
    for backend in ({"s3": {"bucket": "b", "key": "k", "region": "r"}}, {"gcs": {"bucket": "b", "prefix": "p"}}):
        before = {**base, "terraform": {"backend": backend}}
        after = json.loads(json.dumps(before))
        next(iter(after["terraform"]["backend"].values()))["encrypt"] = True
        assert not diff_trees({"n": before}, {"n": after}).losses


def test_a_removed_stack_with_data_is_guarded():
    result = diff_trees({"n": network_stack()}, {})
    assert [(x.address, x.how) for x in result.losses] == [("aws_s3_bucket.logs_DDDD", "stack removed")]


# --------------------------------------------------------------------------- flags


@pytest.mark.parametrize("value, allowed", [("1", True), ("true", True), ("TRUE", True), ("Yes", True), (" yes ", True),
                                            ("0", False), ("false", False), ("No", False), ("", False), (None, False)])
def test_accepted_flag_spellings(value, allowed):
    assert parse_flag("ALLOW_DESTROY", value) is allowed


@pytest.mark.parametrize("name", ["ALLOW_DESTROY", "ALLOW_REPLACE"])
@pytest.mark.parametrize("value", ["2", "y", "on", "maybe", "yes please"])
def test_any_other_flag_value_is_a_one_line_usage_error(name, value, stub, capsys):
    with pytest.raises(ReviewError):
        parse_flag(name, value)
    stub({"n": network_stack()}, {"n": network_stack()})
    assert review.main(["--base", "main"], environ={name: value}) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{name}=" in err and "1, true or yes" in err


def test_allow_replace_does_not_allow_destroying_data(stub):
    base = one("aws_s3_bucket", {"bucket": "a"})
    stub({"s": base}, {"s": one("aws_s3_bucket", {"bucket": "a"}, logical="thing_9")})
    assert review.main(["--base", "main"], environ={"ALLOW_REPLACE": "1"}) == EXIT_DESTROY
    assert review.main(["--base", "main"], environ={"ALLOW_DESTROY": "1"}) == EXIT_REPLACE
    assert review.main(["--base", "main"], environ={"ALLOW_DESTROY": "1", "ALLOW_REPLACE": "true"}) == 0


# --------------------------------------------------------------------------- Markdown order and hints


def test_markdown_order_replacements_then_data_then_capacity_then_the_rest():
    base = {"n": network_stack(), "c": cluster_stack()}
    head_n = network_stack(subnet_cidr="10.0.64.0/19")
    del head_n["resource"]["aws_s3_bucket"]
    head = {"n": head_n, "c": {**cluster_stack(), "resource": {"aws_security_group": cluster_stack()["resource"]["aws_security_group"]}}}
    text = render(diff_trees(base, head), base_label="main")
    marks = [text.index(s) for s in ("will be destroyed and re-created", "holding data or identity",
                                     "**Capacity removed", "stack(s) changed", "\n### ")]
    assert marks == sorted(marks), text


def test_a_rename_that_only_changes_a_tag_gets_a_moved_block():
    # (a name differing too: same identity attributes would pair them as one resource under a new logical id)
    base = one("aws_kms_key", {"name": "env-app", "tags": {"Name": "env-app"}}, logical="key-app_1")
    head = one("aws_kms_key", {"name": "env-apps", "tags": {"Name": "env-apps"}}, logical="key-apps_2")
    result = diff_trees({"s": base}, {"s": head}, names=(frozenset({"app"}), frozenset({"apps"})))
    (hint,) = result.renames
    assert (hint.before, hint.after, hint.keeps) == ("app", "apps", True)
    text = render(result, base_label="main")
    assert "moved { from = aws_kms_key.key-app_1, to = aws_kms_key.key-apps_2 }" in text
    assert "terraform state mv 'aws_kms_key.key-app_1' 'aws_kms_key.key-apps_2'" in text


def test_no_rename_hint_for_names_from_nowhere_or_two_changes():
    base = one("aws_kms_key", {"name": "env-app", "description": "k"}, logical="key-app_1")
    head = one("aws_kms_key", {"name": "env-apps", "description": "k"}, logical="key-apps_2")
    assert not diff_trees({"s": base}, {"s": head}, names=(frozenset(), frozenset())).renames
    two = one("aws_kms_key", {"name": "env-apps", "description": "other"}, logical="key-apps_2")
    assert not diff_trees({"s": base}, {"s": two}).renames


@pytest.mark.parametrize("rtype", sorted(CANNOT_RENAME))
def test_buckets_and_storage_accounts_cannot_be_renamed(rtype):
    result = diff_trees({"s": one(rtype, {"name": "env-app"}, "b-app_1")}, {"s": one(rtype, {"name": "env-apps"}, "b-apps_2")})
    (hint,) = result.renames
    assert not hint.keeps and hint.why == CANNOT_RENAME[rtype] and "copy" in hint.why


def test_default_tags_are_counted_on_the_resources_that_inherit_them():
    base = network_stack()
    base["provider"]["aws"][0]["default_tags"] = [{"tags": {"team": "a"}}]
    head = json.loads(json.dumps(base))
    head["provider"]["aws"][0]["default_tags"][0]["tags"]["owner"] = "sre"
    result = diff_trees({"n": base}, {"n": head})
    (tags,) = result.default_tags
    # vpc, subnet, route table, bucket take tags_all; versioning has none
    assert (tags.attribute, tags.keys, len(tags.addresses)) == ("tags_all", ("owner",), 4)
    assert "`tags_all` changes in place on 4 resources of `n`" in render(result, base_label="main")
    assert result.verdicts()[("n", "aws_vpc.vpc_AAAA")] == "update"


@pytest.mark.slow
@pytest.mark.validate
def test_aws_default_tagged_types_are_those_with_tags_all(aws_schema):  # noqa: F811
    with_tags_all = {t for t in FORCE_NEW if t.startswith("aws_") and "tags_all" in aws_schema[t]["block"]["attributes"]}
    assert DEFAULT_TAGGED["aws"] == with_tags_all


# --------------------------------------------------------------------------- real synths of aws-local changes

ENV_FILE = ROOT / "environments" / "aws-local.yaml"
CHANGES = {
    "bucket rename": ("addons:\n  file_system:", "data:\n  buckets: [app, backups]\naddons:\n  file_system:"),
    "pool rename": ("    - name: spot\n", "    - name: batch\n"),
    "nat single": ("  nat: per_zone\n", "  nat: single\n"),
    "tag added": ("  purpose: local-emulator\n", "  purpose: local-emulator\n  owner: sre\n"),
}


@pytest.fixture(scope="module")
def synths(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """aws-local and each change of :data:`CHANGES`, synthesized in this process: label -> (outdir, file text)."""
    from platform_tools.local import load_local_spec, synthesize

    out = {}
    source = ENV_FILE.read_text()
    for label, (old, new) in {"base": ("", ""), **CHANGES}.items():
        folder = tmp_path_factory.mktemp(label.replace(" ", "-"))
        assert old in source
        text = source.replace(old, new, 1) if old else source
        (folder / "aws-local.yaml").write_text(text)
        synthesize(load_local_spec(folder / "aws-local.yaml"), folder / "out")
        out[label] = (folder / "out", text)
    return out


def run_change(label, synths, monkeypatch, capsys, environ=None):
    (base, base_text), (head, text) = synths["base"], synths[label]
    monkeypatch.setattr(review, "synth_both", lambda *a, **k: (base, head))
    monkeypatch.setattr(review, "environment_names", lambda *a, **k: (env_names([base_text]), env_names([text])))
    status = review.main(["--base", "main"], environ=environ or {})
    return status, capsys.readouterr()


@pytest.mark.slow
def test_bucket_rename_fails_with_a_rename_hint(synths, monkeypatch, capsys):
    status, out = run_change("bucket rename", synths, monkeypatch, capsys)
    assert status == EXIT_DESTROY, out.out
    assert "aws_s3_bucket.data_bucket-backup_bucket_" in out.out and "destroyed: its objects" in out.out
    assert "**Looks like a rename** in `aws-local-data`: `backup` → `backups`" in out.out
    assert "S3 buckets cannot be renamed: copy the objects" in out.out
    assert run_change("bucket rename", synths, monkeypatch, capsys, {"ALLOW_DESTROY": "1"})[0] == 0


@pytest.mark.slow
def test_pool_rename_is_capacity_removed_with_a_rename_hint(synths, monkeypatch, capsys):
    status, out = run_change("pool rename", synths, monkeypatch, capsys)
    assert status == 0, out.out
    assert "**Capacity removed: 1 node group(s)" in out.out and "cluster_pool-spot_node-group_" in out.out
    assert "`spot` → `batch`" in out.out and "`node_group_name` forces a new resource" in out.out


@pytest.mark.slow
def test_nat_per_zone_to_single_fails_on_the_released_addresses(synths, monkeypatch, capsys):
    status, out = run_change("nat single", synths, monkeypatch, capsys)
    assert status == EXIT_DESTROY, out.out
    caution = out.out[out.out.index("[!CAUTION]"):out.out.index("stack(s) changed")]
    assert caution.count("aws_eip.network_nat-eip-") == 2 and "static public address" in caution
    assert out.out.count("- `aws_nat_gateway.network_nat-us-east-1") == 2  # listed under Destroyed


@pytest.mark.slow
def test_tag_added_shows_tags_all_in_place_per_stack(synths, monkeypatch, capsys):
    status, out = run_change("tag added", synths, monkeypatch, capsys)
    assert status == 0, out.out
    assert "[!WARNING]" not in out.out and "[!CAUTION]" not in out.out
    network = json.loads((synths["base"][0] / "stacks" / "aws-local-network" / "cdk.tf.json").read_text())
    taggable = sum(len(v) for t, v in network["resource"].items() if t in DEFAULT_TAGGED["aws"])
    assert f"- `tags_all` changes in place on {taggable} resources of `aws-local-network`" in out.out
