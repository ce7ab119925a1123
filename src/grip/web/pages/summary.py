"""The short summary at the top of a child's record: who holds the case, the stage, the plan the
child is on, what is due (the chase lists' own items for this child: grip.chasing.lists.for_child),
and when the child was last seen, and last seen alone, on a visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Q

from grip.cases.models import (
    ChildProtectionPlan,
    CINPlan,
    EarlyHelpEpisode,
    IROAssignment,
    LookedAfterEpisode,
    Visit,
)
from grip.chasing.lists import ChaseItem, for_child
from grip.core.codelists import label
from grip.core.formatting import long_date
from grip.people.models import Person

DUE_SHOWN = 3  # the summary names the first few items; the chase list has them all


@dataclass(frozen=True)
class Summary:
    plan: str  # the plan the child is on today, in words, or ""
    overdue: int
    due_soon: int
    first_due: list[ChaseItem]  # the most pressing items, overdue first
    last_seen: date | None
    last_seen_alone: date | None
    iro: str = ""  # a looked-after child's independent reviewing officer on the day, in words, or ""


def _plan(child: Person, stage: str, on: date) -> str:
    if stage == "looked_after":
        episode = LookedAfterEpisode.objects.filter(child=child, started_on__lte=on, ended_on__isnull=True).first()
        if episode:
            return (
                f"Looked after ({label('legal_status', episode.legal_status)}); placement since "
                f"{long_date(episode.started_on)}: {label('placement_type', episode.placement_type)}"
            )
    if stage == "child_protection":
        plan = ChildProtectionPlan.objects.filter(episode__child=child, ended_on__isnull=True).first()
        if plan:
            category = label("category_of_abuse", plan.latest_category or plan.initial_category)
            return f"Child protection plan since {long_date(plan.started_on)} ({category})"
    if stage == "child_in_need":
        plan = CINPlan.objects.filter(episode__child=child, ended_on__isnull=True).first()
        return f"Child in need plan since {long_date(plan.started_on)}" if plan else "No child in need plan yet"
    if stage == "early_help":
        episode = EarlyHelpEpisode.objects.filter(child=child, started_on__lte=on, ended_on__isnull=True).first()
        if episode:
            led = label("early_help_organisation", episode.lead_organisation) if episode.lead_organisation else ""
            return f"Early help since {long_date(episode.started_on)}" + (f", led by {led}" if led else "")
    return ""


def _iro(child: Person, stage: str, on: date) -> str:
    if stage != "looked_after":
        return ""
    current = (
        IROAssignment.objects.filter(child=child, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .select_related("iro")
        .first()
    )
    return f"{current.iro.full_name}, since {long_date(current.started_on)}" if current else "None assigned"


def summary_of(child: Person, *, stage: str, on: date) -> Summary:
    items = for_child(child=child, on=on)
    seen = Visit.objects.filter(child=child, visited_on__lte=on).aggregate(
        last_seen=Max("visited_on", filter=Q(child_seen=True)),
        last_seen_alone=Max("visited_on", filter=Q(child_seen=True, seen_alone=True)),
    )
    overdue = sum(1 for i in items if i.obligation.status == "overdue")
    return Summary(
        plan=_plan(child, stage, on),
        overdue=overdue,
        due_soon=len(items) - overdue,
        first_due=items[:DUE_SHOWN],
        last_seen=seen["last_seen"],
        last_seen_alone=seen["last_seen_alone"],
        iro=_iro(child, stage, on),
    )
