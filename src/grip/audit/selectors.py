"""Reads of the audit log for screens: who has viewed a child, and the administrators' search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from grip.people.models import Person

from .models import AuditEntry

# Verbs that mean someone opened the child's record (a restricted one with a reason, or not).
VIEW_VERBS = ("viewed", "restricted_opened")


@dataclass(frozen=True)
class Viewing:
    username: str
    full_name: str
    at: datetime
    reason: str
    verb: str


def viewers_of(*, child: Person, since: datetime | None = None, limit: int = 200) -> list[Viewing]:
    """Who opened this child's record, and when and why, newest first (uses the child+time index)."""
    entries = AuditEntry.objects.filter(child=child, verb__in=VIEW_VERBS)
    if since is not None:
        entries = entries.filter(at__gte=since)
    rows = entries.select_related("actor").order_by("-at", "-id")[:limit]
    return [
        Viewing(
            username=e.actor_label,
            full_name=e.actor.get_full_name() if e.actor else "",
            at=e.at,
            reason=str(e.payload.get("reason", "")) if isinstance(e.payload, dict) else "",
            verb=e.verb,
        )
        for e in rows
    ]


@dataclass(frozen=True)
class AuditLogPage:
    entries: list[AuditEntry]
    page: int
    page_size: int
    has_previous: bool
    has_next: bool


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_audit_log(
    *,
    actor_username: str | None = None,
    verb: str | None = None,
    child_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    page_size: int = 50,
) -> AuditLogPage:
    """One page of entries matching every filter given, newest first. Dates are whole local days,
    both included. There is no total: counting tens of millions of rows for a page number is
    slow, so the page says only whether there is another one."""
    entries = AuditEntry.objects.all()
    if actor_username:
        entries = entries.filter(actor_label=actor_username)
    if verb:
        entries = entries.filter(verb=verb)
    if child_id is not None:
        entries = entries.filter(child_id=child_id)
    if date_from is not None:
        entries = entries.filter(at__gte=_start_of(date_from))
    if date_to is not None:
        entries = entries.filter(at__lt=_start_of(date_to + timedelta(days=1)))
    page = max(page, 1)
    offset = (page - 1) * page_size
    rows = list(entries.order_by("-at", "-id")[offset : offset + page_size + 1])
    return AuditLogPage(
        entries=rows[:page_size],
        page=page,
        page_size=page_size,
        has_previous=page > 1,
        has_next=len(rows) > page_size,
    )
