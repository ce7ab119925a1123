"""Pages for a care leaver's support: a contact with the young person (SSDA903 OC3: in touch, main
activity, accommodation, and whether the authority provides that accommodation), the needs
assessment of an eligible child, the pathway plan and its reviews, and ending the support (a
decision, so checked before it is recorded). Each lists the earlier records of its kind with who
recorded them and when, and records through grip.cases.services.leaving_care; saving stops the
clock the timescale engine runs for it (care_leaver_in_touch, pathway_needs_assessment,
pathway_plan_review; a visit, recorded on the visit page, stops care_leaver_visit).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import RECORD_LEAVING_CARE
from grip.access.decorators import CHILD, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.cases import services
from grip.cases.models import (
    CareLeaverAccommodation,
    CareLeaverContact,
    CareLeaverEpisode,
    LookedAfterEpisode,
    PathwayNeedsAssessment,
    PathwayPlanKind,
    PathwayPlanReview,
)
from grip.core.codelists import label
from grip.core.formatting import long_date
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page

from .recorded import recorded

EARLIER = 5  # earlier records listed on each page
NOT_PROVIDED = "NO"  # on the contact form: the authority does not provide the accommodation
CHECKED = "check"  # the `step` of a POST from the check-your-answers page: record it
CHANGE = "change"  # ... or go back to the form to change the answers


def _provided_choices() -> list[tuple[str, str]]:
    return [(NOT_PROVIDED, "No"), *code_choices("leaving_care_accommodation_duty")]


class ContactForm(forms.Form):
    contact_day, contact_month, contact_year = date_input_fields()
    in_touch = forms.ChoiceField(
        choices=lambda: code_choices("care_leaver_in_touch"),
        error_messages={"required": "Select whether you were in touch", "invalid_choice": "Select from the list"},
    )
    activity = forms.ChoiceField(
        required=False,
        choices=lambda: code_choices("care_leaver_activity", blank=""),
        error_messages={"invalid_choice": "Select from the list"},
    )
    accommodation = forms.ChoiceField(
        required=False,
        choices=lambda: code_choices("care_leaver_accommodation", blank=""),
        error_messages={"invalid_choice": "Select from the list"},
    )
    provided_under = forms.ChoiceField(
        required=False, choices=_provided_choices, error_messages={"invalid_choice": "Select from the list"}
    )

    def clean(self):
        data = super().clean()
        data["contact_on"] = date_from(self, "contact", "Date of the contact")
        provided = data.get("provided_under")
        known = data.get("accommodation") not in (None, "", services.leaving_care.NOT_KNOWN)
        if known and not provided and "provided_under" not in self.errors:
            self.add_error("provided_under", "Select whether the authority provides this accommodation")
        # NO: not provided (closes any it provided); nothing chosen: not said (changes nothing).
        data["provided_under"] = "" if provided == NOT_PROVIDED else (provided or None)
        return data


class DateForm(forms.Form):
    """One date: the needs assessment completed."""

    done_day, done_month, done_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["done_on"] = date_from(self, "done", "Date")
        return data


class PathwayPlanForm(forms.Form):
    kind = forms.ChoiceField(
        choices=PathwayPlanKind.choices,
        error_messages={"required": "Select a plan made or a review", "invalid_choice": "Select from the list"},
    )
    held_day, held_month, held_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["held_on"] = date_from(self, "held", "Date of the plan or review")
        return data


class EndForm(forms.Form):
    ended_day, ended_month, ended_year = date_input_fields()
    reason = forms.ChoiceField(
        choices=lambda: code_choices("care_leaver_support_ended"),
        error_messages={"required": "Select why the support ended", "invalid_choice": "Select from the list"},
    )

    def clean(self):
        data = super().clean()
        data["ended_on"] = date_from(self, "ended", "Date the support ended")
        return data


def _open_support(child) -> CareLeaverEpisode | None:
    return CareLeaverEpisode.objects.filter(child=child, ended_on__isnull=True).first()


def _page(request, template: str, child, *, can_record: bool, cannot: str, form, **context):
    context = {
        "child": child,
        "can_record": can_record,
        "cannot": cannot,
        "form": form,
        "errors": error_links(form),
        "today": timezone.localdate(),
        **context,
    }
    return render_page(request, template, context)


NOT_A_CARE_LEAVER = "{name} has no open care leaver support, so there is nothing of this kind to record."


@access_rule(CHILD, roles=RECORD_LEAVING_CARE.roles)
@opens_child_record
def contact(request, pk: int, *, opening: ChildOpening):
    """Record a contact with a care leaver."""
    child = opening.child
    support = _open_support(child)
    form = ContactForm()
    if request.method == "POST" and support is not None:
        form = ContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.care_leaver_contact_record(
                    child=child,
                    contact_on=data["contact_on"],
                    in_touch=data["in_touch"],
                    activity=data["activity"],
                    accommodation=data["accommodation"],
                    provided_under=data["provided_under"],
                    by=request.user,
                )
            except ValidationError as error:
                show_refusal(form, error, {"contact_on": "contact_day"})
            else:
                messages.success(request, "Contact with the care leaver recorded.")
                return redirect("web:child-record", pk=child.pk)
    rows = CareLeaverContact.objects.filter(care_leaver__child=child).order_by("-contact_on", "-pk")[:EARLIER]
    provided = (
        CareLeaverAccommodation.objects.filter(care_leaver=support, provided_to__isnull=True).first()
        if support
        else None
    )
    return _page(
        request,
        "recording/leaving_care/contact.html",
        child,
        can_record=support is not None,
        cannot=NOT_A_CARE_LEAVER.format(name=child.full_name),
        form=form,
        provided=provided,
        earlier=recorded(rows, child=child, verbs=["care_leaver_contact_recorded"]),
        field_choices={
            "in_touch": code_choices("care_leaver_in_touch"),
            "activity": code_choices("care_leaver_activity", blank="Choose the main activity"),
            "accommodation": code_choices("care_leaver_accommodation", blank="Choose the accommodation"),
            "provided_under": _provided_choices(),
        },
    )


@access_rule(CHILD, roles=RECORD_LEAVING_CARE.roles)
@opens_child_record
def needs_assessment(request, pk: int, *, opening: ChildOpening):
    """Record the needs assessment of an eligible child completed (the basis of the pathway plan)."""
    child = opening.child
    can_record = (
        LookedAfterEpisode.objects.filter(child=child, ended_on__isnull=True).exists()
        or _open_support(child) is not None
    )
    form = DateForm()
    if request.method == "POST" and can_record:
        form = DateForm(request.POST)
        if form.is_valid():
            try:
                services.pathway_needs_assessment_record(
                    child=child, completed_on=form.cleaned_data["done_on"], by=request.user
                )
            except ValidationError as error:
                show_refusal(form, error, {"completed_on": "done_day"})
            else:
                messages.success(request, "Needs assessment recorded.")
                return redirect("web:child-record", pk=child.pk)
    rows = PathwayNeedsAssessment.objects.filter(child=child).order_by("-completed_on", "-pk")[:EARLIER]
    return _page(
        request,
        "recording/leaving_care/needs_assessment.html",
        child,
        can_record=can_record,
        cannot=f"{child.full_name} is neither looked after nor a care leaver today, so there is nothing to assess.",
        form=form,
        earlier=recorded(rows, child=child, verbs=["pathway_needs_assessment_recorded"]),
    )


@access_rule(CHILD, roles=RECORD_LEAVING_CARE.roles)
@opens_child_record
def pathway_plan(request, pk: int, *, opening: ChildOpening):
    """Record a pathway plan made, or a review of it."""
    child = opening.child
    support = _open_support(child)
    plan = services.leaving_care.latest_plan(support) if support else None
    form = PathwayPlanForm(initial={"kind": PathwayPlanKind.REVIEW if plan else PathwayPlanKind.PLAN})
    if request.method == "POST" and support is not None:
        form = PathwayPlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["kind"] == PathwayPlanKind.PLAN:
                    services.pathway_plan_record(child=child, made_on=data["held_on"], by=request.user)
                else:
                    services.pathway_plan_review_record(child=child, held_on=data["held_on"], by=request.user)
            except ValidationError as error:
                show_refusal(form, error, {"held_on": "held_day", "made_on": "held_day"})
            else:
                made = data["kind"] == PathwayPlanKind.PLAN
                messages.success(request, "Pathway plan recorded." if made else "Pathway plan review recorded.")
                return redirect("web:child-record", pk=child.pk)
    rows = PathwayPlanReview.objects.filter(care_leaver__child=child).order_by("-held_on", "-pk")[:EARLIER]
    return _page(
        request,
        "recording/leaving_care/pathway_plan.html",
        child,
        can_record=support is not None,
        cannot=NOT_A_CARE_LEAVER.format(name=child.full_name),
        form=form,
        plan=plan,
        kinds=PathwayPlanKind.choices,
        earlier=recorded(rows, child=child, verbs=["pathway_plan_made", "pathway_plan_reviewed"]),
    )


@access_rule(CHILD, roles=RECORD_LEAVING_CARE.roles)
@opens_child_record
def end_support(request, pk: int, *, opening: ChildOpening):
    """End a care leaver's support: the form, then check your answers, then record it."""
    child = opening.child
    support = _open_support(child)
    form = EndForm()
    template = "recording/leaving_care/end.html"
    if request.method == "POST" and support is not None:
        form = EndForm(request.POST)
        step = request.POST.get("step")
        if step == CHANGE:
            pass  # back to the form, as answered
        elif form.is_valid() and step == CHECKED:
            data = form.cleaned_data
            try:
                services.care_leaver_support_end(
                    child=child, ended_on=data["ended_on"], reason=data["reason"], by=request.user
                )
            except ValidationError as error:
                show_refusal(form, error, {"ended_on": "ended_day"})
            else:
                messages.success(request, "Care leaver support ended.")
                return redirect("web:child-record", pk=child.pk)
        elif form.is_valid():
            template = "recording/leaving_care/end_check.html"
    rows = CareLeaverEpisode.objects.filter(child=child).order_by("-started_on")[:EARLIER]
    answers = []
    if template.endswith("_check.html"):
        data = form.cleaned_data
        answers = [
            ("Date the support ended", long_date(data["ended_on"])),
            ("Reason", label("care_leaver_support_ended", data["reason"])),
        ]
    return _page(
        request,
        template,
        child,
        can_record=support is not None,
        cannot=NOT_A_CARE_LEAVER.format(name=child.full_name),
        form=form,
        support=support,
        answers=answers,
        reasons=code_choices("care_leaver_support_ended"),
        earlier=recorded(rows, child=child, verbs=["care_leaver_support_ended"]),
    )
