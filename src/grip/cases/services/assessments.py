"""Writes on an assessment after it starts (starting it is grip.cases.services.referrals'):
the worker completes it (the day it was finished, the factors identified, the outcome) and submits
it for authorisation; a manager other than the worker authorises it. The authorisation date is the
CIN census's AssessmentAuthorisationDate (N00160) and stops the 45 working days' clock.

Each service locks the assessment, so two people cannot submit or authorise it at once, checks the
order of events, and writes its audit entry in the same transaction.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from grip.audit import services as audit
from grip.cases.models import Assessment
from grip.core.codelists import codelist

from .checks import open_episode

NO_FACTORS = "21"  # "No factors identified": CIN census rule 8869, never with another factor


def _locked(assessment: Assessment) -> Assessment:
    assessment = Assessment.objects.select_for_update().select_related("episode").get(pk=assessment.pk)
    open_episode(assessment.episode)
    if assessment.authorised_on is not None:
        raise ValidationError(f"This assessment was authorised on {assessment.authorised_on:%d/%m/%Y}.")
    return assessment


def _check_factors(factors: list[str]) -> list[str]:
    factors = list(dict.fromkeys(factors))
    if not factors:
        # CIN census rule 8897Q: a completed assessment with no factors is queried.
        raise ValidationError({"factors": "Select the factors identified, or “No factors identified”."})
    allowed = codelist("assessment_factor")
    if any(code not in allowed for code in factors):
        raise ValidationError({"factors": "Select the factors from the list."})
    if NO_FACTORS in factors and len(factors) > 1:
        raise ValidationError(
            {"factors": "“No factors identified” cannot be chosen with another factor (CIN census rule 8869)."}
        )
    return factors


@transaction.atomic(durable=True)
def assessment_submit(
    *, assessment: Assessment, completed_on: date, factors: list[str], outcome: str, by
) -> Assessment:
    """Record the assessment as completed on `completed_on`, with the factors identified and its
    outcome, and submit it for a manager's authorisation."""
    assessment = _locked(assessment)
    if assessment.submitted_at is not None:
        raise ValidationError("This assessment is already waiting for a manager to authorise it.")
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "An assessment cannot be completed in the future."})
    if completed_on < assessment.started_on:
        raise ValidationError(
            {"completed_on": f"An assessment cannot be completed before it started ({assessment.started_on:%d/%m/%Y})."}
        )
    if outcome not in codelist("assessment_outcome"):
        raise ValidationError({"outcome": "Choose the outcome of the assessment."})
    assessment.completed_on = completed_on
    assessment.factors = _check_factors(factors)
    assessment.outcome = outcome
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = by
    assessment.full_clean()
    assessment.save(update_fields=["completed_on", "factors", "outcome", "submitted_at", "submitted_by"])
    audit.record(
        actor=by,
        verb="assessment_submitted",
        target=assessment,
        child=assessment.episode.child,
        payload={"completed_on": completed_on.isoformat(), "factors": assessment.factors, "outcome": outcome},
    )
    return assessment


@transaction.atomic(durable=True)
def assessment_authorise(*, assessment: Assessment, authorised_on: date, by) -> Assessment:
    """Authorise a submitted assessment on `authorised_on`: its clock stops that day. The worker
    who submitted it cannot authorise it."""
    assessment = _locked(assessment)
    if assessment.submitted_at is None:
        raise ValidationError("This assessment has not been submitted for authorisation.")
    if assessment.submitted_by_id == getattr(by, "pk", None):
        raise ValidationError("You submitted this assessment: another manager must authorise it.")
    if authorised_on > timezone.localdate():
        raise ValidationError({"authorised_on": "An assessment cannot be authorised in the future."})
    if authorised_on < assessment.completed_on:
        raise ValidationError(
            {
                "authorised_on": "An assessment cannot be authorised before it was completed "
                f"({assessment.completed_on:%d/%m/%Y})."
            }
        )
    assessment.authorised_on = authorised_on
    assessment.authorised_by = by
    assessment.full_clean()
    assessment.save(update_fields=["authorised_on", "authorised_by"])
    audit.record(
        actor=by,
        verb="assessment_authorised",
        target=assessment,
        child=assessment.episode.child,
        payload={"authorised_on": authorised_on.isoformat()},
    )
    return assessment
