"""The pages about people: a starter, a worker's terms and their history, a change of terms, a
leaver (checked before it is recorded: it ends their post and their access), the Social Work
England registration and the ASYE."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from grip.access.capabilities import MANAGE_THE_ESTABLISHMENT
from grip.access.decorators import ROLES, access_rule
from grip.core.codelists import label
from grip.core.formatting import long_date
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page
from grip.workforce import services
from grip.workforce.establishment import Asye, Registration
from grip.workforce.history import posts_on
from grip.workforce.models import Worker

from .common import FteField, choose_team, chosen_team, chosen_worker, managed_teams, role_label

ROLES_OF = MANAGE_THE_ESTABLISHMENT.roles
CHECKED, CHANGE = "check", "change"  # the check-your-answers step's two buttons


def _worker_url(worker: Worker) -> str:
    return f"{reverse('workforce:worker')}?worker={worker.pk}"


def _choose_worker(request, what: str):
    return choose_team(request, then="workforce:team", what=what)


class TermsForm(forms.Form):
    """The terms a worker is on: role, team, FTE, contract and manager."""

    role = forms.ChoiceField(
        choices=lambda: code_choices("worker_role"),
        error_messages={"required": "Select the role", "invalid_choice": "Select from the list"},
    )
    team = forms.TypedChoiceField(
        coerce=int, error_messages={"required": "Select the team", "invalid_choice": "Select from the list"}
    )
    fte = FteField(error_messages={"required": "Enter the FTE"})
    employment_type = forms.ChoiceField(
        choices=lambda: code_choices("employment_type"),
        error_messages={"required": "Select the kind of contract", "invalid_choice": "Select from the list"},
    )
    manager = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, error_messages={"invalid_choice": "Select from the list"}
    )

    def __init__(self, *args, teams, managers, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {t.pk: t for t in teams}
        self.managers = {m.pk: m for m in managers}
        self.fields["team"].choices = [("", "Choose a team"), *((t.pk, t.name) for t in teams)]
        self.fields["manager"].choices = [("", "No manager"), *((m.pk, f"{m.full_name} ({m.role})") for m in managers)]

    def terms(self) -> dict:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "team": self.teams[data["team"]],
            "fte": data["fte"],
            "employment_type": data["employment_type"],
            "manager": self.managers.get(data["manager"]) if data["manager"] else None,
        }


def _managers(user):
    """Who may be named as a worker's manager: managers in post in the user's teams."""
    return list(
        Worker.objects.filter(
            team__in=managed_teams(user), role__in=["ATM", "TM", "SM"], left_on__isnull=True
        ).order_by("last_name", "first_name")
    )


class StarterForm(TermsForm):
    first_name = forms.CharField(max_length=100, error_messages={"required": "Enter the first name"})
    last_name = forms.CharField(max_length=100, error_messages={"required": "Enter the last name"})
    start_origin = forms.ChoiceField(
        required=False,
        choices=lambda: [("", "Not recorded"), *code_choices("start_origin")],
        error_messages={"invalid_choice": "Select from the list"},
    )
    post = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, error_messages={"invalid_choice": "Select from the list"}
    )
    basis = forms.ChoiceField(
        required=False,
        choices=lambda: [("", "Not in a post"), *code_choices("post_filling_basis")],
        error_messages={"invalid_choice": "Select from the list"},
    )
    started_day, started_month, started_year = date_input_fields()

    def __init__(self, *args, vacant_posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.posts = {p.pk: p for p in vacant_posts}
        self.fields["post"].choices = [("", "No post")] + [(p.pk, f"{p} in {p.team}") for p in vacant_posts]

    def clean(self):
        data = super().clean()
        data["started_on"] = date_from(self, "started", "The day they start")
        if data.get("post") and not data.get("basis"):
            self.add_error("basis", "Select how they fill the post")
        return data


@access_rule(ROLES, roles=ROLES_OF)
def starter(request):
    """Record a starter in a team (?team=): their terms, and the vacant post they fill, if any."""
    team = chosen_team(request)
    if team is None:
        return choose_team(request, then="workforce:starter", what="starter")
    today = timezone.localdate()
    vacant = [p.post for p in posts_on(today, teams=managed_teams(request.user)) if p.vacant]
    kwargs = {"teams": list(managed_teams(request.user)), "managers": _managers(request.user), "vacant_posts": vacant}
    form = StarterForm(initial={"team": team.pk, "fte": "1"}, **kwargs)
    if request.method == "POST":
        form = StarterForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                worker = services.starter_record(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    started_on=data["started_on"],
                    start_origin=data["start_origin"],
                    post=form.posts.get(data["post"]) if data["post"] else None,
                    basis=data["basis"],
                    by=request.user,
                    **form.terms(),
                )
            except ValidationError as error:
                show_refusal(form, error, {"started_on": "started_day"})
            else:
                messages.success(request, f"{worker} recorded as starting on {long_date(worker.started_on)}.")
                return redirect(_worker_url(worker))
    context = {"team": team, "form": form, "errors": error_links(form), **_choices(form), "today": today}
    context["origins"] = [("", "Not recorded"), *code_choices("start_origin")]
    context["posts"] = form.fields["post"].choices
    context["bases"] = [("", "Not in a post"), *code_choices("post_filling_basis")]
    return render_page(request, "workforce/starter.html", context)


def _choices(form: TermsForm) -> dict:
    return {
        "roles": [("", "Choose a role"), *code_choices("worker_role")],
        "teams": form.fields["team"].choices,
        "contracts": code_choices("employment_type"),
        "managers": form.fields["manager"].choices,
    }


@access_rule(ROLES, roles=ROLES_OF)
def worker(request):
    """A worker's terms today and their history, their post, registration and ASYE."""
    chosen = chosen_worker(request)
    if chosen is None:
        return _choose_worker(request, "worker")
    today = timezone.localdate()
    context = {
        "worker": chosen,
        "history": list(chosen.terms.select_related("team", "manager").order_by("-started_on")),
        "fillings": list(chosen.post_fillings.select_related("post").order_by("-started_on")),
        "registration": Registration.objects.filter(worker=chosen).first(),
        "asye": Asye.objects.filter(worker=chosen).first(),
        "role_label": role_label,
        "today": today,
        "label": label,
    }
    return render_page(request, "workforce/worker.html", context)


class ChangeForm(TermsForm):
    effective_day, effective_month, effective_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["effective_on"] = date_from(self, "effective", "The day the change takes effect")
        return data


@access_rule(ROLES, roles=ROLES_OF)
def terms(request):
    """Record a change of a worker's terms (?worker=) from a day, today or earlier."""
    chosen = chosen_worker(request)
    if chosen is None:
        return _choose_worker(request, "change of terms")
    kwargs = {"teams": list(managed_teams(request.user)), "managers": _managers(request.user)}
    initial = {
        "role": chosen.role,
        "team": chosen.team_id,
        "fte": chosen.fte,
        "employment_type": chosen.employment_type,
        "manager": chosen.manager_id,
    }
    form = ChangeForm(initial=initial, **kwargs)
    if request.method == "POST":
        form = ChangeForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.terms_change(
                    worker=chosen, effective_on=form.cleaned_data["effective_on"], by=request.user, **form.terms()
                )
            except ValidationError as error:
                show_refusal(form, error, {"effective_on": "effective_day"})
            else:
                messages.success(
                    request, f"{chosen}’s new terms recorded from {long_date(form.cleaned_data['effective_on'])}."
                )
                return redirect(_worker_url(chosen))
    context = {
        "worker": chosen,
        "form": form,
        "errors": error_links(form),
        **_choices(form),
        "today": timezone.localdate(),
    }
    return render_page(request, "workforce/terms.html", context)


class LeaverForm(forms.Form):
    left_day, left_month, left_year = date_input_fields()
    reason = forms.ChoiceField(
        choices=lambda: code_choices("leaving_reason"),
        error_messages={"required": "Select the reason for leaving", "invalid_choice": "Select from the list"},
    )

    def clean(self):
        data = super().clean()
        data["left_on"] = date_from(self, "left", "The leaving day")
        return data


@access_rule(ROLES, roles=ROLES_OF)
def leaver(request):
    """Record that a worker (?worker=) leaves, and why: the form, check your answers, record it."""
    chosen = chosen_worker(request)
    if chosen is None:
        return _choose_worker(request, "leaver")
    form, template = LeaverForm(), "workforce/leaver.html"
    if request.method == "POST" and chosen.left_on is None:
        form = LeaverForm(request.POST)
        step = request.POST.get("step")
        if step == CHANGE:
            pass  # back to the form, as answered
        elif form.is_valid() and step == CHECKED:
            try:
                services.leaver_record(
                    worker=chosen,
                    left_on=form.cleaned_data["left_on"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                show_refusal(form, error, {"left_on": "left_day"})
            else:
                messages.success(request, f"{chosen} recorded as leaving on {long_date(form.cleaned_data['left_on'])}.")
                return redirect(_worker_url(chosen))
        elif form.is_valid():
            template = "workforce/leaver_check.html"
    answers = []
    if template.endswith("_check.html"):
        answers = [
            ("Leaving day", long_date(form.cleaned_data["left_on"])),
            ("Reason for leaving", label("leaving_reason", form.cleaned_data["reason"])),
        ]
    context = {
        "worker": chosen,
        "form": form,
        "errors": error_links(form),
        "reasons": [("", "Choose a reason"), *code_choices("leaving_reason")],
        "answers": answers,
        "today": timezone.localdate(),
    }
    return render_page(request, template, context)


class RegistrationForm(forms.Form):
    swe_number = forms.CharField(max_length=20, error_messages={"required": "Enter the Social Work England number"})
    renewal_day, renewal_month, renewal_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["renewal_due_on"] = date_from(self, "renewal", "The renewal date")
        return data


class AsyeForm(forms.Form):
    asye_day, asye_month, asye_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["on"] = date_from(self, "asye", "The date")
        return data


@access_rule(ROLES, roles=ROLES_OF)
def registration(request):
    """A registered worker's (?worker=) Social Work England number and renewal date, and their ASYE."""
    chosen = chosen_worker(request)
    if chosen is None:
        return _choose_worker(request, "registration")
    current = Registration.objects.filter(worker=chosen).first()
    asye = Asye.objects.filter(worker=chosen).first()
    initial = {"swe_number": current.swe_number} if current else {}
    form, asye_form = RegistrationForm(initial=initial), AsyeForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "asye":
                asye_form = AsyeForm(request.POST)
                if asye_form.is_valid():
                    day = asye_form.cleaned_data["on"]
                    if asye is None:
                        services.asye_start(worker=chosen, started_on=day, by=request.user)
                        notice = f"{chosen}’s ASYE recorded as starting on {long_date(day)}."
                    else:
                        services.asye_complete(worker=chosen, completed_on=day, by=request.user)
                        notice = f"{chosen}’s ASYE recorded as completed on {long_date(day)}."
                    messages.success(request, notice)
                    return redirect(_worker_url(chosen))
            else:
                form = RegistrationForm(request.POST)
                if form.is_valid():
                    data = form.cleaned_data
                    services.registration_record(
                        worker=chosen,
                        swe_number=data["swe_number"],
                        renewal_due_on=data["renewal_due_on"],
                        by=request.user,
                    )
                    messages.success(request, f"{chosen}’s Social Work England registration recorded.")
                    return redirect(_worker_url(chosen))
        except ValidationError as error:
            if action == "asye":
                show_refusal(asye_form, error, {"started_on": "asye_day", "completed_on": "asye_day"})
            else:
                show_refusal(form, error, {"renewal_due_on": "renewal_day"})
    context = {
        "worker": chosen,
        "registration": current,
        "asye": asye,
        "form": form,
        "asye_form": asye_form,
        "errors": error_links(form) + error_links(asye_form),
        "today": timezone.localdate(),
    }
    return render_page(request, "workforce/registration.html", context)
