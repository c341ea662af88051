"""kubernetes-version: never below the platform's minimum."""

from cdktf_cdktf_provider_aws.eks_cluster import EksCluster, EksClusterVpcConfig

from tests.invariants.helpers import ENCRYPTION, messages, stack_doc


def test_kubernetes_version_below_the_minimum():
    def build(stack):
        EksCluster(stack, "eks", name="c", role_arn="arn:role", version="1.31", encryption_config=ENCRYPTION,
                   vpc_config=EksClusterVpcConfig(subnet_ids=["a"], endpoint_public_access=False))
    assert messages("kubernetes-version", stack_doc(build)) == [
        'Kubernetes 1.31 is below 1.33: set kubernetes_version to "1.33" or later']
