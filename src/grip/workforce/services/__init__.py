"""Workforce writes: an absence and the worker's return, a leaving date, a supervision session and
the worker's agreement to its record; and (handed on from this package's modules) the
establishment's posts and who fills them (`posts`), starters, leavers, changes of terms,
registration and the ASYE (`people`).

Each is one durable transaction with its audit entry, made by a manager of the worker's team
(grip.workforce.selectors.may_manage_team), bar the confirmation, which is the worker's own.
Nothing else needs doing for a worker's cases to appear on the reallocation list, or for their
supervision clock to pause or stop: those are computed from these records on every request
(grip.allocation.register.reallocation_list, grip.timescales), so they change the moment this commits.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from grip.access.scope import openable_among
from grip.audit import services as audit
from grip.cases.services.checks import not_in_future
from grip.core.codelists import codes
from grip.people.models import Person
from grip.workforce.models import Absence, Supervision, SupervisionDecision, Worker
from grip.workforce.selectors import may_manage_team

from .frequency import supervision_frequency_set
from .people import asye_complete, asye_start, leaver_record, registration_record, starter_record, terms_change
from .posts import filling_end as _filling_end
from .posts import post_add, post_edit, post_end, post_fill, post_vacate
from .pulse import pulse_survey_answer

__all__ = [
    "absence_record",
    "absence_return_record",
    "asye_complete",
    "asye_start",
    "leaver_record",
    "post_add",
    "post_edit",
    "post_end",
    "post_fill",
    "post_vacate",
    "pulse_survey_answer",
    "registration_record",
    "starter_record",
    "supervision_confirm",
    "supervision_frequency_set",
    "supervision_record",
    "terms_change",
    "worker_leaving_record",
]
SICKNESS = frozenset({"SICKNESS", "LONG_TERM_SICKNESS"})  # the absence types that ask for a sickness reason
LONGEST_SESSION_MINUTES = 8 * 60  # a working day: a longer "session" is a typing slip


@transaction.atomic(durable=True)
def absence_record(
    *,
    actor,
    worker: Worker,
    absence_type: str,
    started_on: date,
    ended_on: date | None = None,
    sickness_reason: str = "",
) -> Absence:
    """Record that a worker is (or will be) away; `ended_on` is the last day away, empty if unknown.
    A sickness absence may say why (the sickness reason; the pages ask for it); another kind says none."""
    worker = Worker.objects.select_for_update().select_related("team").get(pk=worker.pk)
    if not may_manage_team(actor, worker.team):
        raise PermissionDenied(f"You do not manage {worker.team}.")
    if absence_type not in codes("absence_type"):
        raise ValidationError({"absence_type": "Choose the kind of absence."})
    if sickness_reason and sickness_reason not in codes("sickness_reason"):
        raise ValidationError({"sickness_reason": "Choose the reason for the sickness."})
    if absence_type not in SICKNESS and sickness_reason:
        raise ValidationError({"sickness_reason": "Only a sickness absence has a sickness reason."})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": "The last day away cannot be before the first."})
    _no_overlap(worker, started_on, ended_on)
    absence = Absence.objects.create(
        worker=worker,
        absence_type=absence_type,
        sickness_reason=sickness_reason,
        started_on=started_on,
        ended_on=ended_on,
    )
    payload = {"worker": worker.pk, "type": absence_type, "from": str(started_on), "to": str(ended_on or "")}
    if sickness_reason:
        payload["reason"] = sickness_reason
    audit.record(actor=actor, verb="absence_recorded", target=absence, payload=payload)
    return absence


def _no_overlap(worker: Worker, started_on: date, ended_on: date | None, *, but: Absence | None = None) -> None:
    overlapping = worker.absences.filter(started_on__lte=ended_on or date.max).exclude(ended_on__lt=started_on)
    if but is not None:
        overlapping = overlapping.exclude(pk=but.pk)
    if overlapping.exists():
        raise ValidationError({"started_on": f"{worker} already has an absence recorded for part of that time."})


@transaction.atomic(durable=True)
def absence_return_record(*, actor, absence: Absence, ended_on: date, return_to_work_on: date | None = None) -> Absence:
    """Record a worker back: the last day of the absence and, once held, the return-to-work meeting.
    Their cases leave the reallocation list, and their supervision is chased again, from the day after."""
    absence = Absence.objects.select_for_update().select_related("worker__team").get(pk=absence.pk)
    worker = absence.worker
    if not may_manage_team(actor, worker.team):
        raise PermissionDenied(f"You do not manage {worker.team}.")
    if ended_on < absence.started_on:
        raise ValidationError(
            {"ended_on": f"The absence started on {absence.started_on:%d/%m/%Y}: the last day away cannot be before."}
        )
    if return_to_work_on is not None:
        not_in_future(return_to_work_on, "return_to_work_on", "The return-to-work meeting")
        if return_to_work_on <= ended_on:
            raise ValidationError({"return_to_work_on": "The return-to-work meeting is held after the last day away."})
    _no_overlap(worker, absence.started_on, ended_on, but=absence)
    absence.ended_on = ended_on
    absence.return_to_work_on = return_to_work_on
    absence.save(update_fields=["ended_on", "return_to_work_on"])
    payload = {"worker": worker.pk, "to": str(ended_on), "return_to_work": str(return_to_work_on or "")}
    audit.record(actor=actor, verb="absence_ended", target=absence, payload=payload)
    return absence


@transaction.atomic(durable=True)
def worker_leaving_record(*, actor, worker: Worker, left_on: date) -> Worker:
    """Record a worker's leaving date: from that day on they are not in post (Worker.has_left_by)."""
    worker = Worker.objects.select_for_update().select_related("team").get(pk=worker.pk)
    if not may_manage_team(actor, worker.team):
        raise PermissionDenied(f"You do not manage {worker.team}.")
    if left_on < worker.started_on:
        raise ValidationError(
            {"left_on": f"{worker} started on {worker.started_on:%d/%m/%Y}: they cannot leave before."}
        )
    for filling in worker.post_fillings.select_for_update().filter(ended_on__isnull=True):
        _filling_end(filling, left_on)  # the post they filled is vacant from the day they leave
    worker.left_on = left_on
    worker.save(update_fields=["left_on"])
    audit.record(actor=actor, verb="worker_leaving_recorded", target=worker, payload={"left_on": str(left_on)})
    return worker


@transaction.atomic(durable=True)
def supervision_record(
    *,
    actor,
    worker: Worker,
    held_on: date,
    duration_minutes: int,
    supervision_type: str,
    decisions: list[tuple[Person, str]],
    reflection: str = "",
) -> Supervision:
    """Record a supervision session the actor held with `worker`: the cases discussed, with the
    management decision for each, and the reflective part. The actor is the supervisor: a manager
    of the worker's team. The worker then confirms the record (supervision_confirm)."""
    worker = Worker.objects.select_for_update().select_related("team").get(pk=worker.pk)
    supervisor = getattr(actor, "worker", None)
    if supervisor is None or not may_manage_team(actor, worker.team):
        raise PermissionDenied(f"You do not manage {worker.team}.")
    if supervisor.pk == worker.pk:
        raise ValidationError({"worker": "You cannot record your own supervision: your supervisor does."})
    not_in_future(held_on, "held_on", "The day of the session")
    if held_on < worker.started_on:
        raise ValidationError({"held_on": f"{worker} started on {worker.started_on:%d/%m/%Y}: the session was after."})
    if not 0 < duration_minutes <= LONGEST_SESSION_MINUTES:
        raise ValidationError({"duration_minutes": "Enter how long the session lasted, up to 8 hours."})
    if supervision_type not in codes("supervision_type"):
        raise ValidationError({"supervision_type": "Choose the type of supervision."})
    children = [child.pk for child, _ in decisions]
    if len(set(children)) != len(children):
        raise ValidationError({"decisions": "Each case is discussed once: write one decision for each."})
    if any(not text.strip() for _, text in decisions):
        raise ValidationError({"decisions": "Write the management decision for each case discussed."})
    if set(children) - openable_among(actor, children).visible:  # never says which child: they may not know
        raise PermissionDenied("A decision may be recorded only on a case you may open.")
    session = Supervision.objects.create(
        worker=worker,
        supervisor=supervisor,
        held_on=held_on,
        duration_minutes=duration_minutes,
        supervision_type=supervision_type,
        reflection=reflection.strip(),
        recorded_by=actor,
    )
    SupervisionDecision.objects.bulk_create(
        SupervisionDecision(supervision=session, child=child, decision=text.strip()) for child, text in decisions
    )
    payload = {"worker": worker.pk, "held_on": str(held_on), "type": supervision_type, "cases": len(decisions)}
    audit.record(actor=actor, verb="supervision_recorded", target=session, payload=payload)
    for child, _ in decisions:  # each child's history shows the decision made about them
        audit.record(
            actor=actor,
            verb="supervision_decision_recorded",
            target=session,
            child=child,
            payload={"worker": worker.pk},
        )
    return session


@transaction.atomic(durable=True)
def supervision_confirm(*, actor, supervision: Supervision) -> Supervision:
    """The supervised worker agrees the record of their session: it is then agreed by both."""
    session = Supervision.objects.select_for_update().select_related("worker").get(pk=supervision.pk)
    if session.worker.user_id is None or session.worker.user_id != actor.pk:
        raise PermissionDenied("Only the worker supervised confirms the record of their supervision.")
    if session.confirmed_at is not None:
        raise ValidationError(f"You confirmed this record on {timezone.localtime(session.confirmed_at):%d/%m/%Y}.")
    session.confirmed_at = timezone.now()
    session.save(update_fields=["confirmed_at"])
    audit.record(actor=actor, verb="supervision_confirmed", target=session, payload={"held_on": str(session.held_on)})
    return session
