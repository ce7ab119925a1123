"""Writes on a child's early help: started (by the front door's decision, by a practitioner, or as a
step down from children's social care, naming the CIN episode it came from), its assessment
started and completed, team around the family (TAF) meetings that agree and review the plan, and
its end: closed with a reason, or stepped up to children's social care, which closes it and opens a
referral in the same transaction.

Early help has no statutory clock: Working Together to Safeguard Children 2023 (chapter 2) sets no
timescale for an early help assessment or for reviewing the plan, and the statutory clocks start
with the referral a step up opens (grip/reference/timescales/rules.toml). An authority that sets
one (TAF reviews every 6 to 12 weeks, say) adds it to rules.toml as a local rule.

Why a step up opens the referral here, not through a new contact to the front door: see
docs/adr/0022-early-help-step-up-and-step-down.md.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from grip.audit import services as audit
from grip.cases.models import (
    CINEpisode,
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    TafPlan,
    TeamAroundFamilyMeeting,
)
from grip.cases.models.early_help import STEPPED_UP
from grip.core.codelists import codelist
from grip.people.models import Person

from .checks import not_in_future
from .referrals import MIN_REASON, open_referral

FROM_EARLY_HELP = "5D"  # referral_source: LA services – early help (CIN census N00152)


def _locked_child(child: Person) -> Person:
    return Person.objects.select_for_update().get(pk=child.pk)


def _open(episode: EarlyHelpEpisode) -> EarlyHelpEpisode:
    """The early help episode, locked for this transaction; refused when it has ended."""
    episode = EarlyHelpEpisode.objects.select_for_update().select_related("child").get(pk=episode.pk)
    if episode.ended_on is not None:
        raise ValidationError(f"This early help ended on {episode.ended_on:%d/%m/%Y}: nothing more can be added to it.")
    return episode


def _not_before_start(day: date, episode: EarlyHelpEpisode, field: str, what: str) -> None:
    if day < episode.started_on:
        raise ValidationError({field: f"{what} cannot be before early help started ({episode.started_on:%d/%m/%Y})."})


def _latest_event(episode: EarlyHelpEpisode) -> date | None:
    """The last day anything was recorded in the episode: an assessment's dates or a meeting."""
    days = [
        episode.assessments.aggregate(last=Max("started_on"))["last"],
        episode.assessments.aggregate(last=Max("completed_on"))["last"],
        episode.taf_meetings.aggregate(last=Max("held_on"))["last"],
    ]
    return max((d for d in days if d is not None), default=None)


def _check_organisation(code: str, field: str) -> None:
    if code not in codelist("early_help_organisation"):
        raise ValidationError({field: "Choose the organisation leading early help."})


@transaction.atomic(durable=True)
def early_help_start(
    *,
    child: Person,
    started_on: date,
    lead_organisation: str,
    reason: str,
    lead_practitioner: str = "",
    stepped_down_from: CINEpisode | None = None,
    by,
) -> EarlyHelpEpisode:
    """Start early help for a child who has none open: the day it started, the organisation leading
    it (and, if known, the lead practitioner), and why. As a step down from children's social care
    it names the child's CIN episode it came from (one step down per episode)."""
    child = _locked_child(child)
    not_in_future(started_on, "started_on", "The start of early help")
    _check_organisation(lead_organisation, "lead_organisation")
    if len(reason.strip()) < MIN_REASON:
        raise ValidationError({"reason": "Say why the family needs early help."})
    current = EarlyHelpEpisode.objects.filter(child=child, ended_on__isnull=True).first()
    if current is not None:
        raise ValidationError(f"Early help is already open for this child (since {current.started_on:%d/%m/%Y}).")
    last_end = EarlyHelpEpisode.objects.filter(child=child).aggregate(last=Max("ended_on"))["last"]
    if last_end is not None and started_on < last_end:
        raise ValidationError(
            {"started_on": f"Early help cannot start before the last early help ended ({last_end:%d/%m/%Y})."}
        )
    if stepped_down_from is not None:
        stepped_down_from = CINEpisode.objects.select_for_update().get(pk=stepped_down_from.pk)
        if stepped_down_from.child_id != child.pk:
            raise ValidationError("A step down comes from this child's own case.")
        if started_on < stepped_down_from.referral_date:
            raise ValidationError(
                {
                    "started_on": "A step down cannot start before the referral it comes from "
                    f"({stepped_down_from.referral_date:%d/%m/%Y})."
                }
            )
        if EarlyHelpEpisode.objects.filter(stepped_down_from=stepped_down_from).exists():
            raise ValidationError("Early help is already recorded as the step down from this case.")
    episode = EarlyHelpEpisode(
        child=child,
        started_on=started_on,
        lead_organisation=lead_organisation,
        lead_practitioner=lead_practitioner.strip(),
        reason=reason.strip(),
        stepped_down_from=stepped_down_from,
    )
    episode.full_clean()
    episode.save()
    audit.record(
        actor=by,
        verb="early_help_started",
        target=episode,
        child=child,
        payload={
            "started_on": started_on.isoformat(),
            "lead_organisation": lead_organisation,
            "stepped_down_from": stepped_down_from.pk if stepped_down_from else None,
        },
    )
    return episode


@transaction.atomic  # a step of the front door's durable decision, in its transaction
def early_help_from_contact(*, contact, by) -> EarlyHelpEpisode:
    """Early help for a contact the front door decided as early help, from the day of the decision.
    A child already in early help keeps the episode they have: the contact is for its lead
    practitioner, and no second episode opens."""
    child = _locked_child(contact.child)
    current = EarlyHelpEpisode.objects.filter(child=child, ended_on__isnull=True).first()
    if current is not None:
        return current
    episode = EarlyHelpEpisode(
        child=child, contact=contact, started_on=timezone.localdate(contact.decided_at or timezone.now())
    )
    episode.full_clean(validate_constraints=False)
    episode.save()
    audit.record(
        actor=by,
        verb="early_help_started",
        target=episode,
        child=child,
        payload={"started_on": episode.started_on.isoformat(), "contact": contact.pk},
    )
    return episode


@transaction.atomic(durable=True)
def early_help_assessment_start(
    *, episode: EarlyHelpEpisode, started_on: date, organisation: str, by
) -> EarlyHelpAssessment:
    """Start the early help assessment (Annex A List 2), with the organisation completing it."""
    episode = _open(episode)
    not_in_future(started_on, "started_on", "The assessment’s start")
    _not_before_start(started_on, episode, "started_on", "An assessment")
    _check_organisation(organisation, "organisation")
    if episode.assessments.filter(completed_on__isnull=True).exists():
        raise ValidationError("An early help assessment is already under way: record it as completed first.")
    assessment = EarlyHelpAssessment(episode=episode, started_on=started_on, organisation=organisation)
    assessment.full_clean()
    assessment.save()
    audit.record(
        actor=by,
        verb="early_help_assessment_started",
        target=assessment,
        child=episode.child,
        payload={"episode": episode.pk, "started_on": started_on.isoformat(), "organisation": organisation},
    )
    return assessment


@transaction.atomic(durable=True)
def early_help_assessment_complete(*, assessment: EarlyHelpAssessment, completed_on: date, by) -> EarlyHelpAssessment:
    """Record the early help assessment as completed, on the day it was."""
    assessment = EarlyHelpAssessment.objects.select_for_update().get(pk=assessment.pk)
    episode = _open(assessment.episode)
    if assessment.completed_on is not None:
        raise ValidationError(f"This assessment was completed on {assessment.completed_on:%d/%m/%Y}.")
    not_in_future(completed_on, "completed_on", "The assessment’s completion")
    if completed_on < assessment.started_on:
        raise ValidationError(
            {"completed_on": f"An assessment cannot be completed before it started ({assessment.started_on:%d/%m/%Y})."}
        )
    assessment.completed_on = completed_on
    assessment.full_clean()
    assessment.save(update_fields=["completed_on"])
    audit.record(
        actor=by,
        verb="early_help_assessment_completed",
        target=assessment,
        child=episode.child,
        payload={"completed_on": completed_on.isoformat()},
    )
    return assessment


@transaction.atomic(durable=True)
def taf_meeting_record(
    *,
    episode: EarlyHelpEpisode,
    held_on: date,
    attended_by: list[str],
    plan: str,
    review_outcome: str = "",
    notes: str = "",
    by,
) -> TeamAroundFamilyMeeting:
    """Record a team around the family meeting held: who attended, and whether it agreed the
    family's plan or reviewed it (a review has an outcome: continue, step up, step down or close,
    which is the meeting's decision, not the step up or closure itself)."""
    episode = _open(episode)
    not_in_future(held_on, "held_on", "The meeting")
    _not_before_start(held_on, episode, "held_on", "A meeting")
    attendees = codelist("taf_attendee")
    if not attended_by:
        raise ValidationError({"attended_by": "Select who attended the meeting."})
    if any(code not in attendees for code in attended_by):
        raise ValidationError({"attended_by": "Select who attended from the list."})
    if plan not in TafPlan.values:
        raise ValidationError({"plan": "Select whether the meeting agreed the plan or reviewed it."})
    if plan == TafPlan.REVIEWED:
        if review_outcome not in codelist("early_help_review_outcome"):
            raise ValidationError({"review_outcome": "Select the outcome of the review."})
        agreed = episode.taf_meetings.filter(plan=TafPlan.AGREED, held_on__lte=held_on).exists()
        if not agreed:
            raise ValidationError(
                {"plan": "A plan is reviewed after a meeting has agreed it: record that meeting first."}
            )
    elif review_outcome:
        raise ValidationError({"review_outcome": "Only a review of the plan has an outcome."})
    meeting = TeamAroundFamilyMeeting(
        episode=episode,
        held_on=held_on,
        attended_by=list(dict.fromkeys(attended_by)),
        plan=plan,
        review_outcome=review_outcome,
        notes=notes.strip(),
    )
    meeting.full_clean()
    meeting.save()
    audit.record(
        actor=by,
        verb="taf_meeting_recorded",
        target=meeting,
        child=episode.child,
        payload={"episode": episode.pk, "held_on": held_on.isoformat(), "plan": plan, "outcome": review_outcome},
    )
    return meeting


def _check_end(episode: EarlyHelpEpisode, ended_on: date, field: str, what: str) -> None:
    not_in_future(ended_on, field, what)
    _not_before_start(ended_on, episode, field, what)
    latest = _latest_event(episode)
    if latest is not None and ended_on < latest:
        raise ValidationError({field: f"{what} cannot be before the last thing recorded in it ({latest:%d/%m/%Y})."})


@transaction.atomic(durable=True)
def early_help_close(*, episode: EarlyHelpEpisode, ended_on: date, reason: str, by) -> EarlyHelpEpisode:
    """Close early help with the reason it ended. A step up to children's social care is not closed
    here: `early_help_step_up` closes it and opens the referral together."""
    episode = _open(episode)
    if reason == STEPPED_UP:
        raise ValidationError({"reason": "To step up to children’s social care, use “Step up to social care”."})
    if reason not in codelist("early_help_closure"):
        raise ValidationError({"reason": "Select why early help ended."})
    _check_end(episode, ended_on, "ended_on", "The end of early help")
    episode.ended_on, episode.closure_reason = ended_on, reason
    episode.full_clean()
    episode.save(update_fields=["ended_on", "closure_reason"])
    audit.record(
        actor=by,
        verb="early_help_closed",
        target=episode,
        child=episode.child,
        payload={"ended_on": ended_on.isoformat(), "reason": reason},
    )
    return episode


@transaction.atomic(durable=True)
def early_help_step_up(*, episode: EarlyHelpEpisode, stepped_up_on: date, by) -> CINEpisode:
    """Step early help up to children's social care: it closes (stepped up) on the day, and a
    referral opens that day from early help (CIN census ReferralSource 5D), in one transaction.
    Refused when the child's case is already open in children's social care."""
    _locked_child(episode.child)
    episode = _open(episode)
    if CINEpisode.objects.filter(child=episode.child, closure_date__isnull=True).exists():
        raise ValidationError(
            "This child already has an open case in children’s social care: close early help with its reason instead."
        )
    _check_end(episode, stepped_up_on, "stepped_up_on", "The step up")
    closed = CINEpisode.objects.filter(child=episode.child).aggregate(last=Max("closure_date"))["last"]
    if closed is not None and stepped_up_on < closed:
        raise ValidationError(
            {"stepped_up_on": f"The step up cannot be before the child's last case closed ({closed:%d/%m/%Y})."}
        )
    referral = open_referral(child=episode.child, referral_date=stepped_up_on, referral_source=FROM_EARLY_HELP, by=by)
    episode.ended_on, episode.closure_reason, episode.stepped_up_to = stepped_up_on, STEPPED_UP, referral
    episode.full_clean()
    episode.save(update_fields=["ended_on", "closure_reason", "stepped_up_to"])
    audit.record(
        actor=by,
        verb="early_help_stepped_up",
        target=episode,
        child=episode.child,
        payload={"stepped_up_on": stepped_up_on.isoformat(), "referral": referral.pk},
    )
    return referral
