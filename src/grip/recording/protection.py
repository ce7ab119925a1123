"""Pages for a child's protection, under /children/<pk>/record/protection/: a section 47 enquiry's
outcome, the initial child protection conference (which may start a plan), review conferences (the
plan continues or ends) and core group meetings. The outcome and the conferences are decisions, so
each is checked on a check-your-answers step before it is recorded; a core group is recorded at
once. Each page lists the child's earlier records of its kind with who recorded them and when.
The rules are in grip.cases.services.protection; recording stops the clocks icpc, icpc_dfe,
core_group_first and cp_review at once (the chase lists compute from the record).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import RECORD_A_CHILD_PROTECTION_CONFERENCE, RECORD_CHILD_PROTECTION
from grip.access.decorators import CHILD, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.audit.models import AuditEntry
from grip.cases import services
from grip.cases.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    CoreGroupMeeting,
    Section47Enquiry,
)
from grip.cases.models.protection import ICPC_NEEDED, INITIAL_OUTCOMES, MAKES_A_PLAN, REVIEW_OUTCOMES
from grip.core.formatting import long_date
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page

from .protection_forms import (
    CoreGroupForm,
    InitialConferenceForm,
    ReviewConferenceForm,
    Section47OutcomeForm,
    outcome_choices,
)
from .recorded import Recorded, recorded

EARLIER = 5  # earlier records listed on each page
CHECKED = "check"  # the `step` of a POST from the check-your-answers page: record it
CHANGE = "change"  # ... or go back to the form to change the answers
CONFERENCE_VERBS = ["initial_conference_held", "review_conference_held"]
DATE_FIELDS = {"held_on": "held_day", "completed_on": "completed_day"}  # a service's field -> the form's box


@dataclass(frozen=True)
class Decision:
    """A decision's page: its form, what it is recorded on, and how it is recorded."""

    form: type[forms.Form]
    template: str
    check_heading: str
    record_button: str
    save: Callable  # (the record it is made on, cleaned data, user) -> None
    notice: str
    warning: Callable | None = None  # (the record, cleaned data) -> what recording it also does, or ""


def _decision_page(request, child, on, decision: Decision, context: dict):
    """The form; on a valid POST the check-your-answers step; from there, record it (or change)."""
    form = decision.form()
    template = decision.template
    if request.method == "POST" and on is not None:
        form = decision.form(request.POST)
        step = request.POST.get("step")
        if step == CHANGE:
            pass  # back to the form, as answered
        elif form.is_valid() and step == CHECKED:
            try:
                decision.save(on, form.cleaned_data, request.user)
            except ValidationError as error:
                show_refusal(form, error, DATE_FIELDS)
            else:
                messages.success(request, decision.notice)
                return redirect("web:child-record", pk=child.pk)
        elif form.is_valid():
            template = "recording/protection/check.html"
    context = {
        **context,
        "child": child,
        "form": form,
        "errors": error_links(form),
        "today": timezone.localdate(),
    }
    if template == "recording/protection/check.html":
        context |= {
            "answers": form.answers(),
            "kept": [(name, value) for name in form.fields for value in form.data.getlist(name)],
            "check_heading": decision.check_heading,
            "record_button": decision.record_button,
            "warning": decision.warning(on, form.cleaned_data) if decision.warning else "",
        }
    return render_page(request, template, context)


def _conference_choices(outcomes: list[str]) -> dict:
    return {
        "attended_by": code_choices("conference_attendee"),
        "participation": code_choices("conference_participation"),
        "outcome": outcome_choices(outcomes),
        "category": code_choices("category_of_abuse"),
        "end_reason": code_choices("cp_plan_end_reason"),
    }


def _open_plan(child) -> ChildProtectionPlan | None:
    return ChildProtectionPlan.objects.filter(
        episode__child=child, episode__closure_date__isnull=True, ended_on__isnull=True
    ).first()


def _conferences(child) -> list[Recorded]:
    rows = ChildProtectionConference.objects.filter(episode__child=child).order_by("-held_on", "-pk")[:EARLIER]
    return recorded(rows, child=child, verbs=CONFERENCE_VERBS)


# --- section 47 enquiry outcome -------------------------------------------------------------------------


def _outcomes_recorded(rows, *, child) -> list[Recorded]:
    """Enquiries with who recorded the outcome and when (the outcome is recorded after the enquiry
    row was made, when the strategy discussion started it)."""
    rows = list(rows)
    entries = AuditEntry.objects.filter(
        child=child, verb="section47_outcome_recorded", target_id__in=[str(row.pk) for row in rows]
    ).select_related("actor")
    found = {entry.target_id: entry for entry in entries}
    out = []
    for row in rows:
        entry = found.get(str(row.pk))
        if entry is None:
            out.append(Recorded(row, row.recorded_at, ""))
        else:
            name = (entry.actor.get_full_name() if entry.actor else "") or entry.actor_label
            out.append(Recorded(row, entry.at, name))
    return out


SECTION47 = Decision(
    form=Section47OutcomeForm,
    template="recording/protection/section47.html",
    check_heading="Check the section 47 enquiry’s outcome",
    record_button="Record the outcome",
    save=lambda enquiry, data, by: services.section47_outcome_record(
        enquiry=enquiry, completed_on=data["completed_on"], outcome=data["outcome"], by=by
    ),
    notice="Section 47 enquiry outcome recorded.",
)


@access_rule(CHILD, roles=RECORD_CHILD_PROTECTION.roles)
@opens_child_record
def section47_outcome(request, pk: int, *, opening: ChildOpening):
    """Record the outcome of the section 47 enquiry under way: completed, and whether an initial
    child protection conference is needed."""
    child = opening.child
    enquiry = Section47Enquiry.objects.filter(
        episode__child=child, episode__closure_date__isnull=True, completed_on__isnull=True
    ).first()
    earlier = Section47Enquiry.objects.filter(episode__child=child).order_by("-started_on", "-pk")[:EARLIER]
    context = {
        "enquiry": enquiry,
        "ready": enquiry is not None,
        "heading": "Record a section 47 enquiry’s outcome",
        "nothing": f"{child.full_name} has no section 47 enquiry under way.",
        "earlier": _outcomes_recorded(earlier, child=child),
        "choices": {"outcome": code_choices("s47_outcome")},
    }
    return _decision_page(request, child, enquiry, SECTION47, context)


# --- initial conference -----------------------------------------------------------------------------------


def _conference_answers(data) -> dict:
    return {
        "held_on": data["held_on"],
        "chair": data["chair"],
        "attended_by": data["attended_by"],
        "attendee_names": data.get("attendee_names", ""),
        "participation": data["participation"],
        "outcome": data["outcome"],
        "category": data.get("category", ""),
    }


def _ends_the_cin_plan(enquiry: Section47Enquiry, data) -> str:
    """What an initial conference that starts a protection plan also does: it ends the child in need
    plan running on the case that day, since a child is not on both plans at once (CIN census
    rules 4001 and 4016; grip.cases.services.protection ends it)."""
    if data["outcome"] != MAKES_A_PLAN:
        return ""
    running = CINPlan.objects.filter(episode=enquiry.episode_id, ended_on__isnull=True).first()
    if running is None:
        return ""
    return (
        f"Recording this ends the child in need plan running since {long_date(running.started_on)} "
        f"on the day of the conference, {long_date(data['held_on'])}: a child is not on a child in need "
        "plan and a child protection plan at once."
    )


INITIAL = Decision(
    form=InitialConferenceForm,
    template="recording/protection/conference.html",
    check_heading="Check the initial child protection conference",
    record_button="Record the conference",
    save=lambda enquiry, data, by: services.initial_conference_hold(
        enquiry=enquiry, **_conference_answers(data), by=by
    ),
    notice="Initial child protection conference recorded.",
    warning=_ends_the_cin_plan,
)


@access_rule(CHILD, roles=RECORD_A_CHILD_PROTECTION_CONFERENCE.roles)
@opens_child_record
def initial_conference(request, pk: int, *, opening: ChildOpening):
    """Record the initial child protection conference a section 47 enquiry asked for."""
    child = opening.child
    waiting = (
        Section47Enquiry.objects.filter(episode__child=child, episode__closure_date__isnull=True, outcome=ICPC_NEEDED)
        .exclude(conferences__conference_type="ICPC")
        .order_by("-started_on")
        .first()
    )
    context = {
        "enquiry": waiting,
        "ready": waiting is not None,
        "initial": True,
        "heading": "Record an initial child protection conference",
        "nothing": f"{child.full_name} has no section 47 enquiry waiting for an initial conference.",
        "earlier": _conferences(child),
        "choices": _conference_choices(INITIAL_OUTCOMES),
    }
    return _decision_page(request, child, waiting, INITIAL, context)


# --- review conference ------------------------------------------------------------------------------------

REVIEW = Decision(
    form=ReviewConferenceForm,
    template="recording/protection/conference.html",
    check_heading="Check the review child protection conference",
    record_button="Record the review",
    save=lambda plan, data, by: services.review_conference_hold(
        plan=plan, **_conference_answers(data), end_reason=data.get("end_reason", ""), by=by
    ),
    notice="Review child protection conference recorded.",
)


@access_rule(CHILD, roles=RECORD_A_CHILD_PROTECTION_CONFERENCE.roles)
@opens_child_record
def review_conference(request, pk: int, *, opening: ChildOpening):
    """Record a review conference of the child's protection plan: it continues, or it ends."""
    child = opening.child
    plan = _open_plan(child)
    context = {
        "plan": plan,
        "ready": plan is not None,
        "initial": False,
        "heading": "Record a review child protection conference",
        "nothing": f"{child.full_name} has no child protection plan running.",
        "earlier": _conferences(child),
        "choices": _conference_choices(REVIEW_OUTCOMES),
    }
    return _decision_page(request, child, plan, REVIEW, context)


# --- core group -----------------------------------------------------------------------------------------------


@access_rule(CHILD, roles=RECORD_CHILD_PROTECTION.roles)
@opens_child_record
def core_group(request, pk: int, *, opening: ChildOpening):
    """Record a core group meeting of the child's protection plan, on the day it met."""
    child = opening.child
    plan = _open_plan(child)
    form = CoreGroupForm()
    if request.method == "POST" and plan is not None:
        form = CoreGroupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.core_group_record(
                    plan=plan,
                    held_on=data["held_on"],
                    attended_by=data["attended_by"],
                    attendee_names=data.get("attendee_names", ""),
                    by=request.user,
                )
            except ValidationError as error:
                show_refusal(form, error, DATE_FIELDS)
            else:
                messages.success(request, "Core group meeting recorded.")
                return redirect("web:child-record", pk=child.pk)
    earlier = CoreGroupMeeting.objects.filter(plan__episode__child=child).order_by("-held_on", "-pk")[:EARLIER]
    context = {
        "child": child,
        "plan": plan,
        "ready": plan is not None,
        "heading": "Record a core group meeting",
        "nothing": f"{child.full_name} has no child protection plan running.",
        "form": form,
        "errors": error_links(form),
        "earlier": recorded(earlier, child=child, verbs=["core_group_recorded"]),
        "today": timezone.localdate(),
        "choices": {"attended_by": code_choices("conference_attendee")},
    }
    return render_page(request, "recording/protection/core_group.html", context)
