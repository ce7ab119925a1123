"""The audit log's pages: the administrators' audit log search, "who has viewed this child" for
managers, and the subject access request export for directors and quality assurance leads. The log
itself is grip.audit, below access; its pages are here because who may read it is access policy.

Anyone without the role gets "not found", the same as for a record outside their scope, so the
pages do not reveal that they exist; a child is loaded only through the access scope.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from grip.access.audit_forms import AuditLogSearchForm
from grip.access.capabilities import (
    ANSWER_A_SUBJECT_ACCESS_REQUEST,
    SEARCH_THE_AUDIT_LOG,
    SEE_WHO_VIEWED_A_RECORD,
)
from grip.access.decorators import CHILD, ROLES, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.audit.selectors import search_audit_log, viewers_of
from grip.audit.services import record, record_export
from grip.audit.subject_access import build_export
from grip.audit.verbs import VERBS
from grip.web.toolkit.pagination import previous_next_links


@access_rule(ROLES, roles=SEARCH_THE_AUDIT_LOG.roles)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditLogSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        filters = form.filters()
        results = search_audit_log(**filters)
        # Reading the log shows who saw which child, so reading it is audited too.
        shown = {k: v for k, v in filters.items() if v}
        record(actor=request.user, verb="searched", payload={"audit_log": shown}, request=request)
    elif not form.is_bound:
        results = search_audit_log()
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    context = {
        "form": form,
        "results": results,
        "verb_labels": VERBS,
        "pagination": previous_next_links(
            number=results.page, has_previous=results.has_previous, has_next=results.has_next, query=query
        )
        if results
        else None,
        "localtime": timezone.localtime,
    }
    return render(request, "audit/audit_log.html", context)


@access_rule(CHILD, roles=SEE_WHO_VIEWED_A_RECORD.roles)
@opens_child_record
def child_viewers(request: HttpRequest, pk: int, *, opening: ChildOpening) -> HttpResponse:
    child = opening.child
    viewings = viewers_of(child=child)  # read before this visit is recorded (after the page), so it lists the others
    context = {"child": child, "viewings": viewings}
    return render(request, "audit/child_viewers.html", context)


@access_rule(CHILD, roles=ANSWER_A_SUBJECT_ACCESS_REQUEST.roles)
@opens_child_record
@require_http_methods(["GET", "POST"])
def subject_access(request: HttpRequest, pk: int, *, opening: ChildOpening) -> HttpResponse:
    child = opening.child
    if request.method == "GET":
        return render(request, "audit/subject_access.html", {"child": child})
    with transaction.atomic():
        export = build_export(child=child)
        record_export(
            user=request.user,
            what="subject access request",
            child_ids=[child.pk],
            row_count=export.record_count,
            request=request,
        )
    return FileResponse(
        io.BytesIO(export.content), as_attachment=True, filename=export.filename, content_type="application/zip"
    )
