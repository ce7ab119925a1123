"""The workforce census return page: the performance officer (or the director) downloads the
Children's social work workforce census return of a collection year whose census day has passed,
streamed as XML; each download is in the audit log with the workers it names."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone

from grip.access.capabilities import DOWNLOAD_THE_WORKFORCE_CENSUS
from grip.access.decorators import ROLES, access_rule
from grip.web.toolkit.pages import render_page
from grip.workforce.census import census_rules
from grip.workforce.census_return import CensusReturnError, build_return, chunks, record_return

YEARS_OFFERED = 3  # the latest collection years offered for download


def offered_years(today) -> list[int]:
    """The collection years whose census day has passed, latest first."""
    rules = census_rules()
    latest = today.year if rules.census_date(today.year) <= today else today.year - 1
    return list(range(latest, latest - YEARS_OFFERED, -1))


@access_rule(ROLES, roles=DOWNLOAD_THE_WORKFORCE_CENSUS.roles)
def census_return(request):
    today = timezone.localdate()
    years = offered_years(today)
    raw = (request.GET.get("year") or "").strip()
    context = {"years": [(y, census_rules().census_date(y)) for y in years], "errors": []}
    if not raw:
        return render_page(request, "workforce/census_return.html", context)
    if not (raw.isascii() and raw.isdigit()) or int(raw) not in years:
        raise Http404("No census return for that year.")
    year = int(raw)
    try:
        result = build_return(year, la_code=str(settings.GRIP_AUTHORITY_LA_CODE))
    except CensusReturnError as error:
        context["errors"] = [{"text": str(error), "href": "#years"}]
        return render_page(request, "workforce/census_return.html", context, status=422)
    name = f"csww-{year}.xml"
    with transaction.atomic():
        record_return(result, file=name, actor=request.user, request=request)
    response = StreamingHttpResponse(chunks(result), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
