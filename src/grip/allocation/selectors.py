"""Who holds which open case, computed from the records every time it is asked.

A case is open on a day when the child has an open involvement that day (grip.cases.selectors
INVOLVEMENT: looked after, CP plan, CIN episode, care leaver, early help). It is allocated when a
lead allocation runs that day to a worker whose holding counts (not a manager: the definition of
the unallocated-cases measure, grip.allocation.holding). Nothing here reads a stored "allocated"
flag, so the register can never drift from the allocations: it is the set of open cases minus the
set of current leads that count.

These functions read the whole authority; views narrow the rows to the user's scope
(`grip.access.scope.children_visible_to`) before showing any.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import F, IntegerField, Q, QuerySet, Value
from django.utils import timezone

from grip.allocation.holding import holding_rules
from grip.allocation.models import Allocation, Transfer
from grip.cases.models import ChildProtectionPlan, MissingEpisode, Section47Enquiry
from grip.cases.selectors import INVOLVEMENT
from grip.core.codelists import label
from grip.core.lookups import Ids
from grip.core.periods import open_on, open_on_parts
from grip.people.models import Person
from grip.workforce.models import Absence, Team, Worker


@dataclass(frozen=True)
class OpenCase:
    child_id: int
    stage: str  # the highest-priority open involvement (grip.cases.selectors.STAGE_LABELS)
    opened_on: date  # the earliest start among the involvements open on the day


def open_cases(*, on: date, children: Collection[int] | None = None) -> dict[int, OpenCase]:
    """Every child with an open case on `on` (or only those of `children`): one query, whatever
    the size of the authority."""
    if children is not None:
        children = Ids(children)
        if not children:
            return {}
    return _by_child(_open_rows(on, children))


def _open_rows(on: date, children: Ids | None = None):
    """A query of (child, stage number, start) for every involvement open on `on` (of `children`,
    when given); the stage number is the involvement's place, its priority, in INVOLVEMENT."""
    parts = []
    for number, (_stage, model, to_child, started, ended) in enumerate(INVOLVEMENT):
        for running in open_on_parts(started, ended, on):
            part = model.objects.filter(running)
            if children is not None:
                part = part.filter(**{f"{to_child}__ids_in": children})
            annotated = part.annotate(o_child=F(to_child), o_stage=Value(number, IntegerField()), o_started=F(started))
            parts.append(annotated.values_list("o_child", "o_stage", "o_started").order_by())
    return parts[0].union(*parts[1:], all=True).order_by()


def _by_child(rows: Iterable[tuple[int, int, date]]) -> dict[int, OpenCase]:
    """Each child's case from its open involvements: the highest-priority stage, the earliest start."""
    stages: dict[int, int] = {}
    opened: dict[int, date] = {}
    for child_id, number, started in rows:
        if child_id not in stages or number < stages[child_id]:
            stages[child_id] = number
        if child_id not in opened or started < opened[child_id]:
            opened[child_id] = started
    return {pk: OpenCase(pk, INVOLVEMENT[stages[pk]][0], opened[pk]) for pk in stages}


@dataclass(frozen=True)
class Lead:
    allocation_id: int
    child_id: int
    worker_id: int
    team_id: int
    started_on: date


def current_leads(
    *, on: date, children: Collection[int] | None = None, workers: Collection[int] | None = None
) -> dict[int, Lead]:
    """The lead allocation running on `on` of each child that has one (of `children`, or held by
    one of `workers`, when given)."""
    rows = Allocation.objects.filter(open_on("started_on", "ended_on", on), role=Allocation.Role.LEAD)
    if children is not None:
        rows = rows.filter(child_id__ids_in=children)
    if workers is not None:
        rows = rows.filter(worker_id__ids_in=workers)
    fields = ("pk", "child_id", "worker_id", "team_id", "started_on")
    return {r[1]: Lead(*r) for r in rows.values_list(*fields).order_by()}


def last_ended_leads(
    *, on: date, children: Collection[int], counted_only: bool = False
) -> dict[int, tuple[date, int, int]]:
    """For each of `children`: (ended_on, team_id, worker_id) of their latest lead allocation that
    had ended by `on` (only those that made the case allocated, when `counted_only`)."""
    rows = Allocation.objects.filter(
        child_id__ids_in=children, role=Allocation.Role.LEAD, ended_on__isnull=False, ended_on__lte=on
    ).order_by("child_id", "ended_on")
    if counted_only:
        rows = counted(rows)
    latest: dict[int, tuple[date, int, int]] = {}
    for child_id, ended_on, team_id, worker_id in rows.values_list("child_id", "ended_on", "team_id", "worker_id"):
        latest[child_id] = (ended_on, team_id, worker_id)  # ordered by end: the last one wins
    return latest


def waiting_transfers(*, children: Collection[int] | None = None, to_teams: Iterable[int] | None = None):
    """Transfers no team has decided yet, with their teams."""
    rows = Transfer.objects.filter(outcome="").select_related("from_team", "to_team", "requested_by")
    if children is not None:
        rows = rows.filter(child_id__ids_in=children)
    if to_teams is not None:
        rows = rows.filter(to_team_id__in=list(to_teams))
    return rows


def not_counted_holders():
    """A query of the workers whose lead allocation does not make a case allocated (managers, by
    the unallocated-cases measure's definition: grip.allocation.holding), or None if every role counts."""
    roles = holding_rules().not_allocated_roles
    return Worker.objects.filter(role__in=sorted(roles)).values("pk") if roles else None


def counted(allocations: QuerySet[Allocation]) -> QuerySet[Allocation]:
    """Only the allocations that make a case allocated (not those held by a manager)."""
    holders = not_counted_holders()
    return allocations if holders is None else allocations.exclude(worker_id__in=holders)


def _lead_ids(on: date):
    """A query of the ids of children with a lead allocation running on `on` that makes the case
    allocated (a case held only by a manager is unallocated: grip.allocation.holding)."""
    parts = [
        counted(Allocation.objects.filter(running, role=Allocation.Role.LEAD))
        .annotate(l_child=F("child_id"))
        .values_list("l_child")
        .order_by()
        for running in open_on_parts("started_on", "ended_on", on)
    ]
    return parts[0].union(*parts[1:], all=True).order_by()


def _open_case_ids(on: date):
    """A query of the ids of children with an open case on `on` (a UNION)."""
    parts = [
        model.objects.filter(running).values_list(to_child, flat=True).order_by()
        for _stage, model, to_child, started, ended in INVOLVEMENT
        for running in open_on_parts(started, ended, on)
    ]
    return parts[0].union(*parts[1:]).order_by()


def unallocated_children(*, on: date) -> dict[int, OpenCase]:
    """The register's core: open cases on `on` with no lead allocation running that day. The set
    difference runs in the database, so only the answer comes back.

    Each database gets the form it runs fastest (large-la, bench/allocation_pages.py):

    - PostgreSQL: one query, the open involvements (with each one's stage and start) that have no
      running lead, by NOT EXISTS, which it runs as one hash anti-join: about 18 ms, where
      UNION ... EXCEPT and then reading the stages took 60.
    - SQLite: the children's ids by UNION ... EXCEPT (17 ms; NOT EXISTS takes 45 there), then
      their stages (`open_cases`, 8 ms).
    """
    if connection.vendor != "postgresql":
        ids = list(_open_case_ids(on).difference(_lead_ids(on)).order_by())
        return open_cases(on=on, children=ids)
    open_sql, open_params = _open_rows(on).query.sql_with_params()
    lead_sql, lead_params = _lead_ids(on).query.sql_with_params()
    sql = (
        f"SELECT o_child, o_stage, o_started FROM ({open_sql}) open_involvement "
        f"WHERE NOT EXISTS (SELECT 1 FROM ({lead_sql}) running_lead WHERE l_child = o_child)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*open_params, *lead_params])
        return _by_child(cursor.fetchall())


@dataclass(frozen=True)
class WorkerAway:
    """Why a worker cannot hold their cases on a day: absent (with the kind and return date) or left."""

    reason: str  # "absent" or "left"
    detail: str
    since: date
    until: date | None = None


def workers_away(*, on: date, workers: Collection[int] | None = None) -> dict[int, WorkerAway]:
    """Workers who have left by `on` (their leaving date is on or before it) or are absent on it."""
    away: dict[int, WorkerAway] = {}
    left = Worker.objects.filter(left_on__lte=on)  # as Worker.has_left_by
    absent = Absence.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)
    if workers is not None:
        left, absent = left.filter(pk__ids_in=workers), absent.filter(worker_id__ids_in=workers)
    for absence in absent.order_by("started_on"):
        away[absence.worker_id] = WorkerAway(
            "absent", label("absence_type", absence.absence_type), absence.started_on, absence.ended_on
        )
    for pk, left_on in left.values_list("pk", "left_on"):
        away[pk] = WorkerAway("left", "Left the authority", left_on)
    return away


@dataclass(frozen=True)
class RiskFlags:
    section47_open: bool = False
    missing_now: bool = False


def risk_flags(*, on: date, children: Collection[int]) -> dict[int, RiskFlags]:
    """What makes an unallocated case more urgent beyond its stage: an open section 47 enquiry,
    or the child missing now."""
    s47 = set(
        Section47Enquiry.objects.filter(
            open_on("started_on", "completed_on", on), episode__child_id__ids_in=children
        ).values_list("episode__child_id", flat=True)
    )
    missing = set(
        MissingEpisode.objects.filter(
            Q(ended_at__isnull=True) | Q(ended_at__date__gt=on), started_at__date__lte=on, child_id__ids_in=children
        ).values_list("child_id", flat=True)
    )
    return {pk: RiskFlags(pk in s47, pk in missing) for pk in children if pk in s47 or pk in missing}


def teams_by_id(ids: Iterable[int]) -> dict[int, Team]:
    return {t.pk: t for t in Team.objects.filter(pk__in=set(ids)).select_related("service_area")}


def plans_without_open_episode(*, on: date) -> list[ChildProtectionPlan]:
    """CP plans running on `on` whose CIN episode had closed by then: a plan cannot outlive its episode."""
    return list(
        ChildProtectionPlan.objects.filter(open_on("started_on", "ended_on", on), episode__closure_date__lte=on)
        .select_related("episode__child")
        .order_by("started_on")
    )


def current_lead_allocation(*, child: Person, on: date | None = None) -> Allocation | None:
    """The lead allocation running on `on` (default today), with its worker and team."""
    running = open_on("started_on", "ended_on", on or timezone.localdate())
    leads = Allocation.objects.filter(running, child=child, role=Allocation.Role.LEAD)
    return leads.select_related("worker", "team").first()
