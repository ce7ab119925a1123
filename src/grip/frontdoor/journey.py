"""The front door's part of a child's journey (a source of grip.cases.journey, registered in
grip.frontdoor.apps): each contact received about the child, and what was decided."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from grip.cases.journey import JourneyEvent, labelled, lines
from grip.core.formatting import long_date, when
from grip.frontdoor.models import Contact
from grip.people.models import Person


def contact_events(child: Person) -> Iterator[JourneyEvent]:
    for c in Contact.objects.filter(child=child).select_related("decided_by", "episode"):
        reporter = ", ".join(part for part in (c.reporter_name, c.reporter_organisation) if part)
        decision = "Awaiting a decision"
        if c.decided_at:
            decision = labelled("Decision", "contact_outcome", c.outcome) + f" ({when(c.decided_at)})"
        detail = lines(
            f"Reference {c.reference}",
            labelled("Source", "referral_source", c.source),
            labelled("Route", "contact_route", c.route),
            f"Reported by {reporter}" if reporter else "",
            decision,
            f"Passed to the open case (referral of {long_date(c.episode.referral_date)})" if c.episode else "",
        )
        day = timezone.localdate(c.received_at)
        yield JourneyEvent(day, "contact", "Contact received", detail, by=str(c.decided_by or ""))


def last_contact(before: datetime) -> Subquery:
    """When the child (OuterRef pk) last had a contact received before `before`: for the child's
    stage (grip.cases.selectors.stage_annotations)."""
    contacts = Contact.objects.filter(child=OuterRef("pk"), received_at__lt=before)
    return Subquery(contacts.order_by("-received_at").values("received_at")[:1])
