"""``<env>-tenants``: built only when the file lists tenants, deployed after the stack before it,
and onboarding a team (one more entry in the file) changes this stack's JSON and nothing else."""

from __future__ import annotations

import ipaddress
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from cdktf import App

from platform_constructs.spec import load_environment
from platform_tools.synth import stack_names
from stacks.environment import build_environment
from stacks.tenants import TenantsStack
from tests.helpers import ROOT, make_spec, snapshot, synth
from tests.tenants.netpol_eval import Cluster, Endpoint

TEAM = {"name": "team-a", "quota": {"cpu": "4", "memory": "8Gi", "pods": 50}}


def built(spec):
    with tempfile.TemporaryDirectory() as out:
        return build_environment(App(outdir=out), spec)


def test_no_tenants_no_stack():
    spec = make_spec()
    assert built(spec).tenants is None
    assert spec.stack_name("tenants") not in stack_names(spec)


def test_tenants_make_the_last_stack_after_observability():
    spec = make_spec(tenants=[TEAM])
    stacks = built(spec)
    assert isinstance(stacks.tenants, TenantsStack)
    assert stack_names(spec)[-1] == "t-tenants"
    assert stacks.tenants.dependencies == [stacks.observability]


def test_without_observability_the_tenants_follow_the_addons():
    stacks = built(make_spec(tenants=[TEAM], observability={"enabled": False}))
    assert stacks.observability is None
    assert stacks.tenants.dependencies == [stacks.addons]


# --------------------------------------------------------------------------- through the real entry point

def run_main(env_file: Path, outdir: Path) -> None:
    done = subprocess.run([sys.executable, "main.py", "--env-file", str(env_file), "--outdir", str(outdir)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.slow
def test_adding_a_tenant_changes_only_the_tenants_stack(tmp_path):
    doc = yaml.safe_load((ROOT / "environments" / "aws-dev.yaml").read_text())
    assert len(doc["tenants"]) == 2
    before_file, after_file = tmp_path / "before.yaml", tmp_path / "after.yaml"
    before_file.write_text(yaml.safe_dump(doc))
    doc["tenants"].append({"name": "team-c", "quota": {"cpu": "2", "memory": "4Gi", "pods": 20},
                           "admins": ["arn:aws:iam::111122223333:role/team-c-admins"],
                           "egress_cidrs": ["198.51.100.0/24"]})
    after_file.write_text(yaml.safe_dump(doc))
    run_main(before_file, tmp_path / "before")
    run_main(after_file, tmp_path / "after")

    before, after = snapshot(tmp_path / "before"), snapshot(tmp_path / "after")
    tenants = "stacks/aws-dev-tenants/"
    others = sorted(k for k in before if not k.startswith(tenants))
    assert any(k.startswith("stacks/aws-dev-cluster/") for k in others)
    assert sorted(k for k in after if not k.startswith(tenants)) == others
    changed = [k for k in others if before[k] != after[k]]
    assert changed == [], f"adding a tenant changed {changed}"

    old = json.loads(before[f"{tenants}cdk.tf.json"])
    new = json.loads(after[f"{tenants}cdk.tf.json"])
    added = set(new["resource"]["kubernetes_manifest"]) - set(old["resource"]["kubernetes_manifest"])
    assert added and all("team-c" in key for key in added), added
    assert set(old["resource"]["kubernetes_manifest"]) <= set(new["resource"]["kubernetes_manifest"])
    for key, body in old["resource"]["kubernetes_manifest"].items():
        assert new["resource"]["kubernetes_manifest"][key] == body, key


# --------------------------------------------------------------------------- the shipped environments' objects

SHIPPED = ["aws-dev", "gcp-dev", "azure-dev"]


def manifests_of(env: str) -> list[dict]:
    stacks = synth(load_environment(ROOT / "environments" / f"{env}.yaml"))
    return [r["manifest"] for r in stacks["tenants"]["resource"]["kubernetes_manifest"].values()]


def node_local_dns(env: str) -> bool:
    """Whether the cluster answers DNS on a node-local cache (GKE NodeLocal DNSCache, 169.254.20.10),
    which ``allow-dns`` (kube-dns pods only) would not open."""
    cluster = synth(load_environment(ROOT / "environments" / f"{env}.yaml"))["cluster"]
    gke = cluster.get("resource", {}).get("google_container_cluster", {}).values()
    return any((c.get("addons_config") or {}).get("dns_cache_config", {}).get("enabled") for c in gke)


@pytest.mark.slow
@pytest.mark.parametrize("env", SHIPPED)
def test_every_object_of_the_shipped_tenants_stacks_validates_and_isolates(env):
    manifests = manifests_of(env)
    for manifest in manifests:
        kubernetes_validate.validate(manifest, "1.33", strict=True)
    namespaces = {m["metadata"]["name"] for m in manifests if m["kind"] == "Namespace"}
    assert namespaces == {"team-a", "team-b"}

    cluster = Cluster(manifests)
    a = Endpoint("10.200.0.10", "team-a", {"app": "web"})
    b = Endpoint("10.200.1.10", "team-b", {"app": "web"})
    dns = Endpoint("10.200.2.2", "kube-system", {"k8s-app": "kube-dns"})
    collector = Endpoint("10.200.3.3", "observability",
                         {"app.kubernetes.io/name": "alloy", "app.kubernetes.io/instance": "alloy"})
    assert not cluster.can_connect(b, a, 8080) and not cluster.can_connect(a, b, 8080)
    assert cluster.can_connect(a, dns, 53, "UDP") and cluster.can_connect(a, dns, 53, "TCP")
    assert not node_local_dns(env), f"{env}: NodeLocal DNSCache is on: open 169.254.20.10 in allow-dns"
    assert cluster.can_connect(a, collector, 4317)
    assert cluster.can_connect(a, Endpoint("192.0.2.10"), 443)  # team-a's listed range
    assert cluster.can_connect(a, Endpoint("192.0.2.10"), 5432)  # every port of it
    assert not cluster.can_connect(a, Endpoint("198.51.100.10"), 5432)  # another range is not
    assert not cluster.can_connect(a, Endpoint("10.99.0.1"), 443)  # public HTTPS opens no private range
    assert not cluster.can_connect(b, Endpoint("192.0.2.10"), 5432)  # team-b lists no range
    (lb,) = [m for m in manifests if m["metadata"]["name"] == "allow-load-balancer"
             and m["metadata"]["namespace"] == "team-a"]
    cidrs = [p["ipBlock"]["cidr"] for rule in lb["spec"]["ingress"] for p in rule["from"] if "ipBlock" in p]
    assert cidrs, f"{env}: the load balancer path names no range"
    inside = str(next(ipaddress.ip_network(cidrs[0]).hosts()))
    assert cluster.can_connect(Endpoint(inside), a, 8080)
