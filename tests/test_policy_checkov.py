"""The checkov gate: its counting on canned checkov reports (fast), and checkov itself over
every synthesized stack of every shipped environment (slow)."""

import json

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.provider import AwsProvider

import main
from platform_tools import policy
from platform_tools.policy import (
    SKIPS_FILE, evaluate, load_skips, parse_reports, problems, resource_counts, table, tally,
)


# --- slow: checkov itself (its own virtualenv) over synthesized stacks ------------------------

@pytest.fixture(scope="module")
def all_stacks(tmp_path_factory):
    out = tmp_path_factory.mktemp("policy") / "cdktf.out"
    assert main.main(["--outdir", str(out)]) == 0
    return out / "stacks"


@pytest.mark.slow
@pytest.mark.policy
def test_every_shipped_stack_passes_with_checks_actually_run(all_stacks):
    results = evaluate(all_stacks)
    print("\n" + table(results))
    assert {r.stack for r in results} == {p.name for p in all_stacks.iterdir()}
    for r in results:
        assert r.checks > 0 or r.resources == 0, f"{r.stack}: checkov ran no checks (could not parse the file?)"
        assert r.failed == [], f"{r.stack}: {r.failed}"


@pytest.mark.slow
@pytest.mark.policy
def test_every_skip_has_a_reason_and_is_still_needed(all_stacks):
    skips = load_skips()
    used = {label.split()[0] for r in evaluate(all_stacks) for label in r.skipped}
    for check_id, skip in skips.items():
        assert len(skip.reason) > 20, check_id
        assert check_id in used, f"{check_id} is skipped in {SKIPS_FILE.name} but no stack needs it any more"


def violating_stack(outdir):
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, "bad-stack")
    AwsProvider(stack, "aws", region="us-east-1")
    CloudwatchLogGroup(stack, "plain", name="/plain", retention_in_days=400)  # no KMS key
    app.synth()
    return outdir / "stacks"


@pytest.mark.slow
@pytest.mark.policy
def test_the_gate_reports_a_real_failure(tmp_path):
    results = evaluate(violating_stack(tmp_path / "bad"))
    assert any(label.startswith("CKV_AWS_158 ") for label in results[0].failed), results[0].failed


@pytest.mark.slow
@pytest.mark.policy
def test_an_unparsable_stack_shows_zero_checks(tmp_path):
    stacks = violating_stack(tmp_path / "bad")
    doc_path = stacks / "bad-stack/cdk.tf.json"
    doc = json.loads(doc_path.read_text())
    doc["terraform"]["required_version"] = ">= 1.10"  # checkov#7454: the file is skipped, exit code still 0
    doc_path.write_text(json.dumps(doc))
    results = evaluate(stacks)
    assert results[0].checks == 0 and results[0].resources == 1


# --- fast: the gate's counting over canned checkov reports (no checkov, no synth) ---------------


def ckv(check_id: str, stack: str, resource: str, result: str = "PASSED") -> dict:
    """One entry of checkov 3.3's ``-o json`` results for ``--framework terraform_json -d <stacks>``."""
    return {
        "check_id": check_id, "bc_check_id": None, "check_name": f"{check_id} check",
        "check_result": {"result": result, "evaluated_keys": []},
        "code_block": None,
        "file_path": f"/{stack}/cdk.tf.json",
        "file_abs_path": f"/work/project/cdktf.out/stacks/{stack}/cdk.tf.json",
        "repo_file_path": f"/work/project/cdktf.out/stacks/{stack}/cdk.tf.json",
        "file_line_range": [20, 29], "resource": resource, "evaluations": None,
        "check_class": "checkov.terraform.checks.resource.aws.Example",
        "fixed_definition": None, "entity_tags": None, "caller_file_path": None, "caller_file_line_range": None,
        "resource_address": None, "severity": None, "bc_category": None, "benchmarks": None, "description": None,
        "short_description": None, "vulnerability_details": None, "connected_node": None, "guideline": None,
        "details": [], "check_len": None, "definition_context_file_path": None,
    }


def report(passed=(), failed=(), parsing_errors=(), check_type="terraform_json") -> dict:
    return {
        "check_type": check_type,
        "results": {"passed_checks": list(passed), "failed_checks": list(failed), "skipped_checks": [],
                    "parsing_errors": list(parsing_errors)},
        "summary": {"passed": len(passed), "failed": len(failed), "skipped": 0, "parsing_errors": len(parsing_errors),
                    "resource_count": 0, "checkov_version": "3.3.30"},
        "url": "Add an api key '--bc-api-key <api-key>' to see more detailed insights via https://bridgecrew.cloud",
    }


SKIPS_YAML = """\
skips:
  CKV_AWS_338: "Log retention is set per environment; long-term retention lives in object storage."
  CKV_AWS_39:
    reason: "aws-dev opts into a public endpoint reachable only from its listed CIDRs."
    stacks: [aws-dev-cluster]
"""

#: Stack -> resources; ``aws-dev-broken`` is the checkov#7454 case (unparsable, exit code 0).
RESOURCES = {"aws-dev-broken": 4, "aws-dev-cluster": 12, "aws-dev-network": 30, "aws-prod-cluster": 12}

CANNED = report(
    passed=[
        ckv("CKV_AWS_41", "aws-dev-network", "provider.aws"),
        ckv("CKV_AWS_130", "aws-dev-network", "resource.network_subnet-private-0_1A2B3C4D"),
        ckv("CKV_AWS_130", "aws-dev-network", "resource.network_subnet-private-1_2B3C4D5E"),
        ckv("CKV_AWS_58", "aws-dev-cluster", "resource.cluster_eks_3C4D5E6F"),
        ckv("CKV_AWS_58", "aws-prod-cluster", "resource.cluster_eks_4D5E6F70"),
        ckv("CKV_AWS_37", "aws-prod-cluster", "resource.cluster_eks_4D5E6F70"),
    ],
    failed=[
        # listed for every stack: skipped
        ckv("CKV_AWS_338", "aws-dev-network", "resource.network_flow-logs_5E6F7081", "FAILED"),
        ckv("CKV_AWS_338", "aws-prod-cluster", "resource.cluster_logs_6F708192", "FAILED"),
        # not listed: a failure
        ckv("CKV_AWS_158", "aws-dev-network", "resource.network_flow-logs_5E6F7081", "FAILED"),
        # listed for aws-dev-cluster only: skipped there, a failure in aws-prod-cluster
        ckv("CKV_AWS_39", "aws-dev-cluster", "resource.cluster_eks_3C4D5E6F", "FAILED"),
        ckv("CKV_AWS_39", "aws-prod-cluster", "resource.cluster_eks_4D5E6F70", "FAILED"),
    ],
    parsing_errors=["/work/project/cdktf.out/stacks/aws-dev-broken/cdk.tf.json"],
)


@pytest.fixture
def skips(tmp_path):
    path = tmp_path / "checkov-skips.yaml"
    path.write_text(SKIPS_YAML)
    return load_skips(path)


@pytest.fixture
def counted(skips):
    return {r.stack: r for r in tally(RESOURCES, parse_reports(json.dumps(CANNED)), skips)}


def test_skips_load_with_their_scope(skips):
    assert sorted(skips) == ["CKV_AWS_338", "CKV_AWS_39"]
    assert skips["CKV_AWS_338"].stacks is None and skips["CKV_AWS_338"].applies("anything")
    assert skips["CKV_AWS_39"].stacks == ("aws-dev-cluster",)
    assert skips["CKV_AWS_39"].applies("aws-dev-cluster") and not skips["CKV_AWS_39"].applies("aws-prod-cluster")


def test_a_skip_without_a_reason_is_refused(tmp_path):
    path = tmp_path / "checkov-skips.yaml"
    path.write_text('skips:\n  CKV_AWS_1: "  "\n')
    with pytest.raises(ValueError, match="skips.CKV_AWS_1: needs a one-line reason"):
        load_skips(path)


def test_every_stack_gets_a_result_in_order_with_its_resources(counted):
    assert list(counted) == sorted(RESOURCES)
    assert {s: r.resources for s, r in counted.items()} == RESOURCES


def test_passed_failed_and_skipped_are_counted_per_stack(counted):
    network = counted["aws-dev-network"]
    assert network.passed == 3
    assert network.failed == ["CKV_AWS_158 resource.network_flow-logs_5E6F7081"]
    assert network.skipped == ["CKV_AWS_338 resource.network_flow-logs_5E6F7081"]
    assert network.checks == 5

    dev = counted["aws-dev-cluster"]
    assert (dev.passed, dev.failed, dev.skipped) == (1, [], ["CKV_AWS_39 resource.cluster_eks_3C4D5E6F"])
    assert dev.checks == 2


def test_a_skip_for_named_stacks_does_not_cover_the_others(counted):
    prod = counted["aws-prod-cluster"]
    assert prod.passed == 2
    assert prod.failed == ["CKV_AWS_39 resource.cluster_eks_4D5E6F70"]
    assert prod.skipped == ["CKV_AWS_338 resource.cluster_logs_6F708192"]
    assert prod.checks == 4


def test_without_skips_every_failed_check_is_a_failure():
    counted = {r.stack: r for r in tally(RESOURCES, [CANNED], {})}
    assert all(r.skipped == [] for r in counted.values())
    assert sorted(counted["aws-dev-network"].failed) == [
        "CKV_AWS_158 resource.network_flow-logs_5E6F7081", "CKV_AWS_338 resource.network_flow-logs_5E6F7081",
    ]
    assert len(counted["aws-prod-cluster"].failed) == 2 and len(counted["aws-dev-cluster"].failed) == 1


def test_an_unparsed_stack_has_zero_checks_and_fails_the_gate(counted):
    broken = counted["aws-dev-broken"]
    assert (broken.resources, broken.passed, broken.failed, broken.skipped, broken.checks) == (4, 0, [], [], 0)
    assert "NO CHECKS RAN aws-dev-broken: checkov could not parse it" in problems(list(counted.values()))


def test_the_gate_lists_every_failure_and_every_empty_stack(counted):
    assert problems(list(counted.values())) == [
        "NO CHECKS RAN aws-dev-broken: checkov could not parse it",
        "FAILED aws-dev-network: CKV_AWS_158 resource.network_flow-logs_5E6F7081",
        "FAILED aws-prod-cluster: CKV_AWS_39 resource.cluster_eks_4D5E6F70",
    ]


def test_a_clean_run_has_no_problems():
    clean = {"aws-dev-network": 30}
    results = tally(clean, [report(passed=[ckv("CKV_AWS_41", "aws-dev-network", "provider.aws")])], {})
    assert problems(results) == [] and results[0].checks == 1


def test_a_skipped_failure_alone_still_counts_as_a_check_ran(skips):
    results = tally({"aws-dev-cluster": 12},
                    [report(failed=[ckv("CKV_AWS_39", "aws-dev-cluster", "resource.cluster_eks_3C4D5E6F", "FAILED")])],
                    skips)
    assert results[0].checks == 1 and problems(results) == []


def test_checkov_output_is_one_report_or_a_list_and_other_frameworks_are_ignored():
    assert parse_reports(json.dumps(CANNED)) == [CANNED]
    other = report(failed=[ckv("CKV_SECRET_2", "aws-dev-network", "provider.aws", "FAILED")], check_type="secrets")
    assert parse_reports(json.dumps([other, CANNED])) == [other, CANNED]
    counted = {r.stack: r for r in tally(RESOURCES, parse_reports(json.dumps([other, CANNED])), {})}
    assert not any(f.startswith("CKV_SECRET_2 ") for r in counted.values() for f in r.failed)
    assert counted["aws-dev-network"].checks == 5


def test_nothing_scanned_at_all_means_zero_checks_everywhere():
    # checkov with no parsable file prints a bare summary without check_type.
    empty = {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0, "checkov_version": "3.3.30"}
    results = tally(RESOURCES, parse_reports(json.dumps(empty)), {})
    assert [r.checks for r in results] == [0, 0, 0, 0]
    assert len(problems(results)) == len(RESOURCES)


def write_stacks(outdir, resources):
    stacks = outdir / "stacks"
    for stack, count in resources.items():
        (stacks / stack).mkdir(parents=True)
        doc = {"terraform": {}, "resource": {"aws_subnet": {f"s{i}": {} for i in range(count - 1)}, "aws_vpc": {"v": {}}}}
        (stacks / stack / "cdk.tf.json").write_text(json.dumps(doc))
    (stacks / "not-a-stack").mkdir()
    return stacks


def test_resources_are_counted_from_the_synthesized_files(tmp_path):
    assert resource_counts(write_stacks(tmp_path, RESOURCES)) == RESOURCES


def test_evaluate_and_main_wire_the_counting_to_checkov(tmp_path, monkeypatch, skips, capsys):
    stacks = write_stacks(tmp_path, RESOURCES)
    seen = []
    monkeypatch.setattr(policy, "run_checkov", lambda d: seen.append(d) or [CANNED])
    monkeypatch.setattr(policy, "load_skips", lambda: skips)
    results = evaluate(stacks)
    assert seen == [stacks]
    assert [(r.stack, r.resources, r.passed, len(r.failed), len(r.skipped)) for r in results] == [
        ("aws-dev-broken", 4, 0, 0, 0), ("aws-dev-cluster", 12, 1, 0, 1),
        ("aws-dev-network", 30, 3, 1, 1), ("aws-prod-cluster", 12, 2, 1, 1),
    ]
    assert policy.main(["--outdir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["stack", "resources", "passed", "failed", "skipped"]
    assert "aws-dev-network" in out and "NO CHECKS RAN aws-dev-broken" in out and "FAILED aws-prod-cluster" in out


def test_main_passes_a_clean_run(tmp_path, monkeypatch):
    write_stacks(tmp_path, {"aws-dev-network": 3})
    monkeypatch.setattr(policy, "run_checkov", lambda d: [report(passed=[ckv("CKV_AWS_41", "aws-dev-network", "provider.aws")])])
    monkeypatch.setattr(policy, "load_skips", lambda: {})
    assert policy.main(["--outdir", str(tmp_path)]) == 0
