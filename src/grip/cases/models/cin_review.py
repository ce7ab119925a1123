"""Reviews of a child in need plan."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from grip.core.fields import RecordedModel

from .need import CINPlan


class CINPlanReview(RecordedModel):
    """A review meeting of a child in need plan.

    No national interval: Working Together to Safeguard Children 2023 (chapter 3) asks for the plan
    to be reviewed regularly with the family and the agencies involved; the interval is local policy
    (rule `cin_plan_review` in reference/timescales/rules.toml). A visit is not a review: visits are
    `cases.Visit` rows of type CIN.
    """

    plan = models.ForeignKey(CINPlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = "CIN plan review"
        indexes = [models.Index(fields=["plan", "held_on"])]

    def clean(self) -> None:
        # A cross-field rule on another table, so full_clean() only.
        if self.plan_id and self.held_on and self.held_on < self.plan.started_on:
            raise ValidationError({"held_on": "A CIN plan cannot be reviewed before it starts."})
