"""Caseload pages: my cases, a service's teams at a glance, one team's workers, one worker's cases.

The figures come from grip.caseloads.counting (configured in grip.caseloads.rules); these views
check the request, pick the teams the user may see (caseload_scope: anything else is "not found")
and render. A page that lists children shows only those the user may open (children_visible_to)
and writes the list shown to the audit log.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from grip.access.capabilities import SEE_CASELOADS
from grip.access.decorators import ROLES, SIGNED_IN, access_rule
from grip.access.scope import children_visible_to
from grip.audit import services as audit
from grip.caseloads.counting import (
    WorkerCaseload,
    caseload_scope,
    service_caseloads,
    team_caseloads,
    team_in_scope,
    worker_caseloads,
    worker_in_scope,
)
from grip.caseloads.rules import NEAR, NO_THRESHOLD, OVER, UNDER, caseload_rules
from grip.cases.selectors import STAGE_LABELS
from grip.core.codelists import codelist, label
from grip.workforce import services as workforce
from grip.workforce.models import ServiceArea, Worker
from grip.workforce.selectors import may_manage_team

STATUS_TAGS = {
    OVER: {"text": "Over", "classes": "govuk-tag--red"},
    NEAR: {"text": "Near", "classes": "govuk-tag--yellow"},
    UNDER: {"text": "Under", "classes": "govuk-tag--green"},
    NO_THRESHOLD: {"text": "No threshold", "classes": "govuk-tag--grey"},
}
NOT_FOUND = "No such team or worker, or not one whose caseloads you may see."
LARGEST_ID = 2**63 - 1  # the largest primary key the databases hold (a bigint)


def _page(request, template: str, context: dict, status: int = 200):
    context = {
        "status_tags": STATUS_TAGS,
        "stage_labels": STAGE_LABELS,
        "role_label": lambda code: label("worker_role", code),
        "number": _number,
        **context,
    }
    return render(request, template, context, status=status)


def _number(value, places: int = 1) -> str:
    return "" if value is None else f"{value:,.{places}f}"


def _id_param(request, name: str) -> int | None:
    """A record number from the query string; absent is None, anything but a number is not found."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) > LARGEST_ID:
        raise Http404(NOT_FOUND)
    return int(raw)


def _day(request) -> date | None:
    """The day asked for (?on=YYYY-MM-DD, default today); None if it is not a real past day."""
    today = timezone.localdate()
    raw = request.GET.get("on", "").strip()
    if not raw:
        return today
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return day if day <= today else None


def _bad_day(request):
    message = "Enter a real date, today or earlier, as YYYY-MM-DD (for example the census day, 30 September)."
    return _page(request, "caseloads/bad_request.html", {"message": message}, status=400)


def _children_shown(request, worker: Worker, caseload: WorkerCaseload, on: date) -> tuple[list, int]:
    """The worker's cases whose child the user may open, each with the child, and how many are
    not shown. Writes the children shown to the audit log."""
    ids = [case.child_id for case in caseload.cases]
    visible = children_visible_to(request.user).filter(pk__in=ids).only("pk", "first_name", "last_name", "la_child_id")
    children = {child.pk: child for child in visible}
    rows = [(case, children[case.child_id]) for case in caseload.cases if case.child_id in children]
    if rows:
        shown = [child.pk for _case, child in rows]
        # The same keys as a search result (audit.services.record_search): a list of children shown.
        payload = {"worker": worker.pk, "on": on.isoformat(), "result_child_ids": shown, "result_count": len(shown)}
        with transaction.atomic():
            audit.record(actor=request.user, verb="caseload_viewed", target=worker, payload=payload, request=request)
    return rows, len(ids) - len(rows)


@access_rule(SIGNED_IN)
def mine(request):
    worker = getattr(request.user, "worker", None)
    if worker is None:
        return _page(request, "caseloads/no_worker.html", {})
    on = timezone.localdate()
    caseload = worker_caseloads(workers=[worker], on=on)[0]
    rows, hidden = _children_shown(request, worker, caseload, on)
    context = {"worker": worker, "caseload": caseload, "rows": rows, "hidden": hidden, "on": on}
    return _page(request, "caseloads/mine.html", context)


@access_rule(ROLES, roles=SEE_CASELOADS.roles)
def overview(request):
    scope = caseload_scope(request.user)
    service = _id_param(request, "service")
    areas = list(ServiceArea.objects.filter(teams__in=scope.teams).distinct().order_by("name"))
    if service is not None and service not in {area.pk for area in areas}:
        raise Http404(NOT_FOUND)
    on = _day(request)
    if on is None:
        return _bad_day(request)
    figures = service_caseloads(scope=scope, on=on, service_area=service)
    context = {
        "figures": figures,
        "areas": areas,
        "service": service,
        "on": on,
        "today": on == timezone.localdate(),
        "rules": caseload_rules(),
    }
    return _page(request, "caseloads/overview.html", context)


@access_rule(ROLES, roles=SEE_CASELOADS.roles)
def team(request):
    scope = caseload_scope(request.user)
    team_id = _id_param(request, "team")
    if team_id is None:
        own = getattr(request.user, "worker", None)
        chosen = team_in_scope(scope, own.team_id) if own is not None else None
        if chosen is None:
            return _page(request, "caseloads/choose_team.html", {"teams": list(scope.teams), "for_worker": False})
    else:
        chosen = team_in_scope(scope, team_id)
        if chosen is None:
            raise Http404(NOT_FOUND)
    on = _day(request)
    if on is None:
        return _bad_day(request)
    row = team_caseloads(teams=[chosen], on=on)[0]
    context = {"row": row, "on": on, "today": on == timezone.localdate(), "rules": caseload_rules()}
    return _page(request, "caseloads/team.html", context)


@access_rule(ROLES, roles=SEE_CASELOADS.roles)
def worker(request):
    scope = caseload_scope(request.user)
    worker_id = _id_param(request, "worker")
    if worker_id is None:
        return _page(request, "caseloads/choose_team.html", {"teams": list(scope.teams), "for_worker": True})
    chosen = worker_in_scope(scope, worker_id)
    if chosen is None:
        raise Http404(NOT_FOUND)
    on = timezone.localdate()
    manages = may_manage_team(request.user, chosen.team)
    errors: list[str] = []
    if request.method == "POST" and manages:
        try:
            notice = _record_away(request, chosen)
        except (ValidationError, PermissionDenied) as error:
            errors = list(getattr(error, "messages", [str(error)]))
        else:
            messages.success(request, notice)
            return redirect(f"{reverse('caseloads:worker')}?worker={chosen.pk}")
    caseload = worker_caseloads(workers=[chosen], on=on)[0]
    rows, hidden = _children_shown(request, chosen, caseload, on)
    context = {
        "worker": chosen,
        "caseload": caseload,
        "rows": rows,
        "hidden": hidden,
        "on": on,
        "manages": manages,
        "absence_types": list(codelist("absence_type").codes.items()),
        "errors": errors,
        "notices": list(messages.get_messages(request)),
    }
    return _page(request, "caseloads/worker.html", context, status=400 if errors else 200)


def _posted_day(request, prefix: str, *, required: bool) -> date | None:
    parts = [request.POST.get(f"{prefix}-{part}", "").strip() for part in ("day", "month", "year")]
    if not any(parts):
        if required:
            raise ValidationError("Enter the first day away." if prefix == "from" else "Enter the date.")
        return None
    try:
        day, month, year = (int(p) for p in parts)
        return date(year, month, day)
    except ValueError as error:
        raise ValidationError(f"Enter a real date, like 27 3 {timezone.localdate().year}.") from error


def _record_away(request, worker: Worker) -> str:
    """An absence, or a leaving date, recorded by the worker's manager through the workforce services."""
    action = request.POST.get("action", "")
    if action == "absence":
        started = _posted_day(request, "from", required=True)
        ended = _posted_day(request, "to", required=False)
        workforce.absence_record(
            actor=request.user,
            worker=worker,
            absence_type=request.POST.get("absence_type", ""),
            started_on=started,
            ended_on=ended,
        )
        return f"Absence recorded for {worker}. Their cases are on the reallocation list while they are away."
    if action == "leaving":
        workforce.worker_leaving_record(
            actor=request.user, worker=worker, left_on=_posted_day(request, "left", required=True)
        )
        return f"Leaving date recorded for {worker}. Their open cases are on the reallocation list from the day after."
    raise ValidationError("Choose what to record.")
