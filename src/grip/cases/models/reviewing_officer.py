"""The independent reviewing officer (IRO) of each looked-after child, with its history.

Children Act 1989 s25A: the authority appoints an IRO for each child it looks after; the IRO
chairs the child's reviews (Care Planning, Placement and Case Review (England) Regulations 2010,
reg 36). A change of IRO ends the current assignment the day the next begins, so a child has at
most one current IRO and the record says who it was on any day.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from grip.core.fields import RecordedModel, dates_in_order

IRO_ROLE = "IRO"  # the worker_role code of an independent reviewing officer


class IROAssignment(RecordedModel):
    """A worker with the IRO role assigned to a child from one day until another (or still)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="iro_assignments")
    iro = models.ForeignKey(
        "workforce.Worker",
        on_delete=models.PROTECT,
        related_name="iro_assignments",
        verbose_name="independent reviewing officer",
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="The day another IRO took over, or care ended.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = "IRO assignment"
        indexes = [models.Index(fields=["child", "started_on"])]
        constraints = [
            dates_in_order("started_on", "ended_on", "An IRO assignment cannot end before it starts."),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(ended_on__isnull=True),
                name="cases_one_current_iro_per_child",
                violation_error_message="This child already has a current independent reviewing officer.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.iro} from {self.started_on:%d/%m/%Y}"
