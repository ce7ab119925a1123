"""Records that run for a period, from a start day to an end day: which of them are open on a day.

Periods are half-open: a record is open from its start day, and no longer open on its end day. An
end left empty means it is still running. Every app that asks "open on this day" (the child's
stage, allocations, caseloads, the access scope) asks it here.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q


def open_on(started: str, ended: str, on: date) -> Q:
    """Started on or before `on` and not ended by it (periods are half-open: the end day is out)."""
    not_ended = Q(**{f"{ended}__isnull": True}) | Q(**{f"{ended}__gt": on})
    return Q(**{f"{started}__lte": on}) & not_ended


def open_on_parts(started: str, ended: str, on: date) -> tuple[Q, Q]:
    """`open_on` as two disjoint conditions, not yet ended and ending after `on`, for queries that
    read them as two branches of a UNION ALL: each branch is answered from a covering index alone,
    where the OR makes the database visit the table's rows as well."""
    return (
        Q(**{f"{started}__lte": on, f"{ended}__isnull": True}),
        Q(**{f"{started}__lte": on, f"{ended}__gt": on}),
    )
