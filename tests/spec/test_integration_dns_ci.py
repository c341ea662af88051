"""``network.dns`` and ``addons.ci_agent``: defaults, the YAML names of the issue, one-line errors."""

import pytest

from platform_constructs.spec import SpecError
from platform_constructs.spec.dns import zone_name_problem
from tests.helpers import azure_spec, gcp_spec, make_spec

NET = "10.0.0.0/16"


def refused(factory=make_spec, **override) -> SpecError:
    with pytest.raises(SpecError) as info:
        factory(**override)
    return info.value


@pytest.mark.parametrize("factory", [make_spec, gcp_spec, azure_spec])
def test_both_are_off_by_default_on_every_cloud(factory):
    spec = factory()
    assert spec.network.dns is None and spec.addons.ci_agent is None


@pytest.mark.parametrize("factory", [make_spec, gcp_spec, azure_spec])
def test_the_issues_yaml_names_are_accepted_on_every_cloud(factory):
    spec = factory(network={"cidr": NET, "dns": {"private_zone": "corp.internal", "public_zone": None}},
                   addons={"ci_agent": {"kind": "github", "url": "https://github.com/acme",
                                        "secret_name": "ci-runner-token"}})
    assert (spec.network.dns.private_zone, spec.network.dns.public_zone) == ("corp.internal", None)
    assert spec.network.dns.zones == ("corp.internal",) and spec.network.dns.query_logging is True
    agent = spec.addons.ci_agent
    assert (agent.kind, agent.url, agent.secret_name) == ("github", "https://github.com/acme", "ci-runner-token")


@pytest.mark.parametrize("zone,problem", [
    ("corp.internal.", "ends with a dot"),
    ("corp", "is a single label"),
    ("Corp.internal", "has the label 'Corp'"),
    ("-corp.internal", "has the label '-corp'"),
    ("a..internal", "has the label ''"),
    ("printer.local", "multicast DNS"),
    ("a" * 64 + ".internal", "has the label"),
    (".".join(["abcdefgh"] * 29) + ".internal", "DNS allows 253"),
])
def test_a_bad_zone_name_is_one_line_naming_the_field(zone, problem):
    err = refused(network={"cidr": NET, "dns": {"private_zone": zone}})
    assert err.path == "network.dns.private_zone" and problem in err.message and "\n" not in str(err)


def test_the_public_zone_is_checked_too_and_may_not_repeat_the_private_one():
    err = refused(network={"cidr": NET, "dns": {"private_zone": "corp.internal", "public_zone": "Apps.example.com"}})
    assert err.path == "network.dns.public_zone"
    err = refused(network={"cidr": NET, "dns": {"private_zone": "corp.internal", "public_zone": "corp.internal"}})
    assert err.path == "network.dns" and "also the private zone" in err.message


def test_dns_needs_a_private_zone_and_knows_no_other_key():
    assert refused(network={"cidr": NET, "dns": {"public_zone": "apps.example.com"}}).path == "network.dns.private_zone"
    assert refused(network={"cidr": NET, "dns": {"private_zone": "corp.internal", "zone": "x"}}).path == "network.dns.zone"


def test_valid_zone_names():
    for zone in ("corp.internal", "apps.example.com", "a-b.c1.internal", "x.y"):
        assert zone_name_problem(zone) is None, zone


@pytest.mark.parametrize("agent,path,problem", [
    ({"kind": "jenkins", "url": "https://ci.example.com", "secret_name": "t"}, "addons.ci_agent.kind", "github"),
    ({"kind": "github", "url": "http://github.com/acme", "secret_name": "t"}, "addons.ci_agent.url", "https"),
    ({"kind": "github", "url": "https://user:pw@github.com/acme", "secret_name": "t"}, "addons.ci_agent.url",
     "nothing secret belongs in the environment file"),
    ({"kind": "github", "url": "https://github.com/acme?x=1", "secret_name": "t"}, "addons.ci_agent.url", "query"),
    ({"kind": "gitlab", "url": "https://gitlab.com", "secret_name": "ci/runner"}, "addons.ci_agent.secret_name",
     "every cloud's secret store accepts"),
    ({"kind": "gitlab", "url": "https://gitlab.com", "secret_name": "x" * 128}, "addons.ci_agent.secret_name",
     "at most 127"),
    ({"kind": "gitlab", "url": "https://gitlab.com"}, "addons.ci_agent.secret_name", ""),
    ({"kind": "gitlab", "url": "https://gitlab.com", "secret_name": "t", "token": "glrt-x"}, "addons.ci_agent.token", ""),
])
def test_a_bad_ci_agent_is_one_line_naming_the_field(agent, path, problem):
    err = refused(addons={"ci_agent": agent})
    assert err.path == path and problem in err.message and "\n" not in str(err)


def test_the_url_loses_a_trailing_slash():
    spec = make_spec(addons={"ci_agent": {"kind": "gitlab", "url": "https://gitlab.example.com/",
                                          "secret_name": "gitlab-runner-token"}})
    assert spec.addons.ci_agent.url == "https://gitlab.example.com"
