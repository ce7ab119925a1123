"""Statutory and planned visits to a child."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from grip.core.fields import RecordedModel, coded_field, in_codelist


class Visit(RecordedModel):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="visits")
    visit_type = coded_field("visit_type", max_length=4)
    visited_on = models.DateField()
    worker = models.ForeignKey(
        "workforce.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    child_seen = models.BooleanField(default=True)
    seen_alone = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-visited_on"]
        indexes = [models.Index(fields=["child", "visited_on"])]
        constraints = [
            in_codelist("visit_type", "visit_type"),
            models.CheckConstraint(
                condition=Q(seen_alone=False) | Q(child_seen=True),
                name="cases_visit_seen_alone_means_seen",
                violation_error_message="A child seen alone was seen: tick “child seen” too.",
            ),
        ]
