"""Statutory and planned visits to a child, and the case notes written on a child's record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from grip.core.fields import RecordedModel, coded_field, in_codelist

YES_NO = [(True, "Yes"), (False, "No")]


def _answer(question: str) -> dict[str, str]:
    """The same plain message whether the answer is missing (None) or not a yes or a no."""
    message = f"{question}: yes or no."
    return {"invalid": message, "null": message, "blank": message, "required": message}


class Visit(RecordedModel):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="visits")
    visit_type = coded_field("visit_type", max_length=4)
    visited_on = models.DateField()
    worker = models.ForeignKey(
        "workforce.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    # No default, and NOT NULL: whoever records a visit says whether the child was seen, and seen
    # alone (Working Together to Safeguard Children 2023, chapter 3; Care Planning, Placement and
    # Case Review (England) Regulations 2010, Part 5 on visits). A missing answer is refused by full_clean
    # ("This field cannot be null") and by the database (NOT NULL), never taken as a yes or a no.
    # The Yes/No choices make forms (the admin) offer a blank first option, so nobody answers by
    # leaving a checkbox unticked.
    child_seen = models.BooleanField(
        "Child seen", choices=YES_NO, error_messages=_answer("Say whether the child was seen")
    )
    seen_alone = models.BooleanField(
        "Child seen alone", choices=YES_NO, error_messages=_answer("Say whether the child was seen alone")
    )
    place = models.CharField("Where the child was seen", max_length=200, blank=True)
    # The voice of the child: what they said and how they felt, in their own words (Working
    # Together to Safeguard Children 2023, chapter 1: a child-centred approach).
    child_said = models.TextField("What the child said and felt", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

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


class CaseNote(RecordedModel):
    """A dated note on a child's record: direct work, a phone call, a meeting, or a manager's
    oversight (code list case_note_type). Written by the person named, who is kept."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_notes")
    note_type = coded_field("case_note_type", max_length=4)
    noted_on = models.DateField("Date")
    text = models.TextField("Note")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-noted_on", "-recorded_at"]
        indexes = [models.Index(fields=["child", "noted_on"])]
        constraints = [in_codelist("note_type", "case_note_type")]
