"""The unallocated register, the reallocation list and the reconciliation check.

- The register: every open case on a day with no lead worker that day, how long it has waited, its
  stage and risk, the team whose queue it is in, and what is overdue on it.
- The reallocation list: open cases whose lead worker is away (absent, or has left) on the day:
  allocated on paper, nobody working them in fact.
- Reconciliation: records that disagree with each other, which should be put right at source.

All are computed from the records on each call (grip.allocation.selectors). `rows_for` narrows
them to the children a user may open, and counts the restricted records it leaves out, so a count
shown is never silently short.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from grip.access.roles import WHOLE_AUTHORITY, roles_of
from grip.access.scope import openable_among
from grip.allocation.holding import holding_rules
from grip.allocation.models import Allocation, Transfer
from grip.allocation.selectors import (
    OpenCase,
    RiskFlags,
    WorkerAway,
    current_leads,
    last_ended_leads,
    open_cases,
    plans_without_open_episode,
    risk_flags,
    teams_by_id,
    unallocated_children,
    waiting_transfers,
    workers_away,
)
from grip.cases.selectors import STAGE_LABELS
from grip.core.codelists import label
from grip.people.models import Person
from grip.timescales.engine import chased_rules, obligations
from grip.workforce.models import Team, Worker


@dataclass
class RegisterRow:
    child_id: int
    stage: str
    since: date  # unallocated since: the case opened, or its last lead allocation ended, whichever is later
    days: int
    team: Team | None  # whose queue it is in: a team it was sent to, else the team that held it last
    transfer: Transfer | None
    last_worker_id: int | None
    # A manager who holds the case as lead, which does not make it allocated (grip.allocation.holding).
    holder_id: int | None = None
    # The details shown on the page (`with_details`): read for the rows shown, not every row.
    child: Person | None = None
    last_worker: Worker | None = None
    holder: Worker | None = None
    risk: RiskFlags = field(default_factory=RiskFlags)
    overdue: list[str] = field(default_factory=list)


@dataclass
class AwayRow:
    child: Person
    stage: str
    worker: Worker
    team: Team
    away: WorkerAway
    allocation_id: int

    @property
    def child_id(self) -> int:
        return self.child.pk


def _people(ids: Collection[int]) -> dict[int, Person]:
    return {p.pk: p for p in Person.objects.filter(pk__ids_in=ids)}


def _workers(ids: Collection[int]) -> dict[int, Worker]:
    return {w.pk: w for w in Worker.objects.filter(pk__ids_in=ids).select_related("team")}


def overdue_titles(*, on: date, children: Collection[int]) -> dict[int, list[str]]:
    """What is overdue on each child's case on `on`, from the timescales engine."""
    found: dict[int, list[str]] = {}
    for item in obligations(on=on, children=children, rule_keys=chased_rules()):
        if item.status == "overdue" and item.child_id is not None:
            found.setdefault(item.child_id, []).append(item.title)
    return found


def queue_teams(*, on: date, children: Collection[int]) -> dict[int, int]:
    """For unallocated `children`: the team whose queue each is in (sent to it, else held it last)."""
    found = {pk: team for pk, (_ended, team, _worker) in last_ended_leads(on=on, children=children).items()}
    found.update(Transfer.objects.filter(outcome="", child_id__ids_in=children).values_list("child_id", "to_team_id"))
    return found


def unallocated_register(
    *, on: date, overdue: Callable[..., dict[int, list[str]]] | None = None, details: bool = True
) -> list[RegisterRow]:
    """Every open case on `on` without a lead worker, longest waiting first; with each row's
    details (`with_details`) unless `details` is False."""
    waiting = unallocated_children(on=on)
    ids = list(waiting)
    # Unallocated since the last allocation that counted ended; a manager may hold the case meanwhile.
    last = last_ended_leads(on=on, children=ids, counted_only=True) if ids else {}
    managers = current_leads(on=on, children=ids) if ids else {}
    transfers = {t.child_id: t for t in waiting_transfers(children=ids)} if ids else {}
    teams = teams_by_id([t for _e, t, _w in last.values()] + [lead.team_id for lead in managers.values()])
    rows = []
    for pk, case in waiting.items():
        ended = last.get(pk)
        since = max(case.opened_on, ended[0]) if ended else case.opened_on
        transfer = transfers.get(pk)
        manager = managers.get(pk)
        if transfer:
            team = transfer.to_team
        elif manager:
            team = teams[manager.team_id]
        else:
            team = teams[ended[1]] if ended else None
        rows.append(
            RegisterRow(
                child_id=pk,
                stage=case.stage,
                since=since,
                days=(on - since).days,
                team=team,
                transfer=transfer,
                last_worker_id=ended[2] if ended else None,
                holder_id=manager.worker_id if manager else None,
            )
        )
    rows.sort(key=lambda r: (r.since, r.child_id))
    return with_details(rows, on=on, overdue=overdue) if details else rows


def with_details(
    rows: list[RegisterRow], *, on: date, overdue: Callable[..., dict[int, list[str]]] | None = None
) -> list[RegisterRow]:
    """Fill in the child, the last worker, the risk flags and what is overdue, for these rows."""
    ids = [r.child_id for r in rows]
    if not ids:
        return rows
    people = _people(ids)
    named = {r.last_worker_id for r in rows if r.last_worker_id} | {r.holder_id for r in rows if r.holder_id}
    workers = _workers(named)
    flags = risk_flags(on=on, children=ids)
    late = (overdue or overdue_titles)(on=on, children=ids)
    for row in rows:
        row.child = people[row.child_id]
        row.last_worker = workers.get(row.last_worker_id) if row.last_worker_id else None
        row.holder = workers.get(row.holder_id) if row.holder_id else None
        row.risk = flags.get(row.child_id, RiskFlags())
        row.overdue = late.get(row.child_id, [])
    return rows


def reallocation_list(*, on: date) -> list[AwayRow]:
    """Open cases whose lead worker is absent or has left on `on`, the longest away first."""
    away = workers_away(on=on)
    leads = current_leads(on=on, workers=list(away))
    cases = open_cases(on=on, children=list(leads))
    exposed = {pk: lead for pk, lead in leads.items() if pk in cases}
    people = _people(exposed)
    workers = _workers({lead.worker_id for lead in exposed.values()})
    teams = teams_by_id({lead.team_id for lead in exposed.values()})
    rows = [
        AwayRow(
            child=people[pk],
            stage=cases[pk].stage,
            worker=workers[lead.worker_id],
            team=teams[lead.team_id],
            away=away[lead.worker_id],
            allocation_id=lead.allocation_id,
        )
        for pk, lead in exposed.items()
    ]
    rows.sort(key=lambda r: (r.away.since, r.worker.last_name, r.child.last_name, r.child.pk))
    return rows


@dataclass
class Visible:
    rows: list
    hidden_restricted: int  # rows left out because they are restricted records the user may not open


def rows_for(user, rows: list, *, service: int | None = None, team: int | None = None, stage: str = "") -> Visible:
    """The rows the user may see, filtered by service area, team (the queue's or the holder's) and stage."""

    def team_of(row):
        return row.team

    if service:
        rows = [r for r in rows if team_of(r) is not None and team_of(r).service_area_id == service]
    if team:
        rows = [r for r in rows if team_of(r) is not None and team_of(r).pk == team]
    if stage:
        rows = [r for r in rows if r.stage == stage]
    found = openable_among(user, [r.child_id for r in rows])
    hidden = len(found.restricted)
    if not roles_of(user) & WHOLE_AUTHORITY:
        hidden = 0  # outside a team's scope is not "hidden": it is another team's work
    return Visible([r for r in rows if r.child_id in found.visible], hidden)


@dataclass(frozen=True)
class Disagreement:
    kind: str
    child: Person
    detail: str
    since: date | None = None


DISAGREEMENT_TITLES = {
    "closed_but_allocated": "Closed case still allocated",
    "open_but_allocation_ended": "Open case whose allocation ended",
    "allocated_to_leaver": "Allocated to someone who has left",
    "plan_without_open_episode": "Child protection plan with no open episode",
    "held_by_someone_who_may_not": "Child protection or looked-after case held by someone who is not a social worker",
}


def reconciliation(*, on: date) -> list[Disagreement]:
    """Records that disagree on `on`: each is a data fault to put right, and once put right the
    list is empty. (An open case that never had a worker is not a disagreement: it is simply
    unallocated, and on the register.)"""
    cases = open_cases(on=on)
    running = Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    current = Allocation.objects.filter(running, role=Allocation.Role.LEAD)
    held_by = dict(current.values_list("child_id", "pk"))
    found: list[Disagreement] = []
    closed = [held_by[pk] for pk in held_by if pk not in cases]
    for a in current.filter(pk__in=closed).select_related("worker", "child").order_by("started_on"):
        detail = f"Allocated to {a.worker} since {a.started_on:%d/%m/%Y}"
        found.append(Disagreement("closed_but_allocated", a.child, detail, a.started_on))
    held = set(held_by)
    unheld = [pk for pk in cases if pk not in held]
    ended = last_ended_leads(on=on, children=unheld)
    people = _people([pk for pk, (end, _t, _w) in ended.items() if end > cases[pk].opened_on])
    for pk, person in people.items():
        end = ended[pk][0]
        found.append(
            Disagreement("open_but_allocation_ended", person, f"The last allocation ended on {end:%d/%m/%Y}", end)
        )
    leavers = Allocation.objects.filter(running, worker__left_on__lte=on).select_related("worker", "child")
    for a in leavers:
        found.append(
            Disagreement(
                "allocated_to_leaver", a.child, f"{a.worker} left on {a.worker.left_on:%d/%m/%Y}", a.worker.left_on
            )
        )
    for plan in plans_without_open_episode(on=on):
        detail = f"Plan from {plan.started_on:%d/%m/%Y}; its episode closed on {plan.episode.closure_date:%d/%m/%Y}"
        found.append(Disagreement("plan_without_open_episode", plan.episode.child, detail, plan.episode.closure_date))
    found += held_by_someone_who_may_not(on=on, cases=cases)
    return found


def held_by_someone_who_may_not(*, on: date, cases: dict[int, OpenCase] | None = None) -> list[Disagreement]:
    """Open cases whose lead worker on `on` may not hold a case at that stage, by the rules of
    reference/allocation/case_holding.toml: a child on a child protection plan, or looked after,
    held by someone who is not a qualified social worker (a family support worker, say)."""
    rules = holding_rules()
    if not rules.stages:
        return []
    workers = Worker.objects.values_list("pk", "role", "is_qualified_social_worker")
    barred = {
        pk: {stage for stage in rules.stages if not rules.may_hold(stage=stage, role=role, qualified=qualified)}
        for pk, role, qualified in workers
    }
    barred = {pk: stages for pk, stages in barred.items() if stages}
    if not barred:
        return []
    leads = current_leads(on=on, workers=list(barred))
    if cases is None:
        cases = open_cases(on=on, children=list(leads))
    wrong = {pk: lead for pk, lead in leads.items() if pk in cases and cases[pk].stage in barred[lead.worker_id]}
    if not wrong:
        return []
    people = _people(wrong)
    holders = _workers({lead.worker_id for lead in wrong.values()})
    found = []
    for pk, lead in sorted(wrong.items(), key=lambda item: (item[1].started_on, item[0])):
        worker = holders[lead.worker_id]
        what = "not a qualified social worker" if not worker.is_qualified_social_worker else "not in a role that may"
        detail = (
            f"{STAGE_LABELS[cases[pk].stage]} held by {worker} ({label('worker_role', worker.role)}, {what}) "
            f"since {lead.started_on:%d/%m/%Y}"
        )
        found.append(Disagreement("held_by_someone_who_may_not", people[pk], detail, lead.started_on))
    return found
