"""Pages for the steps of a child's open case that are recorded when they happen: a strategy
discussion asked for, then recorded as held (date and time, agencies, outcome: only "section 47"
starts an enquiry), and the assessment started. Reached from the child's record (and from a
contact decided "strategy discussion"); opened like the record itself (grip.access.opening), for the
front door, social workers and managers. The rules are in grip.cases.services."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import RECORD_A_CASE_STEP
from grip.access.decorators import CHILD, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.cases import services
from grip.cases.models import StrategyDiscussion
from grip.cases.selectors import open_cin_episode
from grip.core.codelists import label
from grip.web.toolkit.dates import date_from, date_input_fields, parse_time
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page


class StrategyRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why is a strategy discussion needed?",
        max_length=20_000,
        error_messages={"required": "Say why a strategy discussion is needed"},
    )


class StrategyHeldForm(forms.Form):
    held_day, held_month, held_year = date_input_fields()
    held_time = forms.CharField(required=False)
    attended_by = forms.MultipleChoiceField(
        choices=code_choices("strategy_agency"),
        error_messages={"required": "Select the agencies that took part", "invalid_choice": "Select from the list"},
    )
    outcome = forms.ChoiceField(
        choices=code_choices("strategy_outcome"),
        error_messages={"required": "Select the outcome", "invalid_choice": "Select the outcome"},
    )
    notes = forms.CharField(required=False, max_length=20_000)

    def clean(self):
        data = super().clean()
        day = date_from(self, "held", "Date held")
        if day is None:
            return data
        try:
            at = parse_time(self.data.get("held_time", ""), "Time held")
        except forms.ValidationError as error:
            self.add_error("held_time", error)
            return data
        data["held_at"] = timezone.make_aware(datetime.combine(day, at))
        return data


class AssessmentStartForm(forms.Form):
    started_day, started_month, started_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["started_on"] = date_from(self, "started", "Date started")
        return data


@access_rule(CHILD, roles=RECORD_A_CASE_STEP.roles)
@opens_child_record
def strategy_discussion(request, pk: int, *, opening: ChildOpening):
    """Ask for a strategy discussion on the child's open case, or record the one asked for as held."""
    child = opening.child
    episode = open_cin_episode(child=child)
    waiting = (
        StrategyDiscussion.objects.filter(episode=episode, held_at__isnull=True).select_related("requested_by").first()
        if episode
        else None
    )
    form: forms.Form | None = None
    if episode is not None:
        form = StrategyHeldForm() if waiting else StrategyRequestForm()
    if request.method == "POST" and episode is not None:
        form = StrategyHeldForm(request.POST) if waiting else StrategyRequestForm(request.POST)
        if form.is_valid():
            try:
                notice = _hold(request, waiting, form) if waiting else _request(request, episode, form)
            except ValidationError as error:
                show_refusal(form, error)
            else:
                messages.success(request, notice)
                return redirect("web:child-record", pk=child.pk)
    context = {
        "child": child,
        "episode": episode,
        "waiting": waiting,
        "form": form,
        "errors": error_links(form),
        "agency_choices": code_choices("strategy_agency"),
        "outcome_choices": code_choices("strategy_outcome"),
        "requested_at": timezone.localtime(waiting.requested_at) if waiting else None,
    }
    return render_page(request, "case_steps/strategy_discussion.html", context)


def _request(request, episode, form: StrategyRequestForm) -> str:
    services.strategy_discussion_request(
        episode=episode, requested_at=timezone.now(), reason=form.cleaned_data["reason"], by=request.user
    )
    return "Strategy discussion requested. Record it here when it has been held."


def _hold(request, discussion, form: StrategyHeldForm) -> str:
    data = form.cleaned_data
    services.strategy_discussion_hold(
        discussion=discussion,
        held_at=data["held_at"],
        attended_by=data["attended_by"],
        outcome=data["outcome"],
        notes=data.get("notes", ""),
        by=request.user,
    )
    started = " A section 47 enquiry has started from it." if data["outcome"] == services.SECTION47 else ""
    return f"Strategy discussion recorded: {label('strategy_outcome', data['outcome'])}.{started}"


@access_rule(CHILD, roles=RECORD_A_CASE_STEP.roles)
@opens_child_record
def assessment_start(request, pk: int, *, opening: ChildOpening):
    """Start the child and family assessment on the child's open case."""
    child = opening.child
    episode = open_cin_episode(child=child)
    in_progress = episode.assessments.filter(authorised_on__isnull=True).first() if episode else None
    form = AssessmentStartForm(initial=_today_initial())
    if request.method == "POST" and episode is not None:
        form = AssessmentStartForm(request.POST)
        if form.is_valid():
            try:
                services.assessment_start(episode=episode, started_on=form.cleaned_data["started_on"], by=request.user)
            except ValidationError as error:
                show_refusal(form, error)
            else:
                messages.success(request, "Assessment started.")
                return redirect("web:child-record", pk=child.pk)
    context = {
        "child": child,
        "episode": episode,
        "in_progress": in_progress,
        "form": form,
        "errors": error_links(form),
    }
    return render_page(request, "case_steps/assessment_start.html", context)


def _today_initial(today: date | None = None) -> dict:
    today = today or timezone.localdate()
    return {"started_day": today.day, "started_month": today.month, "started_year": today.year}
