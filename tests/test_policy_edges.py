"""The checkov gate's edges (fast, canned reports): what the skip file says reaches the right check, the
skips a caller passes are the ones used, empty stacks and partial reports, and the command's default
output folder. Each test is the behaviour one mutation-testing survivor of platform_tools/policy.py
showed unguarded (docs/testing.md, mutation testing)."""

from __future__ import annotations

import json
from pathlib import Path

from platform_tools import policy
from platform_tools.policy import Skip, StackResult, evaluate, load_skips, problems, resource_counts, tally


def skip_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "skips.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_skip_keeps_its_check_id_and_a_dict_without_stacks_covers_every_stack(tmp_path):
    skips = load_skips(skip_file(tmp_path, """
skips:
  CKV_A_1: "a reason for every stack"
  CKV_A_2: {reason: "a reason, no stacks named"}
  CKV_A_3: {reason: "a reason for one stack", stacks: [env-data]}
"""))
    assert {key: skip.check_id for key, skip in skips.items()} == {"CKV_A_1": "CKV_A_1", "CKV_A_2": "CKV_A_2",
                                                                  "CKV_A_3": "CKV_A_3"}
    assert skips["CKV_A_1"].stacks is None and skips["CKV_A_2"].stacks is None
    assert skips["CKV_A_2"].applies("env-network") and skips["CKV_A_2"].applies("env-data")
    assert skips["CKV_A_3"].applies("env-data") and not skips["CKV_A_3"].applies("env-network")


def report(*failed: tuple[str, str], passed: int = 0) -> dict:
    check = lambda cid, stack: {"check_id": cid, "resource": "r", "file_path": f"/{stack}/cdk.tf.json"}  # noqa: E731
    return {"check_type": "terraform_json",
            "results": {"passed_checks": [check("CKV_OK", "s")] * passed,
                        "failed_checks": [check(cid, stack) for cid, stack in failed]}}


def test_evaluate_uses_the_skips_it_is_given_not_the_file(tmp_path, monkeypatch):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "cdk.tf.json").write_text(json.dumps({"resource": {"t": {"a": {}}}}))
    check_id = next(iter(load_skips()))  # skipped by the shipped file
    monkeypatch.setattr(policy, "run_checkov", lambda _dir: [report((check_id, "s"))])
    (result,) = evaluate(tmp_path, skips={})
    assert result.failed == [f"{check_id} r"] and result.skipped == []
    (result,) = evaluate(tmp_path, skips={check_id: Skip(check_id, "reason")})
    assert result.failed == [] and result.skipped == [f"{check_id} r"]


def test_a_stack_without_resources_counts_zero_and_folders_without_json_are_not_stacks(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "cdk.tf.json").write_text(json.dumps({"terraform": {}}))
    (tmp_path / "notes").mkdir()
    assert resource_counts(tmp_path) == {"empty": 0}


def test_a_report_without_passed_or_failed_lists_counts_nothing():
    reports = [{"check_type": "terraform_json", "results": {}}]
    (result,) = tally({"s": 1}, reports, {})
    assert (result.passed, result.failed, result.skipped) == (0, [], [])


def test_no_checks_fail_the_gate_only_where_there_are_resources():
    assert problems([StackResult("empty", resources=0)]) == []
    assert problems([StackResult("one", resources=1)]) == ["NO CHECKS RAN one: checkov could not parse it"]


def test_the_command_reads_cdktf_out_by_default(monkeypatch, capsys):
    seen = []
    monkeypatch.setattr(policy, "evaluate", lambda stacks: seen.append(stacks) or [])
    assert policy.main([]) == 0
    assert seen == [Path("cdktf.out") / "stacks"]
