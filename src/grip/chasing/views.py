"""Chase lists: a worker's, a team's, a service area's (escalated items) and the whole authority's
(performance team, with downloads). Thin: the lists are grip.chasing.lists's."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from grip.access.capabilities import CHASE_A_TEAM, CHASE_THE_WHOLE_AUTHORITY, SEE_ESCALATED_ITEMS
from grip.access.decorators import ROLES, SIGNED_IN, access_rule
from grip.access.roles import Role, has_role
from grip.audit import services as audit
from grip.chasing import lists as chase
from grip.chasing.record_links import record_links
from grip.core.downloads import FORMATS, table_download
from grip.core.requests import whole_number
from grip.timescales.engine import chased_rules, timescale_rules
from grip.workforce.models import ServiceArea, Team
from grip.workforce.selectors import teams_managed_by

COLUMNS = [
    "LA child ID",
    "Child",
    "Worker supervised",
    "What",
    "Due",
    "Status",
    "Days over",
    "Counted in",  # the rule's unit: working days for a working-day rule, calendar days otherwise
    "Held by",
    "Team",
]


def _visible(request, items: list[chase.ChaseItem]) -> tuple[list[chase.ChaseItem], int]:
    shown = chase.visible_to(request.user, items)
    return shown.items, shown.hidden


def _render(request, *, title: str, caption: str, items, hidden: int = 0, extra: dict | None = None):
    today = timezone.localdate()
    download = request.GET.get("download", "")
    if download in FORMATS:
        with transaction.atomic():
            audit.record_export(
                user=request.user,
                what=f"chase list: {title}",
                child_ids=[i.child.pk for i in items if i.child is not None],
                row_count=len(items),
                request=request,
            )
        return table_download(name=f"chase-list-{today:%Y-%m-%d}", columns=COLUMNS, rows=_values(items), kind=download)
    with transaction.atomic():
        audit.record(
            actor=request.user,
            verb="chase_list_viewed",
            payload={"list": title, "children": sorted({i.child.pk for i in items if i.child is not None})},
            request=request,
        )
    context = {
        "record_links": record_links(request.user, items[:1000]),
        "title": title,
        "caption": caption,
        "today": today,
        "items": items,
        "overdue": sum(1 for i in items if i.obligation.status == "overdue" and not i.is_record_error),
        "record_errors": sum(1 for i in items if i.is_record_error),
        "due_soon": sum(1 for i in items if i.obligation.status == "due_soon"),
        "hidden": hidden,
        "escalate_after": chase.chasing().escalate_after_days,
        "query": request.GET.urlencode(),
        "downloads": True,
        **(extra or {}),
    }
    return render(request, "chase/list.html", context)


@access_rule(SIGNED_IN)
def mine(request):
    worker = getattr(request.user, "worker", None)
    if worker is None:
        return render(request, "chase/no_worker.html", {})
    items, hidden = _visible(request, chase.for_worker(worker=worker, on=timezone.localdate()))
    return _render(request, title="My overdue and due this week", caption=str(worker), items=items, hidden=hidden)


@access_rule(ROLES, roles=CHASE_A_TEAM.roles)
def team(request):
    managed = list(teams_managed_by(request.user))
    chosen = whole_number(request, "team")
    own = getattr(getattr(request.user, "worker", None), "team_id", None)
    pick = next((t for t in managed if t.pk == (chosen or own)), None) or (
        managed[0] if managed and chosen is None else None
    )
    if pick is None:
        if chosen is not None or managed:
            raise Http404("Page not found")
        return render(request, "chase/no_worker.html", {})
    items, hidden = _visible(request, chase.for_teams(teams=[pick.pk], on=timezone.localdate()))
    extra = {"teams": managed, "chosen_team": pick}
    return _render(
        request, title=f"{pick.name}: overdue and due soon", caption="Team", items=items, hidden=hidden, extra=extra
    )


@access_rule(ROLES, roles=SEE_ESCALATED_ITEMS.roles)
def service(request):
    """Escalated items: overdue by more than the escalation point, across the service area's teams."""
    worker = getattr(request.user, "worker", None)
    areas = ServiceArea.objects.all()
    if not has_role(request.user, Role.DIRECTOR):
        if worker is None:
            return render(request, "chase/no_worker.html", {})
        areas = areas.filter(pk=worker.team.service_area_id)
    chosen = whole_number(request, "service")
    area = areas.filter(pk=chosen).first() if chosen is not None else areas.first()
    if area is None:
        raise Http404("Page not found")
    teams = list(Team.objects.filter(service_area=area).values_list("pk", flat=True))
    found = chase.for_teams(teams=teams, on=timezone.localdate(), escalated_only=True)
    items, hidden = _visible(request, found)
    extra = {"areas": areas, "chosen_area": area, "escalated_list": True}
    return _render(
        request, title=f"{area.name}: escalated", caption="Service area", items=items, hidden=hidden, extra=extra
    )


@access_rule(ROLES, roles=CHASE_THE_WHOLE_AUTHORITY.roles)
def authority(request):
    today = timezone.localdate()
    items, hidden = _visible(request, chase.for_authority(on=today))
    rule = request.GET.get("rule", "")
    status = request.GET.get("status", "")
    team_id = whole_number(request, "team")
    if rule:
        items = [i for i in items if i.obligation.rule == rule]
    if status in chase.CHASED_STATUSES:
        items = [i for i in items if i.obligation.status == status]
    if team_id is not None:
        items = [i for i in items if i.team is not None and i.team.pk == team_id]
    chased = set(chased_rules())
    rules = [(r.key, r.title) for r in timescale_rules().rules if r.key in chased]
    extra = {
        "rules": rules,
        "teams": Team.objects.all(),
        "filters": {"rule": rule, "status": status, "team": team_id},
    }
    return _render(
        request, title="Overdue and due soon", caption="Whole authority", items=items, hidden=hidden, extra=extra
    )


def _values(items) -> list[list]:
    return [
        [
            i.child.la_child_id if i.child else "",
            i.child.full_name if i.child else "",
            str(i.holder) if i.child is None and i.holder else "",
            i.obligation.title,
            i.obligation.due,
            "Record error" if i.is_record_error else "Overdue" if i.obligation.status == "overdue" else "Due soon",
            i.obligation.days_over,
            i.obligation.days_over_unit.replace("_", " "),
            str(i.holder or "") if i.child is not None else "",
            i.team.name if i.team else "",
        ]
        for i in items
    ]
