"""Closing a child's case: the open CIN episode ends on the closure date (CINclosureDate, N00102)
with the CIN census reason (ReasonForClosure, N00103, code list `closure_reason`: RC1-RC9), and the
child in need plan still running ends that day.

What the census's own validation (DfE CIN census 2025-26 rules, data-to-insight/csc-validator-be-cin,
shared/peer-data/csc-validator-be-cin/derived/cin_rules_cin2025_26.csv) says of a closed episode,
checked here before anything changes:
- 8565: the closure date is on or after every date of the episode's work (assessments started and
  authorised, section 47 enquiries, initial conferences, child protection plans' ends, CIN plans'
  starts and ends). Grip also counts the plan reviews, conferences and strategy discussions it
  records: the case cannot close before its last recorded event.
- 8867 and 8868: no assessment waiting for authorisation, no section 47 enquiry unfinished.
- 2990: a case "closed after assessment" (RC8 no further action, RC9 referred to early help) has
  had no section 47 enquiry, conference, child protection plan or CIN plan; and (8825Q) it has had
  an assessment.
- A child protection plan still running, or a looked-after child's period of care, keeps the case
  open whatever the reason: no reason in the list is "still on a plan" or "still looked after". A
  plan ends at a review conference; adoption, a child arrangements order or a special guardianship
  order (RC1, RC3, RC4) end care first (the SSDA903 episode's reason ceased), then the case closes.
  A strategy discussion asked for and not yet held is work still to do, so it keeps the case open too.

`case_close` is a step of a durable transaction, not one itself, because closing the case also ends
who holds it, which is allocation's to write: grip.allocation.services.case_close_and_end_allocation
locks the child, calls this, and ends the allocation in one transaction (cases may not import
allocation). Called on its own it is one transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from grip.audit import services as audit
from grip.cases.models import CINEpisode, CINPlan, CINPlanReview, LookedAfterEpisode
from grip.core.codelists import codelist

from .checks import not_in_future, open_episode

# ReasonForClosure codes meaning "case closed after assessment" (CIN census rules 2990, 8825Q).
CLOSED_AFTER_ASSESSMENT = frozenset({"RC8", "RC9"})


def _day(value) -> date | None:
    """A date, or the local day of a moment."""
    return timezone.localdate(value) if isinstance(value, datetime) else value


def last_event(episode: CINEpisode) -> tuple[date, str] | None:
    """The latest day of work recorded on the episode, and what it was (census rule 8565, and the
    reviews, conferences and discussions Grip records beside it)."""
    found: list[tuple[date, str]] = []

    def latest(rows, field: str, what: str) -> None:
        day = _day(rows.aggregate(last=Max(field))["last"])
        if day is not None:
            found.append((day, what))

    latest(episode.assessments, "started_on", "assessment started")
    latest(episode.assessments, "completed_on", "assessment completed")
    latest(episode.assessments, "authorised_on", "assessment authorised")
    latest(episode.strategy_discussions, "requested_at", "strategy discussion asked for")
    latest(episode.strategy_discussions, "held_at", "strategy discussion held")
    latest(episode.section47_enquiries, "started_on", "section 47 enquiry started")
    latest(episode.section47_enquiries, "completed_on", "section 47 enquiry finished")
    latest(episode.conferences, "held_on", "child protection conference")
    latest(episode.cp_plans, "started_on", "child protection plan started")
    latest(episode.cp_plans, "ended_on", "child protection plan ended")
    latest(episode.cin_plans, "started_on", "child in need plan started")
    latest(episode.cin_plans, "ended_on", "child in need plan ended")
    latest(CINPlanReview.objects.filter(plan__episode=episode), "held_on", "child in need plan review")
    return max(found) if found else None


def _still_running(episode: CINEpisode) -> None:
    """Refuse while work the case holds open is still running (module docstring)."""
    child = episode.child
    plan = episode.cp_plans.filter(ended_on__isnull=True).first()
    if plan is not None:
        raise ValidationError(
            f"{child.full_name} is on a child protection plan (since {plan.started_on:%d/%m/%Y}): "
            "the case stays open until a review conference ends the plan."
        )
    care = LookedAfterEpisode.objects.filter(child=child, ended_on__isnull=True).order_by("started_on").first()
    if care is not None:
        raise ValidationError(
            f"{child.full_name} is looked after: record that they ceased to be looked after before closing the case."
        )
    waiting = episode.assessments.filter(authorised_on__isnull=True).order_by("started_on").first()
    if waiting is not None:
        raise ValidationError(
            f"The assessment started on {waiting.started_on:%d/%m/%Y} is not authorised: "
            "it is completed and authorised before the case closes."
        )
    enquiry = episode.section47_enquiries.filter(completed_on__isnull=True).order_by("started_on").first()
    if enquiry is not None:
        raise ValidationError(
            f"The section 47 enquiry started on {enquiry.started_on:%d/%m/%Y} is not finished: "
            "record its outcome before the case closes."
        )
    discussion = episode.strategy_discussions.filter(held_at__isnull=True).aggregate(first=Min("requested_at"))
    if discussion["first"] is not None:
        raise ValidationError(
            f"A strategy discussion asked for on {_day(discussion['first']):%d/%m/%Y} has not been held: "
            "record it before the case closes."
        )


def _fits_the_reason(episode: CINEpisode, reason: str) -> None:
    if reason not in CLOSED_AFTER_ASSESSMENT:
        return
    what = codelist("closure_reason").codes[reason]
    if not episode.assessments.exists():
        raise ValidationError({"reason": f"“{what}” needs an assessment, and none is recorded on this case."})
    worked = [
        (episode.section47_enquiries.exists(), "a section 47 enquiry"),
        (episode.conferences.exists(), "a child protection conference"),
        (episode.cp_plans.exists(), "a child protection plan"),
        (episode.cin_plans.exists(), "a child in need plan"),
    ]
    had = [what_ for present, what_ in worked if present]
    if had:
        raise ValidationError(
            {"reason": f"This case had {had[0]}, so it did not close after assessment: choose another reason."}
        )


@transaction.atomic  # a step of allocation's durable closure (module docstring), in its transaction
def case_close(*, episode: CINEpisode, closed_on: date, reason: str, by) -> CINEpisode:
    """Close the child's open CIN episode on `closed_on` for `reason` (RC1-RC9), ending its running
    child in need plan that day. Refused as the module docstring says, with the reason on the field."""
    episode = open_episode(episode)
    if episode.referral_nfa:
        raise ValidationError("This referral was closed with no further action already.")
    if reason not in codelist("closure_reason"):
        raise ValidationError({"reason": "Select the reason the case is closing."})
    not_in_future(closed_on, "closed_on", "The closure date")
    if closed_on < episode.referral_date:
        raise ValidationError(
            {"closed_on": f"A case cannot close before its referral ({episode.referral_date:%d/%m/%Y})."}
        )
    last = last_event(episode)
    if last is not None and closed_on < last[0]:
        raise ValidationError(
            {"closed_on": f"A case cannot close before its last recorded event: {last[1]} on {last[0]:%d/%m/%Y}."}
        )
    _still_running(episode)
    _fits_the_reason(episode, reason)
    plan = CINPlan.objects.select_for_update().filter(episode=episode, ended_on__isnull=True).first()
    if plan is not None:
        plan.ended_on = closed_on
        plan.full_clean()
        plan.save(update_fields=["ended_on"])
        audit.record(
            actor=by,
            verb="cin_plan_ended",
            target=plan,
            child=episode.child,
            payload={"ended_on": closed_on.isoformat(), "case_closed": True},
        )
    episode.closure_date = closed_on
    episode.closure_reason = reason
    episode.full_clean(validate_constraints=False)
    episode.save(update_fields=["closure_date", "closure_reason"])
    audit.record(
        actor=by,
        verb="case_closed",
        target=episode,
        child=episode.child,
        payload={
            "closed_on": closed_on.isoformat(),
            "reason": reason,
            "cin_plan_ended": plan.pk if plan is not None else None,
        },
    )
    return episode
