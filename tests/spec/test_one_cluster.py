"""One cluster, one environment (issue 31, class 8): two ``cloud: kubernetes`` files naming the same
kubeconfig file and context are refused however the path is spelled; a kubeconfig path naming a folder is
refused (a file that does not exist on the synthesizing machine is not); the number of tenants is bounded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

import main
from platform_constructs.generic.spec import kubeconfig_path
from platform_constructs.spec import SpecError, parse_environment
from platform_constructs.spec.tenants import MAX_TENANTS
from platform_tools.synth import load_all
from tests.helpers import ROOT

ONPREM = yaml.safe_load((ROOT / "environments" / "onprem-example.yaml").read_text(encoding="utf-8"))
HOME = os.path.expanduser("~")


def kubernetes_file(folder: Path, name: str, kubeconfig: str, context: str = "prod") -> Path:
    doc = {**ONPREM, "name": name, "kubernetes": {**ONPREM["kubernetes"], "kubeconfig": kubeconfig, "context": context}}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("first,second", [
    ("~/.kube/config", f"{HOME}/.kube/config"),
    ("~/.kube/config", "~/.kube//config"),
    ("~/.kube/config", "~/.kube/./config"),
    ("~/.kube/config", "~/other/../.kube/config"),
    ("/srv/kube/config", "//srv/kube/config"),
])
def test_two_spellings_of_one_kubeconfig_and_context_are_one_cluster(tmp_path, first, second):
    one, two = kubernetes_file(tmp_path, "one", first), kubernetes_file(tmp_path, "two", second)
    with pytest.raises(SpecError) as caught:
        load_all([one, two])
    assert caught.value.source == str(two) and caught.value.path == "kubernetes.context"
    assert str(one) in caught.value.message


def test_a_symbolic_link_to_the_same_kubeconfig_is_the_same_cluster(tmp_path):
    real = tmp_path / "config"
    real.write_text("apiVersion: v1\n", encoding="utf-8")
    (tmp_path / "link").symlink_to(real)
    one, two = kubernetes_file(tmp_path, "one", str(real)), kubernetes_file(tmp_path, "two", str(tmp_path / "link"))
    with pytest.raises(SpecError, match="one environment per cluster"):
        load_all([one, two])


def test_same_file_other_context_or_other_file_are_other_clusters(tmp_path):
    specs = load_all([kubernetes_file(tmp_path, "one", "~/.kube/config", "prod"),
                      kubernetes_file(tmp_path, "two", "~/.kube/config", "staging"),
                      kubernetes_file(tmp_path, "three", "~/.kube/other", "prod")])
    assert [s.name for s in specs] == ["one", "two", "three"]


def test_the_clash_through_the_command_line_is_one_line_exit_2(tmp_path, capsys):
    one, two = kubernetes_file(tmp_path, "one", "~/.kube/config"), kubernetes_file(tmp_path, "two", f"{HOME}/.kube/config")
    assert main.main(["--env-file", str(one), "--env-file", str(two), "--outdir", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"{two}: kubernetes.context: ")
    assert not (tmp_path / "out").exists()


def test_kubeconfig_path_resolves_spellings_and_keeps_missing_files():
    assert kubeconfig_path("~/.kube/./config") == kubeconfig_path(f"{HOME}/.kube/config")
    assert kubeconfig_path("/no/such/dir/../config") == "/no/such/config"


@pytest.mark.parametrize("kubeconfig", ["/etc", "~", "~/.kube/", "/srv/kube/.", "/srv/kube/..", "/"])
def test_a_kubeconfig_that_names_a_folder_is_refused(tmp_path, kubeconfig):
    with pytest.raises(SpecError) as caught:
        parse_environment({**ONPREM, "kubernetes": {**ONPREM["kubernetes"], "kubeconfig": kubeconfig}}, "env.yaml")
    assert caught.value.path == "kubernetes.kubeconfig" and "names a folder" in caught.value.message


def test_an_existing_folder_given_without_a_slash_is_refused(tmp_path):
    with pytest.raises(SpecError, match="names a folder"):
        parse_environment({**ONPREM, "kubernetes": {**ONPREM["kubernetes"], "kubeconfig": str(tmp_path)}}, "env.yaml")


def test_a_kubeconfig_missing_on_this_machine_is_accepted():
    """Terraform reads the file on the machine that deploys; synth never opens it."""
    doc = {**ONPREM, "kubernetes": {**ONPREM["kubernetes"], "kubeconfig": "/no/such/folder/kubeconfig"}}
    assert parse_environment(doc, "env.yaml").kubernetes.kubeconfig == "/no/such/folder/kubeconfig"


def tenants(count: int) -> list[dict]:
    return [{"name": f"team-{i}", "quota": {"cpu": "2", "memory": "4Gi", "pods": 20}} for i in range(count)]


def test_the_tenant_bound_is_documented_and_enforced():
    assert MAX_TENANTS == 500
    assert len(parse_environment({**ONPREM, "tenants": tenants(MAX_TENANTS)}, "env.yaml").tenants) == MAX_TENANTS
    with pytest.raises(SpecError) as caught:
        parse_environment({**ONPREM, "tenants": tenants(MAX_TENANTS + 1)}, "env.yaml")
    assert caught.value.path == "tenants"
    assert f"lists {MAX_TENANTS + 1} tenants, above the {MAX_TENANTS}" in caught.value.message


def test_too_many_tenants_are_refused_before_any_is_read():
    """Counted first: a list of 20,000 broken entries gives the count, not 20,000 problems."""
    with pytest.raises(SpecError) as caught:
        parse_environment({**ONPREM, "tenants": [{"bad": i} for i in range(20_000)]}, "env.yaml")
    assert caught.value.path == "tenants" and "more problem" not in caught.value.message
