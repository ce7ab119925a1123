"""Allocating cases: allocate from a team's queue, reallocate, transfer to another team and accept
or decline a transfer, end an allocation, close a case and end who holds it. Each is one durable
transaction with its audit entry.

Safe under concurrency: every write first locks the child's row (SELECT ... FOR UPDATE on
PostgreSQL; SQLite takes its single write lock when the transaction begins), then reads who holds
the case. Two managers allocating the same case at once therefore run one after the other, and the
second is told who now holds it. The database's constraints (one current lead per child, no
overlapping lead periods) stand behind that.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from grip.access.capabilities import SEND_A_CASE_TO_A_TEAM
from grip.access.scope import NOT_FOUND, children_visible_to
from grip.allocation.models import Allocation, Transfer
from grip.allocation.selectors import current_leads, open_cases, workers_away
from grip.audit import services as audit
from grip.cases import services as case_services
from grip.cases.models import CINEpisode
from grip.people.models import Person
from grip.workforce.models import Team, Worker
from grip.workforce.selectors import may_manage_team

MINIMUM_NOTE_LENGTH = 20  # a handover note says something a receiving team can act on
# Who holds SEND_A_CASE_TO_A_TEAM (grip.access.capabilities) may send a case no team has held yet
# to a team's queue, besides that team's managers: the front door, whose referrals these are.


def _lock(child: Person) -> Person:
    return Person.objects.select_for_update().get(pk=child.pk)


def _check_in_scope(actor, child: Person) -> None:
    """A child the actor may not open is "not found", as on every page: never a hint it exists."""
    if not children_visible_to(actor).filter(pk=child.pk).exists():
        raise Http404(NOT_FOUND)


def _check_day(on: date) -> None:
    if on > timezone.localdate():
        raise ValidationError({"on": "An allocation cannot start in the future."})


def _check_open(child: Person, on: date) -> None:
    if child.pk not in open_cases(on=on, children=[child.pk]):
        raise ValidationError(f"{child.full_name} has no open case on {on:%d/%m/%Y}, so there is nothing to allocate.")


def _check_worker(worker: Worker, on: date) -> None:
    if not worker.in_post_on(on):
        raise ValidationError({"worker": f"{worker} is not in post on {on:%d/%m/%Y}."})
    away = workers_away(on=on, workers=[worker.pk]).get(worker.pk)
    if away is not None:
        raise ValidationError({"worker": f"{worker} is away ({away.detail.lower()}) on {on:%d/%m/%Y}."})


def _holder(lead) -> str:
    worker = Worker.objects.select_related("team").get(pk=lead.worker_id)
    return f"{worker} ({worker.team})"


def _allocate(*, actor, child: Person, worker: Worker, on: date, note: str, expected: int | None) -> Allocation:
    """The shared core, inside the caller's transaction and after the child's row is locked."""
    _check_in_scope(actor, child)
    _check_day(on)
    worker = Worker.objects.select_related("team").get(pk=worker.pk)  # as it is now, not as the caller last read it
    if not may_manage_team(actor, worker.team):
        raise PermissionDenied(f"You do not manage {worker.team}.")
    _check_open(child, on)
    _check_worker(worker, on)
    current = current_leads(on=on, children=[child.pk]).get(child.pk)
    if current is not None and current.allocation_id != expected:
        if expected is None:
            raise ValidationError(f"{child.full_name} is already allocated to {_holder(current)}: reallocate instead.")
        raise ValidationError(
            f"{child.full_name}'s case changed while you were looking: it is now with {_holder(current)}."
        )
    if current is None and expected is not None:
        raise ValidationError(f"{child.full_name}'s case changed while you were looking: nobody holds it now.")
    if current is not None:
        if current.worker_id == worker.pk:
            raise ValidationError({"worker": f"{worker} already holds this case."})
        if on < current.started_on:
            raise ValidationError({"on": "A reallocation cannot start before the current allocation began."})
        Allocation.objects.filter(pk=current.allocation_id).update(ended_on=on)
    try:
        with transaction.atomic():
            allocation = Allocation.objects.create(
                child=child,
                worker=worker,
                team=worker.team,
                role=Allocation.Role.LEAD,
                started_on=on,
                note=note.strip(),
            )
    except IntegrityError as error:  # the database's own guard, should the lock ever be bypassed
        raise ValidationError(f"{child.full_name}'s case was allocated by someone else at the same moment.") from error
    Transfer.objects.filter(child=child, outcome="", to_team=worker.team).update(
        outcome=Transfer.Outcome.ACCEPTED, decided_by=actor, decided_on=on, decision_note="Accepted by allocating"
    )
    return allocation


def _payload(allocation: Allocation, previous: int | None) -> dict:
    return {
        "worker": allocation.worker_id,
        "team": allocation.team_id,
        "on": str(allocation.started_on),
        "previous": previous,
    }


@transaction.atomic(durable=True)
def case_allocate(*, actor, child: Person, worker: Worker, on: date | None = None, note: str = "") -> Allocation:
    """Give an unallocated open case a lead worker (from the team's queue)."""
    child = _lock(child)
    allocation = _allocate(
        actor=actor, child=child, worker=worker, on=on or timezone.localdate(), note=note, expected=None
    )
    audit.record(actor=actor, verb="case_allocated", target=allocation, child=child, payload=_payload(allocation, None))
    return allocation


@transaction.atomic(durable=True)
def case_reallocate(
    *, actor, child: Person, current: Allocation, worker: Worker, on: date | None = None, note: str = ""
) -> Allocation:
    """Move a case from its current lead worker (`current`, as the manager saw it) to another."""
    child = _lock(child)
    allocation = _allocate(
        actor=actor, child=child, worker=worker, on=on or timezone.localdate(), note=note, expected=current.pk
    )
    audit.record(
        actor=actor, verb="case_reallocated", target=allocation, child=child, payload=_payload(allocation, current.pk)
    )
    return allocation


@transaction.atomic(durable=True)
def siblings_allocate(
    *, actor, children: list[Person], worker: Worker, on: date | None = None, note: str = ""
) -> list[Allocation]:
    """Allocate brothers and sisters to one worker together: all of them, or none."""
    if len({c.pk for c in children}) < 2:
        raise ValidationError("Choose at least two children to allocate together.")
    day = on or timezone.localdate()
    made = []
    for child in sorted(children, key=lambda c: c.pk):  # one lock order, so two such calls cannot deadlock
        locked = _lock(child)
        allocation = _allocate(actor=actor, child=locked, worker=worker, on=day, note=note, expected=None)
        audit.record(
            actor=actor, verb="case_allocated", target=allocation, child=locked, payload=_payload(allocation, None)
        )
        made.append(allocation)
    return made


@transaction.atomic(durable=True)
def case_transfer(*, actor, child: Person, to_team: Team, handover_note: str, on: date | None = None) -> Transfer:
    """Send a case to another team's queue with a handover note. Whoever holds it keeps it until
    the receiving team accepts and allocates a worker."""
    child = _lock(child)
    day = on or timezone.localdate()
    _check_day(day)
    _check_open(child, day)
    current = current_leads(on=day, children=[child.pk]).get(child.pk)
    from_team = Team.objects.get(pk=current.team_id) if current else None
    if from_team is None:
        last = Allocation.objects.filter(child=child, role=Allocation.Role.LEAD).order_by("-started_on").first()
        from_team = last.team if last else None
    if from_team is not None and not may_manage_team(actor, from_team):
        raise PermissionDenied(f"Only a manager of {from_team} can transfer this case.")
    if from_team is None and not (SEND_A_CASE_TO_A_TEAM.held_by(actor) or may_manage_team(actor, to_team)):
        raise PermissionDenied(f"Only the front door or a manager of {to_team} can send a new case to it.")
    if from_team is not None and from_team.pk == to_team.pk:
        raise ValidationError({"to_team": f"The case is already {to_team}'s."})
    if len(handover_note.strip()) < MINIMUM_NOTE_LENGTH:
        raise ValidationError({"handover_note": f"Write a handover note of at least {MINIMUM_NOTE_LENGTH} characters."})
    if Transfer.objects.filter(child=child, outcome="").exists():
        raise ValidationError("This case is already waiting for a team to accept it.")
    transfer = Transfer.objects.create(
        child=child,
        from_team=from_team,
        to_team=to_team,
        handover_note=handover_note.strip(),
        requested_by=actor,
        requested_on=day,
    )
    payload = {"from_team": from_team.pk if from_team else None, "to_team": to_team.pk}
    audit.record(actor=actor, verb="case_transfer_requested", target=transfer, child=child, payload=payload)
    return transfer


def _waiting(transfer: Transfer) -> Transfer:
    locked = Transfer.objects.select_for_update().select_related("to_team").get(pk=transfer.pk)
    if not locked.waiting:
        raise ValidationError(f"This transfer was already {locked.get_outcome_display().lower()}.")
    return locked


@transaction.atomic(durable=True)
def transfer_accept(*, actor, transfer: Transfer, worker: Worker, on: date | None = None, note: str = "") -> Allocation:
    """The receiving team accepts the case and allocates it to one of its workers."""
    child = _lock(transfer.child)
    transfer = _waiting(transfer)
    if not may_manage_team(actor, transfer.to_team):
        raise PermissionDenied(f"Only a manager of {transfer.to_team} can accept this transfer.")
    if worker.team_id != transfer.to_team_id:
        raise ValidationError({"worker": f"Choose a worker in {transfer.to_team}."})
    day = on or timezone.localdate()
    current = current_leads(on=day, children=[child.pk]).get(child.pk)
    allocation = _allocate(
        actor=actor,
        child=child,
        worker=worker,
        on=day,
        note=note or "Transfer accepted",
        expected=current.allocation_id if current else None,
    )
    payload = {**_payload(allocation, current.allocation_id if current else None), "transfer": transfer.pk}
    audit.record(actor=actor, verb="case_transfer_accepted", target=allocation, child=child, payload=payload)
    return allocation


@transaction.atomic(durable=True)
def transfer_decline(*, actor, transfer: Transfer, reason: str) -> Transfer:
    """The receiving team declines, saying why; the case stays where it was."""
    transfer = _waiting(transfer)
    if not may_manage_team(actor, transfer.to_team):
        raise PermissionDenied(f"You do not manage {transfer.to_team}.")
    if len(reason.strip()) < MINIMUM_NOTE_LENGTH:
        raise ValidationError({"reason": f"Say why, in at least {MINIMUM_NOTE_LENGTH} characters."})
    transfer.outcome = Transfer.Outcome.DECLINED
    transfer.decided_by, transfer.decided_on, transfer.decision_note = actor, timezone.localdate(), reason.strip()
    transfer.save(update_fields=["outcome", "decided_by", "decided_on", "decision_note"])
    audit.record(actor=actor, verb="case_transfer_declined", target=transfer, child=transfer.child)
    return transfer


@transaction.atomic(durable=True)
def allocation_end(*, actor, allocation: Allocation, on: date | None = None, reason: str) -> Allocation:
    """End an allocation (the case closed, or the record was wrong). An open case it leaves without
    a lead worker goes on the unallocated register."""
    _lock(allocation.child)
    allocation = Allocation.objects.select_for_update().select_related("team").get(pk=allocation.pk)
    day = on or timezone.localdate()
    _check_day(day)
    if not may_manage_team(actor, allocation.team):
        raise PermissionDenied(f"You do not manage {allocation.team}.")
    if allocation.ended_on is not None and allocation.ended_on <= day:
        raise ValidationError("This allocation has already ended.")
    if day < allocation.started_on:
        raise ValidationError({"on": "An allocation cannot end before it starts."})
    if len(reason.strip()) < 5:
        raise ValidationError({"reason": "Say why the allocation ends."})
    allocation.ended_on = day
    allocation.note = (allocation.note + f" Ended: {reason.strip()}").strip()[:300]
    allocation.save(update_fields=["ended_on", "note"])
    audit.record(
        actor=actor, verb="allocation_ended", target=allocation, child=allocation.child, payload={"on": str(day)}
    )
    return allocation


@transaction.atomic(durable=True)
def case_close_and_end_allocation(*, actor, episode: CINEpisode, closed_on: date, reason: str) -> CINEpisode:
    """Close the child's case (grip.cases.services.case_close: the CIN episode, with the census
    reason, and its running plan) and, when nothing else keeps the case open (leaving care, early
    help), end who holds it on the closure day and withdraw a transfer still waiting for a team. One
    transaction, so a case is never left closed and still held: the reconciliation's "closed case
    still allocated". Whoever holds the case, only a manager of their team may close it."""
    child = _lock(episode.child)
    _check_in_scope(actor, child)
    running = list(
        Allocation.objects.select_for_update()
        .select_related("team", "worker")
        .filter(child=child, ended_on__isnull=True)
        .order_by("pk")
    )
    lead = next((a for a in running if a.role == Allocation.Role.LEAD), None)
    if lead is not None and not may_manage_team(actor, lead.team):
        raise PermissionDenied(f"Only a manager of {lead.team} can close this case.")
    closed = case_services.case_close(episode=episode, closed_on=closed_on, reason=reason, by=actor)
    today = timezone.localdate()
    if open_cases(on=closed_on, children=[child.pk]) or open_cases(on=today, children=[child.pk]):
        return closed
    for allocation in running:
        if allocation.started_on > closed_on:
            raise ValidationError(
                {
                    "closed_on": f"{allocation.worker} was allocated the case on {allocation.started_on:%d/%m/%Y}: "
                    "it cannot close before then."
                }
            )
        allocation.ended_on = closed_on
        allocation.note = (allocation.note + " Ended: the case closed").strip()[:300]
        allocation.save(update_fields=["ended_on", "note"])
        audit.record(
            actor=actor,
            verb="allocation_ended",
            target=allocation,
            child=child,
            payload={"on": str(closed_on), "case_closed": closed.pk},
        )
    waiting = Transfer.objects.select_for_update().filter(child=child, outcome="").first()
    if waiting is not None:
        waiting.outcome = Transfer.Outcome.WITHDRAWN
        waiting.decided_by, waiting.decided_on = actor, max(today, waiting.requested_on)
        waiting.decision_note = "The case closed"
        waiting.save(update_fields=["outcome", "decided_by", "decided_on", "decision_note"])
        audit.record(
            actor=actor, verb="case_transfer_withdrawn", target=waiting, child=child, payload={"case_closed": closed.pk}
        )
    return closed
