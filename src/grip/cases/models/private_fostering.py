"""Private fostering arrangements notified to the authority."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from grip.core.fields import RecordedModel, dates_in_order


class PrivateFosteringArrangement(RecordedModel):
    """A child fostered privately (Children Act 1989 s66), from the day the authority was notified.

    Children (Private Arrangements for Fostering) Regulations 2005: an officer visits within seven
    working days of the notification (regs 4 and 7), then at intervals of not more than six weeks in
    the first year of the arrangement and not more than 12 weeks after it (reg 8(1)); for reg 8 the
    arrangement begins when the authority becomes aware of it (reg 8(6)), so every clock runs from
    `notified_on` (rule `private_fostering_visit`).
    """

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="private_fostering")
    notified_on = models.DateField(help_text="When the authority was notified of (became aware of) the arrangement.")
    ended_on = models.DateField(null=True, blank=True, help_text="When the arrangement ended; empty while it goes on.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-notified_on"]
        constraints = [
            dates_in_order("notified_on", "ended_on", "An arrangement cannot end before the authority knew of it."),
        ]
