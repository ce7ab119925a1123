"""Who holds which child's case, from when to when.

A case is a child with open involvement (CIN episode, CP plan, looked after, care leaver,
early help). An allocation runs from `started_on` up to but not including `ended_on`, so a
handover on day D ends one allocation and starts the next on the same date without overlap.
At most one lead allocation of a child is current at any time: the database refuses overlaps
(an exclusion constraint on PostgreSQL, triggers on SQLite; see migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from grip.core.fields import RecordedModel, dates_in_order


class Allocation(RecordedModel):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead worker"
        CO_WORKER = "co_worker", "Co-worker"

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey("workforce.Worker", on_delete=models.PROTECT, related_name="allocations")
    team = models.ForeignKey("workforce.Team", on_delete=models.PROTECT, related_name="allocations")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.LEAD)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        indexes = [
            models.Index(fields=["worker", "ended_on"]),
            models.Index(fields=["child", "role", "started_on"]),
            # Who holds what on a day, read from the index alone (the register, caseloads, chase lists).
            models.Index(
                fields=["ended_on", "role", "started_on", "child", "worker", "team"], name="allocation_running_cover"
            ),
        ]
        constraints = [
            dates_in_order("started_on", "ended_on", "An allocation cannot end before it starts."),
            models.CheckConstraint(
                condition=Q(role__in=["lead", "co_worker"]),
                name="allocation_role_known",
                violation_error_message="Role must be lead or co-worker.",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(role="lead", ended_on__isnull=True),
                name="allocation_one_current_lead_per_child",
                violation_error_message="This child already has a current lead worker.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} holds {self.child} from {self.started_on}"

    OVERLAP_MESSAGE = "This child already has a lead worker for part of that time."

    def clean(self) -> None:
        """The same rule as the database's exclusion constraint / triggers, with a readable message."""
        if self.role != self.Role.LEAD or not self.child_id or not self.started_on:
            return
        if self.ended_on is not None and self.ended_on <= self.started_on:
            return  # an empty period overlaps nothing
        others = Allocation.objects.filter(child_id=self.child_id, role=self.Role.LEAD).exclude(pk=self.pk)
        others = others.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=self.started_on))
        others = others.exclude(ended_on__isnull=False, ended_on__lte=models.F("started_on"))
        if self.ended_on is not None:
            others = others.filter(started_on__lt=self.ended_on)
        if others.exists():
            raise ValidationError(self.OVERLAP_MESSAGE)


class Transfer(RecordedModel):
    """A case sent to a team's queue: moved from one team to another with a handover note (e.g.
    assessment → child protection), or sent to a team for the first time (`from_team` empty).

    The case stays with whoever holds it until the receiving team accepts and allocates a worker,
    so a transfer never leaves a child without a lead worker on its own. At most one transfer of a
    child waits at a time.
    """

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="transfers")
    from_team = models.ForeignKey(
        "workforce.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_team = models.ForeignKey("workforce.Team", on_delete=models.PROTECT, related_name="transfers_in")
    handover_note = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transfers_requested"
    )
    requested_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_decided"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_on", "-pk"]
        indexes = [models.Index(fields=["to_team", "outcome"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(outcome=""),
                name="allocation_one_waiting_transfer_per_child",
                violation_error_message="This child's case is already waiting for a team to accept it.",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", "accepted", "declined", "withdrawn"]),
                name="allocation_transfer_outcome_known",
                violation_error_message="Outcome must be accepted, declined or withdrawn.",
            ),
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(decided_on__isnull=True)) | (~Q(outcome="") & Q(decided_on__isnull=False)),
                name="allocation_transfer_decided_exactly_when_outcome",
                violation_error_message="A decided transfer needs its date, and only a decided one.",
            ),
            models.CheckConstraint(
                condition=Q(from_team__isnull=True) | ~Q(from_team=models.F("to_team")),
                name="allocation_transfer_to_another_team",
                violation_error_message="A case can only be transferred to another team.",
            ),
            dates_in_order("requested_on", "decided_on", "A transfer cannot be decided before it is asked for."),
        ]

    def __str__(self) -> str:
        return f"{self.child} to {self.to_team} ({self.get_outcome_display() or 'waiting'})"

    @property
    def waiting(self) -> bool:
        return not self.outcome
