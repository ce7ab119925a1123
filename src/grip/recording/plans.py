"""The child in need plan page: start a plan on the child's open case; while one runs, record its
reviews (each restarts the local review clock, rule `cin_plan_review`) and end it. One page, each
form a POST naming its `action` (grip.web.toolkit.actions). The rules are in
grip.cases.services.plans.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import RECORD_A_CIN_PLAN
from grip.access.decorators import CHILD, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.cases import services
from grip.cases.selectors import open_cin_episode
from grip.web.toolkit.actions import run_action
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import error_links, show_refusal
from grip.web.toolkit.pages import render_page


class _DayForm(forms.Form):
    """One GOV.UK date: `boxes` names its boxes, `what` its question, `field` the service's name."""

    boxes = ""
    what = ""
    field = ""

    def clean(self):
        data = super().clean()
        data["day"] = date_from(self, self.boxes, self.what)
        return data


class StartForm(_DayForm):
    started_day, started_month, started_year = date_input_fields()
    boxes, what, field = "started", "Date the plan started", "started_on"


class ReviewForm(_DayForm):
    held_day, held_month, held_year = date_input_fields()
    boxes, what, field = "held", "Date of the review", "held_on"


class EndForm(_DayForm):
    ended_day, ended_month, ended_year = date_input_fields()
    boxes, what, field = "ended", "Date the plan ended", "ended_on"


def _start(request, episode, plan, forms_: dict):
    form = forms_["start"] = StartForm(request.POST)
    if form.is_valid():
        services.cin_plan_start(episode=episode, started_on=form.cleaned_data["day"], by=request.user)
        return "Child in need plan started."
    return None


def _review(request, episode, plan, forms_: dict):
    form = forms_["review"] = ReviewForm(request.POST)
    if form.is_valid():
        services.cin_plan_review_record(plan=plan, held_on=form.cleaned_data["day"], by=request.user)
        return "Child in need plan review recorded."
    return None


def _end(request, episode, plan, forms_: dict):
    form = forms_["end"] = EndForm(request.POST)
    if form.is_valid():
        services.cin_plan_end(plan=plan, ended_on=form.cleaned_data["day"], by=request.user)
        return "Child in need plan ended."
    return None


def _blank(form_class: type[_DayForm]) -> _DayForm:
    """A form offering today's date (a plan's end is typed: ending one is a decision)."""
    today = timezone.localdate()
    b = form_class.boxes
    return form_class(initial={f"{b}_day": today.day, f"{b}_month": today.month, f"{b}_year": today.year})


@access_rule(CHILD, roles=RECORD_A_CIN_PLAN.roles)
@opens_child_record
def cin_plan(request, pk: int, *, opening: ChildOpening):
    """Start the child's CIN plan, or record a review of the running plan, or end it."""
    child = opening.child
    episode = open_cin_episode(child=child)
    plan = episode.cin_plans.filter(ended_on__isnull=True).first() if episode else None
    forms_: dict[str, _DayForm] = {"start": _blank(StartForm), "review": _blank(ReviewForm), "end": EndForm()}
    actions = {"review": _review, "end": _end} if plan else {"start": _start}
    if request.method == "POST" and episode is not None:
        try:
            notice = run_action(request, actions, episode, plan, forms_, unknown="Choose what to record.")
        except ValidationError as error:
            sent = forms_.get(request.POST.get("action", ""))
            if sent is None or not sent.is_bound:
                messages.error(request, " ".join(error.messages))
                return redirect("recording:cin-plan", pk=child.pk)
            show_refusal(sent, error, {sent.field: f"{sent.boxes}_day"})
        else:
            if notice:
                messages.success(request, notice)
                return redirect("web:child-record", pk=child.pk)
    sent = next((f for f in forms_.values() if f.is_bound), None)
    context = {
        "child": child,
        "episode": episode,
        "plan": plan,
        "reviews": list(plan.reviews.order_by("held_on")) if plan else [],
        "start_form": forms_["start"],
        "review_form": forms_["review"],
        "end_form": forms_["end"],
        "errors": error_links(sent),
        "today": timezone.localdate(),
    }
    return render_page(request, "recording/plans/cin_plan.html", context)
