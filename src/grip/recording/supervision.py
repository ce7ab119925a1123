"""Supervision pages: a manager records a session (question pages: the session → the cases discussed
and a decision for each → the reflective part → check your answers), the worker confirms the
record ("agreed by both"), and a manager sees their teams' supervision measures.

The cases offered are the open cases the worker holds as lead today that the manager may open;
each decision shows on that child's journey (grip.workforce.journey). Recording the session stops
the worker's supervision clock at once: the chase lists compute from the record on every request.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import CONFIRM_MY_SUPERVISION, RECORD_SUPERVISION, SEE_SUPERVISION_MEASURES
from grip.access.decorators import ROLES, access_rule
from grip.access.scope import openable_among
from grip.audit import services as audit
from grip.core.codelists import label
from grip.core.formatting import long_date
from grip.people.models import Person
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page
from grip.workforce import services as workforce
from grip.workforce.models import Supervision
from grip.workforce.selectors import teams_managed_by

from .absence import held_cases, workers_managed_by
from .supervision_measures import supervision_policy, team_supervision

# The question pages, in order; each POST says which page it comes from.
DETAILS, CASES, REFLECTION, CHECK, CHANGE = "details", "cases", "reflection", "check", "change"
NEXT = {DETAILS: CASES, CASES: REFLECTION, REFLECTION: CHECK}
TEMPLATES = {
    DETAILS: "recording/workforce/supervision_details.html",
    CASES: "recording/workforce/supervision_cases.html",
    REFLECTION: "recording/workforce/supervision_reflection.html",
    CHECK: "recording/workforce/supervision_check.html",
}
DETAIL_FIELDS = ("worker", "held_day", "held_month", "held_year", "duration", "supervision_type")
NOT_YOURS = "No such supervision record of yours."


class SupervisionForm(forms.Form):
    worker = forms.ChoiceField(error_messages={"required": "Select the worker", "invalid_choice": "Select the worker"})
    held_day, held_month, held_year = date_input_fields()
    duration = forms.IntegerField(
        min_value=1,
        max_value=workforce.LONGEST_SESSION_MINUTES,
        error_messages={
            "required": "Enter how long the session lasted, in minutes",
            "invalid": "Enter the length of the session as a number of minutes, like 90",
            "min_value": "Enter how long the session lasted, in minutes",
            "max_value": "A session lasts at most 8 hours (480 minutes)",
        },
    )
    supervision_type = forms.ChoiceField(
        choices=lambda: code_choices("supervision_type"),
        error_messages={
            "required": "Select the type of supervision",
            "invalid_choice": "Select the type of supervision",
        },
    )
    reflection = forms.CharField(required=False, max_length=20_000)

    def __init__(self, *args, workers, cases: dict[int, list[Person]], **kwargs):
        super().__init__(*args, **kwargs)
        self.workers = {str(w.pk): w for w in workers}
        self.cases = cases
        self.fields["worker"].choices = [("", "Choose a worker")] + [
            (k, f"{w} ({w.team})") for k, w in self.workers.items()
        ]
        for children in cases.values():
            for child in children:
                self.fields[f"decision_{child.pk}"] = forms.CharField(required=False, max_length=20_000)

    def clean(self):
        data = super().clean()
        data["held_on"] = date_from(self, "held", "Date of the session")
        return data

    def chosen(self):
        return self.workers[self.cleaned_data["worker"]]

    def offered(self) -> list[Person]:
        """The cases this worker holds that may be discussed (and named to the manager)."""
        return self.cases.get(self.chosen().pk, [])

    def decisions(self) -> list[tuple[Person, str]]:
        return [
            (c, self.cleaned_data[f"decision_{c.pk}"].strip())
            for c in self.offered()
            if self.cleaned_data.get(f"decision_{c.pk}", "").strip()
        ]


def _cases_for(user, workers, on) -> dict[int, list[Person]]:
    held = held_cases(workers=[w.pk for w in workers], on=on)
    found = openable_among(user, {c for children in held.values() for c in children})
    people = Person.objects.in_bulk(found.visible)
    return {
        pk: sorted((people[c] for c in ids if c in people), key=lambda p: (p.last_name, p.pk))
        for pk, ids in held.items()
    }


REFUSAL_FIELDS = {"held_on": "held_day", "duration_minutes": "duration", "decisions": None}


@access_rule(ROLES, roles=RECORD_SUPERVISION.roles)
def supervision_new(request):
    """Record a supervision session, one question page at a time, then check the answers."""
    today = timezone.localdate()
    workers = list(workers_managed_by(request.user, on=today))
    cases = _cases_for(request.user, workers, today)
    form = SupervisionForm(workers=workers, cases=cases)
    page = DETAILS
    if request.method == "POST":
        form = SupervisionForm(request.POST, workers=workers, cases=cases)
        step = request.POST.get("step", DETAILS)
        if step == CHANGE:
            form = SupervisionForm(initial=request.POST.dict(), workers=workers, cases=cases)
        elif form.is_valid() and step == CHECK:
            try:
                session = workforce.supervision_record(
                    actor=request.user,
                    worker=form.chosen(),
                    held_on=form.cleaned_data["held_on"],
                    duration_minutes=form.cleaned_data["duration"],
                    supervision_type=form.cleaned_data["supervision_type"],
                    decisions=form.decisions(),
                    reflection=form.cleaned_data["reflection"],
                )
            except ValidationError as error:
                show_refusal(form, error, REFUSAL_FIELDS)
            else:
                messages.success(request, f"Supervision recorded. {session.worker} is asked to confirm the record.")
                return redirect("recording:supervision-team")
        elif form.is_valid():
            page = NEXT.get(step, DETAILS)
    context = {
        "form": form,
        "page": page,
        "errors": error_links(form, {"worker": "worker", "supervision_type": "supervision_type"}),
        "worker_choices": form.fields["worker"].choices,
        "type_choices": code_choices("supervision_type"),
        "carried": _carried(form, page),
        "answers": _answers(form) if page == CHECK else [],
    }
    return render_page(request, TEMPLATES[page], context)


def _carried(form: SupervisionForm, page: str) -> list[str]:
    """The fields a question page does not ask, carried as hidden inputs to the next."""
    shown = {DETAILS: set(DETAIL_FIELDS), REFLECTION: {"reflection"}}.get(page, set())
    if page == CASES:
        shown = {name for name in form.fields if name.startswith("decision_")}
    if page == CHECK:
        shown = set()
    return [name for name in form.fields if name not in shown]


def _answers(form: SupervisionForm) -> list[tuple[str, str]]:
    data = form.cleaned_data
    answers = [
        ("Worker", str(form.chosen())),
        ("Date of the session", long_date(data["held_on"])),
        ("Length", f"{data['duration']} minutes"),
        ("Type", label("supervision_type", data["supervision_type"])),
    ]
    decisions = form.decisions()
    answers += [(f"Decision: {child.full_name}", text) for child, text in decisions]
    if not decisions:
        answers.append(("Cases discussed", "None"))
    answers.append(("Reflective part", data["reflection"] or "None"))
    return answers


# --- the worker confirms the record -----------------------------------------------------------------


@access_rule(ROLES, roles=CONFIRM_MY_SUPERVISION.roles)
def supervision_confirm(request):
    """Without ?session=: my sessions waiting for me to confirm. With it: the record, to confirm."""
    mine = Supervision.objects.filter(worker__user=request.user).select_related("supervisor", "worker")
    chosen = request.GET.get("session", "")
    if not chosen:
        waiting = mine.filter(confirmed_at__isnull=True).order_by("-held_on")
        return render_page(request, "recording/workforce/supervision_waiting.html", {"waiting": waiting})
    session = mine.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if session is None:
        raise Http404(NOT_YOURS)
    error = ""
    if request.method == "POST":
        try:
            workforce.supervision_confirm(actor=request.user, supervision=session)
        except (ValidationError, PermissionDenied) as refusal:
            error = " ".join(getattr(refusal, "messages", [str(refusal)]))
        else:
            messages.success(request, "Thank you: the record of your supervision is agreed by both.")
            return redirect("recording:supervision-confirm")
    decisions = list(session.decisions.select_related("child"))
    found = openable_among(request.user, {d.child_id for d in decisions})
    shown = [d for d in decisions if d.child_id in found.visible]
    with transaction.atomic():
        payload = {"session": session.pk, "children": [d.child_id for d in shown]}
        audit.record(actor=request.user, verb="supervision_viewed", target=session, payload=payload, request=request)
    context = {
        "session": session,
        "decisions": shown,
        "hidden": len(decisions) - len(shown),
        "type": label("supervision_type", session.supervision_type) if session.supervision_type else "Not recorded",
        "errors": [{"text": error, "href": "#main-content"}] if error else [],
    }
    return render_page(request, "recording/workforce/supervision_confirm.html", context)


# --- a manager's teams' supervision -----------------------------------------------------------------


@access_rule(ROLES, roles=SEE_SUPERVISION_MEASURES.roles)
def supervision_team(request):
    """The supervision measures of the teams the manager is in charge of, each with its list."""
    today = timezone.localdate()
    teams = list(teams_managed_by(request.user))
    measures = team_supervision(teams, on=today)
    every_case = {c for t in measures for w in t.workers for c in w.cases}
    found = openable_among(request.user, every_case)
    people = Person.objects.in_bulk(found.visible)
    with transaction.atomic():
        payload = {"children": sorted(people)}
        audit.record(actor=request.user, verb="supervision_measures_viewed", payload=payload, request=request)
    context = {
        "measures": measures,
        "people": people,
        "hidden": len(found.restricted),
        "today": today,
        "weeks": supervision_policy().decisions_within_weeks,
    }
    return render_page(request, "recording/workforce/supervision_team.html", context)
