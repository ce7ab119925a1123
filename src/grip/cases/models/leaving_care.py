"""Leaving care: the needs assessment of an eligible child, and accommodation provided to a care
leaver (the two records the leaving-care timescales need beside CareLeaverEpisode)."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from grip.core.fields import RecordedModel, coded_field, dates_in_order, in_codelist

from .care import CareLeaverEpisode


class PathwayNeedsAssessment(RecordedModel):
    """The assessment of an eligible child's needs on which the pathway plan is based.

    Children Act 1989 Sch 2 para 19B(4); Care Planning, Placement and Case Review (England)
    Regulations 2010, reg 42(1): completed not more than three months after the child reaches 16
    or becomes an eligible child after that age (rule `pathway_needs_assessment`).
    """

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="pathway_needs_assessments")
    completed_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on"]
        indexes = [models.Index(fields=["child", "completed_on"])]


class CareLeaverAccommodation(RecordedModel):
    """Accommodation the responsible authority provides to a relevant or former relevant child
    under section 23B or 24B of the Children Act 1989.

    Care Leavers (England) Regulations 2010, reg 8(2): only then must the personal adviser visit
    the young person at that accommodation, within 7 days of it first being provided and then at
    intervals of not more than two months (rule `care_leaver_visit`).
    """

    care_leaver = models.ForeignKey(CareLeaverEpisode, on_delete=models.PROTECT, related_name="accommodation")
    provided_under = coded_field("leaving_care_accommodation_duty", max_length=4)
    provided_from = models.DateField()
    provided_to = models.DateField(null=True, blank=True, help_text="Last day provided; empty while it goes on.")
    # What the accommodation is and whether it is suitable (SSDA903 ACCOM, suffix 1 suitable, 2
    # not), as the care leaver contact that found it said; blank on rows recorded before contacts
    # kept it (grip.cases.services.leaving_care).
    accommodation = coded_field("care_leaver_accommodation", blank=True, help_text="ACCOM")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-provided_from"]
        verbose_name = "care leaver accommodation"
        verbose_name_plural = "care leaver accommodation"
        constraints = [
            in_codelist("provided_under", "leaving_care_accommodation_duty"),
            in_codelist("accommodation", "care_leaver_accommodation", blank=True),
            dates_in_order("provided_from", "provided_to", "Accommodation cannot end before it is first provided."),
        ]
