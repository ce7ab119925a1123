"""A worker's own supervision frequency (grip.workforce.frequency): set by a manager of their
team, with the reason, from a day (today or earlier, like a change of terms), or ended so the
employer standard (the timescale rules) applies again. The supervision clocks read it at once."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from grip.audit import services as audit
from grip.cases.services.checks import not_in_future
from grip.workforce.frequency import FREQUENCIES, SupervisionFrequency
from grip.workforce.models import Worker

from .posts import may_manage

STANDARD = "standard"  # back to the employer standard: no frequency of the worker's own


@transaction.atomic(durable=True)
def supervision_frequency_set(
    *, worker: Worker, frequency: str, reason: str, from_on: date, by
) -> SupervisionFrequency | None:
    """From `from_on` the worker is supervised at `frequency` (a key of FREQUENCIES), or by the
    employer standard again (`"standard"`: None is returned). The frequency in force ends that day."""
    worker = Worker.objects.select_for_update().select_related("team").get(pk=worker.pk)
    may_manage(by, worker.team)
    if frequency != STANDARD and frequency not in FREQUENCIES:
        raise ValidationError({"frequency": "Choose how often the worker is to be supervised."})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why."})
    not_in_future(from_on, "from_on", "The day it takes effect")
    if from_on < worker.started_on:
        raise ValidationError({"from_on": f"{worker} started here on {worker.started_on:%d/%m/%Y}."})
    if worker.has_left_by(from_on):
        raise ValidationError({"from_on": f"{worker} left on {worker.left_on:%d/%m/%Y}."})
    current = SupervisionFrequency.objects.select_for_update().filter(worker=worker, ended_on__isnull=True).first()
    last = SupervisionFrequency.objects.filter(worker=worker).order_by("-started_on").first()
    if last is not None and from_on <= max(last.started_on, last.ended_on or last.started_on):
        since = max(last.started_on, last.ended_on or last.started_on)
        raise ValidationError(
            {"from_on": f"{worker}’s supervision frequency last changed on {since:%d/%m/%Y}: choose a later day."}
        )
    if current is None and frequency == STANDARD:
        raise ValidationError({"frequency": f"{worker} is already supervised by the employer standard."})
    if current is not None:
        current.ended_on = from_on
        current.save(update_fields=["ended_on"])
    row = None
    if frequency != STANDARD:
        _name, amount, unit = FREQUENCIES[frequency]
        row = SupervisionFrequency.objects.create(
            worker=worker, amount=amount, unit=unit, reason=reason, started_on=from_on, set_by=by
        )
    payload = {"frequency": frequency, "from": str(from_on), "reason": reason}
    audit.record(actor=by, verb="supervision_frequency_set", target=worker, payload=payload)
    return row
