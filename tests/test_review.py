"""`make review`: the stack/resource diff, the replacement guard and the Markdown (platform_tools/review.py).

Fast tests run the comparison on small hand-made cdk.tf.json documents; the slow ones build a
temporary git repository holding a copy of the project with one environment file, commit it, change
the working tree, and run the real command (base synthesized in a temporary worktree).
"""

from __future__ import annotations

import copy
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from platform_tools import review
from platform_tools.review import (
    EXIT_REPLACE, HIDDEN, MISSING, diff_stack, diff_trees, diff_values, moved_blocks, plan_summaries, render, shorten,
)

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- hand-made stacks


def _meta(path: str) -> dict:
    return {"//": {"metadata": {"path": path, "uniqueId": path.replace("/", "_")}}}


def network_stack(cidr: str = "10.0.0.0/16", subnet_cidr: str = "10.0.0.0/19", vpc_id: str = "vpc_AAAA") -> dict:
    """A miniature network stack as cdktf writes it: a VPC, a subnet, a route table, an output."""
    return {
        "provider": {"aws": [{"region": "eu-west-1"}]},
        "resource": {
            "aws_vpc": {vpc_id: {**_meta("n/network/vpc"), "cidr_block": cidr, "tags": {"Name": "n"}}},
            "aws_subnet": {"subnet_BBBB": {**_meta("n/network/subnet"), "cidr_block": subnet_cidr,
                                           "vpc_id": f"${{aws_vpc.{vpc_id}.id}}", "availability_zone": "eu-west-1a"}},
            "aws_route_table": {"rt_CCCC": {**_meta("n/network/rt"), "vpc_id": f"${{aws_vpc.{vpc_id}.id}}"}},
            "aws_s3_bucket": {"logs_DDDD": {**_meta("n/network/logs"), "bucket": "n-logs"}},
            "aws_s3_bucket_versioning": {"logs-v_EEEE": {
                **_meta("n/network/logs-v"), "bucket": "${aws_s3_bucket.logs_DDDD.bucket}",
                "versioning_configuration": {"status": "Enabled"}}},
        },
        "output": {"cross-stack-output-aws_vpcvpc_id": {"value": f"${{aws_vpc.{vpc_id}.id}}"}},
        "terraform": {"backend": {"local": {"path": "../../../.terraform-state/n.tfstate"}}},
    }


def cluster_stack(max_size: int = 6, instance_types=("m7g.large",), node_id: str = "pool_node-group_1234") -> dict:
    return {
        "provider": {"aws": [{"region": "eu-west-1"}]},
        "resource": {
            "aws_eks_node_group": {node_id: {
                **_meta("c/cluster/pool/node-group"), "cluster_name": "c", "node_group_name": "general",
                "instance_types": list(instance_types),
                "scaling_config": {"desired_size": 3, "max_size": max_size, "min_size": 3},
                "subnet_ids": ["${data.terraform_remote_state.cross-stack-reference-input-n.outputs.cross-stack-output-aws_subnetsubnet_id}"],
            }},
            "aws_security_group": {"sg_FFFF": {
                **_meta("c/cluster/sg"), "name_prefix": "c-", "description": "nodes",
                "vpc_id": "${data.terraform_remote_state.cross-stack-reference-input-n.outputs.cross-stack-output-aws_vpcvpc_id}",
            }},
        },
    }


def shuffled(value):
    """The same document with every object's keys in a random order (JSON order must not matter)."""
    if isinstance(value, dict):
        items = list(value.items())
        random.shuffle(items)
        return {k: shuffled(v) for k, v in items}
    if isinstance(value, list):
        return [shuffled(v) for v in value]
    return value


# --------------------------------------------------------------------------- diff


def test_diff_values_recurses_into_objects_and_lists_of_objects_but_not_scalar_lists():
    before = {"a": {"b": 1, "c": [1, 2]}, "rule": [{"port": 80}, {"port": 443}], "gone": "x"}
    after = {"a": {"b": 2, "c": [2, 1]}, "rule": [{"port": 80}, {"port": 8443}], "new": True}
    assert diff_values(before, after) == [
        ("a.b", 1, 2),
        ("a.c", [1, 2], [2, 1]),
        ("gone", "x", MISSING),
        ("new", MISSING, True),
        ("rule[1].port", 443, 8443),
    ]


def test_size_change_is_an_in_place_update():
    stack = diff_stack("c", cluster_stack(max_size=6), cluster_stack(max_size=9))
    assert [c.address for c in stack.in_place] == ["aws_eks_node_group.pool_node-group_1234"]
    assert not stack.replaced
    (change,) = stack.in_place[0].changes
    assert (change.path, change.before, change.after, change.forces_replacement) == ("scaling_config.max_size", 6, 9, False)


def test_instance_type_change_forces_replacement():
    stack = diff_stack("c", cluster_stack(), cluster_stack(instance_types=("m7g.xlarge",)))
    (res,) = stack.replaced
    assert [c.path for c in res.changes if c.forces_replacement] == ["instance_types"]


def test_subnet_cidr_change_replaces_the_subnet_and_nothing_that_only_reads_configured_values():
    stack = diff_stack("n", network_stack(), network_stack(subnet_cidr="10.0.32.0/19"))
    assert [c.address for c in stack.replaced] == ["aws_subnet.subnet_BBBB"]
    assert not stack.added and not stack.removed


def test_a_replacement_travels_to_resources_whose_force_new_attribute_reads_its_id():
    stack = diff_stack("n", network_stack(), network_stack(cidr="10.1.0.0/16", subnet_cidr="10.1.0.0/19"))
    replaced = {c.address: c for c in stack.replaced}
    assert set(replaced) == {"aws_vpc.vpc_AAAA", "aws_subnet.subnet_BBBB"}  # before following references
    review_ = diff_trees({"n": network_stack()}, {"n": network_stack(cidr="10.1.0.0/16", subnet_cidr="10.1.0.0/19")})
    (stack,) = review_.stacks
    replaced = {c.address: c for c in stack.replaced}
    assert set(replaced) == {"aws_vpc.vpc_AAAA", "aws_subnet.subnet_BBBB", "aws_route_table.rt_CCCC"}
    assert replaced["aws_route_table.rt_CCCC"].follows == ("vpc_id <- aws_vpc.vpc_AAAA",)
    # the bucket is untouched; its versioning reads the configured bucket name, which stays known
    assert "aws_s3_bucket_versioning.logs-v_EEEE" not in replaced


def test_a_replacement_travels_across_stacks_through_remote_state_outputs():
    base = {"n": network_stack(), "c": cluster_stack()}
    head = {"n": network_stack(cidr="10.1.0.0/16"), "c": cluster_stack()}
    result = diff_trees(base, head)
    consumers = {(s, r.address): r for s, r in result.replacements if s == "c"}
    assert list(consumers) == [("c", "aws_security_group.sg_FFFF")]
    assert consumers[("c", "aws_security_group.sg_FFFF")].follows == (
        "vpc_id <- n output cross-stack-output-aws_vpcvpc_id",)


def test_renamed_logical_id_is_flagged_as_destroy_and_create():
    result = diff_trees({"c": cluster_stack()}, {"c": cluster_stack(node_id="pool_nodes_5678")})
    ((stack, res),) = result.replacements
    assert (stack, res.address, res.renamed_from, res.moved_block) == (
        "c", "aws_eks_node_group.pool_nodes_5678", "aws_eks_node_group.pool_node-group_1234", False)
    assert not result.stacks[0].added and not result.stacks[0].removed
    assert "no `moved` block" in res.reasons[0]


def test_renamed_logical_id_with_a_moved_block_is_only_moved():
    head = cluster_stack(node_id="pool_nodes_5678")
    head["moved"] = [{"from": "aws_eks_node_group.pool_node-group_1234", "to": "aws_eks_node_group.pool_nodes_5678"}]
    assert moved_blocks(head) == {"aws_eks_node_group.pool_node-group_1234": "aws_eks_node_group.pool_nodes_5678"}
    result = diff_trees({"c": cluster_stack()}, {"c": head})
    assert not result.replacements
    (res,) = result.stacks[0].moved
    assert res.moved_block and res.renamed_from == "aws_eks_node_group.pool_node-group_1234"


def test_renamed_vpc_rewrites_references_so_only_the_rename_is_reported():
    head = network_stack(vpc_id="vpc_ZZZZ")
    head["moved"] = [{"from": "aws_vpc.vpc_AAAA", "to": "aws_vpc.vpc_ZZZZ"}]
    result = diff_trees({"n": network_stack()}, {"n": head})
    assert not result.replacements
    (stack,) = result.stacks
    assert [c.address for c in stack.moved] == ["aws_vpc.vpc_ZZZZ"]
    assert not stack.in_place  # subnet and route table read the same VPC: no change


def test_unrelated_add_and_remove_are_not_paired_as_a_rename():
    base = cluster_stack()
    head = copy.deepcopy(base)
    del head["resource"]["aws_security_group"]
    head["resource"]["aws_iam_role"] = {"role_1111": {**_meta("c/cluster/role"), "name": "r", "assume_role_policy": "{}"}}
    stack = diff_stack("c", base, head)
    assert stack.added == [("aws_iam_role.role_1111", "c/cluster/role")]
    assert stack.removed == [("aws_security_group.sg_FFFF", "c/cluster/sg")]
    assert not stack.changed


def test_stacks_added_and_removed():
    result = diff_trees({"n": network_stack(), "old": cluster_stack()}, {"n": network_stack(), "new": cluster_stack()})
    assert result.stacks_added == [("new", 2)] and result.stacks_removed == [("old", 2)] and not result.stacks


# --------------------------------------------------------------------------- Markdown


def test_equal_trees_say_no_changes():
    text = render(diff_trees({"n": network_stack()}, {"n": shuffled(network_stack())}), base_label="main")
    assert "No changes" in text and "###" not in text


def test_replacements_are_listed_first_under_a_warning():
    result = diff_trees({"n": network_stack(), "c": cluster_stack()},
                        {"n": network_stack(subnet_cidr="10.0.64.0/19"), "c": cluster_stack(max_size=9)})
    text = render(result, base_label="origin/main")
    lines = text.splitlines()
    warning = lines.index("> [!WARNING]")
    first_stack = next(i for i, line in enumerate(lines) if line.startswith("### "))
    assert warning < first_stack
    assert any("aws_subnet.subnet_BBBB" in line and "`cidr_block`" in line for line in lines[warning:first_stack])
    assert not any("aws_eks_node_group" in line for line in lines[warning:first_stack])
    assert "`10.0.0.0/19` → `10.0.64.0/19` **(forces replacement)**" in text
    assert f"exit status {EXIT_REPLACE}" in text
    assert "Accepted with `ALLOW_REPLACE=1`" in render(result, base_label="origin/main", allow_replace=True)


def test_sensitive_values_are_hidden():
    base = {"resource": {"aws_elasticache_replication_group": {"r_1": {"replication_group_id": "r", "auth_token": "old-tok"}},
                         "helm_release": {"h_1": {"name": "x", "values": ["db_password: hunter2"],
                                                  "set_sensitive": [{"name": "a", "value": "s3cr3t"}]}},
                         "aws_launch_template": {"lt_1": {"name_prefix": "p", "metadata_options": {"http_tokens": "optional"}}}}}
    head = json.loads(json.dumps(base).replace("old-tok", "new-tok").replace("s3cr3t", "s3cr4t")
                      .replace('"optional"', '"required"'))
    head["resource"]["aws_iam_role"] = {"r_2": {"name": "x", "client_secret": "zzz"}}
    text = render(diff_trees({"s": base}, {"s": head}), base_label="main")
    for secret in ("old-tok", "new-tok", "s3cr3t", "s3cr4t"):
        assert secret not in text
    assert f"`auth_token`: {HIDDEN} → {HIDDEN}" in text
    assert "`metadata_options.http_tokens`: `optional` → `required`" in text  # a name like token, but no secret


def test_long_values_are_shortened_keeping_both_ends():
    value = "${data.terraform_remote_state.cross-stack-reference-input-aws-dev-network.outputs.cross-stack-output-x_FB3BA8C3id}"
    short = shorten(value)
    assert len(short) == review.VALUE_WIDTH and short.startswith("${data.terraform") and short.endswith("FB3BA8C3id}")
    assert shorten("multi\n  line") == "multi line"
    assert shorten({"b": [1, 2], "a": "x"}) == '{"a":"x","b":[1,2]}'


def test_json_and_yaml_inside_strings_are_compared_by_content():
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]}
    wider = copy.deepcopy(policy)
    wider["Statement"][0]["Action"].append("s3:PutObject")
    assert diff_values({"policy": json.dumps(policy)}, {"policy": json.dumps(wider, indent=2)}) == [
        ("policy(json).Statement[0].Action", ["s3:GetObject"], ["s3:GetObject", "s3:PutObject"])]
    assert diff_values({"values": ["a: 1\nb: {c: 2}\n"]}, {"values": ["a: 1\nb: {c: 3}\n"]}) == [
        ("values", ["a: 1\nb: {c: 2}\n"], ["a: 1\nb: {c: 3}\n"])]  # a list of strings stays one value
    assert diff_values("a: 1\nb: {c: 2}\n", "a: 1\nb: {c: 3}\n", "values") == [("values(yaml).b.c", 2, 3)]
    # a force-new attribute holding JSON still forces replacement when its content changes
    stack = diff_stack("e", {"resource": {"aws_ecr_lifecycle_policy": {"p_1": {"repository": "r", "policy": json.dumps(policy)}}}},
                       {"resource": {"aws_ecr_lifecycle_policy": {"p_1": {"repository": "r", "policy": json.dumps(wider)}}}})
    assert [c.address for c in stack.replaced] == ["aws_ecr_lifecycle_policy.p_1"]


def test_list_changes_show_items_added_and_removed():
    text = render(diff_trees({"c": cluster_stack(instance_types=("m7g.large", "m6g.large"))},
                             {"c": cluster_stack(instance_types=("m7g.large", "m7i.large"))}), base_label="main")
    assert "`instance_types`: + `m7i.large`, − `m6g.large` **(forces replacement)**" in text


def test_long_strings_that_differ_late_show_where_they_differ():
    before = "x" * 200 + "-backup"
    after = "x" * 200 + "-reports"
    old, new = review.shorten_pair(before, after)
    assert old != new and old.endswith("-backup") and new.endswith("-reports") and old.startswith("…")


def test_output_is_deterministic_whatever_the_key_order():
    base = {"n": network_stack(), "c": cluster_stack()}
    head = {"n": network_stack(cidr="10.1.0.0/16"), "c": cluster_stack(max_size=9, node_id="pool_nodes_5678")}
    texts = {render(diff_trees(shuffled(base), shuffled(head)), base_label="main") for _ in range(5)}
    assert len(texts) == 1


# --------------------------------------------------------------------------- command line (synth stubbed)


def _write_tree(folder: Path, stacks: dict[str, dict]) -> Path:
    for name, doc in stacks.items():
        (folder / "stacks" / name).mkdir(parents=True)
        (folder / "stacks" / name / "cdk.tf.json").write_text(json.dumps(doc))
    return folder


@pytest.fixture
def stub_synth(tmp_path, monkeypatch):
    """Make ``main`` compare two hand-made trees instead of synthesizing."""
    def install(base: dict, head: dict):
        b = _write_tree(tmp_path / "b", base)
        h = _write_tree(tmp_path / "h", head)
        monkeypatch.setattr(review, "synth_both", lambda *a, **k: (b, h))
    return install


@pytest.mark.parametrize("environ, status", [({}, EXIT_REPLACE), ({"ALLOW_REPLACE": "1"}, 0)])
def test_exit_status_of_the_guard(stub_synth, capsys, environ, status):
    stub_synth({"n": network_stack()}, {"n": network_stack(subnet_cidr="10.0.64.0/19")})
    assert review.main(["--base", "main"], environ=environ) == status
    captured = capsys.readouterr()
    assert "> [!WARNING]" in captured.out
    assert ("would be destroyed and re-created: exit 3" in captured.err) == (status == EXIT_REPLACE)


def test_in_place_changes_exit_zero(stub_synth, capsys):
    stub_synth({"c": cluster_stack()}, {"c": cluster_stack(max_size=9)})
    assert review.main(["--base", "main"], environ={}) == 0
    assert "[!WARNING]" not in capsys.readouterr().out


def test_base_is_required(capsys):
    assert review.main([], environ={}) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "BASE" in err and "make review BASE=origin/main" in err


def test_unknown_base_ref_is_one_line(tmp_path, monkeypatch, capsys):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    with pytest.raises(review.ReviewError) as err:
        review.resolve_base("no-such-branch", tmp_path)
    assert "BASE=no-such-branch" in str(err.value) and "\n" not in str(err.value)
    monkeypatch.setattr(review, "ROOT", tmp_path)
    monkeypatch.setattr(review, "synth_both", lambda ref, *a, **k: review.resolve_base(ref, tmp_path))
    assert review.main(["--base", "no-such-branch"], environ={}) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "BASE=no-such-branch" in captured.err
    assert "The review could not run" in captured.out  # the PR comment says so too


def test_plan_without_credentials_says_skipped(tmp_path):
    out = _write_tree(tmp_path / "out", {"n": network_stack(), "k": {"provider": {"kubernetes": [{}]}}})
    plans = plan_summaries(out, ["n", "k"], environ={"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "")},
                           root=tmp_path)
    assert plans["n"].startswith("skipped: no aws credentials")
    assert plans["k"].startswith("skipped:")
    text = render(diff_trees({"n": network_stack()}, {"n": network_stack(subnet_cidr="10.0.64.0/19")}),
                  base_label="main", plans=plans)
    assert "`terraform plan`: skipped: no aws credentials" in text


# --------------------------------------------------------------------------- the real command on a git repository

#: What the copy needs to synthesize (plus ONE environment file: the synth time stays low).
PARTS = ("main.py", "cdktf.json", "platform_constructs", "stacks", "platform_tools")
ENV_FILE = "environments/aws-dev.yaml"
GIT = ["git", "-c", "user.email=review@test", "-c", "user.name=review", "-c", "commit.gpgsign=false"]


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A git repository holding a copy of the project with one environment file, committed on `main`."""
    root = tmp_path_factory.mktemp("review-repo")
    for part in PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, root / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, root / part)
    (root / "environments").mkdir()
    shutil.copy2(ROOT / ENV_FILE, root / ENV_FILE)
    (root / ".gitignore").write_text("__pycache__/\ncdktf.out/\n")
    subprocess.run([*GIT, "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "base"], cwd=root, check=True)
    return root


@pytest.fixture(scope="module")
def run_review(repo, tmp_path_factory):
    """Run `python -m platform_tools.review --base main` in ``repo`` after ``edits`` ((path, old, new) text
    replacements in the working tree, not committed); the tree is reset afterwards."""
    cache = tmp_path_factory.mktemp("review-cache")

    def run(edits: list[tuple[str, str, str]], **extra_env: str) -> subprocess.CompletedProcess:
        try:
            for path, old, new in edits:
                text = (repo / path).read_text()
                assert old in text, f"{path}: {old!r} not found: the test's edit no longer applies"
                (repo / path).write_text(text.replace(old, new, 1))
            env = {k: v for k, v in os.environ.items()
                   if k not in ("ALLOW_REPLACE", "ALLOW_DESTROY", "PLAN", "BASE", "REVIEW_CACHE")}
            env.update(extra_env, REVIEW_CACHE=str(cache))  # the base (always `main`) is synthesized once
            return subprocess.run([sys.executable, "-m", "platform_tools.review", "--base", "main"], cwd=repo,
                                  env=env, capture_output=True, text=True, timeout=600)
        finally:
            subprocess.run(["git", "checkout", "-q", "--", "."], cwd=repo, check=True)
    return run


def _warning(markdown: str) -> str:
    """The guard's block: from the warning to the first stack section."""
    return markdown[markdown.index("> [!WARNING]"):markdown.index("\n### ")]


NODE_GROUP = "platform_constructs/aws/node_group.py"
RENAME = (NODE_GROUP, '"node-group",', '"nodes",')


@pytest.mark.slow
def test_unchanged_tree_prints_no_changes(run_review, repo):
    proc = run_review([])
    assert proc.returncode == 0, proc.stderr
    assert "No changes" in proc.stdout
    listed = subprocess.run(["git", "worktree", "list"], cwd=repo, capture_output=True, text=True).stdout
    assert listed.count("\n") == 1  # only the repository itself: the temporary worktree is gone


@pytest.mark.slow
def test_node_pool_size_change_is_in_place(run_review):
    proc = run_review([(ENV_FILE, "max_size: 6", "max_size: 9")])
    assert proc.returncode == 0, proc.stderr
    assert "[!WARNING]" not in proc.stdout
    assert "**Changed in place**" in proc.stdout
    assert "`scaling_config.max_size`: `6` → `9`" in proc.stdout


@pytest.mark.slow
def test_cidr_and_instance_type_changes_trip_the_guard_deterministically(run_review, repo):
    types_line = next(line for line in (repo / ENV_FILE).read_text().splitlines() if "instance_types:" in line)
    edits = [(ENV_FILE, "cidr: 10.20.0.0/16", "cidr: 10.30.0.0/16"),
             (ENV_FILE, types_line, types_line.replace(".large", ".xlarge"))]
    first, second = run_review(edits), run_review(edits)
    # the new subnets replace the file system's mount targets too: data guard first (exit 4)
    assert first.returncode == review.EXIT_DESTROY, first.stderr
    assert second.returncode == review.EXIT_DESTROY and first.stdout == second.stdout
    assert "aws_efs_mount_target." in first.stdout[first.stdout.index("[!CAUTION]"):]
    warning = _warning(first.stdout)
    assert "aws_vpc." in warning and "forces replacement: `cidr_block`" in warning
    assert "aws_subnet.network_private-eu-west-1a" in warning
    assert "aws_eks_node_group." in warning and "forces replacement: `instance_types`" in warning
    assert "`10.20.0.0/16` → `10.30.0.0/16` **(forces replacement)**" in first.stdout
    assert run_review(edits, ALLOW_DESTROY="1").returncode == EXIT_REPLACE
    allowed = run_review(edits, ALLOW_REPLACE="1", ALLOW_DESTROY="1")
    assert allowed.returncode == 0, allowed.stderr
    assert "Accepted with `ALLOW_REPLACE=1`" in allowed.stdout


@pytest.mark.slow
def test_renamed_construct_id_is_flagged_unless_a_moved_block_follows_it(run_review):
    proc = run_review([RENAME])
    assert proc.returncode == EXIT_REPLACE, proc.stderr
    warning = _warning(proc.stdout)
    assert "aws_eks_node_group.cluster_pool-general_nodes_" in warning and "no `moved` block" in warning
    old = warning.split("logical id changed from `", 1)[1].split("`", 1)[0]
    assert old.startswith("aws_eks_node_group.cluster_pool-general_node-group_")
    # the same rename with cdktf's moved block (TerraformResource.move_from_id): state moves, exit 0
    moved = run_review([RENAME, (NODE_GROUP, "            depends_on=depends_on,\n        )\n",
                           f"            depends_on=depends_on,\n        )\n        self.node_group.move_from_id({old!r})\n")])
    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert "[!WARNING]" not in moved.stdout
    assert "`moved` block present" in moved.stdout
