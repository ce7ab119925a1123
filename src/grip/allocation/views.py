"""Pages for who holds which case: the unallocated register (with CSV and Excel downloads), the
reallocation list, the reconciliation check, a team's queue, and a child's allocation page where a
manager allocates, reallocates, transfers, and accepts or declines a transfer."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from grip.access.capabilities import (
    ALLOCATE_A_CASE,
    CHECK_ALLOCATION_RECORDS,
    SEE_CASES_HELD_BY_ABSENT_WORKERS,
    SEE_THE_UNALLOCATED_REGISTER,
    SEND_A_CASE_TO_A_TEAM,
)
from grip.access.decorators import CHILD, ROLES, access_rule
from grip.access.family import family_visible_to
from grip.access.opening import ChildOpening, opens_child_record
from grip.access.scope import openable_among
from grip.allocation import exports, services
from grip.allocation.forms import AllocateForm, DeclineForm, EndForm, TransferForm
from grip.allocation.models import Allocation, Transfer
from grip.allocation.register import (
    DISAGREEMENT_TITLES,
    reallocation_list,
    reconciliation,
    rows_for,
    unallocated_register,
    with_details,
)
from grip.allocation.selectors import (
    current_lead_allocation,
    current_leads,
    open_cases,
    waiting_transfers,
    workers_away,
)
from grip.audit import services as audit
from grip.cases.selectors import OPEN_STAGES, STAGE_LABELS, child_stage
from grip.core.requests import whole_number
from grip.web.toolkit.actions import run_action
from grip.web.toolkit.pages import render_page
from grip.web.toolkit.pagination import page_links, page_of
from grip.workforce.models import ServiceArea, Team, Worker
from grip.workforce.selectors import teams_managed_by


def _filters(request) -> dict:
    stage = request.GET.get("stage", "")
    return {
        "service": whole_number(request, "service"),
        "team": whole_number(request, "team"),
        "stage": stage if stage in OPEN_STAGES else "",
    }


def _filter_choices(request) -> dict:
    return {
        "services": ServiceArea.objects.all(),
        "teams": Team.objects.select_related("service_area").all(),
        "stages": [(s, STAGE_LABELS[s]) for s in STAGE_LABELS if s in OPEN_STAGES],
    }


def _shown(request, verb: str, ids: list[int], filters: dict) -> None:
    with transaction.atomic():
        audit.record(
            actor=request.user,
            verb=verb,
            payload={"children": ids, "filters": {k: v for k, v in filters.items() if v}},
            request=request,
        )


PAGE_SIZE = 50  # rows of the register on a page; their details and what is overdue are read for those rows


@access_rule(ROLES, roles=SEE_THE_UNALLOCATED_REGISTER.roles)
def register(request):
    today = timezone.localdate()
    filters = _filters(request)
    visible = rows_for(request.user, unallocated_register(on=today, details=False), **filters)
    download = request.GET.get("download", "")
    if download in exports.FORMATS:
        with transaction.atomic():
            audit.record_export(
                user=request.user,
                what="unallocated register",
                child_ids=[r.child_id for r in visible.rows],
                row_count=len(visible.rows),
                request=request,
            )
        return exports.register_download(with_details(visible.rows, on=today), today=today, kind=download)
    page = page_of(visible.rows, number=whole_number(request, "page"), per_page=PAGE_SIZE)
    shown = with_details(page.object_list, on=today)
    _shown(request, "register_viewed", [r.child_id for r in shown], filters)
    by_stage = {s: sum(1 for r in visible.rows if r.stage == s) for s in STAGE_LABELS if s in OPEN_STAGES}
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "today": today,
        "total": len(visible.rows),
        "rows": shown,
        "page": page,
        "pagination": page_links(page, query.urlencode()),
        "hidden": visible.hidden_restricted,
        "by_stage": by_stage,
        "filters": filters,
        "query": query.urlencode(),
        "stage_labels": STAGE_LABELS,
        "managed": set(teams_managed_by(request.user).values_list("pk", flat=True)),
        "can_route": SEND_A_CASE_TO_A_TEAM.held_by(request.user),
        **_filter_choices(request),
    }
    return render(request, "allocation/register.html", context)


@access_rule(ROLES, roles=SEE_CASES_HELD_BY_ABSENT_WORKERS.roles)
def reallocations(request):
    today = timezone.localdate()
    filters = _filters(request)
    visible = rows_for(request.user, reallocation_list(on=today), **filters)
    _shown(request, "reallocation_list_viewed", [r.child.pk for r in visible.rows], filters)
    context = {
        "today": today,
        "rows": visible.rows,
        "hidden": visible.hidden_restricted,
        "filters": filters,
        **_filter_choices(request),
    }
    return render(request, "allocation/reallocations.html", context)


@access_rule(ROLES, roles=CHECK_ALLOCATION_RECORDS.roles)
def reconciliation_check(request):
    today = timezone.localdate()
    found = reconciliation(on=today)
    visible = openable_among(request.user, [d.child.pk for d in found]).visible
    shown = [d for d in found if d.child.pk in visible]
    _shown(request, "reconciliation_viewed", sorted({d.child.pk for d in shown}), {})
    groups = {kind: [d for d in shown if d.kind == kind] for kind in DISAGREEMENT_TITLES}
    context = {"today": today, "groups": groups, "titles": DISAGREEMENT_TITLES, "hidden": len(found) - len(shown)}
    return render(request, "allocation/reconciliation.html", context)


@access_rule(ROLES, roles=ALLOCATE_A_CASE.roles)
def team_queue(request):
    """A manager's queue: unallocated cases waiting in their teams, and transfers coming in."""
    today = timezone.localdate()
    teams = list(teams_managed_by(request.user))
    team_ids = {t.pk for t in teams}
    chosen = whole_number(request, "team")
    if chosen is not None:
        if chosen not in team_ids:
            raise Http404("Page not found")
        team_ids = {chosen}
    waiting = rows_for(request.user, unallocated_register(on=today, details=False)).rows
    rows = with_details([r for r in waiting if r.team and r.team.pk in team_ids], on=today)
    sent = list(waiting_transfers(to_teams=team_ids).select_related("child"))
    openable = openable_among(request.user, [t.child_id for t in sent]).visible
    incoming = [t for t in sent if t.child_id in openable]
    held = current_leads(on=today, children=[t.child_id for t in incoming])
    _shown(request, "team_queue_viewed", sorted({r.child_id for r in rows} | {t.child_id for t in incoming}), {})
    context = {
        "today": today,
        "teams": teams,
        "chosen": chosen,
        "rows": rows,
        "incoming": [(t, held.get(t.child_id)) for t in incoming],
        "incoming_hidden": len(sent) - len(incoming),
    }
    return render(request, "allocation/queue.html", context)


# ---------------------------------------------------------------------- one child's allocation


def _workers_to_offer(user, today: date) -> list[tuple[Worker, int]]:
    """In-post, present workers of the teams the user manages, with the number of cases each holds."""
    workers = [
        w for w in Worker.objects.filter(team__in=teams_managed_by(user)).select_related("team") if w.in_post_on(today)
    ]
    away = workers_away(on=today, workers=[w.pk for w in workers])
    held: dict[int, int] = {}
    for lead in current_leads(on=today).values():
        held[lead.worker_id] = held.get(lead.worker_id, 0) + 1
    return [(w, held.get(w.pk, 0)) for w in workers if w.pk not in away]


def _siblings_to_offer(user, child, today: date) -> list:
    """Brothers and sisters the user may open with an open case and nobody holding it."""
    shown = family_visible_to(user, child=child).shown
    family = [person for _relationship, person in shown if person.is_child_record]
    ids = [p.pk for p in family]
    if not ids:
        return []
    cases = open_cases(on=today, children=ids)
    held = current_leads(on=today, children=ids)
    return [p for p in family if p.pk in cases and p.pk not in held]


def _changed(child) -> ValidationError:
    return ValidationError(f"{child.full_name}'s case changed while you were looking. Check who holds it now.")


def _allocate(request, child, current, transfer):
    """Allocate, reallocate, or accept a transfer: each to a worker of the user's teams, with a note."""
    action = request.POST["action"]
    worker_ids = {w.pk for w, _n in _workers_to_offer(request.user, timezone.localdate())}
    form = AllocateForm(request.POST, worker_ids=worker_ids)
    if not form.is_valid():
        raise ValidationError(form.errors_as_messages())
    worker, note = (
        Worker.objects.select_related("team").get(pk=form.cleaned_data["worker"]),
        form.cleaned_data["note"],
    )
    if action == "accept":
        if transfer is None:
            raise ValidationError("No transfer of this case is waiting.")
        services.transfer_accept(actor=request.user, transfer=transfer, worker=worker, note=note)
        return f"Transfer accepted: {child.full_name} is allocated to {worker}."
    if action == "reallocate":
        if current is None or str(current.pk) != request.POST.get("current", ""):
            raise _changed(child)
        services.case_reallocate(actor=request.user, child=child, current=current, worker=worker, note=note)
        return f"{child.full_name} is reallocated to {worker}."
    siblings = [int(pk) for pk in request.POST.getlist("siblings") if pk.isdigit()]
    if siblings:
        allowed = {p.pk: p for p in _siblings_to_offer(request.user, child, timezone.localdate())}
        if any(pk not in allowed for pk in siblings):
            raise ValidationError("A brother or sister you chose is no longer waiting for a worker.")
        together = [child, *(allowed[pk] for pk in siblings)]
        services.siblings_allocate(actor=request.user, children=together, worker=worker, note=note)
        return f"{len(together)} children are allocated to {worker}."
    services.case_allocate(actor=request.user, child=child, worker=worker, note=note)
    return f"{child.full_name} is allocated to {worker}."


def _transfer(request, child, current, transfer):
    form = TransferForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors_as_messages())
    team = form.cleaned_data["to_team"]
    services.case_transfer(
        actor=request.user, child=child, to_team=team, handover_note=form.cleaned_data["handover_note"]
    )
    return f"{child.full_name}'s case is sent to {team}. It stays with its current worker until {team} accepts."


def _decline(request, child, current, transfer):
    form = DeclineForm(request.POST)
    if transfer is None:
        raise ValidationError("No transfer of this case is waiting.")
    if not form.is_valid():
        raise ValidationError(form.errors_as_messages())
    services.transfer_decline(actor=request.user, transfer=transfer, reason=form.cleaned_data["reason"])
    return f"Transfer declined. {child.full_name}'s case stays where it was."


def _end(request, child, current, transfer):
    form = EndForm(request.POST)
    if current is None or str(current.pk) != request.POST.get("current", ""):
        raise _changed(child)
    if not form.is_valid():
        raise ValidationError(form.errors_as_messages())
    services.allocation_end(actor=request.user, allocation=current, reason=form.cleaned_data["reason"])
    return f"The allocation of {child.full_name} to {current.worker} has ended."


# What a manager may do on a child's allocation page: each returns the notice, or raises the refusal.
ACTIONS = {
    "allocate": _allocate,
    "reallocate": _allocate,
    "accept": _allocate,
    "transfer": _transfer,
    "decline": _decline,
    "end": _end,
}


@access_rule(CHILD, roles=ALLOCATE_A_CASE.roles | SEND_A_CASE_TO_A_TEAM.roles)
@opens_child_record
def child_allocation(request, pk: int, *, opening: ChildOpening):
    child = opening.child
    today = timezone.localdate()
    current = current_lead_allocation(child=child, on=today)
    transfer = waiting_transfers(children=[child.pk]).first()
    errors: list[str] = []
    if request.method == "POST":
        try:
            notice = run_action(request, ACTIONS, child, current, transfer, unknown="Choose what to do with this case.")
        except (ValidationError, PermissionDenied) as error:
            errors = list(getattr(error, "messages", [str(error)]))
        else:
            messages.success(request, notice)
            return redirect("allocation:child", pk=child.pk)
    managed = teams_managed_by(request.user)
    context = {
        "child": child,
        "today": today,
        "stage": child_stage(child=child, on=today),
        "current": current,
        "transfer": transfer,
        "receiving": transfer is not None and managed.filter(pk=transfer.to_team_id).exists(),
        "workers": _workers_to_offer(request.user, today),
        "siblings": _siblings_to_offer(request.user, child, today) if current is None else [],
        "teams": Team.objects.exclude(pk=current.team_id) if current else Team.objects.all(),
        "history": Allocation.objects.filter(child=child)
        .select_related("worker", "team")
        .order_by("-started_on", "-pk"),
        "transfers": Transfer.objects.filter(child=child).select_related("from_team", "to_team", "requested_by"),
        "errors": errors,
        "post": request.POST if request.method == "POST" else {},
    }
    return render_page(request, "allocation/child.html", context)
