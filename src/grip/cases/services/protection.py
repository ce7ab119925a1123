"""Writes on a child's protection: a section 47 enquiry's outcome, the initial child protection
conference (which may start a child protection plan the same day), review conferences (the plan
continues, perhaps with a new latest category of abuse, or ends) and core group meetings.

The rules are the CIN census's (DfE children in need census; validation rules from the
data-to-insight cin2025_26 ruleset, shared/peer-data/csc-validator-be-cin/derived/) and Working
Together to Safeguard Children 2023's. Recording that an initial conference is needed is not a
conference held: only `initial_conference_hold` records one, and only for an enquiry whose outcome
said one was needed.

Each service locks the row two people could change at once (the enquiry; the episode when a plan
starts; the plan for its reviews and core groups), checks the request against the record, and
writes its audit entry in the same transaction.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from grip.audit import services as audit
from grip.cases.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    CoreGroupMeeting,
    Section47Enquiry,
)
from grip.cases.models.protection import CONTINUES, ENDS, INITIAL_OUTCOMES, MAKES_A_PLAN, REVIEW_OUTCOMES
from grip.core.codelists import codelist

from .checks import not_in_future, open_episode

SATURDAY = 5  # date.weekday(): CIN census rule 8875, an initial conference is not held at a weekend


def _attendance(attended_by: list[str], attendee_names: str) -> tuple[list[str], str]:
    attended_by = list(dict.fromkeys(attended_by))
    if not attended_by:
        raise ValidationError({"attended_by": "Select who attended."})
    return attended_by, attendee_names.strip()


def _chair(chair: str) -> str:
    chair = chair.strip()
    if not chair:
        raise ValidationError({"chair": "Enter the name of the person who chaired the conference."})
    return chair


def _participation(participation: str) -> str:
    if participation not in codelist("conference_participation"):
        raise ValidationError({"participation": "Select how the child took part."})
    return participation


def _category(category: str, field: str = "category") -> str:
    if category not in codelist("category_of_abuse"):
        raise ValidationError({field: "Select the category of abuse."})
    return category


@transaction.atomic(durable=True)
def section47_outcome_record(*, enquiry: Section47Enquiry, completed_on: date, outcome: str, by) -> Section47Enquiry:
    """Record that a section 47 enquiry is completed, and its outcome: an initial child protection
    conference is needed (CIN census ICPCnotRequired false), or not (the child continues as a child
    in need, or no further action; ICPCnotRequired true). Recording that a conference is needed
    holds none: the ICPC clock runs on until the conference is recorded as held."""
    enquiry = Section47Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.completed_on is not None:
        raise ValidationError(f"This section 47 enquiry was already completed on {enquiry.completed_on:%d/%m/%Y}.")
    episode = open_episode(enquiry.episode)
    if outcome not in codelist("s47_outcome"):
        raise ValidationError({"outcome": "Select the outcome of the enquiry."})
    not_in_future(completed_on, "completed_on", "The date the enquiry was completed")
    if completed_on < enquiry.started_on:
        raise ValidationError(
            {"completed_on": f"The enquiry cannot be completed before it started ({enquiry.started_on:%d/%m/%Y})."}
        )
    enquiry.completed_on = completed_on
    enquiry.outcome = outcome
    enquiry.full_clean()
    enquiry.save(update_fields=["completed_on", "outcome"])
    audit.record(
        actor=by,
        verb="section47_outcome_recorded",
        target=enquiry,
        child=episode.child,
        payload={"completed_on": completed_on.isoformat(), "outcome": outcome},
    )
    return enquiry


def _end_cin_plan(*, episode, on: date, by) -> None:
    """A child in need plan and a child protection plan do not run at once (CIN census rules 4001,
    4016): the CIN plan ends on the day the protection plan starts."""
    cin_plan = CINPlan.objects.select_for_update().filter(episode=episode, ended_on__isnull=True).first()
    if cin_plan is None:
        return
    last_review = cin_plan.reviews.aggregate(last=Max("held_on"))["last"]
    if on < cin_plan.started_on or (last_review is not None and on < last_review):
        raise ValidationError(
            {"held_on": "The child in need plan running on this case started or was reviewed after this date."}
        )
    cin_plan.ended_on = on
    cin_plan.full_clean()
    cin_plan.save(update_fields=["ended_on"])
    audit.record(
        actor=by,
        verb="cin_plan_ended",
        target=cin_plan,
        child=episode.child,
        payload={"ended_on": on.isoformat(), "because": "child protection plan started"},
    )


@transaction.atomic(durable=True)
def initial_conference_hold(
    *,
    enquiry: Section47Enquiry,
    held_on: date,
    chair: str,
    attended_by: list[str],
    attendee_names: str = "",
    participation: str,
    outcome: str,
    category: str = "",
    by,
) -> ChildProtectionConference:
    """Record the initial child protection conference a section 47 enquiry asked for, held on
    `held_on` (CIN census DateOfInitialCPC, N00110). With an outcome of a plan, the child protection
    plan starts that day (CPPstartDate equals the ICPC date, rule 2885) with the category of abuse
    as both its initial and latest category (N00113, N00114); a child in need plan running on the
    case ends that day."""
    enquiry = Section47Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    episode = open_episode(enquiry.episode)
    if not enquiry.conference_needed:
        raise ValidationError("Record the section 47 enquiry’s outcome as “conference needed” first.")
    if ChildProtectionConference.objects.filter(section47=enquiry, conference_type="ICPC").exists():
        raise ValidationError("This section 47 enquiry already has its initial conference recorded.")
    not_in_future(held_on, "held_on", "The date of the conference")
    if held_on < enquiry.completed_on:
        # CIN census rule 8615: not before the enquiry started; and the enquiry asked for it.
        raise ValidationError(
            {
                "held_on": "The conference cannot be before the section 47 enquiry that asked for it was completed "
                f"({enquiry.completed_on:%d/%m/%Y})."
            }
        )
    if held_on.weekday() >= SATURDAY:
        raise ValidationError({"held_on": "An initial conference is not held at a weekend (CIN census rule 8875)."})
    chair = _chair(chair)
    attended_by, attendee_names = _attendance(attended_by, attendee_names)
    participation = _participation(participation)
    if outcome not in INITIAL_OUTCOMES:
        raise ValidationError({"outcome": "Select whether the child is to have a child protection plan."})
    plan = None
    if outcome == MAKES_A_PLAN:
        category = _category(category)
        if ChildProtectionPlan.objects.filter(episode__child=episode.child, ended_on__isnull=True).exists():
            # CIN census rule 8935: one open child protection plan per child.
            raise ValidationError("This child already has a child protection plan running.")
        _end_cin_plan(episode=episode, on=held_on, by=by)
        plan = ChildProtectionPlan(
            episode=episode, started_on=held_on, initial_category=category, latest_category=category
        )
        plan.full_clean()
        plan.save()
    else:
        category = ""
    conference = ChildProtectionConference(
        episode=episode,
        conference_type="ICPC",
        section47=enquiry,
        plan=plan,
        held_on=held_on,
        chair=chair,
        attended_by=attended_by,
        attendee_names=attendee_names,
        participation=participation,
        outcome=outcome,
        category=category,
    )
    conference.full_clean()
    conference.save()
    audit.record(
        actor=by,
        verb="initial_conference_held",
        target=conference,
        child=episode.child,
        payload={
            "held_on": held_on.isoformat(),
            "outcome": outcome,
            "plan": plan.pk if plan else None,
            "category": category,
        },
    )
    return conference


def _open_plan(plan: ChildProtectionPlan) -> ChildProtectionPlan:
    plan = ChildProtectionPlan.objects.select_for_update().select_related("episode__child").get(pk=plan.pk)
    if plan.ended_on is not None:
        raise ValidationError(f"This child protection plan ended on {plan.ended_on:%d/%m/%Y}.")
    open_episode(plan.episode)
    return plan


@transaction.atomic(durable=True)
def review_conference_hold(
    *,
    plan: ChildProtectionPlan,
    held_on: date,
    chair: str,
    attended_by: list[str],
    attendee_names: str = "",
    participation: str,
    outcome: str,
    category: str = "",
    end_reason: str = "",
    by,
) -> ChildProtectionConference:
    """Record a review child protection conference of a running plan (CIN census CPPreviewDate,
    N00116). The plan continues (with `category`, when given, as its new latest category of abuse,
    N00114) or ends on the day of the conference (CPPendDate, N00115) for `end_reason`."""
    plan = _open_plan(plan)
    not_in_future(held_on, "held_on", "The date of the conference")
    if held_on <= plan.started_on:
        # CIN census rule 8841; and a plan does not start and end the same day (rule 8840).
        raise ValidationError({"held_on": f"A review must be after the plan started ({plan.started_on:%d/%m/%Y})."})
    last = plan.conferences.filter(conference_type="RCPC").aggregate(last=Max("held_on"))["last"]
    if last is not None and held_on <= last:
        raise ValidationError({"held_on": f"A review is already recorded on {last:%d/%m/%Y}: this one must be later."})
    chair = _chair(chair)
    attended_by, attendee_names = _attendance(attended_by, attendee_names)
    participation = _participation(participation)
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationError({"outcome": "Select whether the plan continues or ends."})
    if outcome == CONTINUES:
        end_reason = ""
        if category:
            plan.latest_category = _category(category)
    else:
        category = ""
        if end_reason not in codelist("cp_plan_end_reason"):
            raise ValidationError({"end_reason": "Select why the plan ends."})
        plan.ended_on = held_on
        plan.end_reason = end_reason
    plan.full_clean()
    plan.save(update_fields=["latest_category", "ended_on", "end_reason"])
    conference = ChildProtectionConference(
        episode=plan.episode,
        conference_type="RCPC",
        plan=plan,
        held_on=held_on,
        chair=chair,
        attended_by=attended_by,
        attendee_names=attendee_names,
        participation=participation,
        outcome=outcome,
        category=category,
    )
    conference.full_clean()
    conference.save()
    audit.record(
        actor=by,
        verb="review_conference_held",
        target=conference,
        child=plan.episode.child,
        payload={
            "held_on": held_on.isoformat(),
            "plan": plan.pk,
            "outcome": outcome,
            "latest_category": plan.latest_category,
            "end_reason": end_reason if outcome == ENDS else "",
        },
    )
    return conference


@transaction.atomic(durable=True)
def core_group_record(
    *, plan: ChildProtectionPlan, held_on: date, attended_by: list[str], attendee_names: str = "", by
) -> CoreGroupMeeting:
    """Record a meeting of a running child protection plan's core group, on the day it met."""
    plan = _open_plan(plan)
    not_in_future(held_on, "held_on", "The date of the meeting")
    if held_on < plan.started_on:
        raise ValidationError(
            {"held_on": f"A core group cannot meet before the plan started ({plan.started_on:%d/%m/%Y})."}
        )
    if plan.core_groups.filter(held_on=held_on).exists():
        raise ValidationError({"held_on": f"A core group meeting on {held_on:%d/%m/%Y} is already recorded."})
    attended_by, attendee_names = _attendance(attended_by, attendee_names)
    meeting = CoreGroupMeeting(plan=plan, held_on=held_on, attended_by=attended_by, attendee_names=attendee_names)
    meeting.full_clean()
    meeting.save()
    audit.record(
        actor=by,
        verb="core_group_recorded",
        target=meeting,
        child=plan.episode.child,
        payload={"plan": plan.pk, "held_on": held_on.isoformat()},
    )
    return meeting
