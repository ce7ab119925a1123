"""A manager's absence pages: record a worker's absence, record them back (the last day away and the
return-to-work meeting), and "who is off": who is away today in the teams they are in charge of,
since when, when expected back, short- or long-term, and the cases they hold.

Rules are in grip.workforce.services; long-term is the local policy of grip.timescales.pauses (the
one definition, which pauses supervision and which the reallocation list follows); "what they hold"
is their current lead allocations on open cases (grip.allocation.selectors). Children are named
only to a manager who may open them; restricted records are counted, never named.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import RECORD_AN_ABSENCE, SEE_WHO_IS_OFF
from grip.access.decorators import ROLES, access_rule
from grip.access.scope import openable_among
from grip.allocation.selectors import current_leads, open_cases
from grip.audit import services as audit
from grip.core.calendar import authority_calendar
from grip.core.codelists import label
from grip.core.formatting import long_date
from grip.people.models import Person
from grip.timescales.pauses import long_term_absence
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page
from grip.workforce import services as workforce
from grip.workforce.models import Absence, Worker
from grip.workforce.selectors import teams_managed_by

NOT_FOUND = "No such absence, or not one in a team you are in charge of."


def workers_managed_by(user, *, on: date):
    """The workers in post on `on` in the teams `user` is in charge of, themselves left out."""
    own = getattr(getattr(user, "worker", None), "pk", None)
    return (
        Worker.objects.filter(team__in=teams_managed_by(user), started_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .exclude(pk=own)
        .select_related("team")
        .order_by("last_name", "first_name")
    )


def held_cases(*, workers: Collection[int], on: date) -> dict[int, list[int]]:
    """Each worker's open cases held as lead worker on `on`: worker → children (ids)."""
    leads = current_leads(on=on, workers=workers)
    still_open = open_cases(on=on, children=list(leads))
    held: dict[int, list[int]] = {pk: [] for pk in workers}
    for child, lead in leads.items():
        if child in still_open:
            held[lead.worker_id].append(child)
    return held


# --- recording an absence ---------------------------------------------------------------------------


class AbsenceForm(forms.Form):
    worker = forms.ChoiceField(error_messages={"required": "Select the worker", "invalid_choice": "Select the worker"})
    absence_type = forms.ChoiceField(
        choices=lambda: code_choices("absence_type"),
        error_messages={"required": "Select the kind of absence", "invalid_choice": "Select the kind of absence"},
    )
    sickness_reason = forms.ChoiceField(
        required=False,
        choices=lambda: code_choices("sickness_reason", blank=""),
        error_messages={"invalid_choice": "Select the reason for the sickness"},
    )
    started_day, started_month, started_year = date_input_fields()
    ended_day, ended_month, ended_year = date_input_fields()

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", "Choose a worker")] + [(str(w.pk), f"{w} ({w.team})") for w in workers]

    def clean(self):
        data = super().clean()
        data["started_on"] = date_from(self, "started", "First day away")
        data["ended_on"] = date_from(self, "ended", "Last day away", required=False)
        if data.get("absence_type") in workforce.SICKNESS and not data.get("sickness_reason"):
            self.add_error("sickness_reason", "Select the reason for the sickness")
        return data


ABSENCE_FIELDS = {"started_on": "started_day", "ended_on": "ended_day"}


@access_rule(ROLES, roles=RECORD_AN_ABSENCE.roles)
def absence_new(request):
    """Record that a worker of the manager's teams is (or will be) away."""
    today = timezone.localdate()
    workers = list(workers_managed_by(request.user, on=today))
    form = AbsenceForm(workers=workers)
    if request.method == "POST":
        form = AbsenceForm(request.POST, workers=workers)
        if form.is_valid():
            data = form.cleaned_data
            worker = next(w for w in workers if str(w.pk) == data["worker"])
            try:
                workforce.absence_record(
                    actor=request.user,
                    worker=worker,
                    absence_type=data["absence_type"],
                    sickness_reason=data["sickness_reason"] if data["absence_type"] in workforce.SICKNESS else "",
                    started_on=data["started_on"],
                    ended_on=data["ended_on"],
                )
            except ValidationError as error:
                show_refusal(form, error, ABSENCE_FIELDS)
            else:
                messages.success(request, f"Absence recorded for {worker}.")
                return redirect("recording:who-is-off")
    context = {
        "form": form,
        "errors": error_links(form, {"worker": "worker", "absence_type": "absence_type"}),
        "worker_choices": form.fields["worker"].choices,
        "type_choices": code_choices("absence_type"),
        "reason_choices": code_choices("sickness_reason", blank="Choose a reason"),
    }
    return render_page(request, "recording/workforce/absence_new.html", context)


# --- recording a worker back ------------------------------------------------------------------------


class ReturnForm(forms.Form):
    ended_day, ended_month, ended_year = date_input_fields()
    meeting_day, meeting_month, meeting_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["ended_on"] = date_from(self, "ended", "Last day away")
        data["return_to_work_on"] = date_from(self, "meeting", "Day of the return-to-work meeting", required=False)
        return data


RETURN_FIELDS = {"ended_on": "ended_day", "return_to_work_on": "meeting_day"}


def _absences_of(user, *, on: date):
    """The absences of the manager's teams' workers with no return-to-work meeting yet: those still
    going on, and those ended in the last year."""
    workers = workers_managed_by(user, on=on)
    return (
        Absence.objects.filter(worker__in=workers, return_to_work_on__isnull=True)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on - timedelta(days=365)))
        .select_related("worker__team")
        .order_by("started_on", "pk")
    )


@access_rule(ROLES, roles=RECORD_AN_ABSENCE.roles)
def absence_return(request):
    """Without ?absence=: the absences to close. With it: the last day away and the return-to-work meeting."""
    today = timezone.localdate()
    absences = _absences_of(request.user, on=today)
    chosen = request.GET.get("absence", "")
    if not chosen:
        rows = [(a, _kind(a)) for a in absences]
        return render_page(request, "recording/workforce/absence_choose.html", {"rows": rows, "today": today})
    absence = absences.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if absence is None:
        raise Http404(NOT_FOUND)
    form = ReturnForm(initial=_date_initial("ended", absence.ended_on))
    if request.method == "POST":
        form = ReturnForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                workforce.absence_return_record(
                    actor=request.user,
                    absence=absence,
                    ended_on=data["ended_on"],
                    return_to_work_on=data["return_to_work_on"],
                )
            except ValidationError as error:
                show_refusal(form, error, RETURN_FIELDS)
            except PermissionDenied as error:
                raise Http404(NOT_FOUND) from error
            else:
                messages.success(request, f"{absence.worker}’s return recorded.")
                return redirect("recording:who-is-off")
    context = {"absence": absence, "form": form, "errors": error_links(form), "type": _kind(absence)}
    return render_page(request, "recording/workforce/absence_return.html", context)


def _date_initial(prefix: str, day: date | None) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year} if day else {}


def _kind(absence: Absence) -> str:
    reason = label("sickness_reason", absence.sickness_reason) if absence.sickness_reason else ""
    kind = label("absence_type", absence.absence_type)
    return f"{kind}: {reason}" if reason else kind


# --- who is off -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Off:
    absence: Absence
    kind: str
    long_term: bool
    expected_back: date | None  # the first working day after the last day away, if known
    caseload: int  # open cases held as lead worker, counted whoever may see them
    children: list[Person]  # those the reader may open


@dataclass(frozen=True)
class WhoIsOff:
    rows: list[Off]
    hidden: int  # restricted records held by the absent, not named to this reader


def is_long_term(absence: Absence, *, on: date) -> bool:
    """Whether `absence` is long-term on `on`, by the local policy (reference/workforce/long_term_absence.toml)."""
    policy = long_term_absence()
    if absence.absence_type in policy.from_the_start:
        return True
    return absence.absence_type in policy.counted and policy.started(absence.started_on, authority_calendar()) <= on


def who_is_off(user, *, on: date) -> WhoIsOff:
    """Who is away on `on` in the teams `user` is in charge of, the longest away first."""
    away = list(
        Absence.objects.filter(worker__in=workers_managed_by(user, on=on), started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .select_related("worker__team")
        .order_by("started_on", "worker__last_name")
    )
    held = held_cases(workers=[a.worker_id for a in away], on=on)
    found = openable_among(user, {child for children in held.values() for child in children})
    people = Person.objects.in_bulk(found.visible)
    cal = authority_calendar()
    rows = [
        Off(
            absence=a,
            kind=_kind(a),
            long_term=is_long_term(a, on=on),
            expected_back=cal.next_working_day(a.ended_on) if a.ended_on else None,
            caseload=len(held[a.worker_id]),
            children=sorted((people[c] for c in held[a.worker_id] if c in people), key=lambda p: p.last_name),
        )
        for a in away
    ]
    return WhoIsOff(rows, len(found.restricted))


@access_rule(ROLES, roles=SEE_WHO_IS_OFF.roles)
def who_is_off_page(request):
    today = timezone.localdate()
    off = who_is_off(request.user, on=today)
    with transaction.atomic():
        named = [child.pk for row in off.rows for child in row.children]
        audit.record(actor=request.user, verb="who_is_off_viewed", payload={"children": named}, request=request)
    context = {"off": off, "today": today, "today_text": long_date(today)}
    return render_page(request, "recording/workforce/who_is_off.html", context)
