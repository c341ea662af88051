"""GKE maintenance policy in the model: a weekly window, exclusions, and GKE's availability rule.

Imports no provider package (the model is loaded for every file of every cloud); the cluster
construct turns :meth:`MaintenanceWindow.first_occurrence` / :attr:`MaintenanceWindow.recurrence`
and the exclusions into ``maintenance_policy``.

GKE's rules, from https://cloud.google.com/kubernetes-engine/docs/how-to/maintenance-window
("Considerations when configuring a maintenance window") and
https://cloud.google.com/kubernetes-engine/docs/concepts/maintenance-windows-and-exclusions
("Limitations" of maintenance exclusions):

- one recurring window per cluster; day-of-week recurrences are always UTC;
- at least 48 hours of maintenance availability in any rolling 32 days, counting only
  contiguous stretches of at least 4 hours; "no upgrades" exclusions must leave that much too;
- at most 3 "no upgrades" exclusions, each at most 30 days; at most 20 exclusions in all;
- "no minor (or node) upgrades" exclusions may not outlast the minor version's end of support
  (GKE checks that when the exclusion is applied; the model cannot know the date).
"""

from __future__ import annotations

import bisect
import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator

from platform_constructs.spec.common import Model, Problem, shown

#: RFC 5545 weekday codes in week order (BYDAY values).
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
Scope = Literal["NO_UPGRADES", "NO_MINOR_UPGRADES", "NO_MINOR_OR_NODE_UPGRADES"]

#: A Monday in the past: the recurring window's RFC 3339 start/end fall in its week (a fixed
#: date keeps every plan identical; GKE uses the date only as the first possible occurrence).
ANCHOR = date(2025, 1, 6)
#: GKE's availability rule: at least NEEDED in any ROLLING span, counting stretches of MIN_STRETCH or more.
ROLLING = timedelta(days=32)
NEEDED = timedelta(hours=48)
MIN_STRETCH = timedelta(hours=4)
#: GKE's exclusion limits.
MAX_EXCLUSIONS = 20
MAX_NO_UPGRADES = 3
MAX_NO_UPGRADES_LENGTH = timedelta(days=30)

_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def _time_of_day(value: object) -> object:
    """Explain YAML 1.1's base-60 reading of an unquoted 23:30 (the number 1410) instead of a type error."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        hours, minutes = divmod(value, 60)
        raise ValueError(f"{value} is a number: YAML reads an unquoted {hours}:{minutes:02d} as {value} (base 60); "
                         f"quote the time: \"{hours:02d}:{minutes:02d}\"")
    return value


def _timestamp(value: object) -> object:
    """YAML turns an unquoted 2026-12-20T00:00:00Z into a datetime: take it back as RFC 3339 text if it has an offset."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{value.isoformat()} has no UTC offset: write it as RFC 3339 with one, e.g. "
                             f"\"{value.strftime('%Y-%m-%dT%H:%M:%S')}Z\"")
        return value.isoformat()
    if isinstance(value, date):
        raise ValueError(f"{value.isoformat()} is a date without a time: write RFC 3339, e.g. \"{value.isoformat()}T00:00:00Z\"")
    return value


def parse_rfc3339(value: str) -> datetime:
    """An RFC 3339 timestamp with a UTC offset (``2026-12-20T00:00:00Z``), as an aware datetime."""
    if not _RFC3339.fullmatch(value):
        raise ValueError(f"{shown(value)} is not an RFC 3339 timestamp with a UTC offset, e.g. \"2026-12-20T00:00:00Z\"")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{shown(value)} is not a valid date and time ({exc})") from None
    if not 1970 <= moment.year <= 2999:
        raise ValueError(f"{shown(value)} is not a year between 1970 and 2999: check the date")
    return moment


def rfc3339(moment: datetime) -> str:
    """``moment`` in UTC as ``YYYY-MM-DDTHH:MM:SSZ`` (the form GKE returns, so plans stay clean)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class MaintenanceWindow(Model):
    """A weekly window, in UTC, in which GKE may upgrade and maintain the cluster automatically.

    The default (Saturday and Sunday, 03:00-11:00 UTC) gives at least 64 hours in any
    32 days, above GKE's 48, with room for a "no upgrades" exclusion of about a week.
    """

    #: Days of the week (RFC 5545 codes MO TU WE TH FR SA SU, in UTC), each once. Default: [SA, SU].
    days: list[Weekday] = Field(default_factory=lambda: ["SA", "SU"])
    #: Start of each occurrence, "HH:MM" in UTC (quoted in YAML). Default: "03:00".
    start_time: Annotated[str, BeforeValidator(_time_of_day)] = "03:00"
    #: Length of each occurrence in hours, 4-24 (GKE counts only stretches of 4 hours or more). Default: 8.
    duration_hours: int = 8

    @field_validator("days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("is empty: list at least one day, e.g. [SA, SU]")
        if len(set(value)) != len(value):
            raise ValueError(f"lists a day twice ({', '.join(value)}): give each day once")
        return sorted(value, key=WEEKDAYS.index)

    @field_validator("start_time")
    @classmethod
    def _start(cls, value: str) -> str:
        if not _HHMM.fullmatch(value):
            raise ValueError(f"{shown(value)} is not a time of day: give \"HH:MM\" in UTC, 00:00-23:59 (e.g. \"03:00\")")
        return value

    @field_validator("duration_hours")
    @classmethod
    def _duration(cls, value: int) -> int:
        if not 4 <= value <= 24:
            raise ValueError(f"{value} is outside 4-24: GKE counts only maintenance stretches of 4 hours or more, "
                             "and an occurrence lasts at most a day")
        return value

    @property
    def recurrence(self) -> str:
        """The RFC 5545 RRULE, e.g. ``FREQ=WEEKLY;BYDAY=SA,SU``."""
        return f"FREQ=WEEKLY;BYDAY={','.join(self.days)}"

    def first_occurrence(self) -> tuple[datetime, datetime]:
        """Start and end of the first occurrence in the week of :data:`ANCHOR` (UTC)."""
        hour, minute = (int(p) for p in self.start_time.split(":"))
        start = datetime.combine(ANCHOR + timedelta(days=WEEKDAYS.index(self.days[0])), time(hour, minute), timezone.utc)
        return start, start + timedelta(hours=self.duration_hours)

    def occurrences(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """Every occurrence overlapping [start, end), clipped to it, in time order."""
        first, first_end = self.first_occurrence()
        length = first_end - first
        wanted = {WEEKDAYS.index(d) for d in self.days}
        out = []
        day = start.date() - timedelta(days=1)
        while day <= end.date():
            if day.weekday() in wanted:
                s = datetime.combine(day, first.timetz())
                e = s + length
                if e > start and s < end:
                    out.append((max(s, start), min(e, end)))
            day += timedelta(days=1)
        return out


class MaintenanceExclusion(Model):
    """A one-off span in which GKE holds back the upgrades of ``scope``."""

    #: Unique name of the exclusion (GKE keys exclusions by name).
    name: str
    #: Start, RFC 3339 with a UTC offset (e.g. "2026-11-23T00:00:00Z"; quoted or not).
    start_time: Annotated[str, BeforeValidator(_timestamp)]
    #: End, RFC 3339 with a UTC offset, after start_time.
    end_time: Annotated[str, BeforeValidator(_timestamp)]
    #: What GKE holds back: NO_UPGRADES (everything, at most 30 days), NO_MINOR_UPGRADES
    #: (patches still come), NO_MINOR_OR_NODE_UPGRADES (only control-plane patches come). Required.
    scope: Scope

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value:
            raise ValueError("is empty: name the exclusion (e.g. holiday-freeze)")
        return value

    @field_validator("start_time", "end_time")
    @classmethod
    def _time(cls, value: str) -> str:
        return rfc3339(parse_rfc3339(value))

    @property
    def span(self) -> tuple[datetime, datetime]:
        return parse_rfc3339(self.start_time), parse_rfc3339(self.end_time)


def maintenance_violations(window: MaintenanceWindow, exclusions: list[MaintenanceExclusion]) -> list[Problem]:
    """GKE's rules for the window and the exclusions together: (field path, problem and fix)."""
    out: list[Problem] = []
    path = "gcp.maintenance_exclusions"
    if len(exclusions) > MAX_EXCLUSIONS:
        out.append((path, f"lists {len(exclusions)} exclusions: GKE allows at most {MAX_EXCLUSIONS} per cluster; remove past ones"))
    seen: dict[str, int] = {}
    no_upgrades: list[int] = []
    for i, ex in enumerate(exclusions):
        start, end = ex.span
        if ex.name in seen:
            out.append((f"{path}.{i}.name", f"{ex.name!r} is also the name of exclusion {seen[ex.name]}: GKE keys exclusions by name, give each its own"))
        seen.setdefault(ex.name, i)
        if end <= start:
            out.append((f"{path}.{i}.end_time", f"{ex.end_time} is not after start_time {ex.start_time}: an exclusion must end after it starts"))
        elif ex.scope == "NO_UPGRADES":
            no_upgrades.append(i)
            if end - start > MAX_NO_UPGRADES_LENGTH:
                out.append((f"{path}.{i}.end_time", f"makes a NO_UPGRADES exclusion of {_days(end - start)}: GKE allows at most 30 days; "
                                                    "end it sooner, or use scope NO_MINOR_UPGRADES or NO_MINOR_OR_NODE_UPGRADES for longer holds"))
    if len(no_upgrades) > MAX_NO_UPGRADES:
        out.append((f"{path}.{no_upgrades[MAX_NO_UPGRADES]}.scope", f"makes {len(no_upgrades)} NO_UPGRADES exclusions: GKE allows at most "
                                                                    f"{MAX_NO_UPGRADES}; merge them or use NO_MINOR_UPGRADES"))
    if out:
        return out

    least, _ = least_availability(window, [])
    if least < NEEDED:
        out.append(("gcp.maintenance_window", f"{_weekly(window)} allows only {_hours(least)} of "
                                              "maintenance in some 32 days; GKE needs at least 48 hours in any 32 days (stretches of 4 "
                                              "hours or more): add days or lengthen duration_hours (e.g. days [SA, SU] with "
                                              "duration_hours 6 or more)"))
        return out
    frozen = [exclusions[i].span for i in no_upgrades]
    least, since = least_availability(window, frozen)
    if least < NEEDED:
        until = since + ROLLING
        culprit = next((i for i in no_upgrades if exclusions[i].span[0] < until and exclusions[i].span[1] > since), no_upgrades[0])
        out.append((f"{path}.{culprit}", f"leaves only {_hours(least)} of maintenance in the 32 days from {since:%Y-%m-%d %H:%M} UTC with "
                                         f"gcp.maintenance_window ({_weekly(window)}); GKE needs at "
                                         "least 48 hours in any 32 days (stretches of 4 hours or more): shorten the NO_UPGRADES "
                                         "exclusion, use scope NO_MINOR_UPGRADES or NO_MINOR_OR_NODE_UPGRADES, or widen the window"))
    return out


def least_availability(window: MaintenanceWindow,
                       frozen: list[tuple[datetime, datetime]]) -> tuple[timedelta, datetime]:
    """The least maintenance time any 32-day span allows, and where that span starts.

    Availability is the window's occurrences minus the ``frozen`` spans, merged where they
    touch; only stretches of 4 hours or more count, clipped to the span (so a 30-day freeze
    in a window that is always open leaves exactly 48 hours, as GKE's 30-day limit assumes).
    Spans looked at: one week of the bare window, and every span that overlaps a frozen one.
    The amount changes linearly between the moments a span's edge meets a stretch's edge,
    so the least is at one of those moments.
    """
    anchor = datetime.combine(ANCHOR, time(), timezone.utc)
    regions = [(anchor, anchor + ROLLING + timedelta(days=8))]
    for start, end in sorted(frozen):
        regions.append((start - ROLLING - timedelta(days=1), end + ROLLING + timedelta(days=1)))
    least, where = None, anchor
    for lo, hi in _merged(regions):
        stretches = [(s, e) for s, e in _merged(_minus(window.occurrences(lo - timedelta(days=1), hi + timedelta(days=1)), frozen))
                     if e - s >= MIN_STRETCH]
        ends = [e for _, e in stretches]

        def held(t: datetime) -> timedelta:
            total = timedelta()
            for s, e in stretches[bisect.bisect_right(ends, t):]:
                if s >= t + ROLLING:
                    break
                total += min(e, t + ROLLING) - max(s, t)
            return total

        moments = {lo, hi - ROLLING}
        for s, e in stretches:
            moments.update((s, e, s - ROLLING, e - ROLLING))
        for t in sorted(m for m in moments if lo <= m <= hi - ROLLING):
            amount = held(t)
            if least is None or amount < least:
                least, where = amount, t
    assert least is not None
    return least, where


def _merged(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    out: list[tuple[datetime, datetime]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _minus(spans: list[tuple[datetime, datetime]], holes: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    out = []
    for s, e in spans:
        pieces = [(s, e)]
        for hs, he in holes:
            pieces = [p for ps, pe in pieces for p in ((ps, min(pe, hs)), (max(ps, he), pe)) if p[1] > p[0]]
        out.extend(pieces)
    return out


def _weekly(window: MaintenanceWindow) -> str:
    return f"{', '.join(window.days)} from {window.start_time} UTC for {window.duration_hours} hours"


def _hours(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours:g} hours"


def _days(span: timedelta) -> str:
    days = span.total_seconds() / 86400
    return f"{days:g} days" if days == int(days) else f"{days:.1f} days"
