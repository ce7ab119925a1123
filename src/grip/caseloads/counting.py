"""Caseloads: how many children each worker holds, what they weigh, against what threshold.

A worker's caseload on a day is the children with an open case (cases.selectors.INVOLVEMENT) whose
lead allocation runs to them that day; counted, and weighted by each child's stage. What a manager
holds is not a caseload: by the unallocated-cases measure's definition (grip.allocation.holding)
those children are unallocated, so they are shown apart (`held_unallocated`), as on the register. A threshold is
the role's full-time threshold times the worker's FTE. Weights, thresholds, the "near" line and the
census roles are configuration with their sources (grip.caseloads.rules).

A team's capacity is the sum of the thresholds of its workers in post that day (started, not left,
not absent: selectors.workers_away); its load is everything its workers hold, including what absent
or departed workers still hold, since those children still need the team's work.

The workforce census caseload (DfE) is the children held by case-holding social workers divided by
their FTE: workers in a registered social work role, in post, holding at least one case that day.

Every figure comes from a handful of set-based queries (workers, current leads, open cases,
absences), whatever the size of the authority: nothing is queried per worker or per child.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Q, QuerySet

from grip.access.roles import Role, roles_of
from grip.allocation.holding import holding_rules
from grip.allocation.models import Allocation
from grip.allocation.selectors import WorkerAway, current_leads, open_cases, workers_away
from grip.caseloads.rules import HUNDRED, CaseloadRules, caseload_rules
from grip.cases.selectors import INVOLVEMENT
from grip.core.periods import open_on
from grip.workforce.establishment import WorkerTerms
from grip.workforce.history import terms_by_worker
from grip.workforce.models import Team, Worker
from grip.workforce.selectors import teams_managed_by

# On PostgreSQL, up to this many held children have their stages read by id, beyond it every open
# case is read at once (see _which_children). A speed trade-off, not a policy.
STAGES_BY_CHILD_UP_TO = 500

# Who may see caseloads beyond their own is grip.access.capabilities.SEE_CASELOADS: managers for
# the teams they are in charge of (grip.workforce.selectors.teams_managed_by), these roles for every team.
WHOLE_AUTHORITY_CASELOADS = frozenset({Role.DIRECTOR, Role.PERFORMANCE_OFFICER, Role.QUALITY_ASSURANCE_LEAD})


# ------------------------------------------------------------------------------ figures


def percent_of(part: Decimal, whole: Decimal | None) -> int | None:
    """A whole-number percentage, rounded half up; None when there is nothing to divide by."""
    if not whole:
        return None
    return int((part * HUNDRED / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class HeldCase:
    child_id: int
    stage: str
    since: date  # the day the worker became lead worker
    weight: Decimal


@dataclass(frozen=True, slots=True)
class WorkerFacts:
    """What caseloads need of a worker, read as plain values: building thousands of model
    instances costs more than the query that reads them."""

    pk: int
    first_name: str
    last_name: str
    role: str
    fte: Decimal
    team_id: int
    started_on: date
    left_on: date | None
    is_qualified_social_worker: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


FACTS = tuple(f.name for f in fields(WorkerFacts))


def _as_on(facts: Iterable[WorkerFacts], terms: dict[int, WorkerTerms]) -> list[WorkerFacts]:
    """The workers as they were on a day: the role, team and FTE of their terms in force then
    (grip.workforce.history), so a past month's caseloads come out as they were. A worker with no
    terms that day (before terms were kept) keeps their current ones."""
    result = []
    for worker in facts:
        then = terms.get(worker.pk)
        if then is not None:
            worker = replace(worker, role=then.role, fte=then.fte, team_id=then.team_id)
        result.append(worker)
    return result


@dataclass(frozen=True)
class WorkerCaseload:
    worker: WorkerFacts
    children: int
    weighted: Decimal
    threshold: Decimal | None
    status: str
    away: WorkerAway | None
    started: bool  # False for a worker who starts after the day
    cases: tuple[HeldCase, ...] = ()  # the children, where a page lists them
    # Held as lead by a manager, whose holding leaves a case unallocated (grip.allocation.holding):
    # on the register, so not in `children` or `weighted` (the census measure counts them: `held`).
    held_unallocated: int = 0

    @property
    def percent(self) -> int | None:
        return percent_of(self.weighted, self.threshold)

    @property
    def held(self) -> int:
        """Every child held as lead, a manager's included (the census counts them)."""
        return self.children + self.held_unallocated

    @property
    def gone(self) -> bool:
        """Not in the workforce on the day: left already, or not started yet."""
        return not self.started or (self.away is not None and self.away.reason == "left")

    @property
    def in_post(self) -> bool:
        """Working that day: started, not left and not absent."""
        return self.started and self.away is None


@dataclass(frozen=True)
class CensusMeasure:
    """Children held by case-holding social workers ÷ their FTE (DfE workforce census)."""

    children: int  # numerator
    fte: Decimal  # denominator
    case_holders: int
    value: Decimal | None  # rounded as DfE publishes it; None with no case holders


@dataclass(frozen=True)
class TeamCaseload:
    team: Team
    workers: list[WorkerCaseload]
    capacity: Decimal  # the thresholds of its workers in post that day
    status: str

    @property
    def workers_in_post(self) -> int:
        return sum(w.in_post for w in self.workers)

    @property
    def children(self) -> int:
        return sum(w.children for w in self.workers)

    @property
    def weighted(self) -> Decimal:
        return sum((w.weighted for w in self.workers), Decimal(0))

    @property
    def percent(self) -> int | None:
        return percent_of(self.weighted, self.capacity)

    @property
    def held_unallocated(self) -> int:
        return sum(w.held_unallocated for w in self.workers)


def _stages_on(on: date, children: QuerySet | list[int] | None) -> dict[int, str]:
    """Each child's stage on `on` (of `children`, or everyone's): selectors.open_cases without the
    dates, which a count does not need (turning some 30,000 dates into Python dates costs more than
    the queries at large-la scale), unordered, and fetched whole rather than through a server-side
    cursor (which PostgreSQL materialises outside a transaction)."""
    stages: dict[int, str] = {}
    for stage, model, to_child, started, ended in INVOLVEMENT:  # in priority order
        rows = model.objects.filter(open_on(started, ended, on))
        if children is not None:
            rows = rows.filter(**{f"{to_child}__in": children})
        for child_id in rows.order_by().values_list(to_child, flat=True):
            stages.setdefault(child_id, stage)
    return stages


def _which_children(leads: QuerySet[Allocation], pairs: list[tuple[int, int]]) -> QuerySet | list[int] | None:
    """How to name some teams' held children when reading their stages. SQLite looks each child of
    a subquery up in the child index, which beats scanning; PostgreSQL scans either way, so it gets
    the ids themselves while they are few (a long list costs more to send) and else reads all."""
    if connection.vendor == "sqlite":
        return leads.values("child_id")
    return [child_id for child_id, _w in pairs] if len(pairs) <= STAGES_BY_CHILD_UP_TO else None


def _assemble(
    workers: Iterable[WorkerFacts],
    tallies: dict[int, Counter[str]],
    on: date,
    rules: CaseloadRules,
    *,
    cases: dict[int, list[HeldCase]] | None = None,
    every_worker: bool = False,
) -> list[WorkerCaseload]:
    """Caseloads from each worker's count of children by stage."""
    workers = list(workers)
    away = workers_away(on=on, workers=None if every_worker else [w.pk for w in workers])
    holding = holding_rules()
    result = []
    for worker in workers:
        tally = tallies.get(worker.pk, {})
        held_unallocated = 0
        if not holding.counts_as_allocated(worker.role):
            held_unallocated, tally = sum(tally.values()), {}
        weighted = sum((rules.weights[stage] * n for stage, n in tally.items()), Decimal(0))
        threshold = rules.threshold(worker.role, worker.fte)
        status = rules.status(weighted, threshold)
        held = tuple(cases.get(worker.pk, ())) if cases else ()
        started = worker.started_on <= on
        figures = (worker, sum(tally.values()), weighted, threshold, status, away.get(worker.pk), started)
        result.append(WorkerCaseload(*figures, held, held_unallocated))
    return result


def worker_caseloads(
    *, workers: Iterable[Worker], on: date, rules: CaseloadRules | None = None
) -> list[WorkerCaseload]:
    """A few workers' caseloads on `on`, with the children each holds and since when (their terms
    that day, current leads, their open cases, absences and leavers: nine queries however many
    workers)."""
    rules = rules or caseload_rules()
    facts = [WorkerFacts(*(getattr(w, name) for name in FACTS)) for w in workers]
    facts = _as_on(facts, terms_by_worker(on, workers=[w.pk for w in facts]))
    leads = sorted(
        current_leads(on=on, workers=[w.pk for w in facts]).values(), key=lambda x: (x.started_on, x.child_id)
    )
    open_now = open_cases(on=on, children=[lead.child_id for lead in leads])
    tallies: dict[int, Counter[str]] = defaultdict(Counter)
    cases: dict[int, list[HeldCase]] = defaultdict(list)
    for lead in leads:
        case = open_now.get(lead.child_id)
        if case is not None:  # a lead on a closed case is not a caseload (the register shows it)
            tallies[lead.worker_id][case.stage] += 1
            cases[lead.worker_id].append(
                HeldCase(lead.child_id, case.stage, lead.started_on, rules.weights[case.stage])
            )
    return _assemble(facts, tallies, on, rules, cases=cases)


def team_caseloads(
    *, teams: Iterable[Team], on: date, rules: CaseloadRules | None = None, every_team: bool = False
) -> list[TeamCaseload]:
    """Each team's workers who are in post or absent on `on`, or who still hold cases (a leaver
    whose cases were never handed on), with the team's totals, in the order the teams are given.
    Each worker counts in the team, role and FTE of their terms that day (grip.workforce.history),
    so a past day's caseloads come out as they were. Ten queries whatever the size: terms, leads,
    five kinds of open case, workers, absences, leavers. `every_team` says the teams are the whole
    authority, so nothing is narrowed by team."""
    rules = rules or caseload_rules()
    teams = list(teams)
    team_ids = [t.pk for t in teams]
    # Every worker the teams ever had: the leavers who hold nothing are dropped once cases are known.
    everyone = Worker.objects.order_by("last_name", "first_name")
    terms = WorkerTerms.objects.filter(open_on("started_on", "ended_on", on))
    if not every_team:  # in the teams that day, or now (who may have been elsewhere then)
        terms = terms.filter(Q(team_id__in=team_ids) | Q(worker__team_id__in=team_ids))
    terms_then = {row.worker_id: row for row in terms}
    if not every_team:
        everyone = everyone.filter(Q(team_id__in=team_ids) | Q(pk__in=list(terms_then)))
    facts = _as_on([WorkerFacts(*row) for row in everyone.values_list(*FACTS)], terms_then)
    leads = Allocation.objects.filter(open_on("started_on", "ended_on", on), role=Allocation.Role.LEAD).order_by()
    if not every_team:  # by worker: the (worker, ended_on) index finds them
        leads = leads.filter(worker_id__in=[w.pk for w in facts])
    pairs = list(leads.values_list("child_id", "worker_id"))
    stages = _stages_on(on, None if every_team else _which_children(leads, pairs))
    # A lead on a closed case is not a caseload (the register shows it).
    counted = Counter((worker_id, stages[child_id]) for child_id, worker_id in pairs if child_id in stages)
    tallies: dict[int, Counter[str]] = defaultdict(Counter)
    for (worker_id, stage), n in counted.items():
        tallies[worker_id][stage] = n
    facts = [w for w in facts if w.pk in tallies or (w.started_on <= on and (w.left_on is None or w.left_on >= on))]
    by_team: dict[int, list[WorkerCaseload]] = defaultdict(list)
    for caseload in _assemble(facts, tallies, on, rules, every_worker=every_team):
        by_team[caseload.worker.team_id].append(caseload)
    result = []
    for team in teams:
        members = by_team.get(team.pk, [])
        weighted = sum((w.weighted for w in members), Decimal(0))
        capacity = sum((w.threshold for w in members if w.in_post and w.threshold is not None), Decimal(0))
        result.append(TeamCaseload(team, members, capacity, rules.status(weighted, capacity)))
    return result


def census_measure(caseloads: Iterable[WorkerCaseload], rules: CaseloadRules | None = None) -> CensusMeasure:
    """The census caseload over these workers: only social workers (a census role, and recorded as
    qualified) in post, absent ones included, who hold at least one case count, in the numerator
    and the denominator alike. By the DfE's definition (a case is a child allocated to a named social
    worker) a manager who holds cases is a case holder, so their cases count here although the
    unallocated-cases measure counts those children as unallocated (reference/allocation)."""
    rules = rules or caseload_rules()
    census = rules.census_roles
    holders = [
        c
        for c in caseloads
        if c.held and c.worker.role in census and c.worker.is_qualified_social_worker and not c.gone
    ]
    children = sum(c.held for c in holders)
    fte = sum((c.worker.fte for c in holders), Decimal(0))
    value = None
    if fte:
        value = (Decimal(children) / fte).quantize(Decimal(1).scaleb(-rules.census_decimal_places), ROUND_HALF_UP)
    return CensusMeasure(children, fte, len(holders), value)


def children_held(on: date, workers: Iterable[int]) -> dict[int, int]:
    """How many children each of `workers` holds as lead worker on `on`, counting only open cases
    (a lead on a closed case is not a caseload) and a manager's holding too (the census counts it:
    WorkerCaseload.held). Two queries; registered with grip.workforce.census for its caseload measure."""
    leads = current_leads(on=on, workers=list(workers))
    open_now = open_cases(on=on, children=list(leads))
    return dict(Counter(lead.worker_id for child_id, lead in leads.items() if child_id in open_now))


# ------------------------------------------------------------------------------ who sees what


@dataclass(frozen=True)
class CaseloadScope:
    """The teams whose caseloads a user may see, and which service areas they see whole."""

    teams: QuerySet[Team]
    whole_authority: bool
    whole_service_areas: frozenset[int]


def caseload_scope(user) -> CaseloadScope:
    """Directors, performance officers and quality assurance leads see every team; a service
    manager the teams of their service area; a team manager their own team; anyone else none."""
    roles = roles_of(user)
    teams = Team.objects.select_related("service_area").order_by("service_area__name", "name")
    if roles & WHOLE_AUTHORITY_CASELOADS:
        return CaseloadScope(teams.all(), True, frozenset())
    managed = teams_managed_by(user).order_by("service_area__name", "name")
    worker = getattr(user, "worker", None)
    areas = frozenset({worker.team.service_area_id}) if worker and Role.SERVICE_MANAGER in roles else frozenset()
    return CaseloadScope(managed, False, areas)


@dataclass(frozen=True)
class CensusRow:
    label: str
    measure: CensusMeasure


@dataclass(frozen=True)
class ServiceCaseloads:
    on: date
    teams: list[TeamCaseload]
    census: list[CensusRow]


def service_caseloads(
    *, scope: CaseloadScope, on: date, service_area: int | None = None, rules: CaseloadRules | None = None
) -> ServiceCaseloads:
    """Team capacity at a glance for the user's teams (of one service area if given), and the
    census measure for the authority and each service area the user sees whole (or, for a team
    manager, their team)."""
    rules = rules or caseload_rules()
    teams = scope.teams if service_area is None else scope.teams.filter(service_area_id=service_area)
    every_team = scope.whole_authority and service_area is None
    rows = team_caseloads(teams=teams, on=on, rules=rules, every_team=every_team)
    everyone = [w for row in rows for w in row.workers]
    census: list[CensusRow] = []
    if scope.whole_authority and service_area is None:
        census.append(CensusRow("Whole authority", census_measure(everyone, rules)))
    areas: dict[int, list[TeamCaseload]] = defaultdict(list)
    for row in rows:
        areas[row.team.service_area_id].append(row)
    for area_rows in areas.values():
        area = area_rows[0].team.service_area
        if scope.whole_authority or area.pk in scope.whole_service_areas:
            workers = [w for row in area_rows for w in row.workers]
            census.append(CensusRow(area.name, census_measure(workers, rules)))
        else:
            census += [CensusRow(row.team.name, census_measure(row.workers, rules)) for row in area_rows]
    return ServiceCaseloads(on, rows, census)


def team_in_scope(scope: CaseloadScope, team_id: int) -> Team | None:
    return scope.teams.filter(pk=team_id).first()


def worker_in_scope(scope: CaseloadScope, worker_id: int) -> Worker | None:
    return Worker.objects.select_related("team__service_area").filter(pk=worker_id, team__in=scope.teams).first()
