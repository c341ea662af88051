"""ClusterAdmins: an access entry and the cluster-admin policy per principal."""

from tests.helpers import make_spec, resources, synth

ADMINS = ["arn:aws:iam::111122223333:role/platform-admins", "arn:aws:iam::111122223333:user/alice"]


def test_each_admin_principal_gets_cluster_admin():
    stack = synth(make_spec(name="admins", cluster={"admin_principals": ADMINS}))["cluster"]
    assert [e["principal_arn"] for e in resources(stack, "aws_eks_access_entry")] == ADMINS
    assocs = resources(stack, "aws_eks_access_policy_association")
    assert len(assocs) == 2
    for a in assocs:
        assert a["policy_arn"].endswith(":eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy")
        assert a["access_scope"] == {"type": "cluster"}


def test_no_admins_no_entries():
    stack = synth(make_spec(name="cm", cluster={"authentication_mode": "CONFIG_MAP"}))["cluster"]
    assert resources(stack, "aws_eks_access_entry") == []
