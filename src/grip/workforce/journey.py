"""The workforce's part of a child's journey (a source of grip.cases.journey, registered in
grip.workforce.apps): each management decision made on the child's case in a supervision session,
as management oversight. The event names this child alone: the other cases of the session are
theirs, not this child's."""

from __future__ import annotations

from collections.abc import Iterator

from grip.cases.journey import JourneyEvent, labelled, lines
from grip.people.models import Person
from grip.workforce.models import SupervisionDecision


def supervision_decision_events(child: Person) -> Iterator[JourneyEvent]:
    found = SupervisionDecision.objects.filter(child=child).select_related(
        "supervision__worker", "supervision__supervisor"
    )
    for d in found:
        session = d.supervision
        agreed = "Agreed by both" if session.confirmed_at else "Not yet confirmed by the worker"
        detail = lines(
            d.decision,
            f"Discussed in supervision of {session.worker}",
            labelled("Type", "supervision_type", session.supervision_type),
            agreed,
        )
        by = str(session.supervisor or "")
        yield JourneyEvent(
            session.held_on, "supervision_decision", "Management oversight in supervision", detail, by=by
        )
