"""A worker's own supervision frequency (issue 15): a manager may set how often a worker is
supervised (say fortnightly, for a worker who needs more support), with the reason, from a day.

The timescale engine reads these rows (the `supervision_frequency_set` event, named by the
supervision rules' `frequency_from`): while one is in force it replaces the rule's interval, so
there is one calculator. Rows are history: setting another frequency, or going back to the
employer standard, ends the current one on the day the change takes effect.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from grip.core.fields import RecordedModel, dates_in_order

# The frequencies a manager may choose, as the interval between sessions. Local choices: the LGA
# Standards for employers of social workers, Standard 5, set weekly, fortnightly and monthly for the
# ASYE and monthly as the norm (shared/reference/statutory-framework.md row 20); three-weekly is a
# local step between them. "standard" (going back to the rules) is not a row.
FREQUENCIES: dict[str, tuple[str, int, str]] = {
    "weekly": ("Weekly", 1, "weeks"),
    "fortnightly": ("Fortnightly", 2, "weeks"),
    "three_weekly": ("Every three weeks", 3, "weeks"),
    "monthly": ("Monthly", 1, "months"),
}
UNITS = [("weeks", "weeks"), ("months", "months")]


class SupervisionFrequency(RecordedModel):
    """A worker supervised at their own interval from `started_on`, until `ended_on` (the first day
    it no longer applies), set by a manager with the reason."""

    worker = models.ForeignKey("workforce.Worker", on_delete=models.CASCADE, related_name="supervision_frequencies")
    amount = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=6, choices=UNITS)
    reason = models.TextField()
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["worker", "started_on"]
        constraints = [
            dates_in_order("started_on", "ended_on", "A supervision frequency cannot end before it starts."),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(unit__in=[u for u, _ in UNITS]),
                name="workforce_supervisionfrequency_interval",
                violation_error_message="A supervision frequency is a number of weeks or months.",
            ),
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(ended_on__isnull=True),
                name="workforce_supervisionfrequency_one_current",
                violation_error_message="A worker has one supervision frequency at a time.",
            ),
        ]

    @property
    def label(self) -> str:
        for name, amount, unit in FREQUENCIES.values():
            if (amount, unit) == (self.amount, self.unit):
                return name
        return f"Every {self.amount} {self.unit}"

    def __str__(self) -> str:
        return f"{self.worker}: supervised {self.label.lower()} from {self.started_on}"
