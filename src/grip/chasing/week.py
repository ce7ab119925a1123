"""My week: a worker's chase list for this week, Monday to Sunday, grouped by the day each item is
due, with what is already overdue first, and the "Record it" button beside each item.

It is the worker's chase list (grip.chasing.lists.for_worker), not a second reckoning: the items
are the chase list's own, with its statuses and due dates, and My week keeps those due by Sunday.
An item due this week is always on the chase list, since "due soon" reaches 5 working days ahead
(reference/timescales/rules.toml, due_soon_working_days) and Sunday is at most 4 working days
after Monday. A manager may open the week of a worker in a team they are in charge of
(`?worker=`); for anyone else that worker's week does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from grip.access.capabilities import HOLD_CASES
from grip.access.decorators import ROLES, access_rule
from grip.audit import services as audit
from grip.chasing import lists as chase
from grip.chasing.record_links import record_links
from grip.core.requests import whole_number
from grip.workforce.models import Worker
from grip.workforce.selectors import may_manage_team, teams_managed_by

DAYS_IN_A_WEEK = 7


@dataclass(frozen=True)
class Day:
    day: date
    items: list[chase.ChaseItem]


@dataclass(frozen=True)
class Week:
    monday: date
    sunday: date
    overdue: list[chase.ChaseItem]
    days: list[Day]

    @property
    def items(self) -> list[chase.ChaseItem]:
        return [*self.overdue, *(i for d in self.days for i in d.items)]


def week_of(items: list[chase.ChaseItem], *, on: date) -> Week:
    """The chase list's `items` that are overdue, or due from `on` to the Sunday of its week, by day."""
    monday = on - timedelta(days=on.weekday())
    sunday = monday + timedelta(days=DAYS_IN_A_WEEK - 1)
    overdue = [i for i in items if i.obligation.status == "overdue"]
    coming = [i for i in items if i.obligation.status != "overdue" and i.obligation.due <= sunday]
    days = [monday + timedelta(days=n) for n in range(DAYS_IN_A_WEEK)]
    return Week(monday, sunday, overdue, [Day(d, [i for i in coming if i.obligation.due == d]) for d in days])


def _worker_to_show(request) -> Worker | None:
    """The user's own worker, or the worker asked for if the user manages their team (else 404)."""
    own = getattr(request.user, "worker", None)
    chosen = whole_number(request, "worker")
    if chosen is None or (own is not None and chosen == own.pk):
        return own
    worker = Worker.objects.select_related("team").filter(pk=chosen).first()
    if worker is None or not may_manage_team(request.user, worker.team):
        raise Http404("Page not found")
    return worker


@access_rule(ROLES, roles=HOLD_CASES.roles)
def my_week(request):
    """A worker's visits, meetings and reviews due this week across their cases, and what is overdue."""
    worker = _worker_to_show(request)
    if worker is None:
        return render(request, "chase/no_worker.html", {})
    today = timezone.localdate()
    shown = chase.visible_to(request.user, chase.for_worker(worker=worker, on=today))
    week = week_of(shown.items, on=today)
    items = week.items
    with transaction.atomic():
        audit.record(
            actor=request.user,
            verb="chase_list_viewed",
            payload={
                "list": f"My week: {worker}",
                "worker": worker.pk,
                "children": sorted({i.child.pk for i in items if i.child is not None}),
            },
            request=request,
        )
    own = getattr(request.user, "worker", None)
    team_workers = Worker.objects.filter(team__in=teams_managed_by(request.user), left_on__isnull=True).order_by(
        "last_name", "first_name"
    )
    context = {
        "worker": worker,
        "own": own is not None and own.pk == worker.pk,
        "week": week,
        "today": today,
        "hidden": shown.hidden,
        "record_links": record_links(request.user, items),
        "team_workers": list(team_workers.select_related("team")),
    }
    return render(request, "chase/week.html", context)
