"""Pages about children: search, and the child's record. Both read only through the access scope,
and every search and every opening of a record is written to the audit log."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.utils import timezone

from grip.access.capabilities import (
    ALLOCATE_A_CASE,
    RECORD_A_CASE_STEP,
    SEARCH_FOR_A_CHILD,
    SEE_WHO_VIEWED_A_RECORD,
    SEND_A_CASE_TO_A_TEAM,
)
from grip.access.decorators import CHILD, ROLES, access_rule
from grip.access.family import family_visible_to
from grip.access.opening import ChildOpening, opens_child_record
from grip.access.scope import children_visible_to, restricted_matches
from grip.allocation.selectors import current_lead_allocation
from grip.audit import services as audit
from grip.cases.journey import child_journey
from grip.cases.models import Assessment, CINEpisode, StrategyDiscussion
from grip.cases.selectors import OPEN_STAGES, child_stage, children_matching
from grip.core.codelists import label
from grip.core.ratelimits import seconds_until_allowed
from grip.recording.menu import offered
from grip.web.pages.chronology import KEY, chronology
from grip.web.pages.summary import summary_of
from grip.web.toolkit.pages import render_page

SEARCH_LIMIT = 50


@access_rule(ROLES, roles=SEARCH_FOR_A_CHILD.roles)
def child_search(request):
    q = request.GET.get("q", "").strip()
    results, restricted = [], []
    if q:
        wait = seconds_until_allowed(request, name="child_search", key=f"user:{request.user.pk}")
        if wait is not None:
            response = render(request, "too_many_searches.html", {"wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        results = children_matching(query=q, limit=SEARCH_LIMIT, within=children_visible_to(request.user))
        restricted = restricted_matches(request.user, identifier=q)
        with transaction.atomic():
            audit.record_search(
                user=request.user, query=q, result_child_ids=[r.child.pk for r in results], request=request
            )
            if restricted:
                audit.record(actor=request.user, verb="restricted_match_shown", payload={"query": q}, request=request)
    context = {"q": q, "results": results, "restricted": restricted, "limit": SEARCH_LIMIT}
    return render(request, "child_search.html", context)


@access_rule(CHILD)
@opens_child_record
def child_record(request, pk: int, *, opening: ChildOpening):
    child = opening.child
    today = timezone.localdate()
    stage = child_stage(child=child, on=today)
    family = family_visible_to(request.user, child=child)
    context = {
        "child": child,
        "today": today,
        "stage": stage,
        "open_case": stage in OPEN_STAGES,
        "lead": current_lead_allocation(child=child, on=today),
        "family": family.shown,
        "family_hidden": family.hidden,
        "journey": chronology(child_journey(child=child), show=request.GET.get("show", KEY)),
        "summary": summary_of(child, stage=stage, on=today),
        "sex": label("sex", child.sex),
        "ethnicity": label("ethnicity", child.ethnicity),
        "disabilities": [label("disability", code) for code in child.disabilities],
        "restricted": opening.restricted,
        "can_see_viewers": SEE_WHO_VIEWED_A_RECORD.held_by(request.user),
        "can_allocate": ALLOCATE_A_CASE.held_by(request.user) or SEND_A_CASE_TO_A_TEAM.held_by(request.user),
        "case_steps": _case_steps(request.user, child) if not opening.restricted else None,
        "recordable": [] if opening.restricted else offered(request.user, stage=stage),
    }
    return render_page(request, "child_record.html", context)


def _case_steps(user, child) -> dict | None:
    """What the user may record next on the child's open case (grip.recording.case_steps), if
    anything: one query, and none for a role that records no case steps."""
    if not RECORD_A_CASE_STEP.held_by(user):
        return None
    episode = (
        CINEpisode.objects.filter(child=child, closure_date__isnull=True)
        .annotate(
            strategy_waiting=Exists(StrategyDiscussion.objects.filter(episode=OuterRef("pk"), held_at__isnull=True)),
            assessing=Exists(Assessment.objects.filter(episode=OuterRef("pk"), authorised_on__isnull=True)),
        )
        .first()
    )
    if episode is None:
        return None
    return {
        "strategy_waiting": episode.strategy_waiting,
        "can_start_assessment": not episode.referral_nfa and not episode.assessing,
    }
