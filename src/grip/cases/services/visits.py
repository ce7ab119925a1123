"""Visits to a child recorded as they happened: the day, the kind of visit (code list visit_type:
the regime it is made under), whether the child was seen and seen alone, where, and what the child
said and felt in their own words. A visit of the right kind with the child seen stops the visiting
clocks of grip.timescales at once (rules cp_visit, cin_visit, looked_after_visit, ...).

The service locks the child's row, so two people recording the same visit at once record it once,
and writes its audit entry in the same transaction. The audit entry names the kind and the day,
never the child's words.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction

from grip.audit import services as audit
from grip.cases.models import Visit
from grip.core.codelists import codelist, label
from grip.people.models import Person

from .checks import not_in_future

MIN_WORDS = 10  # characters: what the child said, in words, not a tick


def _worker_of(user):
    """The worker record of the person recording (who made the visit), if they have one."""
    try:
        return user.worker
    except (AttributeError, ObjectDoesNotExist):
        return None


@transaction.atomic(durable=True)
def visit_record(
    *,
    child: Person,
    visit_type: str,
    visited_on: date,
    child_seen: bool,
    seen_alone: bool,
    place: str,
    child_said: str,
    by,
) -> Visit:
    """Record a visit made to `child` by the person recording it (`by`, as their worker record).

    Refused: a visit in the future or before the child was born; a kind not in the list; a child
    seen alone who was not seen; a child seen with nothing of what they said and felt; the same
    kind of visit already recorded for that day."""
    child = Person.objects.select_for_update().get(pk=child.pk)
    if visit_type not in codelist("visit_type"):
        raise ValidationError({"visit_type": "Select the kind of visit."})
    not_in_future(visited_on, "visited_on", "The date of the visit")
    if child.date_of_birth and visited_on < child.date_of_birth:
        raise ValidationError({"visited_on": "The date of the visit cannot be before the child was born."})
    if seen_alone and not child_seen:
        raise ValidationError({"seen_alone": "A child seen alone was seen: answer yes to “Was the child seen?”."})
    place, child_said = place.strip(), child_said.strip()
    if child_seen and len(child_said) < MIN_WORDS:
        raise ValidationError(
            {"child_said": "Write what the child said and how they felt, in their own words where you can."}
        )
    if Visit.objects.filter(child=child, visit_type=visit_type, visited_on=visited_on).exists():
        raise ValidationError(
            f"A {label('visit_type', visit_type).lower()} on {visited_on:%d/%m/%Y} is already recorded for this child."
        )
    visit = Visit(
        child=child,
        visit_type=visit_type,
        visited_on=visited_on,
        worker=_worker_of(by),
        child_seen=child_seen,
        seen_alone=seen_alone,
        place=place,
        child_said=child_said,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    visit.full_clean()
    visit.save()
    audit.record(
        actor=by,
        verb="visit_recorded",
        target=visit,
        child=child,
        payload={"visit_type": visit_type, "visited_on": visited_on.isoformat(), "child_seen": child_seen},
    )
    return visit
