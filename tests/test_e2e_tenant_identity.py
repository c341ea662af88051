"""End to end: the tenants layer's IAM side (IRSA), applied by real Terraform to the local emulator.

The tenants stack holds Kubernetes objects (the kubernetes provider, which has no binary on these
machines and would need a cluster), so its AWS resources are proven like the addons and observability
layers' (tests/test_e2e_addon_resources.py): the real construct in a probe stack of its own, applied to
moto, checked through boto3, re-planned, and destroyed.

Applied, exactly:
- a stand-in for what the cluster stack gives (not under test): an IAM OIDC provider (a fake issuer);
- a stand-in data contract (not under test): literal ARNs of the ``app`` bucket, the data key and two
  ECR repositories (IAM takes any ARN in a policy; the data layer itself is applied in
  tests/test_e2e_addon_resources.py);
- the REAL :class:`AwsTenantIdentities` from the environment's spec, built by the kit's
  ``workload_identity``: per tenant an IRSA role trusting ``<tenant>/workload`` and its inline policy.

Not applied: the tenants' EKS access entries (:class:`TenantAccessEntries`). moto answers 404 for
``CreateAccessEntry`` and ``AssociateAccessPolicy`` (it has no access entries, as
environments/aws-local.yaml says), so they are proven by ``terraform validate`` with the real provider
(tests/aws/test_tenants_validate.py, the same probe with ``access=True``) and on the JSON
(tests/aws/test_tenants_access.py). ``aws.workload_identity: irsa`` is the emulator file's mode (moto
has no EKS Pod Identity associations).
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

import pytest

from tests.emulator_probe import probe_fixture
from tests.helpers import make_spec
from tests.test_e2e_emulator import unexpected

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

REGION = "us-east-1"
ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
AUDIENCE = "sts.amazonaws.com"
STACK = "tenant-identity-probe"
CLUSTER_NAME = "tc"
#: moto's account id.
ACCOUNT = "123456789012"
QUOTA = {"cpu": "4", "memory": "8Gi", "pods": 20}
TENANTS = [
    {"name": "team-a", "quota": QUOTA, "admins": ["arn:aws:iam::111122223333:role/team-a-admins"],
     "developers": ["arn:aws:iam::111122223333:role/shared-devs"]},
    {"name": "team-b", "quota": QUOTA, "bucket_prefix": "apps/team-b",
     "developers": ["arn:aws:iam::111122223333:role/shared-devs"]},
]
#: The stand-in data layer's ARNs.
APP_BUCKET_ARN = f"arn:aws:s3:::t-{ACCOUNT}-app"
DATA_KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/00000000-0000-0000-0000-000000000001"
REPOSITORY_ARNS = {name: f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/t/{name}" for name in ("api", "worker")}


def probe_spec(endpoint: str | None, mode: str = "irsa"):
    """The environment with two tenants; ``endpoint`` None for real AWS (``terraform validate``)."""
    aws = {"workload_identity": mode, **({"endpoint": endpoint} if endpoint else {})}
    return make_spec(aws=aws, data={"registry": {"repositories": list(REPOSITORY_ARNS)}}, tenants=TENANTS)


def build_probe(outdir: Path, endpoint: str | None, *, mode: str = "irsa", access: bool = False) -> Path:
    """Synthesize the probe stack into ``outdir``: the tenants' identities and, with ``access``, their
    access entries; returns its stack folder."""
    from cdktf import App, LocalBackend, TerraformOutput, TerraformStack
    from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider

    from platform_constructs.aws.contracts import AwsClusterContract, AwsDataContract
    from platform_constructs.aws.kit import AwsKit
    from platform_constructs.aws.provider import aws_provider
    from platform_constructs.aws.tenant_access import TenantAccessEntries
    from platform_constructs.aws.tenants import AwsTenantIdentities

    spec = probe_spec(endpoint, mode)
    assert spec.cluster.name == CLUSTER_NAME
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, STACK)
    LocalBackend(stack, path=str(outdir / "state" / f"{STACK}.tfstate"))
    aws_provider(stack, spec, "tenants")

    # Stand-ins for the cluster and data layers.
    oidc = IamOpenidConnectProvider(stack, "oidc", url=ISSUER, client_id_list=[AUDIENCE],
                                    thumbprint_list=["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"])
    cluster = AwsClusterContract(
        cluster_name=CLUSTER_NAME, endpoint="https://probe.invalid", certificate_authority_data="",
        oidc_issuer_url=ISSUER, workload_identity_provider=oidc.arn, node_security_group_id="sg-probe",
        kms_key_arn=DATA_KEY_ARN, node_role_arn=f"arn:aws:iam::{ACCOUNT}:role/probe-node",
    )
    data = AwsDataContract(buckets={"app": f"t-{ACCOUNT}-app"}, bucket_arns={"app": APP_BUCKET_ARN},
                           kms_key_arn=DATA_KEY_ARN, registry_url=f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/t",
                           repository_arns=REPOSITORY_ARNS)

    identities = AwsTenantIdentities(stack, "identities", spec=spec, cluster=cluster, data=data, kit=AwsKit())
    if access:
        TenantAccessEntries(stack, "access", cluster_name=cluster.cluster_name, tenants=spec.tenants)
    TerraformOutput(stack, "role_arns", value={name: identity.principal
                                               for name, identity in identities.identities.items()})
    app.synth()
    return outdir / "stacks" / STACK


def loads(doc):
    return json.loads(doc) if isinstance(doc, str) else doc


def role_policy(probe, tenant: str) -> dict:
    role = f"{CLUSTER_NAME}-tenant-{tenant}"
    return loads(probe.aws("iam").get_role_policy(RoleName=role, PolicyName=role)["PolicyDocument"])


def by_sid(doc: dict) -> dict[str, dict]:
    return {s["Sid"]: s for s in doc["Statement"]}


def listed(value) -> list:
    return [value] if isinstance(value, str) else list(value)


@pytest.fixture(scope="module")
def probe(tmp_path_factory, request):
    yield from probe_fixture(tmp_path_factory, request, label="e2e-tenant-identity", region=REGION, build=build_probe)


def test_1_apply(probe):
    probe.apply()
    assert probe.outputs()["role_arns"] == {
        t["name"]: f"arn:aws:iam::{ACCOUNT}:role/{CLUSTER_NAME}-tenant-{t['name']}" for t in TENANTS}


def test_2_each_role_trusts_only_its_tenants_workload_service_account(probe):
    iam = probe.aws("iam")
    issuer = ISSUER.removeprefix("https://")
    provider_arn = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"][0]["Arn"]
    for tenant in TENANTS:
        role = f"{CLUSTER_NAME}-tenant-{tenant['name']}"
        [statement] = loads(iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"])["Statement"]
        assert statement["Principal"] == {"Federated": provider_arn}
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Condition"] == {"StringEquals": {
            f"{issuer}:sub": f"system:serviceaccount:{tenant['name']}:workload", f"{issuer}:aud": AUDIENCE}}, role
        assert iam.list_role_policies(RoleName=role)["PolicyNames"] == [role]
        assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == []


@pytest.mark.parametrize("tenant, folder", [("team-a", "team-a"), ("team-b", "apps/team-b")])
def test_3_bucket_statements_reach_only_the_tenants_folder(probe, tenant, folder):
    statements = by_sid(role_policy(probe, tenant))
    assert listed(statements["ListBucket"]["Resource"]) == [APP_BUCKET_ARN]
    assert statements["ListBucket"]["Condition"] == {"StringLike": {"s3:prefix": [f"{folder}/", f"{folder}/*"]}}
    [objects] = listed(statements["WriteObjects"]["Resource"])
    assert fnmatch.fnmatchcase(f"{APP_BUCKET_ARN}/{folder}/reports/2026.csv", objects)
    others = [t["bucket_prefix"] if "bucket_prefix" in t else t["name"] for t in TENANTS if t["name"] != tenant]
    assert not any(fnmatch.fnmatchcase(f"{APP_BUCKET_ARN}/{other}/x", objects) for other in others)
    assert not fnmatch.fnmatchcase(f"{APP_BUCKET_ARN}/{folder}", objects)
    assert listed(statements["UseDataKeyThroughS3"]["Resource"]) == [DATA_KEY_ARN]


def test_4_the_secrets_pattern_matches_the_tenants_own_secrets_as_secrets_manager_names_them(probe):
    """Secrets created in the emulator (which, like Secrets Manager, appends a random suffix to each
    ARN) against each role's resolved pattern: the partition and account came from the data sources."""
    sm = probe.aws("secretsmanager")
    arns = {name: sm.create_secret(Name=name, SecretString="probe")["ARN"]
            for name in ("t/tenants/team-a/database", "t/tenants/team-a/api/key", "t/tenants/team-b/database",
                         "t/tenants/team-ab/database", "t/other/team-a/database")}
    try:
        allowed = {}
        for tenant in ("team-a", "team-b"):
            secrets = by_sid(role_policy(probe, tenant))["ReadOwnSecrets"]
            assert sorted(listed(secrets["Action"])) == ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
            [pattern] = listed(secrets["Resource"])
            assert pattern == f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:t/tenants/{tenant}/*"
            allowed[tenant] = sorted(name for name, arn in arns.items() if fnmatch.fnmatchcase(arn, pattern))
        assert allowed == {"team-a": ["t/tenants/team-a/api/key", "t/tenants/team-a/database"],
                           "team-b": ["t/tenants/team-b/database"]}
    finally:
        for arn in arns.values():
            sm.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)


def test_5_registry_pull_on_the_repositories_and_a_login_token(probe):
    statements = by_sid(role_policy(probe, "team-a"))
    assert listed(statements["RegistryLogin"]["Action"]) == ["ecr:GetAuthorizationToken"]
    assert listed(statements["RegistryLogin"]["Resource"]) == ["*"]
    assert sorted(listed(statements["PullImages"]["Resource"])) == sorted(REPOSITORY_ARNS.values())
    assert set(statements) == {"ListBucket", "LocateBucket", "WriteObjects", "UseDataKeyThroughS3", "ReadOwnSecrets",
                               "RegistryLogin", "PullImages"}


def test_6_replan_is_clean(probe):
    status, changes, _ = probe.replan()
    assert unexpected(changes) == [], "perpetual diff (not an emulator artifact):\n" + "\n".join(unexpected(changes))
    assert status == 0


def test_7_destroy_leaves_nothing(probe):
    probe.destroy()
    iam = probe.aws("iam")
    roles = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    assert roles.isdisjoint(f"{CLUSTER_NAME}-tenant-{t['name']}" for t in TENANTS)
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
