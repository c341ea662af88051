"""no-open-ports: only load balancers' 80/443 may be open to the world."""

from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress

from tests.invariants.helpers import messages, stack_doc


def security_group(stack, port, cidr="0.0.0.0/0"):
    # cdktf writes prefix_list_ids/security_groups/self as null here: the trap that hides port 22 from CKV_AWS_24.
    SecurityGroup(stack, "sg", name="sg", ingress=[SecurityGroupIngress(
        from_port=port, to_port=port, protocol="tcp", cidr_blocks=[cidr])])


def test_security_group_open_to_the_world():
    assert messages("no-open-ports", stack_doc(lambda s: security_group(s, 22))) == [
        "ingress 22-22 is open to 0.0.0.0/0: only ports 80/443 of load balancers may be; narrow the source range"]
    assert messages("no-open-ports", stack_doc(lambda s: security_group(s, 443))) == []
    assert messages("no-open-ports", stack_doc(lambda s: security_group(s, 22, "10.0.0.0/8"))) == []
