"""CloudNat: one regional NAT on a Cloud Router, dynamic ports, for the node subnet's every range."""

import pytest

from platform_constructs.spec import SpecError

from tests.helpers import gcp_spec
from tests.helpers import one, ref, resources, synth


@pytest.fixture(scope="module")
def network():
    return synth(gcp_spec())["network"]


def test_router_on_the_vpc_in_the_region(network):
    router = one(network, "google_compute_router")
    assert router["name"] == "t-router" and router["region"] == "us-central1"
    assert router["network"] == ref(network, "google_compute_network", one(network, "google_compute_network"))


def test_nat_translates_every_range_of_the_node_subnet_with_dynamic_ports(network):
    nat = one(network, "google_compute_router_nat")
    nodes = [s for s in resources(network, "google_compute_subnetwork") if s["name"] == "t-nodes"][0]
    assert nat["router"] == ref(network, "google_compute_router", one(network, "google_compute_router"), "name")
    assert nat["source_subnetwork_ip_ranges_to_nat"] == "LIST_OF_SUBNETWORKS"
    assert nat["subnetwork"] == [{"name": ref(network, "google_compute_subnetwork", nodes),
                                  "source_ip_ranges_to_nat": ["ALL_IP_RANGES"]}]
    assert nat["enable_dynamic_port_allocation"] is True and nat["enable_endpoint_independent_mapping"] is False
    assert (nat["min_ports_per_vm"], nat["max_ports_per_vm"]) == (1024, 65536)
    assert nat["nat_ip_allocate_option"] == "AUTO_ONLY"
    assert nat["log_config"] == {"enable": True, "filter": "ERRORS_ONLY"}


def test_one_regional_nat_and_no_nat_mode_to_choose():
    assert len(resources(synth(gcp_spec(name="nat"))["network"], "google_compute_router_nat")) == 1
    with pytest.raises(SpecError) as err:
        gcp_spec(network={"nat": "per_zone"})  # Cloud NAT is regional: the AWS choice does not exist here
    assert (err.value.path, err.value.message) == (
        "network.nat", "is only used with cloud: aws or azure, and this file's cloud is gcp: remove it")


def test_port_range_comes_from_the_file():
    stack = synth(gcp_spec(name="ports", gcp={"nat_min_ports_per_vm": 256, "nat_max_ports_per_vm": 4096}))["network"]
    nat = one(stack, "google_compute_router_nat")
    assert (nat["min_ports_per_vm"], nat["max_ports_per_vm"]) == (256, 4096)
