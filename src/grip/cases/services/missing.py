"""Writes on a looked-after child's missing episodes (SSDA903 Missing module): the child gone
missing (or away from placement without authorisation), their return, and the return home
interview that follows (DfE 2014 guidance: offered on every return, within 72 hours). Offering an
interview does not stop the clock; an interview held, or the offer declined by the child, does.

One episode at a time: a child already missing is not recorded missing again until their return.
Each service locks the episode (or, for a new one, the child's open period of care) and writes
its audit entry in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from grip.audit import services as audit
from grip.cases.models import MissingEpisode
from grip.core.codelists import codelist
from grip.people.models import Person

from .care import open_looked_after_episode, period_of_care_start
from .checks import aware, not_in_future

HELD, DECLINED = "HELD", "DECLINED"  # return_interview_outcome


def _episode(missing: MissingEpisode) -> MissingEpisode:
    return MissingEpisode.objects.select_for_update().select_related("child").get(pk=missing.pk)


@transaction.atomic(durable=True)
def missing_record(
    *, child: Person, missing_type: str, started_at: datetime, returned_at: datetime | None = None, by
) -> MissingEpisode:
    """Record a looked-after child missing from `started_at`, and, when it is already known, the
    time they came back."""
    began = period_of_care_start(open_looked_after_episode(child))
    started_at = aware(started_at)
    if missing_type not in codelist("missing_type"):
        raise ValidationError({"missing_type": "Select missing from care or away from placement."})
    not_in_future(started_at, "started_at", "Going missing")
    if timezone.localdate(started_at) < began:
        raise ValidationError(
            {"started_at": f"Going missing cannot be before the child became looked after on {began:%d/%m/%Y}."}
        )
    if MissingEpisode.objects.filter(child=child, ended_at__isnull=True).exists():
        raise ValidationError("The child is already recorded as missing: record their return first.")
    if returned_at is not None:
        returned_at = aware(returned_at)
        not_in_future(returned_at, "returned_at", "The return")
        if returned_at < started_at:
            raise ValidationError({"returned_at": "A child cannot return before they went missing."})
    missing = MissingEpisode(child=child, missing_type=missing_type, started_at=started_at, ended_at=returned_at)
    missing.full_clean()
    missing.save()
    audit.record(
        actor=by,
        verb="missing_recorded",
        target=missing,
        child=child,
        payload={"missing_type": missing_type, "returned": returned_at is not None},
    )
    return missing


@transaction.atomic(durable=True)
def missing_return(*, missing: MissingEpisode, returned_at: datetime, by) -> MissingEpisode:
    """Record the child's return: the 72 hours for the return interview run from it."""
    missing = _episode(missing)
    if missing.ended_at is not None:
        raise ValidationError("The child's return from this episode is already recorded.")
    returned_at = aware(returned_at)
    not_in_future(returned_at, "returned_at", "The return")
    if returned_at < missing.started_at:
        raise ValidationError({"returned_at": "A child cannot return before they went missing."})
    missing.ended_at = returned_at
    missing.full_clean()
    missing.save(update_fields=["ended_at"])
    audit.record(actor=by, verb="missing_returned", target=missing, child=missing.child)
    return missing


def _returned(missing: MissingEpisode) -> MissingEpisode:
    missing = _episode(missing)
    if missing.ended_at is None:
        raise ValidationError("Record the child's return first: the interview follows it.")
    if missing.return_interview_outcome:
        raise ValidationError("The return interview for this episode is already recorded.")
    return missing


@transaction.atomic(durable=True)
def return_interview_offer(*, missing: MissingEpisode, by) -> MissingEpisode:
    """Record that a return interview was offered (not yet held): the clock goes on."""
    missing = _returned(missing)
    if missing.return_interview_offered:
        raise ValidationError("A return interview is already recorded as offered.")
    missing.return_interview_offered = True
    missing.save(update_fields=["return_interview_offered"])
    audit.record(actor=by, verb="return_interview_offered", target=missing, child=missing.child)
    return missing


@transaction.atomic(durable=True)
def return_interview_record(*, missing: MissingEpisode, outcome: str, at: datetime, by) -> MissingEpisode:
    """Record the return interview held, or the offer of one declined by the child, at `at`:
    either stops the 72-hour clock. A declined interview was offered, and so was one held."""
    missing = _returned(missing)
    if outcome not in (HELD, DECLINED):
        raise ValidationError({"outcome": "Select whether the interview was held or declined."})
    at = aware(at)
    not_in_future(at, "at", "The interview")
    if at < missing.ended_at:
        raise ValidationError({"at": "A return interview follows the child's return."})
    missing.return_interview_offered = True
    missing.return_interview_outcome = outcome
    missing.return_interview_at = at
    missing.full_clean()
    missing.save(update_fields=["return_interview_offered", "return_interview_outcome", "return_interview_at"])
    audit.record(
        actor=by, verb="return_interview_recorded", target=missing, child=missing.child, payload={"outcome": outcome}
    )
    return missing
