"""Writes on a child in need plan (CIN census CINPlanDates, N00689 / N00690): started on an open
case, reviewed while it runs (the local review clock, rule `cin_plan_review`, restarts at each
review), and ended. One plan runs at a time on a case.

Each service locks the row two people could change (the episode for a new plan, the plan for a
review or its end), checks the order of events, and writes its audit entry in the same transaction.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from grip.audit import services as audit
from grip.cases.models import CINEpisode, CINPlan, CINPlanReview

from .checks import not_in_future, open_episode


def _open_plan(plan: CINPlan) -> CINPlan:
    plan = CINPlan.objects.select_for_update().select_related("episode__child").get(pk=plan.pk)
    if plan.ended_on is not None:
        raise ValidationError(f"This child in need plan ended on {plan.ended_on:%d/%m/%Y}.")
    open_episode(plan.episode)
    return plan


@transaction.atomic(durable=True)
def cin_plan_start(*, episode: CINEpisode, started_on: date, by) -> CINPlan:
    """Start a child in need plan on the child's open case."""
    episode = open_episode(episode)
    if episode.referral_nfa:
        raise ValidationError("This referral was closed with no further action: it carries no plan.")
    not_in_future(started_on, "started_on", "A plan’s start")
    if started_on < episode.referral_date:
        raise ValidationError(
            {"started_on": f"A plan cannot start before the referral ({episode.referral_date:%d/%m/%Y})."}
        )
    if episode.cin_plans.filter(ended_on__isnull=True).exists():
        raise ValidationError("A child in need plan is already running on this case: end it first.")
    latest_end = episode.cin_plans.aggregate(last=Max("ended_on"))["last"]
    if latest_end is not None and started_on < latest_end:
        raise ValidationError(
            {"started_on": f"A new plan cannot start before the last one ended ({latest_end:%d/%m/%Y})."}
        )
    plan = CINPlan(episode=episode, started_on=started_on)
    plan.full_clean()
    plan.save()
    audit.record(
        actor=by,
        verb="cin_plan_started",
        target=plan,
        child=episode.child,
        payload={"episode": episode.pk, "started_on": started_on.isoformat()},
    )
    return plan


def _last_review(plan: CINPlan) -> date | None:
    return plan.reviews.aggregate(last=Max("held_on"))["last"]


@transaction.atomic(durable=True)
def cin_plan_review_record(*, plan: CINPlan, held_on: date, by) -> CINPlanReview:
    """Record a review of a running child in need plan, on the day it was held."""
    plan = _open_plan(plan)
    not_in_future(held_on, "held_on", "A review")
    if held_on < plan.started_on:
        raise ValidationError({"held_on": f"A plan cannot be reviewed before it started ({plan.started_on:%d/%m/%Y})."})
    last = _last_review(plan)
    if last is not None and held_on <= last:
        raise ValidationError({"held_on": f"A review is already recorded on {last:%d/%m/%Y}: this one must be later."})
    review = CINPlanReview(plan=plan, held_on=held_on)
    review.full_clean()
    review.save()
    audit.record(
        actor=by,
        verb="cin_plan_reviewed",
        target=review,
        child=plan.episode.child,
        payload={"plan": plan.pk, "held_on": held_on.isoformat()},
    )
    return review


@transaction.atomic(durable=True)
def cin_plan_end(*, plan: CINPlan, ended_on: date, by) -> CINPlan:
    """End a running child in need plan (not before it started or its last review)."""
    plan = _open_plan(plan)
    not_in_future(ended_on, "ended_on", "A plan’s end")
    if ended_on < plan.started_on:
        raise ValidationError({"ended_on": f"A plan cannot end before it started ({plan.started_on:%d/%m/%Y})."})
    last = _last_review(plan)
    if last is not None and ended_on < last:
        raise ValidationError({"ended_on": f"A plan cannot end before its last review ({last:%d/%m/%Y})."})
    plan.ended_on = ended_on
    plan.full_clean()
    plan.save(update_fields=["ended_on"])
    audit.record(
        actor=by,
        verb="cin_plan_ended",
        target=plan,
        child=plan.episode.child,
        payload={"ended_on": ended_on.isoformat()},
    )
    return plan
