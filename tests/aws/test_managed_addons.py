"""EksManagedAddons: the four core add-ons, ordered around the node groups, and switchable."""

from tests.helpers import make_spec, resources, synth


def test_core_addons_are_installed_around_the_node_groups():
    stack = synth(make_spec())["cluster"]
    addons = {a["addon_name"]: a for a in resources(stack, "aws_eks_addon")}
    assert set(addons) == {"vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent"}
    assert all(a["resolve_conflicts_on_create"] == "OVERWRITE" for a in addons.values())
    node_group = resources(stack, "aws_eks_node_group")[0]
    assert any("aws_eks_addon" in d and "vpc-cni" in d for d in node_group["depends_on"])
    assert any("aws_eks_node_group" in d for d in addons["coredns"]["depends_on"])


def test_managed_addons_can_be_switched_off():
    stack = synth(make_spec(name="noaddons", aws={"managed_addons": False}))["cluster"]
    assert resources(stack, "aws_eks_addon") == []
