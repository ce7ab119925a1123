"""A team's establishment page (its posts, who fills each and how, vacancies and agency cover),
and the forms to add or correct a post, end its funding, and fill or vacate it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from grip.access.capabilities import MANAGE_THE_ESTABLISHMENT
from grip.access.decorators import ROLES, access_rule
from grip.core.formatting import long_date
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page
from grip.workforce import services
from grip.workforce.history import team_establishment, workers_without_a_post

from .common import YES_NO, FteField, choose_team, chosen_post, chosen_team, role_label

ROLES_OF = MANAGE_THE_ESTABLISHMENT.roles


def _team_url(team) -> str:
    return f"{reverse('workforce:team')}?team={team.pk}"


@access_rule(ROLES, roles=ROLES_OF)
def team(request):
    """The team's posts today: who fills each and how, the vacant ones and since when."""
    chosen = chosen_team(request)
    if chosen is None:
        return choose_team(request, then="workforce:team", what="establishment")
    today = timezone.localdate()
    context = {
        "team": chosen,
        "establishment": team_establishment(chosen, today),
        "without_post": workers_without_a_post(chosen, today),
        "today": today,
        "role_label": role_label,
    }
    return render_page(request, "workforce/team.html", context)


class PostForm(forms.Form):
    role = forms.ChoiceField(
        choices=lambda: code_choices("worker_role"),
        error_messages={"required": "Select the post’s role", "invalid_choice": "Select from the list"},
    )
    fte = FteField(error_messages={"required": "Enter the post’s FTE"})
    case_holding = forms.ChoiceField(
        choices=YES_NO,
        error_messages={"required": "Select yes if the post holds cases", "invalid_choice": "Select yes or no"},
    )
    reference = forms.CharField(
        required=False, max_length=30, error_messages={"max_length": "Enter at most 30 characters"}
    )
    funded_day, funded_month, funded_year = date_input_fields()

    def __init__(self, *args, adding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.adding = adding

    def clean(self):
        data = super().clean()
        if self.adding:
            data["started_on"] = date_from(self, "funded", "The day the post is funded from")
        return data


class EndForm(forms.Form):
    ended_day, ended_month, ended_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["ended_on"] = date_from(self, "ended", "The first day the post is no longer funded")
        return data


REFUSAL_FIELDS = {"started_on": "funded_day", "ended_on": "ended_day"}


@access_rule(ROLES, roles=ROLES_OF)
def post(request):
    """Add a post to a team (?team=), or correct or end one (?post=)."""
    existing = chosen_post(request)
    chosen = existing.team if existing is not None else chosen_team(request)
    if chosen is None:
        return choose_team(request, then="workforce:post", what="post")
    initial = {}
    if existing is not None:
        initial = {"role": existing.role, "fte": existing.fte, "reference": existing.reference}
        initial["case_holding"] = "yes" if existing.case_holding else "no"
    form, end_form = PostForm(initial=initial, adding=existing is None), EndForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "end" and existing is not None:
                end_form = EndForm(request.POST)
                if end_form.is_valid():
                    try:
                        services.post_end(post=existing, ended_on=end_form.cleaned_data["ended_on"], by=request.user)
                    except ValidationError as error:
                        show_refusal(end_form, error, REFUSAL_FIELDS)
                    else:
                        messages.success(
                            request,
                            f"The post is no longer funded from {long_date(end_form.cleaned_data['ended_on'])}.",
                        )
                        return redirect(_team_url(chosen))
            else:
                form = PostForm(request.POST, adding=existing is None)
                if form.is_valid():
                    data = form.cleaned_data
                    fields = {
                        "role": data["role"],
                        "fte": data["fte"],
                        "case_holding": data["case_holding"] == "yes",
                        "reference": data["reference"],
                        "by": request.user,
                    }
                    try:
                        if existing is None:
                            services.post_add(team=chosen, started_on=data["started_on"], **fields)
                        else:
                            services.post_edit(post=existing, **fields)
                    except ValidationError as error:
                        show_refusal(form, error, REFUSAL_FIELDS)
                    else:
                        messages.success(request, "Post added." if existing is None else "Post corrected.")
                        return redirect(_team_url(chosen))
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
    context = {
        "team": chosen,
        "existing": existing,
        "form": form,
        "end_form": end_form,
        "errors": error_links(form) + error_links(end_form),
        "roles": [("", "Choose a role"), *code_choices("worker_role")],
        "yes_no": YES_NO,
        "today": timezone.localdate(),
    }
    return render_page(request, "workforce/post.html", context)


class FillForm(forms.Form):
    worker = forms.TypedChoiceField(
        coerce=int, error_messages={"required": "Select who fills the post", "invalid_choice": "Select from the list"}
    )
    basis = forms.ChoiceField(
        choices=lambda: code_choices("post_filling_basis"),
        error_messages={"required": "Select how the post is filled", "invalid_choice": "Select from the list"},
    )
    from_day, from_month, from_year = date_input_fields()

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", "Choose a worker"), *((w.pk, w.full_name) for w in workers)]
        self.by_pk = {w.pk: w for w in workers}

    def clean(self):
        data = super().clean()
        data["started_on"] = date_from(self, "from", "The day they start in the post")
        return data


class VacateForm(forms.Form):
    until_day, until_month, until_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["ended_on"] = date_from(self, "until", "The first day they no longer fill the post")
        return data


@access_rule(ROLES, roles=ROLES_OF)
def filling(request):
    """Fill a vacant post (?post=) with one of the team's workers who fills none, or record the
    post vacant from a day."""
    existing = chosen_post(request)
    if existing is None:
        return choose_team(request, then="workforce:team", what="post")
    today = timezone.localdate()
    now = next((p for p in team_establishment(existing.team, today).posts if p.post.pk == existing.pk), None)
    current = now.filling if now is not None else None
    workers = workers_without_a_post(existing.team, today)
    form = FillForm(workers=workers) if current is None else VacateForm()
    if request.method == "POST":
        form = FillForm(request.POST, workers=workers) if current is None else VacateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if current is None:
                    worker = form.by_pk[data["worker"]]
                    services.post_fill(
                        post=existing,
                        worker=worker,
                        basis=data["basis"],
                        started_on=data["started_on"],
                        by=request.user,
                    )
                    notice = f"{worker} fills the post from {long_date(data['started_on'])}."
                else:
                    services.post_vacate(post=existing, ended_on=data["ended_on"], by=request.user)
                    notice = f"The post is vacant from {long_date(data['ended_on'])}."
            except ValidationError as error:
                show_refusal(form, error, {"started_on": "from_day", "ended_on": "until_day"})
            except PermissionDenied as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, notice)
                return redirect(_team_url(existing.team))
    context = {
        "team": existing.team,
        "post": existing,
        "current": current,
        "form": form,
        "errors": error_links(form),
        "worker_choices": form.fields["worker"].choices if current is None else [],
        "bases": code_choices("post_filling_basis"),
        "today": today,
        "role_label": role_label,
    }
    return render_page(request, "workforce/filling.html", context)
