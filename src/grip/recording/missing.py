"""Pages for a looked-after child's missing episodes: recording the child missing (or away from
placement without authorisation), with the return when it is already known, or, while they are
missing, their return; and the return home interview that follows each return, recorded as offered
(the 72-hour clock goes on), held, or offered and declined by the child (either stops the clock).
An interview held or declined is checked before it is recorded (grip.recording.checking); an offer
is recorded at once. The rules are in grip.cases.services.missing.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import RECORD_LOOKED_AFTER_CARE
from grip.access.decorators import CHILD, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.cases import services
from grip.cases.models import MissingEpisode
from grip.core.formatting import long_date
from grip.web.toolkit.dates import date_from, date_input_fields, parse_time
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page

from .care import is_looked_after
from .checking import CHANGE, CHECKED, Answer, step
from .recorded import recorded

OFFERED = "OFFERED"  # on the interview form: offered, not yet held or declined
INTERVIEW_CHOICES = [
    (OFFERED, "Offered, not yet held"),
    (services.missing.HELD, "Held"),
    (services.missing.DECLINED, "Offered and declined by the child"),
]
INTERVIEW_FIELDS = ["missing", "outcome", "at_day", "at_month", "at_year", "at_time"]
VERBS = ["missing_recorded", "missing_returned", "return_interview_offered", "return_interview_recorded"]


def moment_from(form: forms.Form, prefix: str, what: str, *, required: bool = True) -> datetime | None:
    """The date and time typed into `<prefix>_day/_month/_year` and `<prefix>_time`, or None (with
    the error on the form, or nothing typed when not required)."""
    day = date_from(form, prefix, f"Date {what}", required=required)
    if day is None:
        return None
    try:
        at = parse_time(form.data.get(f"{prefix}_time", ""), f"Time {what}")
    except forms.ValidationError as error:
        form.add_error(f"{prefix}_time", error)
        return None
    return timezone.make_aware(datetime.combine(day, at))


class MissingForm(forms.Form):
    missing_type = forms.ChoiceField(
        choices=lambda: code_choices("missing_type"),
        error_messages={"required": "Select missing or away", "invalid_choice": "Select missing or away"},
    )
    started_day, started_month, started_year = date_input_fields()
    started_time = forms.CharField(required=False)
    returned_day, returned_month, returned_year = date_input_fields()
    returned_time = forms.CharField(required=False)

    def clean(self):
        data = super().clean()
        data["started_at"] = moment_from(self, "started", "missing from")
        data["returned_at"] = moment_from(self, "returned", "back", required=False)
        return data


class ReturnForm(forms.Form):
    returned_day, returned_month, returned_year = date_input_fields()
    returned_time = forms.CharField(required=False)

    def clean(self):
        data = super().clean()
        data["returned_at"] = moment_from(self, "returned", "back")
        return data


class InterviewForm(forms.Form):
    missing = forms.TypedChoiceField(
        coerce=int, error_messages={"required": "Select the return", "invalid_choice": "Select the return"}
    )
    outcome = forms.ChoiceField(
        choices=INTERVIEW_CHOICES,
        error_messages={"required": "Select what happened", "invalid_choice": "Select what happened"},
    )
    at_day, at_month, at_year = date_input_fields()
    at_time = forms.CharField(required=False)

    def __init__(self, *args, waiting: list[MissingEpisode], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing"].choices = [(m.pk, _returned_text(m)) for m in waiting]

    def clean(self):
        data = super().clean()
        if data.get("outcome") in (services.missing.HELD, services.missing.DECLINED):
            data["at"] = moment_from(self, "at", "held or declined")
        return data


def _returned_text(missing: MissingEpisode) -> str:
    back = timezone.localtime(missing.ended_at)
    offered = ", interview offered" if missing.return_interview_offered else ""
    return f"Back on {back:%d/%m/%Y at %H:%M}{offered}"


MOMENT_FIELDS = {"started_at": "started_day", "returned_at": "returned_day", "at": "at_day"}


def _earlier(child):
    return recorded(MissingEpisode.objects.filter(child=child).order_by("-started_at")[:5], child=child, verbs=VERBS)


@access_rule(CHILD, roles=RECORD_LOOKED_AFTER_CARE.roles)
@opens_child_record
def missing(request, pk: int, *, opening: ChildOpening):
    """Record the child missing, or, while they are missing, their return."""
    child = opening.child
    looked_after = is_looked_after(child)
    away = MissingEpisode.objects.filter(child=child, ended_at__isnull=True).first()
    form: forms.Form = ReturnForm() if away else MissingForm()
    if request.method == "POST" and looked_after:
        form = ReturnForm(request.POST) if away else MissingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if away:
                    services.missing_return(missing=away, returned_at=data["returned_at"], by=request.user)
                else:
                    services.missing_record(
                        child=child,
                        missing_type=data["missing_type"],
                        started_at=data["started_at"],
                        returned_at=data["returned_at"],
                        by=request.user,
                    )
            except ValidationError as error:
                show_refusal(form, error, MOMENT_FIELDS)
            else:
                back = away is not None or data.get("returned_at") is not None
                notice = "Return recorded: offer a return interview within 72 hours." if back else "Missing recorded."
                messages.success(request, notice)
                return redirect("web:child-record", pk=child.pk)
    context = {
        "child": child,
        "looked_after": looked_after,
        "away": away,
        "started_at": timezone.localtime(away.started_at) if away else None,
        "form": form,
        "errors": error_links(form),
        "missing_choices": code_choices("missing_type"),
        "earlier": _earlier(child),
    }
    return render_page(request, "recording/care/missing.html", context)


@access_rule(CHILD, roles=RECORD_LOOKED_AFTER_CARE.roles)
@opens_child_record
def return_interview(request, pk: int, *, opening: ChildOpening):
    """Record the return home interview after a return: offered, held, or declined."""
    child = opening.child
    looked_after = is_looked_after(child)
    waiting = list(
        MissingEpisode.objects.filter(child=child, ended_at__isnull=False, return_interview_outcome="").order_by(
            "ended_at"
        )
    )
    form = InterviewForm(waiting=waiting, initial={"missing": waiting[0].pk} if len(waiting) == 1 else {})
    template = "recording/care/return_interview.html"
    if request.method == "POST" and looked_after and waiting:
        form = InterviewForm(request.POST, waiting=waiting)
        sent = step(request)
        if sent == CHANGE:
            pass  # back to the form, as typed
        elif form.is_valid() and form.cleaned_data["outcome"] != OFFERED and sent != CHECKED:
            template = "recording/care/return_interview_check.html"
        elif form.is_valid():
            data = form.cleaned_data
            episode = next(m for m in waiting if m.pk == data["missing"])
            try:
                if data["outcome"] == OFFERED:
                    services.return_interview_offer(missing=episode, by=request.user)
                else:
                    services.return_interview_record(
                        missing=episode, outcome=data["outcome"], at=data["at"], by=request.user
                    )
            except ValidationError as error:
                show_refusal(form, error, MOMENT_FIELDS)
            else:
                messages.success(request, "Return interview recorded.")
                return redirect("web:child-record", pk=child.pk)
    context = {
        "child": child,
        "looked_after": looked_after,
        "waiting": waiting,
        "form": form,
        "errors": error_links(form),
        "missing_choices": form.fields["missing"].choices,
        "interview_choices": INTERVIEW_CHOICES,
        "earlier": _earlier(child),
        "answers": _interview_answers(form, waiting) if template.endswith("_check.html") else [],
        "fields": INTERVIEW_FIELDS,
    }
    return render_page(request, template, context)


def _interview_answers(form: InterviewForm, waiting: list[MissingEpisode]) -> list[Answer]:
    data = form.cleaned_data
    episode = next(m for m in waiting if m.pk == data["missing"])
    at = timezone.localtime(data["at"])
    return [
        Answer("Which return", _returned_text(episode), "missing"),
        Answer("What happened", dict(INTERVIEW_CHOICES)[data["outcome"]], "outcome"),
        Answer("When it was held or declined", f"{long_date(at.date())} at {at:%H:%M}", "at_day"),
    ]
