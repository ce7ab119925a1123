"""The page for recording a visit to a child: the day, the kind of visit, whether the child was
seen and seen alone, where, and what the child said and felt. Opened like the child's record
(grip.access.opening), for those who may record a visit (RECORD_A_VISIT); the rules are in
grip.cases.services.visits. Saving it stops the visiting clock of the chase lists at once.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import RECORD_A_VISIT
from grip.access.decorators import CHILD, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.cases import services
from grip.core.codelists import label
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(question: str) -> forms.ChoiceField:
    message = f"Select yes if {question}"
    return forms.ChoiceField(choices=YES_NO, error_messages={"required": message, "invalid_choice": message})


class VisitForm(forms.Form):
    visited_day, visited_month, visited_year = date_input_fields()
    visit_type = forms.ChoiceField(
        choices=code_choices("visit_type"),
        error_messages={"required": "Select the kind of visit", "invalid_choice": "Select the kind of visit"},
    )
    child_seen = _yes_no("the child was seen")
    seen_alone = _yes_no("the child was seen alone")
    place = forms.CharField(required=False, max_length=200)
    child_said = forms.CharField(required=False, max_length=20_000)

    def clean(self):
        data = super().clean()
        data["visited_on"] = date_from(self, "visited", "Date of the visit")
        return data


# The service's field names that the form calls differently.
FIELDS = {"visited_on": "visited_day"}


@access_rule(CHILD, roles=RECORD_A_VISIT.roles)
@opens_child_record
def visit_new(request, pk: int, *, opening: ChildOpening):
    """Record a visit made to the child."""
    child = opening.child
    today = timezone.localdate()
    form = VisitForm(initial={"visited_day": today.day, "visited_month": today.month, "visited_year": today.year})
    if request.method == "POST":
        form = VisitForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = services.visit_record(
                    child=child,
                    visit_type=data["visit_type"],
                    visited_on=data["visited_on"],
                    child_seen=data["child_seen"] == "yes",
                    seen_alone=data["seen_alone"] == "yes",
                    place=data["place"],
                    child_said=data["child_said"],
                    by=request.user,
                )
            except ValidationError as error:
                show_refusal(form, error, FIELDS)
            else:
                messages.success(request, f"{label('visit_type', visit.visit_type)} recorded.")
                return redirect("web:child-record", pk=child.pk)
    context = {
        "child": child,
        "form": form,
        "errors": error_links(form),
        "type_choices": code_choices("visit_type"),
        "yes_no": YES_NO,
    }
    return render_page(request, "recording/visits/visit_new.html", context)
