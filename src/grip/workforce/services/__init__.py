"""Workforce writes that change who can hold cases: an absence, a leaving date; and (handed on from
this package's modules) the establishment's posts and who fills them (`posts`), starters, leavers,
changes of terms, registration and the ASYE (`people`).

Each is one durable transaction with its audit entry. Nothing else needs doing for the worker's
cases to appear on the manager's reallocation list: that list is computed from these records
(grip.allocation.register.reallocation_list), so it shows them the moment this commits.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from grip.audit import services as audit
from grip.core.codelists import codes
from grip.workforce.models import Absence, Worker
from grip.workforce.selectors import may_manage_team

from .people import asye_complete, asye_start, leaver_record, registration_record, starter_record, terms_change
from .posts import filling_end as _filling_end
from .posts import post_add, post_edit, post_end, post_fill, post_vacate

__all__ = [
    "absence_record",
    "asye_complete",
    "asye_start",
    "leaver_record",
    "post_add",
    "post_edit",
    "post_end",
    "post_fill",
    "post_vacate",
    "registration_record",
    "starter_record",
    "terms_change",
    "worker_leaving_record",
]


@transaction.atomic(durable=True)
def absence_record(
    *, actor, worker: Worker, absence_type: str, started_on: date, ended_on: date | None = None
) -> Absence:
    """Record that a worker is (or will be) away; `ended_on` is the last day away, empty if unknown."""
    if not may_manage_team(actor, worker.team):
        raise PermissionDenied(f"You do not manage {worker.team}.")
    if absence_type not in codes("absence_type"):
        raise ValidationError({"absence_type": "Choose the kind of absence."})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": "The last day away cannot be before the first."})
    overlapping = worker.absences.filter(started_on__lte=ended_on or date.max).exclude(ended_on__lt=started_on)
    if overlapping.exists():
        raise ValidationError({"started_on": f"{worker} already has an absence recorded for part of that time."})
    absence = Absence.objects.create(worker=worker, absence_type=absence_type, started_on=started_on, ended_on=ended_on)
    payload = {"worker": worker.pk, "type": absence_type, "from": str(started_on), "to": str(ended_on or "")}
    audit.record(actor=actor, verb="absence_recorded", target=absence, payload=payload)
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
