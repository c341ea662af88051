"""The gcp: section and the GCP rules: defaults, derived ranges, and one-line errors naming the field."""

import pytest

from platform_constructs.spec import SpecError, parse_environment
from tests.helpers import GCP, gcp_spec
from tests.helpers import BASE, merge


def error_of(override=None, data=None) -> SpecError:
    with pytest.raises(SpecError) as info:
        parse_environment(data if data is not None else merge(merge(BASE, GCP), override or {}), "env.yaml")
    return info.value


def test_defaults_are_filled():
    gcp = gcp_spec().gcp
    assert (gcp.release_channel, gcp.node_disk_type, gcp.master_ipv4_cidr_block) == ("REGULAR", "pd-balanced", "172.16.0.0/28")
    assert (gcp.managed_prometheus, gcp.deletion_protection, gcp.kms_rotation_days, gcp.max_pods_per_node) == (False, True, 90, 110)
    assert (gcp.nat_min_ports_per_vm, gcp.nat_max_ports_per_vm) == (1024, 65536)
    window = gcp.maintenance_window
    assert (window.days, window.start_time, window.duration_hours) == (["SA", "SU"], "03:00", 8)
    assert gcp.maintenance_exclusions == []


@pytest.mark.parametrize("cidr, expected", [
    ("10.0.0.0/16", {"pods": "10.0.0.0/17", "nodes": "10.0.128.0/19", "services": "10.0.160.0/20", "proxy_only": "10.0.176.0/23"}),
    ("10.8.0.0/20", {"pods": "10.8.0.0/21", "nodes": "10.8.8.0/23", "services": "10.8.10.0/24", "proxy_only": "10.8.11.0/26"}),
])
def test_ranges_are_carved_from_the_network_cidr(cidr, expected):
    assert gcp_spec().gcp.ranges(cidr) == expected


def test_missing_project_section():
    data = merge(BASE, {k: v for k, v in GCP.items() if k != "gcp"})
    err = error_of(data=data)
    assert str(err) == "env.yaml: gcp: is required when cloud is gcp"


def one_line(err: SpecError, path: str, words: str) -> None:
    assert err.path == path, str(err)
    assert words in err.message, str(err)
    assert str(err) == f"env.yaml: {path}: {err.message}" and "\n" not in str(err)
    assert "more problem" not in err.message


@pytest.mark.parametrize("override, path, words", [
    ({"gcp": {"project": None}}, "gcp.project", "string"),
    ({"gcp": {"project": "My_Project"}}, "gcp.project", "not a GCP project id"),
    ({"cluster": {"node_pools": [{"name": "g", "instance_types": ["e2-standard-4", "n2-standard-4"]}]}},
     "cluster.node_pools.0.instance_types", "GCP takes exactly one machine type per pool"),
    ({"cluster": {"endpoint": "public_and_private", "public_access_cidrs": ["0.0.0.0/0"]}}, "cluster.public_access_cidrs.0", "0.0.0.0/0"),
    ({"zones": ["us-central1-a", "us-east1-b", "us-central1-c"]}, "zones.1", "not a zone of region us-central1"),
    ({"zones": ["us-central1a", "us-central1-b", "us-central1-c"]}, "zones.0", "expected e.g. us-central1-a"),
    ({"tags": {"cost-center": "x"}}, "tags.cost-center", "cost_center"),
    ({"tags": {"team": "Platform Team"}}, "tags.team", "not a GCP label value"),
    ({"network": {"cidr": "10.0.0.0/22"}}, "network.cidr", "use a /20 or larger"),
    ({"network": {"subnets": {"public": ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"],
                              "private": ["10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20"]}}}, "network.subnets", "is only used with cloud: aws"),
    ({"gcp": {"nodes_cidr": "10.1.0.0/20"}}, "gcp.nodes_cidr", "outside network.cidr"),
    ({"gcp": {"services_cidr": "10.0.0.0/20"}}, "gcp.services_cidr", "overlaps 10.0.0.0/17"),
    ({"gcp": {"master_ipv4_cidr_block": "10.0.200.0/28"}}, "gcp.master_ipv4_cidr_block", "overlaps network.cidr"),
    ({"gcp": {"pods_cidr": "100.64.0.0/14", "master_ipv4_cidr_block": "100.64.0.0/28"}}, "gcp.master_ipv4_cidr_block", "overlaps 100.64.0.0/14"),
    ({"gcp": {"master_ipv4_cidr_block": "172.16.0.0/24"}}, "gcp.master_ipv4_cidr_block", "must be a /28"),
    ({"gcp": {"proxy_only_cidr": "10.0.200.0/28"}}, "gcp.proxy_only_cidr", "/26"),
    ({"gcp": {"pods_cidr": "100.64.0.0/22"}}, "gcp.pods_cidr", "can grow to 6"),
    ({"gcp": {"release_channel": "NIGHTLY"}}, "gcp.release_channel", "REGULAR"),
    ({"gcp": {"nat_min_ports_per_vm": 1000}}, "gcp.nat_min_ports_per_vm", "power of two"),
    ({"gcp": {"nat_min_ports_per_vm": 4096, "nat_max_ports_per_vm": 2048}}, "gcp.nat_max_ports_per_vm", "below nat_min_ports_per_vm"),
    ({"gcp": {"kms_rotation_days": 365}}, "gcp.kms_rotation_days", "90"),
    ({"gcp": {"zone": "x"}}, "gcp.zone", "unknown key"),
    ({"gcp": {"maintenance_window": {"days": ["SU"], "duration_hours": 6}}}, "gcp.maintenance_window",
     "allows only 24 hours of maintenance in some 32 days; GKE needs at least 48 hours"),
    ({"gcp": {"maintenance_window": {"days": ["SUN"]}}}, "gcp.maintenance_window.days.0", "'SU'"),
    ({"gcp": {"maintenance_window": {"days": ["SA", "SA"]}}}, "gcp.maintenance_window.days", "give each day once"),
    ({"gcp": {"maintenance_window": {"days": []}}}, "gcp.maintenance_window.days", "at least one day"),
    ({"gcp": {"maintenance_window": {"start_time": "3am"}}}, "gcp.maintenance_window.start_time", '"HH:MM" in UTC'),
    ({"gcp": {"maintenance_window": {"start_time": "24:00"}}}, "gcp.maintenance_window.start_time", '"HH:MM" in UTC'),
    ({"gcp": {"maintenance_window": {"start_time": 1410}}}, "gcp.maintenance_window.start_time", 'quote the time: "23:30"'),
    ({"gcp": {"maintenance_window": {"duration_hours": 3}}}, "gcp.maintenance_window.duration_hours", "4 hours or more"),
    ({"gcp": {"maintenance_window": {"duration_hours": 25}}}, "gcp.maintenance_window.duration_hours", "outside 4-24"),
    ({"gcp": {"maintenance_window": {"day": "SU"}}}, "gcp.maintenance_window.day", "unknown key"),
    ({"gcp": {"maintenance_exclusions": [{"name": "x", "start_time": "2026-12-20", "end_time": "2026-12-21T00:00:00Z",
                                          "scope": "NO_UPGRADES"}]}}, "gcp.maintenance_exclusions.0.start_time", "RFC 3339"),
    ({"gcp": {"maintenance_exclusions": [{"name": "x", "start_time": "2026-12-20T00:00:00", "end_time": "2026-12-21T00:00:00Z",
                                          "scope": "NO_UPGRADES"}]}}, "gcp.maintenance_exclusions.0.start_time", "UTC offset"),
    ({"gcp": {"maintenance_exclusions": [{"name": "x", "start_time": "2026-12-22T00:00:00Z", "end_time": "2026-12-21T00:00:00Z",
                                          "scope": "NO_UPGRADES"}]}}, "gcp.maintenance_exclusions.0.end_time", "must end after it starts"),
    ({"gcp": {"maintenance_exclusions": [{"name": "x", "start_time": "2026-12-01T00:00:00Z", "end_time": "2027-01-01T00:00:00Z",
                                          "scope": "NO_UPGRADES"}]}}, "gcp.maintenance_exclusions.0.end_time", "at most 30 days"),
    ({"gcp": {"maintenance_exclusions": [{"name": "x", "start_time": "2026-12-01T00:00:00Z", "end_time": "2026-12-02T00:00:00Z"}]}},
     "gcp.maintenance_exclusions.0.scope", "is required"),
    ({"gcp": {"maintenance_exclusions": [{"name": "x", "start_time": "2026-12-01T00:00:00Z", "end_time": "2026-12-02T00:00:00Z",
                                          "scope": "NO_PATCHES"}]}}, "gcp.maintenance_exclusions.0.scope", "NO_MINOR_UPGRADES"),
    ({"gcp": {"maintenance_exclusions": [{"name": "x", "start_time": "2026-12-01T00:00:00Z", "end_time": "2026-12-02T00:00:00Z",
                                          "scope": "NO_MINOR_UPGRADES"}] * 2}}, "gcp.maintenance_exclusions.1.name", "keys exclusions by name"),
    ({"gcp": {"maintenance_exclusions": [{"name": "", "start_time": "2026-12-01T00:00:00Z", "end_time": "2026-12-02T00:00:00Z",
                                          "scope": "NO_MINOR_UPGRADES"}]}}, "gcp.maintenance_exclusions.0.name", "is empty"),
    ({"cluster": {"admin_principals": ["arn:aws:iam::111122223333:role/a"]}}, "cluster.admin_principals", "is only used with cloud: aws, and this file's cloud is gcp"),
])
def test_bad_gcp_values_give_one_line_naming_the_field(override, path, words):
    one_line(error_of(override), path, words)


def test_the_gcp_section_is_rejected_on_other_clouds():
    err = error_of(data=merge(BASE, {"gcp": {"project": "proj-1"}}))
    assert (err.path, err.message) == ("gcp", "is only used with cloud: gcp, and this file's cloud is aws: remove it")


def test_an_overlap_names_the_range_the_user_wrote_not_the_carved_one():
    err = error_of({"gcp": {"nodes_cidr": "10.0.0.0/20"}})
    one_line(err, "gcp.nodes_cidr", "overlaps 10.0.0.0/17, carved from network.cidr (gcp.pods_cidr)")
