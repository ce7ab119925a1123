"""The workforce page (the census measures for the authority, each service area and team as at a
day, the trend over 24 month-ends, the published figures beside them) and the list of the people
or posts behind any one figure."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils import timezone

from grip.access.capabilities import MANAGE_THE_ESTABLISHMENT, SEE_THE_WORKFORCE
from grip.access.decorators import ROLES, access_rule
from grip.audit import services as audit
from grip.web.toolkit.pages import render_page
from grip.workforce.benchmarks import COMPARABLE, workforce_benchmarks
from grip.workforce.models import Team
from grip.workforce.overview import SHOWN, census_of, chosen_unit, page_figures, units_for

from .common import NOT_FOUND, id_param

ROLES_OF = SEE_THE_WORKFORCE.roles
DATE_ERROR = "Enter a real date, not in the future, like 31 3 2026"


def _day(request) -> tuple[date, list[dict]]:
    """The day asked for (?on_day, on_month, on_year or ?on=YYYY-MM-DD), else today."""
    today = timezone.localdate()
    raw = request.GET.get("on")
    parts = [request.GET.get(f"on_{p}", "").strip() for p in ("day", "month", "year")]
    try:
        if raw:
            day = date.fromisoformat(raw)
        elif any(parts):
            day = date(int(parts[2]), int(parts[1]), int(parts[0]))
        else:
            return today, []
    except ValueError:
        return today, [{"text": DATE_ERROR, "href": "#on-day"}]
    if day > today or day.year < 2000:
        return today, [{"text": DATE_ERROR, "href": "#on-day"}]
    return day, []


def _unit(request, units):
    for kind in ("team", "area"):
        pk = id_param(request, kind)
        if pk is not None:
            found = chosen_unit(units, kind, pk)
            if found is None:
                raise Http404(NOT_FOUND)
            return found
    found = chosen_unit(units, None, None)
    if found is None:
        raise Http404(NOT_FOUND)
    return found


@access_rule(ROLES, roles=ROLES_OF)
def overview(request):
    """The census measures as at the day chosen, for every unit in scope; the chosen unit's trend."""
    units = units_for(request.user)
    if not units:
        raise Http404(NOT_FOUND)
    chosen = _unit(request, units)
    day, errors = _day(request)
    shown = page_figures(units, chosen, day)
    benchmarks = workforce_benchmarks() if chosen.kind == "authority" else None
    context = {
        "day": day,
        "errors": errors,
        "units": units,
        "chosen": chosen,
        "shown": shown,
        "keys": SHOWN,
        "benchmarks": benchmarks,
        "comparable": COMPARABLE,
        "today": timezone.localdate(),
    }
    return render_page(request, "workforce/overview.html", context, status=200)


@access_rule(ROLES, roles=ROLES_OF)
def behind(request):
    """The workers or posts behind one figure (?measure=, ?on=, ?team= or ?area=), in scope; audited."""
    units = units_for(request.user)
    chosen = _unit(request, units)
    day, errors = _day(request)
    key = request.GET.get("measure") or "fte_in_post"  # unasked: the social workers in post
    if key not in SHOWN or errors:
        raise Http404("No such figure.")
    census = census_of(chosen, day)
    measure = census[key]
    teams = {t.pk: t.name for t in Team.objects.filter(pk__in=chosen.teams)}
    audit.record(
        actor=request.user,
        verb="workforce_list_viewed",
        payload={
            "measure": key,
            "on": day.isoformat(),
            "unit": chosen.query or "authority",
            "workers": measure.workers,
            "posts": measure.posts,
        },
        request=request,
    )
    context = {
        "day": day,
        "chosen": chosen,
        "measure": measure,
        "census": census,
        "teams": teams,
        "may_open_workers": MANAGE_THE_ESTABLISHMENT.held_by(request.user),
    }
    return render_page(request, "workforce/behind.html", context)
