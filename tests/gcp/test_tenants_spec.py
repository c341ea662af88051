"""The GCP rules of the tenants section: groups are Google group emails, and Google Groups for RBAC
takes only the gke-security-groups group (one line naming the field, exit status 2)."""

import pytest

from platform_constructs.spec import SpecError
from tests.gcp.test_spec import error_of, one_line
from tests.helpers import gcp_spec

QUOTA = {"cpu": "4", "memory": "8Gi", "pods": 20}


#: Google Groups for RBAC on: without it a tenant's groups have no effect and are refused (spec/ignored.py).
RBAC = {"rbac_security_group": "gke-security-groups@example.com"}


def tenant(**groups):
    return {"gcp": RBAC, "tenants": [{"name": "team-a", "quota": QUOTA, **groups}]}


def test_google_group_emails_are_accepted():
    spec = gcp_spec(**tenant(admins=["team-a-admins@example.com"],
                             developers=["dev.team+a@corp.example.co.uk", "o'brien-group@example.org"]))
    assert spec.tenants[0].developers[0] == "dev.team+a@corp.example.co.uk"


@pytest.mark.parametrize("role, groups, index, value", [
    ("admins", ["team-a-admins@example.com", "arn:aws:iam::111122223333:role/team-a"], 1,
     "arn:aws:iam::111122223333:role/team-a"),
    ("developers", ["11111111-1111-1111-1111-111111111111"], 0, "11111111-1111-1111-1111-111111111111"),
    ("developers", ["team-a-devs"], 0, "team-a-devs"),
    ("admins", ["Team-A-Admins@Example.com"], 0, "Team-A-Admins@Example.com"),
    ("admins", ["team-a@localhost"], 0, "team-a@localhost"),
])
def test_a_group_that_is_not_a_google_group_email_is_refused_on_one_line(role, groups, index, value):
    err = error_of(tenant(**{role: groups}))
    one_line(err, f"tenants.0.{role}.{index}", "is not a Google group email")
    assert repr(value) in err.message and "team-a-admins@example.com" in err.message


def test_the_rbac_security_group_is_optional_and_off_by_default():
    assert gcp_spec().gcp.rbac_security_group is None
    assert gcp_spec(gcp={"rbac_security_group": "gke-security-groups@example.com"}).gcp.rbac_security_group == \
        "gke-security-groups@example.com"


@pytest.mark.parametrize("value, words", [
    ("gke-security-groups", "is not a Google group email"),
    ("platform-admins@example.com", "GKE takes only gke-security-groups@<your domain> "
                                    "(e.g. gke-security-groups@example.com)"),
])
def test_the_rbac_security_group_must_be_gke_security_groups_at_a_domain(value, words):
    err = error_of({"gcp": {"rbac_security_group": value}})
    one_line(err, "gcp.rbac_security_group", words)


def test_both_problems_of_one_file_are_reported_in_order():
    with pytest.raises(SpecError) as info:
        gcp_spec(**{**tenant(admins=["nope"]), "gcp": {"rbac_security_group": "x@example.com"}})
    assert info.value.path == "gcp.rbac_security_group" and "1 more problem" in str(info.value)
