"""CIN episodes (CINdetails), assessments and CIN plans (early help: `early_help`)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from grip.core.fields import (
    RecordedModel,
    coded_field,
    dates_in_order,
    in_codelist,
    reason_exactly_when_ended,
    validate_code_list,
)


class CINEpisode(RecordedModel):
    """An episode of need from referral to closure (CIN census CINdetails)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cin_episodes")
    contact = models.ForeignKey(
        "frontdoor.Contact", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    referral_date = models.DateField(db_index=True, help_text="CINreferralDate (N00100)")
    referral_source = coded_field("referral_source", help_text="ReferralSource (N00152)")
    primary_need = coded_field("primary_need", blank=True, help_text="PrimaryNeedCode (N00101)")
    referral_nfa = models.BooleanField(
        "referral NFA", default=False, help_text="ReferralNFA (N00112): no further action at referral."
    )
    closure_date = models.DateField(null=True, blank=True, help_text="CINclosureDate (N00102)")
    closure_reason = coded_field("closure_reason", blank=True, help_text="ReasonForClosure (N00103)")

    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(
                fields=["closure_date", "referral_date", "child"], name="cases_cin_open_cover"
            ),  # open on a day, index-only
        ]
        ordering = ["-referral_date"]
        verbose_name = "CIN episode"
        constraints = [
            in_codelist("referral_source", "referral_source"),
            in_codelist("primary_need", "primary_need", blank=True),
            in_codelist("closure_reason", "closure_reason", blank=True),
            dates_in_order("referral_date", "closure_date", "A CIN episode cannot close before its referral date."),
            reason_exactly_when_ended(
                "closure_date",
                "closure_reason",
                name="cases_cinepisode_closure_has_reason",
                message="A closed CIN episode needs a reason for closure, and an open one has none.",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(closure_date__isnull=True),
                name="cases_one_open_cin_episode_per_child",
                violation_error_message="This child already has an open CIN episode.",
            ),
        ]

    def __str__(self) -> str:
        return f"CIN episode from {self.referral_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


class Assessment(RecordedModel):
    """A child and family (single) assessment within a CIN episode (CIN census Assessments).

    Started, then completed by the worker (the day it was finished, the factors identified and
    the outcome) and submitted for authorisation, then authorised by a manager: the authorisation
    date is the census's and stops the 45 working days' clock. Older records may be authorised
    with no completion recorded.
    """

    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="assessments")
    started_on = models.DateField(help_text="AssessmentActualStartDate (N00159)")
    completed_on = models.DateField(null=True, blank=True, help_text="The day the worker finished the assessment.")
    outcome = coded_field("assessment_outcome", blank=True, max_length=12)
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="When it was submitted for authorisation.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authorised_on = models.DateField(null=True, blank=True, help_text="AssessmentAuthorisationDate (N00160)")
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    factors = models.JSONField(default=list, blank=True, help_text="FactorsIdentifiedAtAssessment (N00181)")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            dates_in_order("started_on", "authorised_on", "An assessment cannot be authorised before it starts."),
            dates_in_order("started_on", "completed_on", "An assessment cannot be completed before it starts."),
            dates_in_order(
                "completed_on", "authorised_on", "An assessment cannot be authorised before it is completed."
            ),
            in_codelist("outcome", "assessment_outcome", blank=True),
        ]

    def clean(self) -> None:
        validate_code_list(self.factors, "assessment_factor", "factors")
        # CIN census rule 8614: factors belong to a completed assessment. The census return carries
        # them with the authorisation; here the worker records them at completion, for the manager.
        if self.authorised_on is None and self.completed_on is None and self.factors:
            raise ValidationError({"factors": "Factors are recorded when the assessment is completed."})
        if self.episode_id and self.started_on and self.started_on < self.episode.referral_date:
            raise ValidationError({"started_on": "An assessment cannot start before the referral date."})
        if self.episode_id and self.episode.referral_nfa:
            # CIN census rule 8831: "Activity is recorded against a case marked as a referral with no further action"
            raise ValidationError(
                "A referral closed with no further action carries no assessment (CIN census rule 8831)."
            )

    @property
    def awaiting_authorisation(self) -> bool:
        return self.submitted_at is not None and self.authorised_on is None


class CINPlan(RecordedModel):
    """CINPlanDates: a child in need plan (N00689 / N00690)."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="cin_plans")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = "CIN plan"
        constraints = [dates_in_order("started_on", "ended_on", "A CIN plan cannot end before it starts.")]
