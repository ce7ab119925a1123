"""The workforce page's figures: the census measures (grip.workforce.census, the one definition)
for the authority, each service area and each team in a person's scope, as at a day, and the
monthly trend of one of them over 24 month-ends.

Fast at the size of a large authority: the records are read ONCE (WorkforceRecords.load) and every
unit and every month-end is computed from that one reading (`WorkforceRecords.for_teams` restricts
it to a unit without reading again); the children held on a day are read once per day and shared.

Cached (Django's cache) for CACHE_SECONDS under a key that includes a workforce version: every
save or delete of a worker, their terms, a post, a filling or an absence bumps the version
(signals, below), so a change to the workforce shows at once; the caseload figure (allocations are
recorded elsewhere) may be up to CACHE_SECONDS old.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from grip.access.roles import Role, roles_of
from grip.workforce.census import Census, WorkforceRecords
from grip.workforce.establishment import Post, PostFilling, WorkerTerms
from grip.workforce.models import Absence, Team, Worker
from grip.workforce.selectors import teams_managed_by

CACHE_SECONDS = 300
TREND_MONTHS = 24
VERSION_KEY = "workforce-page-version"
WHOLE_AUTHORITY = frozenset({Role.DIRECTOR, Role.PERFORMANCE_OFFICER})

# The measures the page shows, in order (keys of grip.workforce.census).
SHOWN = (
    "fte_in_post",
    "headcount",
    "agency_fte",
    "agency_rate",
    "vacancies",
    "vacancy_rate",
    "covered_by_agency",
    "starters",
    "leavers",
    "turnover_rate",
    "days_lost",
    "days_lost_per_fte",
    "absence_rate",
    "caseload",
)


@dataclass(frozen=True)
class Unit:
    """The authority, a service area or a team: what the page computes a census for."""

    kind: str  # "authority", "area" or "team"
    pk: int | None
    name: str
    teams: frozenset[int]

    @property
    def query(self) -> str:
        return "" if self.kind == "authority" else f"{self.kind}={self.pk}"


def units_for(user) -> list[Unit]:
    """The units a person may see: a director or performance officer the authority, every area and
    team; a service manager their area and its teams; a team manager their team."""
    whole = bool(roles_of(user) & WHOLE_AUTHORITY)
    teams = list(
        (Team.objects.select_related("service_area") if whole else teams_managed_by(user)).order_by(
            "service_area__name", "name"
        )
    )
    units: list[Unit] = []
    if whole:
        units.append(Unit("authority", None, "The authority", frozenset(t.pk for t in teams)))
    areas: dict[int, list[Team]] = {}
    for team in teams:
        areas.setdefault(team.service_area_id, []).append(team)
    for members in areas.values():
        area = members[0].service_area
        if whole or Role.SERVICE_MANAGER in roles_of(user):  # the whole area is theirs
            units.append(Unit("area", area.pk, area.name, frozenset(t.pk for t in members)))
        for team in members:
            units.append(Unit("team", team.pk, team.name, frozenset({team.pk})))
    return units


def chosen_unit(units: list[Unit], kind: str | None, pk: int | None) -> Unit | None:
    if kind is None:
        return units[0] if units else None
    return next((u for u in units if u.kind == kind and u.pk == pk), None)


def month_ends(day: date, count: int = TREND_MONTHS) -> list[date]:
    """The last `count` month-ends on or before `day`, oldest first (31 Jan 2026 ... for 15 Feb 2026)."""
    ends = []
    year, month = day.year, day.month
    while len(ends) < count:
        end = date(year, month, calendar.monthrange(year, month)[1])
        if end <= day:
            ends.append(end)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return ends[::-1]


def _version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def _bump(**_kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


for _model in (Worker, WorkerTerms, Post, PostFilling, Absence):
    post_save.connect(_bump, sender=_model, dispatch_uid=f"workforce-page-{_model.__name__}-save")
    post_delete.connect(_bump, sender=_model, dispatch_uid=f"workforce-page-{_model.__name__}-delete")


def _census(records: WorkforceRecords, unit: Unit, day: date) -> Census:
    scoped = records if unit.kind == "authority" else records.for_teams(unit.teams)
    return scoped.census_on(day)


def census_of_units(units: list[Unit], day: date, records: WorkforceRecords | None = None) -> dict[Unit, Census]:
    """Each unit's census as at `day`, from one reading of the records."""
    records = records or WorkforceRecords.load()
    ordered = sorted(units, key=lambda u: u.kind != "authority")  # the authority first: its children held serve all
    return {unit: _census(records, unit, day) for unit in ordered}


def trend(unit: Unit, day: date, records: WorkforceRecords | None = None) -> list[Census]:
    """The unit's census at each of the 24 month-ends up to `day`, from one reading of the records."""
    records = records or WorkforceRecords.load()
    return [_census(records, unit, end) for end in month_ends(day)]


Figures = dict[str, Decimal | None]  # a census's figures by measure key (what the page shows of it)


def figures(census: Census) -> Figures:
    return {key: census[key].value for key in SHOWN}


@dataclass(frozen=True)
class PageFigures:
    day: date
    titles: dict[str, str]
    by_unit: dict[Unit, Figures]
    trend: list[tuple[date, Figures]]


def page_figures(units: list[Unit], chosen: Unit, day: date) -> PageFigures:
    """What the workforce page shows (the figures only, not the people behind them, so the cached
    copy is small), cached: see the module's docstring for how it stays fresh."""
    key = "workforce-page:{}:{}:{}{}:{}".format(
        _version(), day.isoformat(), chosen.kind, chosen.pk, ",".join(f"{u.kind}{u.pk}" for u in units)
    )
    found = cache.get(key)
    if found is None:
        records = WorkforceRecords.load()
        by_unit = census_of_units(units, day, records)
        titles = {key: next(iter(by_unit.values()))[key].title for key in SHOWN}
        month_by_month = [(c.on, figures(c)) for c in trend(chosen, day, records)]
        found = PageFigures(day, titles, {u: figures(c) for u, c in by_unit.items()}, month_by_month)
        cache.set(key, found, CACHE_SECONDS)
    return found


def census_of(unit: Unit, day: date) -> Census:
    """One unit's census as at `day` (the drill-down's figure and list), cached as the page is."""
    key = f"workforce-census:{_version()}:{day.isoformat()}:{unit.kind}{unit.pk}"
    found = cache.get(key)
    if found is None:
        found = _census(WorkforceRecords.load(), unit, day)
        cache.set(key, found, CACHE_SECONDS)
    return found
