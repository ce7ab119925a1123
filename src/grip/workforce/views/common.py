"""What the establishment pages share: choosing the team, post or worker from the query string
within the teams the user is in charge of (anything else is "not found"), and the form fields."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.http import Http404

from grip.core.codelists import label
from grip.web.toolkit.pages import render_page
from grip.workforce.models import Post, Team, Worker
from grip.workforce.selectors import teams_managed_by

NOT_FOUND = "No such team, post or worker, or not one you are in charge of."
LARGEST_ID = 2**63 - 1  # the largest primary key the databases hold (a bigint)
YES_NO = [("yes", "Yes"), ("no", "No")]


def id_param(request, name: str) -> int | None:
    """A record number from the query string; absent is None, anything but a number is not found."""
    raw = (request.GET.get(name) or request.POST.get(name) or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) > LARGEST_ID:
        raise Http404(NOT_FOUND)
    return int(raw)


def managed_teams(user):
    return teams_managed_by(user).order_by("service_area__name", "name")


def chosen_team(request) -> Team | None:
    """The team asked for (?team=), else the user's own if they are in charge of it, else None
    (the page then asks which team)."""
    teams = managed_teams(request.user)
    team_id = id_param(request, "team")
    if team_id is None:
        own = getattr(request.user, "worker", None)
        return teams.filter(pk=own.team_id).first() if own is not None else None
    team = teams.filter(pk=team_id).first()
    if team is None:
        raise Http404(NOT_FOUND)
    return team


def chosen_post(request) -> Post | None:
    post_id = id_param(request, "post")
    if post_id is None:
        return None
    post = Post.objects.select_related("team__service_area").filter(pk=post_id, team__in=managed_teams(request.user))
    found = post.first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def chosen_worker(request) -> Worker | None:
    worker_id = id_param(request, "worker")
    if worker_id is None:
        return None
    found = (
        Worker.objects.select_related("team__service_area", "manager")
        .filter(pk=worker_id, team__in=managed_teams(request.user))
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def choose_team(request, *, then: str, what: str):
    """The page that asks which team, for a page that needs one (`then`: its URL name)."""
    context = {"teams": list(managed_teams(request.user)), "then": then, "what": what}
    return render_page(request, "workforce/choose_team.html", context)


class FteField(forms.CharField):
    """An FTE typed as a decimal, more than 0 and at most 1."""

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            fte = Decimal(value.strip())
        except InvalidOperation:
            raise forms.ValidationError("Enter the FTE as a number, like 1 or 0.6") from None
        if not fte.is_finite() or not (0 < fte <= 1) or fte != fte.quantize(Decimal("0.01")):
            raise forms.ValidationError("FTE must be more than 0 and at most 1, to 2 decimal places, like 0.6")
        return fte.quantize(Decimal("0.01"))


def role_label(code: str) -> str:
    return f"{code}: {label('worker_role', code)}"
