"""The local emulator (platform_tools.emulator_compat) plus one correction only tests/test_e2e_review_guard.py needs.

    python -m tests.emulator_cluster_sg -H 127.0.0.1 -p PORT

EKS ``CreateCluster`` creates the cluster security group: the AWS API reference (DescribeCluster,
``resourcesVpcConfig.clusterSecurityGroupId``: "The cluster security group that was created by Amazon
EKS for the cluster"). moto 5.2.5 (moto/eks/models.py ``Cluster``) creates none and answers an empty
id, so the data stack's NFS rule (which admits the cluster security group) fails to apply with
``InvalidGroup.NotFound: The security group '' does not exist``. Corrected here: a security group
``eks-cluster-sg-<name>`` in the VPC of the cluster's first subnet, its id returned as AWS does.
Kept out of emulator_compat on purpose: the other e2e modules never apply the data stack and do
not destroy it here (the review guard's test never destroys; its emulator is thrown away).
"""

from __future__ import annotations

import sys

from platform_tools import emulator_compat


def patch_cluster_security_group() -> None:
    from moto.ec2.models import ec2_backends
    from moto.eks.models import EKSBackend

    original = EKSBackend.create_cluster

    def create_cluster(self, *args, **kwargs):
        cluster = original(self, *args, **kwargs)
        config = cluster.resources_vpc_config or {}
        if not config.get("clusterSecurityGroupId") and config.get("subnetIds"):
            ec2 = ec2_backends[self.account_id][self.region_name]
            vpc_id = ec2.get_subnet(config["subnetIds"][0]).vpc_id
            group = ec2.create_security_group(f"eks-cluster-sg-{cluster.name}", "EKS created security group",
                                              vpc_id=vpc_id)
            config["clusterSecurityGroupId"] = group.id
            cluster.resources_vpc_config = config
        return cluster

    EKSBackend.create_cluster = create_cluster


if __name__ == "__main__":
    emulator_compat.PATCHES = (*emulator_compat.PATCHES, patch_cluster_security_group)
    sys.exit(emulator_compat.main())
