"""GKE maintenance in the model: the weekly window, exclusions, and GKE's 48-hours-in-32-days rule."""

from datetime import datetime, timedelta, timezone

import pytest
import yaml

from platform_constructs.gcp.maintenance import MaintenanceWindow, least_availability
from platform_constructs.spec import SpecError, parse_environment
from tests.helpers import BASE, GCP, gcp_spec, merge

ALL_WEEK = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def hours(window: MaintenanceWindow, frozen=()) -> float:
    return least_availability(window, list(frozen))[0].total_seconds() / 3600


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize("days, duration, least", [
    (["SA", "SU"], 8, 64),      # the default: four weekends in any 32 days
    (["SA", "SU"], 6, 48),      # exactly GKE's minimum
    (["SA", "SU"], 5, 40),
    (["SU"], 12, 48),
    (["SU"], 11, 44),
    (["TU", "WE", "TH"], 4, 48),
    (ALL_WEEK, 24, 32 * 24),    # always open
])
def test_least_maintenance_in_any_32_days(days, duration, least):
    assert hours(MaintenanceWindow(days=days, duration_hours=duration)) == least


def test_windows_that_cannot_give_48_hours_are_refused_and_those_that_can_pass():
    gcp_spec(gcp={"maintenance_window": {"days": ["SA", "SU"], "duration_hours": 6}})
    gcp_spec(gcp={"maintenance_window": {"days": ["SU"], "duration_hours": 12}})
    with pytest.raises(SpecError, match="allows only 40 hours"):
        gcp_spec(gcp={"maintenance_window": {"days": ["SA", "SU"], "duration_hours": 5}})


def test_no_upgrades_exclusions_count_against_the_window():
    window = MaintenanceWindow()  # SA, SU 03:00-11:00 UTC
    start = utc(2026, 12, 1)
    assert hours(window, [(start, start + timedelta(days=10))]) == 48   # takes one weekend out of the worst 32 days
    assert hours(window, [(start, start + timedelta(days=14))]) == 32   # takes two


def test_stretches_shorter_than_four_hours_do_not_count():
    # An always-open window cut by two freezes leaves a gap between them: 3 hours count for
    # nothing (the same as one freeze over both), 5 hours count in full.
    window = MaintenanceWindow(days=ALL_WEEK, start_time="00:00", duration_hours=24)
    a = utc(2026, 12, 1)

    def two_freezes(gap_hours):
        return [(a, a + timedelta(days=14)), (a + timedelta(days=14, hours=gap_hours), a + timedelta(days=28, hours=gap_hours))]

    assert hours(window, two_freezes(3)) == hours(window, [(a, a + timedelta(days=28, hours=3))]) == 93
    assert hours(window, two_freezes(5)) == 96


def test_a_30_day_freeze_fits_an_always_open_window_exactly():
    window = MaintenanceWindow(days=ALL_WEEK, start_time="00:00", duration_hours=24)
    a = utc(2026, 12, 1, 3)
    assert hours(window, [(a, a + timedelta(days=30))]) == 48
    assert hours(window, [(a, a + timedelta(days=29))]) == 72


def exclusion(name, start, end, scope="NO_UPGRADES"):
    return {"name": name, "start_time": start, "end_time": end, "scope": scope}


def error_of(gcp: dict) -> SpecError:
    with pytest.raises(SpecError) as info:
        parse_environment(merge(merge(BASE, GCP), {"gcp": gcp}), "env.yaml")
    return info.value


def test_a_freeze_that_starves_the_window_names_the_exclusion_and_the_fixes():
    err = error_of({"maintenance_exclusions": [
        exclusion("q4", "2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z", "NO_MINOR_UPGRADES"),
        exclusion("holidays", "2026-12-14T00:00:00Z", "2026-12-30T00:00:00Z"),
    ]})
    assert err.path == "gcp.maintenance_exclusions.1"
    assert "leaves only" in err.message and "GKE needs at least 48 hours in any 32 days" in err.message
    assert "SA, SU from 03:00 UTC for 8 hours" in err.message
    assert "use scope NO_MINOR_UPGRADES or NO_MINOR_OR_NODE_UPGRADES, or widen the window" in err.message


def test_minor_version_holds_do_not_count_against_the_window():
    spec = gcp_spec(gcp={"maintenance_exclusions": [
        exclusion("hold", "2026-10-01T00:00:00Z", "2027-03-01T00:00:00Z", "NO_MINOR_OR_NODE_UPGRADES")]})
    assert spec.gcp.maintenance_exclusions[0].scope == "NO_MINOR_OR_NODE_UPGRADES"


def test_at_most_three_no_upgrades_exclusions_and_twenty_in_all():
    wide = {"days": ALL_WEEK, "start_time": "00:00", "duration_hours": 24}
    four = [exclusion(f"f{i}", f"2026-0{i + 1}-01T00:00:00Z", f"2026-0{i + 1}-02T00:00:00Z") for i in range(4)]
    err = error_of({"maintenance_window": wide, "maintenance_exclusions": four})
    assert (err.path, err.message.split(":")[0]) == ("gcp.maintenance_exclusions.3.scope", "makes 4 NO_UPGRADES exclusions")
    gcp_spec(gcp={"maintenance_window": wide, "maintenance_exclusions": four[:3]})
    many = [exclusion(f"h{i}", f"2027-01-{i + 1:02d}T00:00:00Z", f"2027-01-{i + 2:02d}T00:00:00Z", "NO_MINOR_UPGRADES") for i in range(21)]
    err = error_of({"maintenance_exclusions": many})
    assert err.path == "gcp.maintenance_exclusions" and "at most 20" in err.message


def test_unquoted_yaml_times_are_taken_or_explained():
    data = merge(BASE, GCP)
    data["gcp"] = {**data["gcp"], **yaml.safe_load(
        "maintenance_exclusions: [{name: x, start_time: 2026-12-20T00:00:00Z, end_time: 2026-12-22T00:00:00+01:00, scope: NO_UPGRADES}]")}
    (ex,) = parse_environment(data, "env.yaml").gcp.maintenance_exclusions
    assert (ex.start_time, ex.end_time) == ("2026-12-20T00:00:00Z", "2026-12-21T23:00:00Z")
    data["gcp"] = {**data["gcp"], **yaml.safe_load("maintenance_window: {start_time: 23:30}")}
    with pytest.raises(SpecError, match='YAML reads an unquoted 23:30 as 1410'):
        parse_environment(data, "env.yaml")
