"""Opening one child's record: the one way a page about a single child loads it (issue 12).

    @access_rule(CHILD, roles=...)
    @opens_child_record
    def page(request, pk: int, *, opening: ChildOpening): ...

For every request to such a page (GET or POST), the decorator
- loads the child through the access scope (`child_access`). Out of scope (or no such child), the
  attempt is written to the audit log (`record_not_found`: who, which record number, which page)
  and the answer is the same plain 404 as ever. Those entries are rate limited per user
  (GRIP_RATE_LIMITS["record_not_found"]), so asking for thousands of numbers cannot fill the log
  or make each 404 slow; past the limit the attempts are still in the security log
  (grip.core.security_log: child_not_found);
- asks for a reason when the record is restricted and opened under an exception, every time:
  the reason page, which shows nothing of the record, posts the reason back to the same address and
  the page then opens as a visit (GET) would. The page's own forms carry the reason on (a hidden
  field, `{{ opening_fields() }}` in the template), so their POSTs are openings with a reason too;
  a blank or too-short reason gets a GOV.UK error and shows nothing;
- writes the audit entry of the opening (`viewed`; `restricted_opened` with the reason) once the
  page has been built, so a page that lists earlier openings (who has viewed this record) lists the
  others, and a page whose entry cannot be written is never sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from grip.access.scope import NOT_FOUND, child_access
from grip.audit import services as audit
from grip.core.ratelimits import seconds_until_allowed
from grip.people.models import Person

REASON_FIELD = "access_reason"
STEP_FIELD = "access_step"  # "reason" on the reason page's form: that POST is an opening, not the page's own form
MINIMUM_REASON_LENGTH = 10
MAXIMUM_REASON_LENGTH = 300
LARGEST_RECORD_NUMBER = 2**63 - 1  # beyond a database's integer: no record has it


@dataclass(frozen=True)
class ChildOpening:
    child: Person
    restricted: bool
    reason: str  # given under an exception; "" otherwise

    def form_fields(self) -> SafeString:
        """The hidden field that carries the reason on in the page's own forms (nothing if none)."""
        if not self.reason:
            return mark_safe("")  # noqa: S308 - an empty string
        return format_html('<input type="hidden" name="{}" value="{}">', REASON_FIELD, self.reason)


def opens_child_record(view: Callable) -> Callable:
    """Wrap a page about one child (`pk` in its URL): see the module docstring."""

    @wraps(view)
    def opened(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        return _open(request, pk, lambda opening: view(request, pk, *args, opening=opening, **kwargs))

    opened.opens_child_record = True
    return opened


def opens_child_record_of(child_of: Callable[[HttpRequest, int], int | None]) -> Callable:
    """Wrap a page about another record that shows its child's record (a contact matched to a
    child): `child_of(request, pk)` is that child's record number, or None when there is none yet
    (the page then opens nothing and gets `opening=None`). The child is opened as on the child's own
    pages: out of scope is a 404, a restricted record under an exception asks for the reason."""

    def wrap(view: Callable) -> Callable:
        @wraps(view)
        def opened(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
            child_pk = child_of(request, pk)
            if child_pk is None:
                return view(request, pk, *args, opening=None, **kwargs)
            return _open(request, child_pk, lambda opening: view(request, pk, *args, opening=opening, **kwargs))

        opened.opens_child_record = True
        return opened

    return wrap


def _open(request: HttpRequest, pk: int, page: Callable[[ChildOpening], HttpResponse]) -> HttpResponse:
    try:
        access = child_access(request.user, pk)
    except Http404:
        record_not_found(request, pk)
        raise Http404(NOT_FOUND) from None
    reason = ""
    if access.needs_reason:
        given = request.POST.get(REASON_FIELD) if request.method == "POST" else None
        reason = (given or "").strip()
        if not MINIMUM_REASON_LENGTH <= len(reason) <= MAXIMUM_REASON_LENGTH:
            return _ask_for_reason(request, reason, error=given is not None)
        if request.POST.get(STEP_FIELD) == "reason":
            request.method = "GET"  # the reason page's answer opens the page as a visit would
    opening = ChildOpening(child=access.child, restricted=access.restricted, reason=reason)
    request.child_opening = opening
    response = page(opening)
    with transaction.atomic():
        audit.record_view(user=request.user, child=access.child, request=request, reason=reason)
    return response


def _ask_for_reason(request: HttpRequest, reason: str, *, error: bool) -> HttpResponse:
    if len(reason) > MAXIMUM_REASON_LENGTH:
        message = f"Say why you need to open this record in {MAXIMUM_REASON_LENGTH} characters or fewer"
    else:
        message = f"Say why you need to open this record, in at least {MINIMUM_REASON_LENGTH} characters"
    context = {
        "reason": reason,
        "error": message if error else "",
        "field": REASON_FIELD,
        "step_field": STEP_FIELD,
        "maximum": MAXIMUM_REASON_LENGTH,
    }
    return render(request, "restricted_reason.html", context, status=403 if error else 200)


def opening_fields(request: HttpRequest) -> SafeString:
    """For templates: the hidden fields a form on a single child's page carries (the reason, if any)."""
    opening = getattr(request, "child_opening", None)
    return opening.form_fields() if opening is not None else mark_safe("")  # noqa: S308 - an empty string


def record_not_found(request: HttpRequest, number: int) -> None:
    """Audit a page asking for a child's record the user may not open (or that does not exist); the
    answer stays a plain 404 either way. The entry is filed under the child when one has the number,
    so the log's search by child finds who tried to open it."""
    child = Person.objects.filter(pk=number).first() if 0 < number <= LARGEST_RECORD_NUMBER else None
    payload = {"record_number": str(number), "path": request.path}
    not_found_audit(request, verb="record_not_found", by=f"user:{request.user.pk}", child=child, payload=payload)


def not_found_audit(request: HttpRequest, *, verb: str, by: str, payload: dict, child: Person | None = None) -> bool:
    """Write a failed attempt to open a record to the audit log, unless `by` (who asked: a user, an
    API key) has passed GRIP_RATE_LIMITS["record_not_found"] this window; say whether it was written.
    The limit keeps a loop of bad numbers from filling the log or queueing on its lock."""
    if seconds_until_allowed(request, name="record_not_found", key=by) is not None:
        request.grip_not_found_audited = False
        return False
    with transaction.atomic():
        audit.record(actor=request.user, verb=verb, child=child, payload=payload, request=request)
    request.grip_not_found_audited = True
    return True
