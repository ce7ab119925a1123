"""How early help ends, each a decision checked before it is recorded: closed with its reason, or
stepped up to children's social care, which closes it (stepped up) and opens a referral from early
help on the same day, in one transaction (grip.cases.services.early_help_step_up; why not a new
contact to the front door: docs/adr/0022-early-help-step-up-and-step-down.md).
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
from grip.cases.models.early_help import STEPPED_UP
from grip.cases.selectors import open_cin_episode
from grip.core.codelists import label
from grip.core.formatting import long_date
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page

from .early_help import open_early_help

CHECKED = "check"  # the `step` of a POST from the check-your-answers page: record it
CHANGE = "change"  # ... or go back to the form to change the answers


def closure_choices() -> list[tuple[str, str]]:
    """Reasons early help ends, but a step up: that has its own page, which opens the referral."""
    return [(code, text) for code, text in code_choices("early_help_closure") if code != STEPPED_UP]


class CloseForm(forms.Form):
    ended_day, ended_month, ended_year = date_input_fields()
    reason = forms.ChoiceField(
        choices=closure_choices,
        error_messages={"required": "Select why early help ended", "invalid_choice": "Select from the list"},
    )

    def clean(self):
        data = super().clean()
        data["ended_on"] = date_from(self, "ended", "Date early help ended")
        return data


class StepUpForm(forms.Form):
    stepped_day, stepped_month, stepped_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["stepped_up_on"] = date_from(self, "stepped", "Date of the step up")
        return data


def _decide(request, form: forms.Form, record, refusal_fields: dict[str, str]) -> tuple[str, bool]:
    """The step of a decision page: "form" (as answered, or with errors), "check" (answers to
    check), or done (recorded: True)."""
    step = request.POST.get("step")
    if step == CHANGE or not form.is_valid():
        return "form", False
    if step != CHECKED:
        return "check", False
    try:
        record(form.cleaned_data)
    except ValidationError as error:
        show_refusal(form, error, refusal_fields)
        return "form", False
    return "form", True


@access_rule(CHILD, roles=RECORD_EARLY_HELP.roles)
@opens_child_record
def close(request, pk: int, *, opening: ChildOpening):
    """Close early help with the reason it ended: the form, then check your answers, then record it."""
    child = opening.child
    current = open_early_help(child)
    form, step = CloseForm(), "form"
    if request.method == "POST" and current is not None:
        form = CloseForm(request.POST)

        def record(data):
            services.early_help_close(
                episode=current, ended_on=data["ended_on"], reason=data["reason"], by=request.user
            )

        step, done = _decide(request, form, record, {"ended_on": "ended_day"})
        if done:
            messages.success(request, "Early help closed.")
            return redirect("web:child-record", pk=child.pk)
    answers = []
    if step == "check":
        data = form.cleaned_data
        answers = [
            ("Date early help ended", long_date(data["ended_on"])),
            ("Why it ended", label("early_help_closure", data["reason"])),
        ]
    context = {
        "child": child,
        "current": current,
        "form": form,
        "errors": error_links(form),
        "answers": answers,
        "today": timezone.localdate(),
        "choices": {"reason": closure_choices()},
    }
    template = "recording/early_help/close_check.html" if step == "check" else "recording/early_help/close.html"
    return render_page(request, template, context)


@access_rule(CHILD, roles=RECORD_EARLY_HELP.roles)
@opens_child_record
def step_up(request, pk: int, *, opening: ChildOpening):
    """Step early help up to children's social care: the day, then check, then record it."""
    child = opening.child
    current = open_early_help(child)
    open_case = open_cin_episode(child=child)
    form, step = StepUpForm(), "form"
    if request.method == "POST" and current is not None:
        form = StepUpForm(request.POST)

        def record(data):
            services.early_help_step_up(episode=current, stepped_up_on=data["stepped_up_on"], by=request.user)

        step, done = _decide(request, form, record, {"stepped_up_on": "stepped_day"})
        if done:
            messages.success(request, "Stepped up to children’s social care: the referral is open.")
            return redirect("web:child-record", pk=child.pk)
    answers = []
    if step == "check":
        day = long_date(form.cleaned_data["stepped_up_on"])
        answers = [
            ("Date of the step up", day),
            ("Early help", f"Closes on {day}: stepped up to children’s social care"),
            ("Referral", f"Opens on {day}, source: {label('referral_source', services.FROM_EARLY_HELP)}"),
        ]
    context = {
        "child": child,
        "current": current,
        "open_case": open_case,
        "form": form,
        "errors": error_links(form),
        "answers": answers,
        "today": timezone.localdate(),
    }
    template = "recording/early_help/step_up_check.html" if step == "check" else "recording/early_help/step_up.html"
    return render_page(request, template, context)
