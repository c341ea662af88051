"""AwsWorkloadIdentity: a service account's IAM role by EKS Pod Identity (default) or IRSA, through the kit.

Also the neutral types' validation (ServiceAccount, AwsGrants, the component name), which every kit shares.
"""

import json
from pathlib import Path

import pytest
from cdktf import App, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider

from platform_constructs.aws.kit import AwsKit
from platform_constructs.aws.workload_identity import AwsWorkloadIdentity
from platform_constructs.contracts import ClusterContract
from platform_constructs.workload_identity import (
    AwsGrants,
    GcpGrants,
    InvalidWorkloadIdentity,
    ServiceAccount,
    bounded_name,
)
from tests.helpers import make_spec, ref

ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
PROVIDER_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
CLUSTER = ClusterContract(
    cluster_name="tc", endpoint="https://tc.example", certificate_authority_data="Q0E=",
    oidc_issuer_url=ISSUER, workload_identity_provider=PROVIDER_ARN,
)
INLINE = {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::tc-logs/*"]}]}
EBS = ServiceAccount("kube-system", "ebs-csi-controller-sa")
LBC = ServiceAccount("kube-system", "aws-load-balancer-controller")


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    """Two identities: EBS CSI through the kit (Pod Identity), the LB controller by the construct in IRSA mode."""
    app = App(outdir=str(tmp_path_factory.mktemp("workload-identity")))
    stack = TerraformStack(app, "probe")
    AwsProvider(stack, "aws", region="us-east-1")
    spec, kit = make_spec(), AwsKit()
    made = {
        "ebs": kit.workload_identity(
            stack, spec, CLUSTER, name="ebs-csi", layer="addons", service_account=EBS,
            grants=AwsGrants(managed_policies=("service-role/AmazonEBSCSIDriverPolicy",), inline_policy=INLINE)),
        "lbc": AwsWorkloadIdentity(
            stack, "lb-controller-identity", name="tc-lb-controller", cluster=CLUSTER, service_account=LBC,
            grants=AwsGrants(managed_policies=("ElasticLoadBalancingReadOnly",)), mode="irsa").identity,
    }
    for key, identity in made.items():
        TerraformOutput(stack, f"{key}-out", value={
            "annotations": identity.annotations, "pod_labels": identity.pod_labels, "principal": identity.principal,
        })
    app.synth()
    return made, json.loads(Path(app.outdir, "stacks", "probe", "cdk.tf.json").read_text())


def role(doc, name):
    return next(r for r in doc["resource"]["aws_iam_role"].values() if r["name"] == name)


def test_pod_identity_role_trusts_eks_pods_for_the_one_service_account(probe):
    _, doc = probe
    assert json.loads(role(doc, "tc-ebs-csi")["assume_role_policy"]) == {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "pods.eks.amazonaws.com"},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {"StringEquals": {
                "aws:RequestTag/eks-cluster-name": "tc",
                "aws:RequestTag/kubernetes-namespace": "kube-system",
                "aws:RequestTag/kubernetes-service-account": "ebs-csi-controller-sa",
            }},
        }],
    }


def test_pod_identity_association_binds_cluster_namespace_service_account_and_role(probe):
    _, doc = probe
    [association] = doc["resource"]["aws_eks_pod_identity_association"].values()
    ebs = role(doc, "tc-ebs-csi")
    assert {k: v for k, v in association.items() if k != "//"} == {
        "cluster_name": "tc", "namespace": "kube-system", "service_account": "ebs-csi-controller-sa",
        "role_arn": ref(doc, "aws_iam_role", ebs, "arn"),
    }


def test_pod_identity_needs_no_annotation(probe):
    made, doc = probe
    assert made["ebs"].service_account == EBS
    assert doc["output"]["ebs-out"]["value"] == {
        "annotations": {}, "pod_labels": {}, "principal": ref(doc, "aws_iam_role", role(doc, "tc-ebs-csi"), "arn"),
    }


def test_irsa_trust_is_the_one_subject_and_the_sts_audience(probe):
    _, doc = probe
    issuer = ISSUER.removeprefix("https://")
    assert json.loads(role(doc, "tc-lb-controller")["assume_role_policy"])["Statement"] == [{
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {
            f"{issuer}:sub": "system:serviceaccount:kube-system:aws-load-balancer-controller",
            f"{issuer}:aud": "sts.amazonaws.com",
        }},
    }]


def test_irsa_annotates_the_service_account_with_the_role_and_has_no_association(probe):
    _, doc = probe
    arn = ref(doc, "aws_iam_role", role(doc, "tc-lb-controller"), "arn")
    assert doc["output"]["lbc-out"]["value"] == {
        "annotations": {"eks.amazonaws.com/role-arn": arn}, "pod_labels": {}, "principal": arn,
    }
    [association] = doc["resource"]["aws_eks_pod_identity_association"].values()
    assert association["service_account"] == "ebs-csi-controller-sa"  # the IRSA one made none


def test_managed_policies_in_the_stacks_partition_and_the_inline_policy_as_given(probe):
    _, doc = probe
    attached = {}
    for attachment in doc["resource"]["aws_iam_role_policy_attachment"].values():
        assert attachment["policy_arn"].startswith("arn:${data.aws_partition.")
        attached.setdefault(attachment["role"], []).append(attachment["policy_arn"].split(":iam::aws:policy/")[1])
    ebs, lbc = role(doc, "tc-ebs-csi"), role(doc, "tc-lb-controller")
    assert attached == {
        ref(doc, "aws_iam_role", ebs, "name"): ["service-role/AmazonEBSCSIDriverPolicy"],
        ref(doc, "aws_iam_role", lbc, "name"): ["ElasticLoadBalancingReadOnly"],
    }
    [policy] = doc["resource"]["aws_iam_role_policy"].values()
    assert policy["role"] == ref(doc, "aws_iam_role", ebs, "id") and policy["name"] == "tc-ebs-csi"
    assert json.loads(policy["policy"]) == {"Version": "2012-10-17", **INLINE}


def test_role_names_fit_iams_64_characters_deterministically():
    long = "a-component-name-of-forty-characters-xyz"
    name = bounded_name(f"{'c' * 40}-{long}", 64)
    assert len(name) == 64 and name == bounded_name(f"{'c' * 40}-{long}", 64)
    assert name != bounded_name(f"{'c' * 40}-{long[:-1]}q", 64)
    assert bounded_name("tc-ebs-csi", 64) == "tc-ebs-csi"


def test_the_kit_refuses_another_clouds_grants_and_bad_component_names():
    stack, spec = TerraformStack(App(), "s"), make_spec()
    with pytest.raises(TypeError, match="takes AwsGrants, got GcpGrants"):
        AwsKit().workload_identity(stack, spec, CLUSTER, name="x-csi", layer="addons", service_account=EBS,
                                   grants=GcpGrants())
    with pytest.raises(InvalidWorkloadIdentity, match="'EBS_csi' is not a component name"):
        AwsKit().workload_identity(stack, spec, CLUSTER, name="EBS_csi", layer="addons", service_account=EBS)


def test_the_construct_refuses_a_bad_mode_and_role_name_at_once():
    with pytest.raises(ValueError) as err:
        AwsWorkloadIdentity(TerraformStack(App(), "s"), "x", name="bad name", cluster=CLUSTER, service_account=EBS,
                            mode="kiam")
    assert "IAM role name 'bad name'" in str(err.value) and "mode 'kiam' is not one of pod_identity, irsa" in str(err.value)


# --- the neutral types ----------------------------------------------------------------------


def test_service_account_subject_and_dotted_names():
    account = ServiceAccount("observability", "loki.write-1")
    assert account.subject == "system:serviceaccount:observability:loki.write-1"
    assert str(account) == "observability/loki.write-1"


def test_service_account_reports_every_problem_at_once():
    with pytest.raises(InvalidWorkloadIdentity) as err:
        ServiceAccount("Kube_System", "-sa")
    assert [p.split(" is not")[0] for p in err.value.problems] == [
        "service account namespace 'Kube_System'", "service account name '-sa'",
    ]
    with pytest.raises(InvalidWorkloadIdentity, match="not a DNS-1123 label"):
        ServiceAccount("n" * 64, "sa")
    with pytest.raises(InvalidWorkloadIdentity, match="not a DNS-1123 subdomain"):
        ServiceAccount("ns", "a..b")


def test_aws_grants_take_lists_and_default_the_policy_version():
    grants = AwsGrants(managed_policies=["AmazonS3ReadOnlyAccess"], inline_policy={"Version": "2012-10-17", **INLINE})
    assert grants.managed_policies == ("AmazonS3ReadOnlyAccess",)
    assert AwsGrants(inline_policy=INLINE).inline_policy["Version"] == "2012-10-17"


@pytest.mark.parametrize("kwargs, problem", [
    ({"managed_policies": ("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",)}, "is an ARN: give the policy's name"),
    ({"managed_policies": "AmazonS3ReadOnlyAccess"}, "must be a tuple of strings"),
    ({"managed_policies": ("A", "A")}, "names an entry twice"),
    ({"inline_policy": {"Statement": []}}, "has no statements"),
    ({"inline_policy": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}, "Allow '\\*' is not least"),
    ({"inline_policy": {"Statement": [{"Effect": "Allow", "Action": ["IAM:*"], "Resource": "*"}]}}, "Allow 'IAM:\\*'"),
    ({"inline_policy": {"Statement": [{"Effect": "Allow", "NotAction": ["s3:*"], "Resource": "*"}]}}, "NotAction"),
    ({"inline_policy": {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"]}]}}, "name its resources"),
    ({"inline_policy": {"Statement": [{"Effect": "Maybe"}]}}, "Effect must be"),
])
def test_aws_grants_refuse_what_is_not_least_privilege_or_malformed(kwargs, problem):
    with pytest.raises(InvalidWorkloadIdentity, match=problem):
        AwsGrants(**kwargs)
