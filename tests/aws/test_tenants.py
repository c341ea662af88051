"""AwsTenants on ``<env>-tenants``: per tenant an IAM role for ``<tenant>/workload`` reaching only its
bucket folder, its own secrets and the registry; the neutral objects with the public subnets as the
load balancers' ingress and no RoleBindings (EKS access entries bind the groups)."""

import fnmatch
import json

import pytest

from tests.helpers import make_spec, resources, synth

QUOTA = {"cpu": "4", "memory": "8Gi", "pods": 20}
TENANTS = [
    {"name": "team-a", "quota": QUOTA},
    {"name": "team-b", "quota": QUOTA, "bucket_prefix": "apps/team-b"},
]
DATA = {"registry": {"repositories": ["api", "worker"]}}
ACCOUNT = "111122223333"


def policy_of(stack, role_name: str) -> dict:
    [body] = [p for p in resources(stack, "aws_iam_role_policy") if p["name"] == role_name]
    return json.loads(body["policy"])


def statement(policy: dict, sid: str) -> dict:
    [found] = [s for s in policy["Statement"] if s.get("Sid") == sid]
    return found


def data_output(stack: dict, fragment: str) -> str:
    """The reference to the data stack's output whose name holds ``fragment``."""
    prefix = "${data.terraform_remote_state.cross-stack-reference-input-t-data.outputs."
    found = {v.split("}", 1)[0] + "}" for p in resources(stack, "aws_iam_role_policy")
             for s in json.loads(p["policy"])["Statement"] for v in s["Resource"]
             if v.startswith(prefix) and fragment in v}
    assert len(found) == 1, (fragment, found)
    return found.pop()


@pytest.fixture(scope="module")
def stacks():
    return synth(make_spec(data=DATA, tenants=TENANTS))


@pytest.fixture(scope="module")
def stack(stacks):
    return stacks["tenants"]


def manifests(stack, kind: str) -> list[dict]:
    return [m["manifest"] for m in resources(stack, "kubernetes_manifest") if m["manifest"]["kind"] == kind]


def test_each_tenant_gets_a_role_only_its_workload_service_account_can_use(stack):
    roles = {r["name"]: r for r in resources(stack, "aws_iam_role")}
    assert set(roles) == {"tc-tenant-team-a", "tc-tenant-team-b"}
    for tenant in ("team-a", "team-b"):
        [trust] = json.loads(roles[f"tc-tenant-{tenant}"]["assume_role_policy"])["Statement"]
        assert trust["Principal"] == {"Service": "pods.eks.amazonaws.com"}
        assert trust["Condition"]["StringEquals"]["aws:RequestTag/kubernetes-namespace"] == tenant
        assert trust["Condition"]["StringEquals"]["aws:RequestTag/kubernetes-service-account"] == "workload"
    associations = {(a["namespace"], a["service_account"]) for a in resources(stack, "aws_eks_pod_identity_association")}
    assert associations == {("team-a", "workload"), ("team-b", "workload")}
    # the service accounts exist in the tenants' namespaces; Pod Identity needs no annotation
    accounts = {(m["metadata"]["namespace"], m["metadata"]["name"]): m for m in manifests(stack, "ServiceAccount")}
    assert set(accounts) == associations
    assert all("eks.amazonaws.com/role-arn" not in m["metadata"].get("annotations", {}) for m in accounts.values())
    # one inline policy per role, nothing AWS-managed
    assert sorted(p["name"] for p in resources(stack, "aws_iam_role_policy")) == sorted(roles)
    assert resources(stack, "aws_iam_role_policy_attachment") == []


def test_irsa_trusts_exactly_the_workload_service_account_and_annotates_it():
    stack = synth(make_spec(aws={"workload_identity": "irsa"}, tenants=TENANTS))["tenants"]
    roles = {r["name"]: r for r in resources(stack, "aws_iam_role")}
    [trust] = json.loads(roles["tc-tenant-team-b"]["assume_role_policy"])["Statement"]
    subjects = [v for k, v in trust["Condition"]["StringEquals"].items() if k.endswith(":sub")]
    assert subjects == ["system:serviceaccount:team-b:workload"]
    [account] = [m for m in manifests(stack, "ServiceAccount") if m["metadata"]["namespace"] == "team-b"]
    role_id = next(k for k, r in stack["resource"]["aws_iam_role"].items() if r["name"] == "tc-tenant-team-b")
    assert account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == f"${{aws_iam_role.{role_id}.arn}}"
    assert resources(stack, "aws_eks_pod_identity_association") == []


@pytest.mark.parametrize("tenant, folder", [("team-a", "team-a"), ("team-b", "apps/team-b")])
def test_bucket_access_is_read_write_under_the_tenants_folder_of_the_app_bucket_only(stack, tenant, folder):
    policy = policy_of(stack, f"tc-tenant-{tenant}")
    app = data_output(stack, "bucket-app")
    listing = statement(policy, "ListBucket")
    assert listing["Resource"] == [app]
    assert listing["Condition"] == {"StringLike": {"s3:prefix": [f"{folder}/", f"{folder}/*"]}}
    objects = statement(policy, "WriteObjects")
    assert objects["Resource"] == [f"{app}/{folder}/*"]
    assert {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"} <= set(objects["Action"])
    key = statement(policy, "UseDataKeyThroughS3")
    assert key["Resource"] == [data_output(stack, "data_key")]
    assert key["Condition"] == {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}
    # the backup bucket is never reachable
    assert "bucket-backup" not in json.dumps(policy)


def resolved_secret_pattern(stack, tenant: str) -> str:
    """The policy's secrets ARN with the partition and account data sources filled in."""
    [pattern] = statement(policy_of(stack, f"tc-tenant-{tenant}"), "ReadOwnSecrets")["Resource"]
    for k in stack["data"]["aws_caller_identity"]:
        pattern = pattern.replace(f"${{data.aws_caller_identity.{k}.account_id}}", ACCOUNT)
    for k in stack["data"]["aws_partition"]:
        pattern = pattern.replace(f"${{data.aws_partition.{k}.partition}}", "aws")
    assert "${" not in pattern, pattern
    return pattern


def test_secrets_are_read_only_under_the_tenants_own_path(stack):
    policy = policy_of(stack, "tc-tenant-team-a")
    assert statement(policy, "ReadOwnSecrets")["Action"] == ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    pattern = resolved_secret_pattern(stack, "team-a")
    arn = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:"
    # Secrets Manager appends '-' and six random characters to every secret's ARN
    assert fnmatch.fnmatchcase(f"{arn}t/tenants/team-a/database-AbC123", pattern)
    assert fnmatch.fnmatchcase(f"{arn}t/tenants/team-a/app/api-key-XyZ789", pattern)
    for other in ("t/tenants/team-b/database-AbC123", "t/tenants/team-ab/x-AbC123", "t/tenants/team-a-AbC123",
                  "u/tenants/team-a/database-AbC123", "team-a/database-AbC123"):
        assert not fnmatch.fnmatchcase(f"{arn}{other}", pattern), other
    assert not fnmatch.fnmatchcase(f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:t/tenants/team-a/db-AbC123", pattern)
    assert not fnmatch.fnmatchcase("arn:aws:secretsmanager:us-east-1:999988887777:secret:t/tenants/team-a/db-AbC123", pattern)


def test_registry_pull_is_limited_to_the_data_layers_repositories(stack):
    policy = policy_of(stack, "tc-tenant-team-a")
    login = statement(policy, "RegistryLogin")
    assert login["Action"] == ["ecr:GetAuthorizationToken"] and login["Resource"] == ["*"]
    pull = statement(policy, "PullImages")
    assert sorted(pull["Action"]) == ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    assert pull["Resource"] == [data_output(stack, "registry_api"), data_output(stack, "registry_worker")]
    # "*" is the login token's resource only, and no statement allows pushing
    assert [s["Sid"] for s in policy["Statement"] if "*" in s["Resource"]] == ["RegistryLogin"]
    assert not any(a.startswith(("ecr:Put", "ecr:Upload", "ecr:InitiateLayerUpload", "ecr:CompleteLayerUpload"))
                   for s in policy["Statement"] for a in s["Action"])


def test_the_data_stack_exports_the_repository_arns_the_policy_reads(stacks):
    outputs = stacks["data"]["output"]
    repository_ids = set(stacks["data"]["resource"]["aws_ecr_repository"])
    exported = {v["value"] for v in outputs.values() if isinstance(v["value"], str)}
    assert {f"${{aws_ecr_repository.{rid}.arn}}" for rid in repository_ids} <= exported


def test_without_an_app_bucket_or_repositories_only_the_secrets_remain():
    # (without the app bucket a tenant's bucket_prefix has no effect and is refused: spec/ignored.py)
    tenants = [{k: v for k, v in t.items() if k != "bucket_prefix"} for t in TENANTS]
    stack = synth(make_spec(name="bare", data={"buckets": ["backup"]}, tenants=tenants))["tenants"]
    policy = policy_of(stack, "tc-tenant-team-a")
    assert [s["Sid"] for s in policy["Statement"]] == ["ReadOwnSecrets"]


def test_load_balancers_reach_the_pods_from_the_public_subnets(stacks):
    public = sorted(s["cidr_block"] for s in resources(stacks["network"], "aws_subnet")
                    if s["tags"].get("kubernetes.io/role/elb") == "1")
    assert len(public) == 3
    for tenant in ("team-a", "team-b"):
        [policy] = [m for m in manifests(stacks["tenants"], "NetworkPolicy")
                    if m["metadata"]["namespace"] == tenant and m["metadata"]["name"] == "allow-load-balancer"]
        [rule] = policy["spec"]["ingress"]
        assert sorted(peer["ipBlock"]["cidr"] for peer in rule["from"]) == public
        # nothing else: not the private subnets, where the nodes, the pods and internal load balancers live
        assert all(set(peer) == {"ipBlock"} and "except" not in peer["ipBlock"] for peer in rule["from"])


def test_explicit_public_subnets_are_the_ingress():
    subnets = {"public": ["10.9.0.0/24", "10.9.1.0/24", "10.9.2.0/24"],
               "private": ["10.9.64.0/18", "10.9.128.0/18", "10.9.192.0/18"]}
    stack = synth(make_spec(name="explicit", network={"cidr": "10.9.0.0/16", "subnets": subnets},
                            tenants=TENANTS[:1]))["tenants"]
    [policy] = [m for m in manifests(stack, "NetworkPolicy") if m["metadata"]["name"] == "allow-load-balancer"]
    assert [p["ipBlock"]["cidr"] for p in policy["spec"]["ingress"][0]["from"]] == subnets["public"]


def test_groups_are_bound_by_access_entries_not_role_bindings():
    stack = synth(make_spec(tenants=[{**TENANTS[0], "admins": ["arn:aws:iam::111122223333:role/team-a"]}]))["tenants"]
    assert manifests(stack, "RoleBinding") == [] and manifests(stack, "ClusterRoleBinding") == []
    assert len(resources(stack, "aws_eks_access_entry")) == 1


def test_role_names_stay_within_iams_64_characters_and_distinct():
    cluster = "c" * 38
    long_names = ["a" * 31 + "x", "a" * 31 + "y"]
    spec = make_spec(name="long", cluster={"name": cluster},
                     tenants=[{"name": n, "quota": QUOTA} for n in long_names])
    names = [r["name"] for r in resources(synth(spec)["tenants"], "aws_iam_role")]
    assert len(names) == 2 and len(set(names)) == 2
    assert all(len(n) <= 64 and n.startswith(f"{cluster}-tenant-aaaa") for n in names)


def cluster_of(stack):
    from tests.tenants.netpol_eval import Cluster

    return Cluster([m["manifest"] for m in resources(stack, "kubernetes_manifest")])


def test_pods_reach_the_pod_identity_agent_and_nothing_else_on_the_node(stack):
    """Evaluated as Kubernetes does (tests/tenants/netpol_eval.py) on the stack's own policies."""
    from tests.tenants.netpol_eval import Endpoint

    cluster = cluster_of(stack)
    pod = Endpoint("10.0.1.20", "team-a", {"app": "api"})
    agent = Endpoint("169.254.170.23")
    assert cluster.can_connect(pod, agent, 80)
    assert not cluster.can_connect(pod, agent, 443) and not cluster.can_connect(pod, agent, 80, "UDP")
    # the node's instance metadata (and its role's credentials) stay out of reach
    assert not cluster.can_connect(pod, Endpoint("169.254.169.254"), 80)


def test_with_irsa_no_node_address_is_opened():
    from tests.tenants.netpol_eval import Endpoint

    stack = synth(make_spec(aws={"workload_identity": "irsa"}, tenants=TENANTS))["tenants"]
    assert not any(m["metadata"]["name"] == "allow-cloud-apis" for m in manifests(stack, "NetworkPolicy"))
    pod = Endpoint("10.0.1.20", "team-a", {"app": "api"})
    assert not cluster_of(stack).can_connect(pod, Endpoint("169.254.170.23"), 80)


def test_only_load_balancers_in_the_public_subnets_reach_the_pods(stack):
    from tests.tenants.netpol_eval import Endpoint

    cluster = cluster_of(stack)
    pod = Endpoint("10.0.1.20", "team-b", {"app": "web"})
    for public in ("10.0.224.7", "10.0.231.254", "10.0.232.9"):      # ALB / NLB nodes, one per zone's public subnet
        assert cluster.can_connect(Endpoint(public), pod, 8080), public
    for other in ("10.0.0.9", "10.0.96.4", "10.0.236.1", "203.0.113.5"):  # private subnets, unused space, internet
        assert not cluster.can_connect(Endpoint(other), pod, 8080), other
