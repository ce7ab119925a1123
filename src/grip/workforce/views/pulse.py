"""The staff pulse survey's pages: answering it (once a month, anonymously) and its results, by
month, for the authority, each service area and each team, shown only for groups of five or more."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import ANSWER_THE_PULSE_SURVEY, SEE_THE_PULSE_SURVEY
from grip.access.decorators import ROLES, access_rule
from grip.web.toolkit.forms import error_links, show_refusal
from grip.web.toolkit.pages import render_page
from grip.workforce import services
from grip.workforce.models import Team
from grip.workforce.pulse import months_back, pulse_results, pulse_survey
from grip.workforce.services.pulse import answered_this_month

TREND_MONTHS = 12  # how many months the results page shows (a year's trend)


class PulseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        survey = pulse_survey()
        choices = [(str(i), text) for i, text in enumerate(survey.scale, start=1)]
        for question in survey.questions:
            self.fields[question.key] = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                label=question.text,
                error_messages={"required": f"Choose how far you agree: {question.text.lower()}"},
            )


@access_rule(ROLES, roles=ANSWER_THE_PULSE_SURVEY.roles)
def pulse(request):
    """This month's survey, or thanks if answered already."""
    survey = pulse_survey()
    done = answered_this_month(request.user)
    form = PulseForm()
    if request.method == "POST" and not done:
        form = PulseForm(request.POST)
        if form.is_valid():
            try:
                services.pulse_survey_answer(answers=form.cleaned_data, by=request.user)
            except ValidationError as error:
                show_refusal(form, error, {})
            else:
                messages.success(request, "Thank you: your answers are recorded without your name.")
                return redirect("workforce:pulse")
    context = {
        "survey": survey,
        "form": form,
        "done": done,
        "choices": [(str(i), text) for i, text in enumerate(survey.scale, start=1)],
        "errors": error_links(form),
        "month": timezone.localdate(),
    }
    return render_page(request, "workforce/pulse.html", context)


@access_rule(ROLES, roles=SEE_THE_PULSE_SURVEY.roles)
def pulse_results_page(request):
    survey = pulse_survey()
    months = months_back(timezone.localdate(), TREND_MONTHS)
    teams = Team.objects.select_related("service_area").order_by("service_area__name", "name")
    context = {
        "survey": survey,
        "months": months,
        "groups": pulse_results(months=months, teams=teams),
        "errors": [],
    }
    return render_page(request, "workforce/pulse_results.html", context)
