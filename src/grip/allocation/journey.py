"""Allocation's part of a child's journey (a source of grip.cases.journey, registered in
grip.allocation.apps): each allocation, lead or co-worker, with its note."""

from __future__ import annotations

from collections.abc import Iterator

from grip.allocation.models import Allocation
from grip.cases.journey import JourneyEvent
from grip.people.models import Person


def allocation_events(child: Person) -> Iterator[JourneyEvent]:
    for a in Allocation.objects.filter(child=child).select_related("worker", "team"):
        who = f"{a.worker} ({a.team})"
        title = f"Allocated to {who}" if a.role == Allocation.Role.LEAD else f"Co-worker {who}"
        yield JourneyEvent(a.started_on, "allocation", title, a.note, until=a.ended_on)
