"""Pages for a looked-after child's dated care records: a review held (with the child's
participation, SSDA903 REVIEW_CODE), a health assessment (initial or review) and a personal
education plan. Each page lists the child's latest records of its kind, with who recorded them and
when, and records a new one through grip.cases.services.care; saving it stops the clock the
timescale engine runs for it. Placement changes are in `placements`, missing episodes in `missing`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import RECORD_A_LOOKED_AFTER_REVIEW, RECORD_LOOKED_AFTER_CARE
from grip.access.decorators import CHILD, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.cases import services
from grip.cases.models import (
    HealthAssessment,
    HealthAssessmentType,
    LookedAfterEpisode,
    LookedAfterReview,
    PersonalEducationPlan,
)
from grip.cases.services.looked_after import current_iro
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page

from .looked_after import iros_in_post
from .recorded import recorded

EARLIER = 5  # earlier records listed on each page


class ReviewForm(forms.Form):
    held_day, held_month, held_year = date_input_fields()
    participation = forms.ChoiceField(
        choices=code_choices("review_participation"),
        error_messages={"required": "Select how the child took part", "invalid_choice": "Select from the list"},
    )
    chaired_by = forms.ChoiceField(
        required=False,
        choices=lambda: _chairs(),
        error_messages={"invalid_choice": "Select the IRO from the list"},
    )

    def clean(self):
        data = super().clean()
        data["held_on"] = date_from(self, "held", "Date of the review")
        return data


class HealthAssessmentForm(forms.Form):
    held_day, held_month, held_year = date_input_fields()
    assessment_type = forms.ChoiceField(
        choices=HealthAssessmentType.choices,
        error_messages={"required": "Select initial or review", "invalid_choice": "Select initial or review"},
    )

    def clean(self):
        data = super().clean()
        data["held_on"] = date_from(self, "held", "Date of the assessment")
        return data


class EducationPlanForm(forms.Form):
    held_day, held_month, held_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["held_on"] = date_from(self, "held", "Date of the plan")
        return data


def _chairs() -> list[tuple[str, str]]:
    return [("", "Choose the IRO who chaired it"), *[(str(w.pk), w.full_name) for w in iros_in_post()]]


def _chair(chosen: str):
    return iros_in_post().filter(pk=chosen).first() if chosen else None


def _childs_iro(child) -> dict:
    current = current_iro(child)
    return {"chaired_by": str(current.iro_id)} if current else {}


@dataclass(frozen=True)
class DatedRecord:
    """One kind of dated record, and how its page saves and lists it."""

    template: str
    form: type[forms.Form]
    save: Callable  # (child, cleaned data, user) -> the record
    notice: str
    model: type
    verb: str
    choices: Callable[[], dict] = dict  # the choices of its radios, by field
    initial: Callable[..., dict] = lambda child: {}  # what the form starts with, for this child


def is_looked_after(child) -> bool:
    return LookedAfterEpisode.objects.filter(child=child, ended_on__isnull=True).exists()


def _record_page(request, opening: ChildOpening, kind: DatedRecord):
    child = opening.child
    looked_after = is_looked_after(child)
    form = kind.form(initial=kind.initial(child))
    if request.method == "POST" and looked_after:
        form = kind.form(request.POST)
        if form.is_valid():
            try:
                kind.save(child, form.cleaned_data, request.user)
            except ValidationError as error:
                show_refusal(form, error, {"held_on": "held_day"})
            else:
                messages.success(request, kind.notice)
                return redirect("web:child-record", pk=child.pk)
    earlier = kind.model.objects.filter(child=child).order_by("-held_on", "-pk")[:EARLIER]
    context = {
        "child": child,
        "looked_after": looked_after,
        "form": form,
        "errors": error_links(form),
        "earlier": recorded(earlier, child=child, verbs=[kind.verb]),
        "today": timezone.localdate(),
        "choices": kind.choices(),
    }
    return render_page(request, kind.template, context)


REVIEW = DatedRecord(
    template="recording/care/review.html",
    form=ReviewForm,
    save=lambda child, data, by: services.looked_after_review_hold(
        child=child,
        held_on=data["held_on"],
        participation=data["participation"],
        chaired_by=_chair(data["chaired_by"]),
        by=by,
    ),
    notice="Looked-after review recorded.",
    model=LookedAfterReview,
    verb="looked_after_review_held",
    choices=lambda: {"participation": code_choices("review_participation"), "chaired_by": _chairs()},
    initial=_childs_iro,
)
HEALTH = DatedRecord(
    template="recording/care/health_assessment.html",
    form=HealthAssessmentForm,
    save=lambda child, data, by: services.health_assessment_record(
        child=child, held_on=data["held_on"], assessment_type=data["assessment_type"], by=by
    ),
    notice="Health assessment recorded.",
    model=HealthAssessment,
    verb="health_assessment_recorded",
    choices=lambda: {"assessment_type": HealthAssessmentType.choices},
)
EDUCATION = DatedRecord(
    template="recording/care/education_plan.html",
    form=EducationPlanForm,
    save=lambda child, data, by: services.education_plan_record(child=child, held_on=data["held_on"], by=by),
    notice="Personal education plan recorded.",
    model=PersonalEducationPlan,
    verb="education_plan_recorded",
)


@access_rule(CHILD, roles=RECORD_A_LOOKED_AFTER_REVIEW.roles)
@opens_child_record
def review(request, pk: int, *, opening: ChildOpening):
    """Record a looked-after review held, and how the child took part."""
    return _record_page(request, opening, REVIEW)


@access_rule(CHILD, roles=RECORD_LOOKED_AFTER_CARE.roles)
@opens_child_record
def health_assessment(request, pk: int, *, opening: ChildOpening):
    """Record a health assessment held."""
    return _record_page(request, opening, HEALTH)


@access_rule(CHILD, roles=RECORD_LOOKED_AFTER_CARE.roles)
@opens_child_record
def education_plan(request, pk: int, *, opening: ChildOpening):
    """Record a personal education plan made or reviewed."""
    return _record_page(request, opening, EDUCATION)
