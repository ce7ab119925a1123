"""Reads of a child's involvement for screens: the stage they are at, and search (their journey:
grip.cases.journey).

The stage is derived from the records every time it is asked for, never stored, so it can be
asked "as at" any past date and can never drift from the record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import DateTimeField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from grip.core.periods import open_on
from grip.people.models import Person

from .models import (
    CareLeaverEpisode,
    ChildProtectionPlan,
    CINEpisode,
    EarlyHelpEpisode,
    LookedAfterEpisode,
)

STAGE_LABELS: dict[str, str] = {
    "looked_after": "Looked after",
    "child_protection": "Child protection plan",
    "child_in_need": "Child in need",
    "care_leaver": "Care leaver",
    "early_help": "Early help",
    "contact": "Contact",
    "closed": "Closed",
    "no_involvement": "No involvement",
}
# Stages in which the child has an open case, which should have a lead worker.
OPEN_STAGES = frozenset({"looked_after", "child_protection", "child_in_need", "care_leaver", "early_help"})


def open_cin_episode(*, child: Person) -> CINEpisode | None:
    """The child's open CIN episode (there is at most one), or None."""
    return CINEpisode.objects.filter(child=child, closure_date__isnull=True).first()


# Each kind of involvement: the stage it puts a child in (in priority order), its model, the
# path from it to the child, and its start and end date fields.
INVOLVEMENT = [
    ("looked_after", LookedAfterEpisode, "child", "started_on", "ended_on"),
    ("child_protection", ChildProtectionPlan, "episode__child", "started_on", "ended_on"),
    ("child_in_need", CINEpisode, "child", "referral_date", "closure_date"),
    ("care_leaver", CareLeaverEpisode, "child", "started_on", "ended_on"),
    ("early_help", EarlyHelpEpisode, "child", "started_on", "ended_on"),
]


# Contacts belong to the front door (grip.frontdoor), which sits above cases: it tells cases how to
# find a child's last contact when Django starts (grip.frontdoor.apps), so a stage can be "contact".
LastContact = Callable[[datetime], Subquery]  # received before this moment, for OuterRef("pk")
_last_contact: LastContact | None = None


def register_last_contact(query: LastContact) -> None:
    global _last_contact
    _last_contact = query


def stage_annotations(on: date) -> dict[str, Any]:
    """Per child: is each kind of involvement open on `on`, when did the last one end by `on`,
    and when was the last contact received by the end of `on`."""
    annotations: dict[str, Any] = {}
    for stage, model, to_child, started, ended in INVOLVEMENT:
        rows = model.objects.filter(**{to_child: OuterRef("pk")})
        annotations[f"open_{stage}"] = Exists(rows.filter(open_on(started, ended, on)))
        last_end = rows.filter(**{f"{ended}__lte": on}).order_by(f"-{ended}").values(ended)[:1]
        annotations[f"last_end_{stage}"] = Subquery(last_end)
    end_of_day = timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))
    annotations["last_contact_at"] = _last_contact(end_of_day) if _last_contact else Value(None, DateTimeField())
    return annotations


def stage_from(row: Person) -> str:
    """The stage from `stage_annotations` values: the first open involvement in priority order;
    otherwise "contact" if a contact came after all involvement ended (or there was none),
    "closed" if there was involvement, and "no_involvement" for a child with no record yet."""
    for stage, *_ in INVOLVEMENT:
        if getattr(row, f"open_{stage}"):
            return stage
    ends = [getattr(row, f"last_end_{stage}") for stage, *_ in INVOLVEMENT]
    last_end = max((end for end in ends if end is not None), default=None)
    if row.last_contact_at is not None:
        if last_end is None or timezone.localdate(row.last_contact_at) > last_end:
            return "contact"
    return "closed" if last_end is not None else "no_involvement"


def child_stage(*, child: Person, on: date | None = None) -> str:
    """Where the child is in their journey on `on` (default today): a key of STAGE_LABELS."""
    on = on or timezone.localdate()
    return stage_from(Person.objects.annotate(**stage_annotations(on)).get(pk=child.pk))


@dataclass(frozen=True)
class ChildMatch:
    child: Person
    stage: str


def children_matching(*, query: str, within: QuerySet[Person], limit: int = 50) -> list[ChildMatch]:
    """Children of `within` (the caller's scope: grip.access.scope.children_visible_to) whose LA child
    ID, UPN or NHS number is `query` exactly, or whose first or last names start with each word of it
    (any case), with their stage today; by name."""
    terms = query.split()
    if not terms:
        return []
    compact = "".join(terms)  # identifiers are often typed with spaces: "943 476 5919"
    match = Q(la_child_id=compact.upper()) | Q(la_child_id=compact) | Q(upn=compact.upper())
    if compact.isdigit():
        match |= Q(nhs_number=compact)
    names = Q()
    for term in terms:
        names &= Q(first_name__istartswith=term) | Q(last_name__istartswith=term)
    by_name = ["last_name", "first_name", "date_of_birth", "pk"]
    first = within.filter(match | names).order_by(*by_name).values("pk")[:limit]
    # Stages only for the children shown, however many match (one query: a subquery).
    rows = Person.objects.filter(pk__in=first).annotate(**stage_annotations(timezone.localdate())).order_by(*by_name)
    return [ChildMatch(child=row, stage=stage_from(row)) for row in rows]
