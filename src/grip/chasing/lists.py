"""Chase lists: what is overdue and due soon, with the child, the rule, the days over and who holds
the case, for a worker, a team, a service area and the whole authority.

Everything comes from the timescale engine (grip.timescales.engine) and the allocations
(grip.allocation.selectors) on each call: recording the visit, review or authorisation that stops a
clock takes the item off the list at once. The DfE's own measures (basis "measure") are for
reporting and are not chased: the statutory rule beside each is.

Escalation: an item overdue by more than the configured number of days (reference/chasing/
chasing.toml) appears on its service manager's list.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from grip.access.scope import openable_among
from grip.allocation.register import queue_teams
from grip.allocation.selectors import Lead, current_leads, unallocated_children
from grip.core.reference import named_source, read_reference, reference_file
from grip.people.models import Person
from grip.timescales.engine import Obligation, chased_rules, obligations
from grip.workforce.models import Team, Worker

CHASING_FILE = reference_file("chasing/chasing.toml")
CHASED_STATUSES = ("overdue", "due_soon")


class ChasingConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Chasing:
    escalate_after_days: int
    source: str


@cache
def chasing() -> Chasing:
    """The chasing settings (reference/chasing/chasing.toml), checked."""
    data = read_reference(CHASING_FILE, error=ChasingConfigError)
    section = data.get("escalation")
    if not isinstance(section, dict):
        raise ChasingConfigError(f"{CHASING_FILE.name}: an [escalation] table is required")
    days = section.get("overdue_by_more_than_days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise ChasingConfigError(
            f"{CHASING_FILE.name}: escalation.overdue_by_more_than_days must be a whole number >= 0"
        )
    source = named_source(section, key="escalation", path=CHASING_FILE, error=ChasingConfigError)
    return Chasing(days, source)


@dataclass(frozen=True)
class ChaseItem:
    obligation: Obligation
    child: Person | None
    holder: Worker | None  # the case's lead worker now; for supervision, the worker supervised
    team: Team | None  # the holder's team (for an unallocated case, the team whose queue it is in)

    @property
    def escalated(self) -> bool:
        return (
            not self.is_record_error
            and self.obligation.status == "overdue"
            and self.obligation.days_over > chasing().escalate_after_days
        )

    @property
    def is_record_error(self) -> bool:
        """A legal limit the record says was passed (police protection beyond 72 hours): the record is
        to be corrected (or the breach explained), not a piece of work that is late."""
        return self.obligation.kind == "error"


def _items(
    found: Iterable[Obligation], *, leads: dict[int, Lead], queue_teams: dict[int, int] | None = None
) -> list[ChaseItem]:
    # A record error is listed once the limit is passed; before that there is nothing to correct.
    found = [o for o in found if o.status in CHASED_STATUSES and (o.kind != "error" or o.status == "overdue")]
    child_ids = {o.child_id for o in found if o.child_id is not None}
    people = {p.pk: p for p in Person.objects.filter(pk__ids_in=child_ids)}
    worker_ids = {leads[c].worker_id for c in child_ids if c in leads} | {o.worker_id for o in found if o.worker_id}
    workers = {w.pk: w for w in Worker.objects.filter(pk__ids_in=worker_ids).select_related("team")}
    teams = {t.pk: t for t in Team.objects.filter(pk__in=set((queue_teams or {}).values()))}
    items = []
    for o in found:
        if o.worker_id is not None:
            holder = workers.get(o.worker_id)
            items.append(ChaseItem(o, None, holder, holder.team if holder else None))
            continue
        lead = leads.get(o.child_id) if o.child_id is not None else None
        holder = workers.get(lead.worker_id) if lead else None
        team = holder.team if holder else teams.get((queue_teams or {}).get(o.child_id or 0, 0))
        items.append(ChaseItem(o, people.get(o.child_id) if o.child_id else None, holder, team))
    items.sort(key=lambda i: (i.obligation.status != "overdue", -i.obligation.days_over, i.obligation.due))
    return items


@dataclass(frozen=True)
class Visible:
    items: list[ChaseItem]
    hidden: int  # restricted records left out (counted, never named)


def visible_to(user, items: list[ChaseItem]) -> Visible:
    """The items `user` may be shown: those about children they may open, and every supervision
    item; the one scope for a chase list, whether it is a page, a download or an e-mail."""
    found = openable_among(user, {i.child.pk for i in items if i.child is not None})
    return Visible([i for i in items if i.child is None or i.child.pk in found.visible], len(found.restricted))


def for_worker(*, worker: Worker, on: date) -> list[ChaseItem]:
    """A worker's list: the cases they hold as lead, and their own supervision."""
    leads = current_leads(on=on, workers=[worker.pk])
    found = obligations(on=on, children=list(leads), workers=[worker.pk], rule_keys=chased_rules())
    return _items(found, leads=leads)


def for_child(*, child: Person, on: date) -> list[ChaseItem]:
    """One child's overdue and due-soon items: the same items, by the same rules, as every chase
    list that names the child (the summary at the top of the child's record)."""
    leads = current_leads(on=on, children=[child.pk])
    found = obligations(on=on, children=[child.pk], workers=[], rule_keys=chased_rules())
    return _items([o for o in found if o.child_id == child.pk], leads=leads)


def _queue_of(teams: Collection[int], on: date) -> dict[int, int]:
    """Unallocated children waiting in these teams' queues → the team."""
    waiting = list(unallocated_children(on=on))
    found = queue_teams(on=on, children=waiting) if waiting else {}
    return {child: team for child, team in found.items() if team in teams}


def for_teams(*, teams: Collection[int], on: date, escalated_only: bool = False) -> list[ChaseItem]:
    """Teams' lists: cases their workers hold, cases waiting unallocated in their queues (nobody
    else will chase those), and the supervision of their workers."""
    workers = list(Worker.objects.filter(team_id__in=teams).values_list("pk", flat=True))
    leads = {pk: lead for pk, lead in current_leads(on=on, workers=workers).items() if lead.team_id in teams}
    queue = _queue_of(teams, on)
    rules = chased_rules()
    found = obligations(on=on, children=[*leads, *queue], workers=workers, rule_keys=rules)
    items = _items(found, leads=leads, queue_teams=queue)
    return [i for i in items if i.escalated] if escalated_only else items


def for_authority(*, on: date) -> list[ChaseItem]:
    """Every open case's and every worker's overdue and due-soon items (the performance team's list)."""
    found = obligations(on=on, rule_keys=chased_rules())
    leads = current_leads(on=on)
    waiting = list(unallocated_children(on=on))
    return _items(found, leads=leads, queue_teams=queue_teams(on=on, children=waiting) if waiting else {})
