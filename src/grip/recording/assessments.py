"""Pages for an assessment after it starts (starting it is grip.recording.case_steps'): the worker
completes it (the day it was finished, the factors identified, the outcome) and submits it for
authorisation; a manager authorises it. Each is a decision, so each has a check-your-answers step:
the answers are carried to it in the form and nothing is saved until it is confirmed. The rules
are in grip.cases.services.assessments; the manager's queue is grip.recording.queue.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import AUTHORISE_AN_ASSESSMENT, RECORD_A_CASE_STEP
from grip.access.decorators import CHILD, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.cases import services
from grip.cases.models import Assessment
from grip.cases.selectors import open_cin_episode
from grip.core.codelists import label
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page

CONFIRM, CHANGE = "confirm", "change"  # the check-your-answers page's two buttons (`step`)


class CompleteForm(forms.Form):
    completed_day, completed_month, completed_year = date_input_fields()
    factors = forms.MultipleChoiceField(
        choices=code_choices("assessment_factor"),
        error_messages={
            "required": "Select the factors identified, or “No factors identified”",
            "invalid_choice": "Select the factors from the list",
        },
    )
    outcome = forms.ChoiceField(
        choices=code_choices("assessment_outcome"),
        error_messages={"required": "Select the outcome", "invalid_choice": "Select the outcome"},
    )

    def clean(self):
        # What can be told from the answers alone is told before the check step; the service
        # checks everything again (against the record) when the answers are confirmed.
        data = super().clean()
        day = data["completed_on"] = date_from(self, "completed", "Date completed")
        if day is not None and day > timezone.localdate():
            self.add_error("completed_day", "Date completed must be today or in the past")
        factors = data.get("factors") or []
        if services.NO_FACTORS in factors and len(factors) > 1:
            self.add_error("factors", "“No factors identified” cannot be chosen with another factor")
        return data


class AuthoriseForm(forms.Form):
    authorised_day, authorised_month, authorised_year = date_input_fields()

    def clean(self):
        data = super().clean()
        day = data["authorised_on"] = date_from(self, "authorised", "Date authorised")
        if day is not None and day > timezone.localdate():
            self.add_error("authorised_day", "Date authorised must be today or in the past")
        return data


def _today(prefix: str) -> dict:
    today = timezone.localdate()
    return {f"{prefix}_day": today.day, f"{prefix}_month": today.month, f"{prefix}_year": today.year}


def _carried(form: forms.Form) -> list[tuple[str, str]]:
    """The answers, as hidden fields of the check-your-answers page."""
    return [(name, value) for name in form.fields for value in form.data.getlist(name)]


def _in_progress(child) -> Assessment | None:
    episode = open_cin_episode(child=child)
    if episode is None:
        return None
    found = episode.assessments.filter(authorised_on__isnull=True).select_related("submitted_by")
    return found.order_by("-started_on").first()


def _answers(assessment: Assessment) -> dict:
    return {
        "factors": [label("assessment_factor", code) for code in assessment.factors],
        "outcome": label("assessment_outcome", assessment.outcome) if assessment.outcome else "",
    }


@access_rule(CHILD, roles=RECORD_A_CASE_STEP.roles)
@opens_child_record
def assessment_complete(request, pk: int, *, opening: ChildOpening):
    """Complete the assessment under way and submit it for authorisation, after checking the answers."""
    child = opening.child
    assessment = _in_progress(child)
    form = CompleteForm(initial=_today("completed"))
    checking = False
    if request.method == "POST" and assessment is not None and not assessment.awaiting_authorisation:
        form = CompleteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if request.POST.get("step") == CONFIRM:
                try:
                    services.assessment_submit(
                        assessment=assessment,
                        completed_on=data["completed_on"],
                        factors=data["factors"],
                        outcome=data["outcome"],
                        by=request.user,
                    )
                except ValidationError as error:
                    show_refusal(form, error, {"completed_on": "completed_day"})
                else:
                    messages.success(request, "Assessment submitted for authorisation.")
                    return redirect("web:child-record", pk=child.pk)
            else:
                checking = request.POST.get("step") != CHANGE
    context = {
        "child": child,
        "assessment": assessment,
        "form": form,
        "errors": error_links(form, {"factors": "factors", "outcome": "outcome"}),
        "checking": checking and not form.errors,
        "carried": _carried(form) if checking else [],
        "factor_choices": code_choices("assessment_factor"),
        "outcome_choices": code_choices("assessment_outcome"),
        "chosen": _chosen(form) if checking else {},
    }
    return render_page(request, "recording/assessments/complete.html", context)


def _chosen(form: CompleteForm) -> dict:
    data = getattr(form, "cleaned_data", {})
    return {
        "completed_on": data.get("completed_on"),
        "factors": [label("assessment_factor", code) for code in data.get("factors", [])],
        "outcome": label("assessment_outcome", data["outcome"]) if data.get("outcome") else "",
    }


@access_rule(CHILD, roles=AUTHORISE_AN_ASSESSMENT.roles)
@opens_child_record
def assessment_authorise(request, pk: int, *, opening: ChildOpening):
    """Authorise the assessment waiting on this child's case, after checking the date."""
    child = opening.child
    assessment = _in_progress(child)
    waiting = assessment if assessment is not None and assessment.awaiting_authorisation else None
    form = AuthoriseForm(initial=_today("authorised"))
    checking = False
    if request.method == "POST" and waiting is not None:
        form = AuthoriseForm(request.POST)
        if form.is_valid():
            if request.POST.get("step") == CONFIRM:
                try:
                    services.assessment_authorise(
                        assessment=waiting, authorised_on=form.cleaned_data["authorised_on"], by=request.user
                    )
                except ValidationError as error:
                    show_refusal(form, error, {"authorised_on": "authorised_day"})
                else:
                    messages.success(request, f"Assessment for {child.full_name} authorised.")
                    return redirect("recording:authorisation-queue")
            else:
                checking = request.POST.get("step") != CHANGE
    context = {
        "child": child,
        "assessment": assessment,
        "waiting": waiting,
        "answers": _answers(waiting) if waiting else {},
        "submitted_at": timezone.localtime(waiting.submitted_at) if waiting else None,
        "form": form,
        "errors": error_links(form),
        "checking": checking and not form.errors,
        "carried": _carried(form) if checking else [],
        "authorised_on": form.cleaned_data.get("authorised_on") if checking else None,
    }
    return render_page(request, "recording/assessments/authorise.html", context)
