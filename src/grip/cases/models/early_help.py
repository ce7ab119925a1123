"""Early help (Ofsted Annex A List 2; Standard Safeguarding Dataset ssd_early_help_episodes): support
for a family below the threshold for children's social care, led by any agency (Working Together
to Safeguard Children 2023, chapter 2). An episode runs from its start to its closure; within it,
the early help assessment and the team around the family (TAF) meetings that agree and review the
family's plan. There is no statutory clock for early help (see grip.cases.services.early_help).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from grip.core.fields import RecordedModel, coded_field, dates_in_order, in_codelist, reason_exactly_when_ended

STEPPED_UP = "STEPPED_UP"  # early_help_closure: closed because children's social care took the case


class EarlyHelpEpisode(RecordedModel):
    """An episode of early help: started (from the front door's decision, from a practitioner's
    page, or as a step down from a CIN episode), then closed with a reason (a step up to children's
    social care names the CIN episode it opened)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="early_help_episodes")
    contact = models.ForeignKey("frontdoor.Contact", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(help_text="EH Episode Start Date (Annex A List 2; SSD EARL003A)")
    ended_on = models.DateField(null=True, blank=True, help_text="EH Episode End Date (SSD EARL004A)")
    closure_reason = coded_field("early_help_closure", blank=True, max_length=12)
    lead_organisation = coded_field(
        "early_help_organisation",
        blank=True,
        max_length=16,
        help_text="EH Episode Allocated Organisation (SSD EARL007A); blank on records made before it was asked",
    )
    lead_practitioner = models.CharField(max_length=100, blank=True, help_text="The lead practitioner's name and role")
    reason = models.TextField(blank=True, help_text="EH Episode Reason for Involvement (SSD EARL005A)")
    stepped_down_from = models.ForeignKey(
        "cases.CINEpisode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stepped_down_to",
        help_text="The CIN episode this early help was a step down from",
    )
    stepped_up_to = models.ForeignKey(
        "cases.CINEpisode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stepped_up_from",
        help_text="The CIN episode opened when this early help was stepped up to children's social care",
    )

    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(
                fields=["ended_on", "started_on", "child"], name="cases_early_help_open_cover"
            ),  # open on a day, index-only
        ]
        ordering = ["-started_on"]
        constraints = [
            in_codelist("closure_reason", "early_help_closure", blank=True),
            in_codelist("lead_organisation", "early_help_organisation", blank=True),
            dates_in_order("started_on", "ended_on", "Early help cannot end before it starts."),
            reason_exactly_when_ended(
                "ended_on",
                "closure_reason",
                name="cases_earlyhelp_closure_has_reason",
                message="An ended early help episode needs a reason, and only an ended one has one.",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(ended_on__isnull=True),
                name="cases_one_open_early_help_per_child",
                violation_error_message="This child already has early help open.",
            ),
            models.UniqueConstraint(
                fields=["stepped_down_from"],
                name="cases_one_step_down_per_cin_episode",
                violation_error_message="Early help is already recorded as the step down from this case.",
            ),
            models.CheckConstraint(
                condition=Q(stepped_up_to__isnull=True) | Q(closure_reason=STEPPED_UP),
                name="cases_earlyhelp_stepped_up_only_when_closed_so",
                violation_error_message="Only early help closed as stepped up names the case it stepped up to.",
            ),
        ]

    def __str__(self) -> str:
        return f"Early help from {self.started_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class EarlyHelpAssessment(RecordedModel):
    """The early help assessment (Annex A List 2: start date, completion date, organisation
    completing the assessment)."""

    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.PROTECT, related_name="assessments")
    started_on = models.DateField(help_text="Assessment start date (Annex A List 2)")
    completed_on = models.DateField(null=True, blank=True, help_text="Assessment completion date (Annex A List 2)")
    organisation = coded_field(
        "early_help_organisation", max_length=16, help_text="Organisation completing assessment (Annex A List 2)"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            in_codelist("organisation", "early_help_organisation"),
            dates_in_order("started_on", "completed_on", "An assessment cannot be completed before it starts."),
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(completed_on__isnull=True),
                name="cases_one_open_early_help_assessment",
                violation_error_message="An early help assessment is already under way.",
            ),
        ]


class TafPlan(models.TextChoices):
    AGREED = "AGREED", "The plan was agreed"
    REVIEWED = "REVIEWED", "The plan was reviewed"


class TeamAroundFamilyMeeting(RecordedModel):
    """A team around the family meeting: the day it was held, who attended, and what it did with the
    family's plan: agreed it (the first plan, or a new one) or reviewed it, with the review's outcome
    (a decision: a step up or closure it decides is recorded when it happens)."""

    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.PROTECT, related_name="taf_meetings")
    held_on = models.DateField()
    attended_by = models.JSONField(default=list, blank=True, help_text="Codes of the taf_attendee list")
    plan = models.CharField(max_length=8, choices=TafPlan.choices)
    review_outcome = coded_field("early_help_review_outcome", blank=True, max_length=10)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = "team around the family meeting"
        constraints = [
            in_codelist("review_outcome", "early_help_review_outcome", blank=True),
            models.CheckConstraint(
                condition=Q(plan__in=TafPlan.values),
                name="cases_taf_plan_agreed_or_reviewed",
                violation_error_message="A meeting agrees the plan or reviews it.",
            ),
            models.CheckConstraint(
                condition=(Q(plan=TafPlan.REVIEWED) & ~Q(review_outcome=""))
                | (Q(plan=TafPlan.AGREED, review_outcome="")),
                name="cases_taf_review_has_outcome",
                violation_error_message="A plan review has an outcome, and only a review has one.",
            ),
        ]
