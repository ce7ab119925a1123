"""The Children's social work workforce census measures, as at any day or for any collection year.

Each measure is a figure AND the people (or posts) behind it, from the same reading of the records,
so the list always reconciles to the figure. Definitions are reference/workforce/census.toml's
(DfE methodology, statutory-framework.md section 2.3), read by `census_rules`:

- social workers in post (FTE, headcount): the authority's own social workers in post on the day:
  in a social worker role that day (their terms then, grip.workforce.establishment.WorkerTerms),
  recorded as qualified, not on an agency contract;
- agency workers (FTE) and the agency rate: agency FTE / (agency FTE + social worker FTE);
- vacancies (FTE) and the vacancy rate: funded social worker posts not filled that day by the
  authority's own worker / (vacant FTE + social worker FTE in post);
- vacancies covered by agency: the FTE of vacant posts an agency worker covers / vacant FTE;
- starters and leavers in the year to the day (FTE at start, FTE on the last day in post), and
  turnover: leavers FTE / social worker FTE in post on the day;
- sickness absence: working days lost in the year (in FTE days) and the rate: days lost /
  (social worker FTE in post x working days in the year), with days lost per FTE;
- caseload: children held on the day by case-holding social workers (agency included) / their FTE.
  What a case is, is grip.caseloads' one definition: caseloads registers it here when Django
  starts (`register_cases_held`), since workforce may not import the apps above it (ADR 0019).

The records are read once (`WorkforceRecords.load`: workers, terms, posts, fillings, sickness
absences), whatever the size of the authority, so many days can be computed from one reading
(the trends of the workforce page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from grip.core.calendar import england_calendar
from grip.core.codelists import codelist
from grip.core.reference import named_source, read_reference, reference_file
from grip.workforce.establishment import Post, PostFilling, WorkerTerms
from grip.workforce.models import Absence, Worker

RULES_FILE = reference_file("workforce/census.toml")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


class CensusConfigError(ValueError):
    """The census configuration is wrong; the message names the key."""


@dataclass(frozen=True)
class CensusRules:
    census_month: int
    census_day: int
    social_worker_roles: frozenset[str]
    agency_types: frozenset[str]
    filled_by: frozenset[str]
    covered_by: frozenset[str]
    sickness_types: frozenset[str]
    days_in_fte: bool
    rate_places: int
    caseload_places: int
    sources: dict[str, str]

    def census_date(self, year: int) -> date:
        """The census day of the collection year `year` (30 September 2025 for 2025)."""
        return date(year, self.census_month, self.census_day)


def _codes(raw: dict, key: str, name: str, list_name: str) -> frozenset[str]:
    values = raw.get(name)
    if not isinstance(values, list) or not values:
        raise CensusConfigError(f"{key}.{name}: a list of {list_name} codes is needed")
    known = codelist(list_name)
    for value in values:
        if value not in known:
            raise CensusConfigError(f"{key}.{name}: {value!r} is not a {list_name} code")
    return frozenset(values)


def _section(raw: dict, key: str, path: Path, sources: dict) -> dict:
    section = raw.get(key)
    if not isinstance(section, dict):
        raise CensusConfigError(f"{key}: missing, or not a table")
    sources[key] = named_source(section, key=key, path=path, error=CensusConfigError)
    return section


def _whole(section: dict, key: str, name: str, low: int, high: int) -> int:
    value = section.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CensusConfigError(f"{key}.{name}: a whole number from {low} to {high}, not {value!r}")
    return value


def load_census_rules(path: Path = RULES_FILE) -> CensusRules:
    raw = read_reference(path, error=CensusConfigError)
    sources: dict[str, str] = {}
    day = _section(raw, "census_day", path, sources)
    month, day_of_month = _whole(day, "census_day", "month", 1, 12), _whole(day, "census_day", "day", 1, 31)
    try:
        date(2001, month, day_of_month)
    except ValueError as error:
        raise CensusConfigError(f"census_day: {day_of_month}/{month} is not a day of every year") from error
    workers = _section(raw, "social_workers", path, sources)
    agency = _section(raw, "agency", path, sources)
    vacancies = _section(raw, "vacancies", path, sources)
    sickness = _section(raw, "sickness", path, sources)
    rounding = _section(raw, "rounding", path, sources)
    if not isinstance(sickness.get("days_in_fte"), bool):
        raise CensusConfigError("sickness.days_in_fte: true or false")
    filled_by = _codes(vacancies, "vacancies", "filled_by", "post_filling_basis")
    covered_by = _codes(vacancies, "vacancies", "covered_by", "post_filling_basis")
    if filled_by & covered_by:
        raise CensusConfigError("vacancies: a basis cannot both fill a post and leave it vacant but covered")
    return CensusRules(
        census_month=month,
        census_day=day_of_month,
        social_worker_roles=_codes(workers, "social_workers", "roles", "worker_role"),
        agency_types=_codes(agency, "agency", "employment_types", "employment_type"),
        filled_by=filled_by,
        covered_by=covered_by,
        sickness_types=_codes(sickness, "sickness", "absence_types", "absence_type"),
        days_in_fte=sickness["days_in_fte"],
        rate_places=_whole(rounding, "rounding", "rate_decimal_places", 0, 4),
        caseload_places=_whole(rounding, "rounding", "caseload_decimal_places", 0, 4),
        sources=sources,
    )


@cache
def census_rules() -> CensusRules:
    return load_census_rules()


# ------------------------------------------------------------------------- what a case is (registry)

CasesHeld = Callable[[date, Collection[int]], dict[int, int]]
_cases_held: list[CasesHeld] = []


def register_cases_held(counter: CasesHeld) -> None:
    """Called once by grip.caseloads when Django starts: the children each of these workers holds
    on a day, by caseloads' one definition of a caseload."""
    _cases_held[:] = [counter]


def cases_held(day: date, workers: Collection[int]) -> dict[int, int]:
    if not _cases_held:
        raise RuntimeError("No definition of a caseload is registered (grip.caseloads registers it when Django starts)")
    return _cases_held[0](day, workers)


# ------------------------------------------------------------------------- the figures


@dataclass(frozen=True)
class Counted:
    """One person or post behind a figure, and what it adds to it (FTE, FTE days lost, children)."""

    name: str
    team_id: int
    fte: Decimal
    amount: Decimal
    worker_id: int | None = None
    post_id: int | None = None


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    value: Decimal | None  # the figure: FTE, a count, a percentage or a ratio; None with nothing to divide by
    numerator: Decimal
    denominator: Decimal | None
    counted: tuple[Counted, ...] = ()

    @property
    def workers(self) -> list[int]:
        return sorted({c.worker_id for c in self.counted if c.worker_id is not None})

    @property
    def posts(self) -> list[int]:
        return sorted({c.post_id for c in self.counted if c.post_id is not None})


@dataclass(frozen=True)
class Census:
    on: date
    year_from: date  # the first day of the year counted (starters, leavers, absence)
    measures: dict[str, Measure]

    def __getitem__(self, key: str) -> Measure:
        return self.measures[key]


def _ratio(part: Decimal, whole: Decimal | None, places: int, scale: Decimal = HUNDRED) -> Decimal | None:
    if not whole:
        return None
    return (part * scale / whole).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


@dataclass(frozen=True)
class _Person:
    pk: int
    name: str
    started_on: date
    left_on: date | None
    qualified: bool

    def in_post_on(self, day: date) -> bool:
        return self.started_on <= day and (self.left_on is None or self.left_on > day)


@dataclass(frozen=True)
class _Terms:
    role: str
    team_id: int
    fte: Decimal
    employment_type: str
    started_on: date
    ended_on: date | None


@dataclass
class WorkforceRecords:
    """Everything the census reads, read once."""

    people: dict[int, _Person]
    terms: dict[int, list[_Terms]]
    posts: list[Post]
    fillings: dict[int, list[PostFilling]]
    sickness: list[Absence]
    rules: CensusRules
    teams: frozenset[int] | None = None  # only these teams' figures, when given
    within: frozenset[int] | None = None  # only these people can count (all ever in `teams`), when given
    _cases: dict[date, tuple[frozenset[int], dict[int, int]]] = field(default_factory=dict)

    @classmethod
    def load(cls, *, teams: Iterable[int] | None = None, rules: CensusRules | None = None) -> WorkforceRecords:
        rules = rules or census_rules()
        people = {
            row[0]: _Person(row[0], f"{row[1]} {row[2]}", *row[3:])
            for row in Worker.objects.order_by().values_list(
                "pk", "first_name", "last_name", "started_on", "left_on", "is_qualified_social_worker"
            )
        }
        terms: dict[int, list[_Terms]] = defaultdict(list)
        fields = ("worker_id", "role", "team_id", "fte", "employment_type", "started_on", "ended_on")
        for worker_id, *rest in WorkerTerms.objects.order_by("worker_id", "started_on").values_list(*fields):
            terms[worker_id].append(_Terms(*rest))
        # A worker with no terms recorded (none should be: migration 0003 wrote them) has their current ones.
        missing = set(people) - set(terms)
        if missing:
            fields = ("pk", "role", "team_id", "fte", "employment_type", "started_on")
            for pk, *rest in Worker.objects.filter(pk__in=missing).values_list(*fields):
                terms[pk].append(_Terms(*rest, None))
        posts = list(Post.objects.order_by("pk"))
        fillings: dict[int, list[PostFilling]] = defaultdict(list)
        for filling in PostFilling.objects.order_by("started_on"):
            fillings[filling.post_id].append(filling)
        sickness = list(Absence.objects.filter(absence_type__in=rules.sickness_types).order_by("started_on"))
        chosen = frozenset(teams) if teams is not None else None
        return cls(people, dict(terms), posts, dict(fillings), sickness, rules, chosen)

    def for_teams(self, teams: Iterable[int]) -> WorkforceRecords:
        """The same records counting only `teams`, without reading them again: only the people
        ever in those teams are looked at, so computing every team costs about what the authority
        does. The figures are the ones `load(teams=...)` gives (who counts is decided by the terms
        on the day, exactly as before); the children held on a day are shared, not read again."""
        chosen = frozenset(teams)
        ever = frozenset(pk for pk, terms in self.terms.items() if any(t.team_id in chosen for t in terms))
        return WorkforceRecords(
            people=self.people,
            terms=self.terms,
            posts=[post for post in self.posts if post.team_id in chosen],
            fillings=self.fillings,
            sickness=[absence for absence in self.sickness if absence.worker_id in ever],
            rules=self.rules,
            teams=chosen,
            within=ever,
            _cases=self._cases,
        )

    def _looked_at(self) -> Iterable[tuple[int, _Person]]:
        if self.within is None:
            return self.people.items()
        return ((pk, self.people[pk]) for pk in self.within if pk in self.people)

    # --- reading the records on a day

    def terms_on(self, worker_id: int, day: date) -> _Terms | None:
        for terms in self.terms.get(worker_id, ()):
            if terms.started_on <= day and (terms.ended_on is None or terms.ended_on > day):
                return terms
        return None

    def _counts(self, terms: _Terms) -> bool:
        return self.teams is None or terms.team_id in self.teams

    def social_worker_on(self, worker_id: int, day: date) -> _Terms | None:
        """The worker's terms on `day` if they are a social worker in post then (in the teams asked for)."""
        person = self.people[worker_id]
        if not (person.qualified and person.in_post_on(day)):
            return None
        terms = self.terms_on(worker_id, day)
        if terms is None or terms.role not in self.rules.social_worker_roles or not self._counts(terms):
            return None
        return terms

    def social_workers_on(self, day: date) -> list[tuple[_Person, _Terms]]:
        found = []
        for pk, person in self._looked_at():
            terms = self.social_worker_on(pk, day)
            if terms is not None:
                found.append((person, terms))
        return sorted(found, key=lambda pair: pair[0].name)

    def agency(self, terms: _Terms) -> bool:
        return terms.employment_type in self.rules.agency_types

    def _counted(self, person: _Person, terms: _Terms, amount: Decimal) -> Counted:
        return Counted(person.name, terms.team_id, terms.fte, amount, worker_id=person.pk)

    # --- the census

    def census_on(self, day: date) -> Census:
        """Every census measure as at `day`, over the year to it."""
        rules = self.rules
        year_from = _year_before(day)
        in_post = self.social_workers_on(day)
        employed = [(p, t) for p, t in in_post if not self.agency(t)]
        agency = [(p, t) for p, t in in_post if self.agency(t)]
        employed_fte = sum((t.fte for _p, t in employed), ZERO)
        agency_fte = sum((t.fte for _p, t in agency), ZERO)
        m: dict[str, Measure] = {}

        def add(key, title, value, numerator, denominator, counted):
            m[key] = Measure(key, title, value, numerator, denominator, tuple(counted))

        employed_list = [self._counted(p, t, t.fte) for p, t in employed]
        add("fte_in_post", "Social workers in post (FTE)", employed_fte, employed_fte, None, employed_list)
        headcount = Decimal(len(employed))
        add("headcount", "Social workers in post (headcount)", headcount, headcount, None, employed_list)
        agency_list = [self._counted(p, t, t.fte) for p, t in agency]
        add("agency_fte", "Agency workers (FTE)", agency_fte, agency_fte, None, agency_list)
        whole = agency_fte + employed_fte
        add(
            "agency_rate",
            "Agency rate (%)",
            _ratio(agency_fte, whole, rules.rate_places),
            agency_fte,
            whole,
            agency_list,
        )

        vacant, covered = self._vacancies_on(day)
        vacant_fte = sum((c.fte for c in vacant), ZERO)
        covered_fte = sum((c.fte for c in covered), ZERO)
        add("vacancies", "Vacancies (FTE)", vacant_fte, vacant_fte, None, vacant)
        whole = vacant_fte + employed_fte
        add("vacancy_rate", "Vacancy rate (%)", _ratio(vacant_fte, whole, rules.rate_places), vacant_fte, whole, vacant)
        add(
            "covered_by_agency",
            "Vacancies covered by agency (%)",
            _ratio(covered_fte, vacant_fte, rules.rate_places),
            covered_fte,
            vacant_fte,
            covered,
        )

        starters = self._starters(year_from, day)
        starters_fte = sum((c.fte for c in starters), ZERO)
        add("starters", "Starters in the year (FTE)", starters_fte, starters_fte, None, starters)
        leavers = self._leavers(year_from, day)
        leavers_fte = sum((c.fte for c in leavers), ZERO)
        add("leavers", "Leavers in the year (FTE)", leavers_fte, leavers_fte, None, leavers)
        turnover = _ratio(leavers_fte, employed_fte, rules.rate_places)
        add("turnover_rate", "Turnover rate (%)", turnover, leavers_fte, employed_fte, leavers)

        lost = self._days_lost(year_from, day)
        days_lost = sum((c.amount for c in lost), ZERO)
        working_days = Decimal(england_calendar().working_days_between(year_from, day + timedelta(days=1)))
        add("days_lost", "Working days lost to sickness", days_lost, days_lost, None, lost)
        add(
            "days_lost_per_fte",
            "Working days lost to sickness per FTE",
            _ratio(days_lost, employed_fte, rules.rate_places, scale=Decimal(1)),
            days_lost,
            employed_fte,
            lost,
        )
        possible = employed_fte * working_days
        add(
            "absence_rate",
            "Sickness absence rate (%)",
            _ratio(days_lost, possible, rules.rate_places),
            days_lost,
            possible,
            lost,
        )

        holders = self._case_holders(in_post, day)
        children = sum((c.amount for c in holders), ZERO)
        holders_fte = sum((c.fte for c in holders), ZERO)
        caseload = _ratio(children, holders_fte, rules.caseload_places, scale=Decimal(1))
        add("caseload", "Caseload (children per case-holding FTE)", caseload, children, holders_fte, holders)
        return Census(day, year_from, m)

    def _vacancies_on(self, day: date) -> tuple[list[Counted], list[Counted]]:
        vacant, covered = [], []
        for post in self.posts:
            funded = post.started_on <= day and (post.ended_on is None or post.ended_on > day)
            if not funded or post.role not in self.rules.social_worker_roles:
                continue
            if self.teams is not None and post.team_id not in self.teams:
                continue
            filling = next(
                (
                    f
                    for f in self.fillings.get(post.pk, ())
                    if f.started_on <= day and (f.ended_on is None or f.ended_on > day)
                ),
                None,
            )
            if filling is not None and filling.basis in self.rules.filled_by:
                continue
            cover = filling is not None and filling.basis in self.rules.covered_by
            name = self.people[filling.worker_id].name if cover else ""
            worker = filling.worker_id if cover else None
            counted = Counted(name or str(post), post.team_id, post.fte, post.fte, worker_id=worker, post_id=post.pk)
            vacant.append(counted)
            if cover:
                covered.append(counted)
        return vacant, covered

    def _starters(self, year_from: date, day: date) -> list[Counted]:
        found = []
        for pk, person in self._looked_at():
            if year_from <= person.started_on <= day:
                terms = self.social_worker_on(pk, person.started_on)
                if terms is not None and not self.agency(terms):
                    found.append(self._counted(person, terms, terms.fte))
        return sorted(found, key=lambda c: c.name)

    def _leavers(self, year_from: date, day: date) -> list[Counted]:
        """Leavers whose leaving day (the first day not in post) falls in the year, counted with
        their terms on their last day in post."""
        found = []
        for pk, person in self._looked_at():
            if person.left_on is not None and year_from <= person.left_on <= day:
                terms = self.social_worker_on(pk, person.left_on - timedelta(days=1))
                if terms is not None and not self.agency(terms):
                    found.append(self._counted(person, terms, terms.fte))
        return sorted(found, key=lambda c: c.name)

    def _days_lost(self, year_from: date, day: date) -> list[Counted]:
        """Each sickness absence of the authority's own social workers, within the year and while
        they were in post, in working days (times their FTE then, when days_in_fte)."""
        calendar = england_calendar()
        lost: dict[int, tuple[_Person, _Terms, Decimal]] = {}
        for absence in self.sickness:
            person = self.people[absence.worker_id]
            first = max(absence.started_on, year_from, person.started_on)
            after = min(
                absence.ended_on + timedelta(days=1) if absence.ended_on else day + timedelta(days=1),
                day + timedelta(days=1),
                person.left_on or date.max,
            )
            if first >= after:
                continue
            terms = self.social_worker_on(absence.worker_id, first)
            if terms is None or self.agency(terms):
                continue
            days = Decimal(calendar.working_days_between(first, after))
            if self.rules.days_in_fte:
                days *= terms.fte
            _p, first_terms, so_far = lost.get(person.pk, (person, terms, ZERO))
            lost[person.pk] = (person, first_terms, so_far + days)
        found = [self._counted(p, t, days) for p, t, days in lost.values() if days]
        return sorted(found, key=lambda c: c.name)

    def _case_holders(self, in_post: list[tuple[_Person, _Terms]], day: date) -> list[Counted]:
        """Social workers in post (agency included) who hold at least one child's case on the day."""
        wanted = frozenset(p.pk for p, _t in in_post)
        asked, held = self._cases.get(day, (frozenset(), {}))
        if not wanted <= asked:
            asked, held = wanted | asked, cases_held(day, wanted | asked)
            self._cases[day] = (asked, held)
        return [self._counted(p, t, Decimal(held[p.pk])) for p, t in in_post if held.get(p.pk)]


def _year_before(day: date) -> date:
    """The first day of the year that ends on `day`: 1 October 2024 for 30 September 2025."""
    try:
        return day.replace(year=day.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        return date(day.year - 1, 3, 1)


def census_on(day: date, *, teams: Iterable[int] | None = None) -> Census:
    """Every census measure as at `day` (of `teams` if given), over the year to it."""
    return WorkforceRecords.load(teams=teams).census_on(day)


def census_for_year(year: int, *, teams: Iterable[int] | None = None) -> Census:
    """The census of collection year `year`: as at its census day (30 September `year`)."""
    return census_on(census_rules().census_date(year), teams=teams)
