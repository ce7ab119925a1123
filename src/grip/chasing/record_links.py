"""Where each chased item is recorded: the page that stops its clock, offered beside the item on a
chase list to those who may record it ("My overdue and due this week" becomes a list of work to
do, each with its button). Pages are named by URL (grip.recording's and the first case steps'),
and each with the capability its page checks, so no one is offered a page that answers "not found".
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from grip.access.capabilities import (
    AUTHORISE_AN_ASSESSMENT,
    RECORD_A_CASE_STEP,
    RECORD_A_CHILD_PROTECTION_CONFERENCE,
    RECORD_A_CIN_PLAN,
    RECORD_A_LOOKED_AFTER_REVIEW,
    RECORD_A_VISIT,
    RECORD_CHILD_PROTECTION,
    RECORD_LEAVING_CARE,
    RECORD_LOOKED_AFTER_CARE,
    Capability,
)

_VISIT = ("recording:visit-new", RECORD_A_VISIT)
# Rule (grip/reference/timescales/rules.toml) -> the page recording what stops its clock.
RECORDED_ON: dict[str, tuple[str, Capability]] = {
    "cin_visit": _VISIT,
    "cp_visit": _VISIT,
    "looked_after_visit": _VISIT,
    "looked_after_visit_interim_order_at_home": _VISIT,
    "looked_after_visit_care_order_at_home": _VISIT,
    "looked_after_visit_temporary_approval": _VISIT,
    "short_breaks_visit": _VISIT,
    "adoption_visit": _VISIT,
    "care_leaver_visit": _VISIT,
    "private_fostering_visit": _VISIT,
    "looked_after_review": ("recording:care-review", RECORD_A_LOOKED_AFTER_REVIEW),
    "health_assessment": ("recording:care-health", RECORD_LOOKED_AFTER_CARE),
    "personal_education_plan": ("recording:care-education", RECORD_LOOKED_AFTER_CARE),
    "personal_education_plan_review": ("recording:care-education", RECORD_LOOKED_AFTER_CARE),
    "return_home_interview": ("recording:care-return-interview", RECORD_LOOKED_AFTER_CARE),
    "care_plan": ("recording:care-plan", RECORD_LOOKED_AFTER_CARE),
    "placement_plan": ("recording:care-placement-plan", RECORD_LOOKED_AFTER_CARE),
    "cin_plan_review": ("recording:cin-plan", RECORD_A_CIN_PLAN),
    "care_leaver_in_touch": ("recording:leaving-care-contact", RECORD_LEAVING_CARE),
    "pathway_plan_review": ("recording:leaving-care-pathway-plan", RECORD_LEAVING_CARE),
    "pathway_needs_assessment": ("recording:leaving-care-needs-assessment", RECORD_LEAVING_CARE),
    "strategy_discussion_held": ("web:strategy-discussion", RECORD_A_CASE_STEP),
    "icpc": ("recording:protection-initial-conference", RECORD_A_CHILD_PROTECTION_CONFERENCE),
    "icpc_dfe": ("recording:protection-initial-conference", RECORD_A_CHILD_PROTECTION_CONFERENCE),
    "cp_review": ("recording:protection-review-conference", RECORD_A_CHILD_PROTECTION_CONFERENCE),
    "core_group_first": ("recording:protection-core-group", RECORD_CHILD_PROTECTION),
}
# An assessment's clock stops when a manager authorises it; the worker completes it first.
ASSESSMENT = {
    "assessment": (
        ("recording:assessment-authorise", AUTHORISE_AN_ASSESSMENT),
        ("recording:assessment-complete", RECORD_A_CASE_STEP),
    )
}


def record_links(user, items: Iterable) -> dict[str, str]:
    """Obligation key -> the address of the page that records it, for the items this user may record."""
    links = {}
    for item in items:
        if item.child is None:
            continue
        rule = item.obligation.rule
        choices = ASSESSMENT.get(rule) or ((RECORDED_ON[rule],) if rule in RECORDED_ON else ())
        page = next(((view, cap) for view, cap in choices if cap.held_by(user)), None)
        if page is not None:
            links[item.obligation.key] = reverse(page[0], args=[item.child.pk])
    return links
