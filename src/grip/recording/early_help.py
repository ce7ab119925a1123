"""The early help pages: start early help (perhaps as a step down from children's social care, naming
the case it came from), and while it is open, see it and record its assessment and the team around
the family meetings that agree and review the family's plan. Closing it and stepping it up are
decisions, with a check-your-answers step: grip.recording.early_help_end. The rules are in
grip.cases.services.early_help; early help has no statutory clock to stop.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import RECORD_EARLY_HELP
from grip.access.decorators import CHILD, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.cases import services
from grip.cases.models import CINEpisode, EarlyHelpEpisode, TafPlan
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page

from .recorded import recorded

YES_NO = [("yes", "Yes"), ("no", "No")]
EARLIER = 5  # earlier episodes listed on the start page


def open_early_help(child) -> EarlyHelpEpisode | None:
    return EarlyHelpEpisode.objects.filter(child=child, ended_on__isnull=True).first()


def step_down_offered(child) -> CINEpisode | None:
    """The child's latest CIN episode, if early help could be its step down (none recorded yet)."""
    latest = CINEpisode.objects.filter(child=child).order_by("-referral_date", "-pk").first()
    if latest is None or EarlyHelpEpisode.objects.filter(stepped_down_from=latest).exists():
        return None
    return latest


def _organisation_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=lambda: code_choices("early_help_organisation"),
        error_messages={"required": "Select the organisation", "invalid_choice": "Select from the list"},
    )


class StartForm(forms.Form):
    started_day, started_month, started_year = date_input_fields()
    lead_organisation = _organisation_field()
    lead_practitioner = forms.CharField(
        required=False,
        max_length=100,
        error_messages={"max_length": "Lead practitioner must be 100 characters or fewer"},
    )
    reason = forms.CharField(error_messages={"required": "Enter why the family needs early help"})
    step_down = forms.ChoiceField(required=False, choices=YES_NO, error_messages={"invalid_choice": "Select yes or no"})

    def __init__(self, *args, step_down_from: CINEpisode | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.step_down_from = step_down_from
        if step_down_from is not None:
            self.fields["step_down"].required = True
            self.fields["step_down"].error_messages["required"] = "Select yes if this is a step down"

    def clean(self):
        data = super().clean()
        data["started_on"] = date_from(self, "started", "Date early help started")
        return data


class AssessmentStartForm(forms.Form):
    started_day, started_month, started_year = date_input_fields()
    organisation = _organisation_field()

    def clean(self):
        data = super().clean()
        data["started_on"] = date_from(self, "started", "Date the assessment started")
        return data


class AssessmentCompleteForm(forms.Form):
    completed_day, completed_month, completed_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["completed_on"] = date_from(self, "completed", "Date the assessment was completed")
        return data


class MeetingForm(forms.Form):
    held_day, held_month, held_year = date_input_fields()
    attended_by = forms.MultipleChoiceField(
        choices=lambda: code_choices("taf_attendee"),
        error_messages={"required": "Select who attended the meeting", "invalid_choice": "Select from the list"},
    )
    notes = forms.CharField(required=False)

    def clean(self):
        data = super().clean()
        data["held_on"] = date_from(self, "held", "Date of the meeting")
        return data


class ReviewForm(MeetingForm):
    review_outcome = forms.ChoiceField(
        choices=lambda: code_choices("early_help_review_outcome"),
        error_messages={"required": "Select the outcome of the review", "invalid_choice": "Select from the list"},
    )


def _earlier_episodes(child):
    earlier = EarlyHelpEpisode.objects.filter(child=child).order_by("-started_on", "-pk")[:EARLIER]
    return recorded(earlier, child=child, verbs=["early_help_started"])


@access_rule(CHILD, roles=RECORD_EARLY_HELP.roles)
@opens_child_record
def early_help(request, pk: int, *, opening: ChildOpening):
    """Start early help for a child who has none open; with early help open, what it holds so far
    and the links to record its next steps."""
    child = opening.child
    current = open_early_help(child)
    offered = step_down_offered(child) if current is None else None
    form = StartForm(step_down_from=offered)
    if request.method == "POST" and current is None:
        form = StartForm(request.POST, step_down_from=offered)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.early_help_start(
                    child=child,
                    started_on=data["started_on"],
                    lead_organisation=data["lead_organisation"],
                    lead_practitioner=data["lead_practitioner"],
                    reason=data["reason"],
                    stepped_down_from=offered if data.get("step_down") == "yes" else None,
                    by=request.user,
                )
            except ValidationError as error:
                show_refusal(form, error, {"started_on": "started_day"})
            else:
                messages.success(request, "Early help started.")
                return redirect("recording:early-help", pk=child.pk)
    context = {
        "child": child,
        "current": current,
        "offered": offered,
        "form": form,
        "errors": error_links(form),
        "earlier": _earlier_episodes(child),
        "assessments": list(current.assessments.order_by("started_on", "pk")) if current else [],
        "meetings": recorded(
            current.taf_meetings.order_by("-held_on", "-pk"), child=child, verbs=["taf_meeting_recorded"]
        )
        if current
        else [],
        "today": timezone.localdate(),
        "choices": {
            "lead_organisation": code_choices("early_help_organisation"),
            "step_down": YES_NO,
        },
    }
    return render_page(request, "recording/early_help/start.html", context)


@access_rule(CHILD, roles=RECORD_EARLY_HELP.roles)
@opens_child_record
def assessment(request, pk: int, *, opening: ChildOpening):
    """Start the early help assessment, or record the one under way as completed."""
    child = opening.child
    current = open_early_help(child)
    under_way = current.assessments.filter(completed_on__isnull=True).first() if current else None
    form: forms.Form = AssessmentCompleteForm() if under_way else AssessmentStartForm()
    if request.method == "POST" and current is not None:
        try:
            if under_way is not None:
                form = AssessmentCompleteForm(request.POST)
                if form.is_valid():
                    services.early_help_assessment_complete(
                        assessment=under_way, completed_on=form.cleaned_data["completed_on"], by=request.user
                    )
                    messages.success(request, "Early help assessment completed.")
                    return redirect("recording:early-help", pk=child.pk)
            else:
                form = AssessmentStartForm(request.POST)
                if form.is_valid():
                    data = form.cleaned_data
                    services.early_help_assessment_start(
                        episode=current,
                        started_on=data["started_on"],
                        organisation=data["organisation"],
                        by=request.user,
                    )
                    messages.success(request, "Early help assessment started.")
                    return redirect("recording:early-help", pk=child.pk)
        except ValidationError as error:
            show_refusal(form, error, {"started_on": "started_day", "completed_on": "completed_day"})
    earlier = current.assessments.order_by("-started_on", "-pk") if current else []
    context = {
        "child": child,
        "current": current,
        "under_way": under_way,
        "form": form,
        "errors": error_links(form),
        "earlier": recorded(
            earlier, child=child, verbs=["early_help_assessment_started", "early_help_assessment_completed"]
        ),
        "today": timezone.localdate(),
        "choices": {"organisation": code_choices("early_help_organisation")},
    }
    return render_page(request, "recording/early_help/assessment.html", context)


def _meeting_page(request, opening: ChildOpening, *, review: bool):
    child = opening.child
    current = open_early_help(child)
    form_class = ReviewForm if review else MeetingForm
    form = form_class()
    if request.method == "POST" and current is not None:
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.taf_meeting_record(
                    episode=current,
                    held_on=data["held_on"],
                    attended_by=data["attended_by"],
                    plan=TafPlan.REVIEWED if review else TafPlan.AGREED,
                    review_outcome=data.get("review_outcome", ""),
                    notes=data["notes"],
                    by=request.user,
                )
            except ValidationError as error:
                show_refusal(form, error, {"held_on": "held_day", "plan": None})
            else:
                messages.success(
                    request, "Plan review recorded." if review else "Team around the family meeting recorded."
                )
                return redirect("recording:early-help", pk=child.pk)
    meetings = current.taf_meetings.order_by("-held_on", "-pk") if current else []
    context = {
        "child": child,
        "current": current,
        "review": review,
        "plan_agreed": current is not None and current.taf_meetings.filter(plan=TafPlan.AGREED).exists(),
        "form": form,
        "errors": error_links(form),
        "earlier": recorded(meetings, child=child, verbs=["taf_meeting_recorded"]),
        "today": timezone.localdate(),
        "choices": {
            "attended_by": code_choices("taf_attendee"),
            "review_outcome": code_choices("early_help_review_outcome"),
        },
    }
    return render_page(request, "recording/early_help/meeting.html", context)


@access_rule(CHILD, roles=RECORD_EARLY_HELP.roles)
@opens_child_record
def meeting(request, pk: int, *, opening: ChildOpening):
    """Record a team around the family meeting that agreed the family's plan."""
    return _meeting_page(request, opening, review=False)


@access_rule(CHILD, roles=RECORD_EARLY_HELP.roles)
@opens_child_record
def review(request, pk: int, *, opening: ChildOpening):
    """Record a review of the family's plan at a team around the family meeting, with its outcome."""
    return _meeting_page(request, opening, review=True)
