"""Strategy discussions, section 47 enquiries, child protection conferences, plans and core groups."""

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

ICPC_NEEDED = "ICPC"  # s47_outcome: an initial conference is needed (CIN census ICPCnotRequired false)
MAKES_A_PLAN, NO_PLAN = "PLAN", "NO_PLAN"  # conference_outcome of an initial conference
CONTINUES, ENDS = "CONTINUE", "END"  # ... of a review conference
INITIAL_OUTCOMES = [MAKES_A_PLAN, NO_PLAN]
REVIEW_OUTCOMES = [CONTINUES, ENDS]


class StrategyDiscussion(RecordedModel):
    """A multi-agency strategy discussion (WT2023 ch.4): where a section 47 enquiry starts.

    Two steps, each recorded when it happens: the discussion is requested (when, by whom, why),
    then held (date and time, who attended by agency) with an outcome. Only an outcome of "section
    47" starts an enquiry, dated from this discussion. The census has no strategy discussion date;
    Working Together measures the ICPC from the one at which the enquiry started.
    """

    episode = models.ForeignKey("cases.CINEpisode", on_delete=models.PROTECT, related_name="strategy_discussions")
    contact = models.ForeignKey(
        "frontdoor.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategy_discussions",
        help_text="The contact whose decision asked for it, when a front-door decision did.",
    )
    requested_at = models.DateTimeField(help_text="When the discussion was asked for.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why a strategy discussion is needed.")
    held_at = models.DateTimeField(null=True, blank=True, help_text="When it was held (date and time).")
    attended_by = models.JSONField(
        default=list, blank=True, help_text="Agencies present, as codes from the list “strategy_agency”."
    )
    outcome = coded_field("strategy_outcome", blank=True, max_length=12)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            in_codelist("outcome", "strategy_outcome", blank=True),
            dates_in_order("requested_at", "held_at", "A strategy discussion cannot be held before it was requested."),
            reason_exactly_when_ended(
                "held_at",
                "outcome",
                name="cases_strategydiscussion_held_has_outcome",
                message="A strategy discussion that was held needs an outcome, and only a held one has one.",
            ),
        ]

    def clean(self) -> None:
        validate_code_list(self.attended_by, "strategy_agency", "attended_by")
        if self.held_at is not None and not self.attended_by:
            raise ValidationError({"attended_by": "Say which agencies took part."})

    @property
    def is_held(self) -> bool:
        return self.held_at is not None


class Section47Enquiry(RecordedModel):
    """CIN census Section47 module (S47ActualStartDate N00148)."""

    episode = models.ForeignKey("cases.CINEpisode", on_delete=models.PROTECT, related_name="section47_enquiries")
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, null=True, blank=True, on_delete=models.PROTECT, related_name="enquiries"
    )
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    outcome = coded_field("s47_outcome", blank=True, max_length=12)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        constraints = [
            in_codelist("outcome", "s47_outcome", blank=True),
            dates_in_order("started_on", "completed_on", "A section 47 enquiry cannot finish before it starts."),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(completed_on__isnull=False),
                name="cases_s47_outcome_only_when_completed",
                violation_error_message="A section 47 enquiry has an outcome only when it is completed.",
            ),
        ]

    @property
    def conference_needed(self) -> bool:
        """The enquiry concluded an initial conference is needed (CIN census ICPCnotRequired false)."""
        return self.outcome == ICPC_NEEDED


class ChildProtectionPlan(RecordedModel):
    """CIN census ChildProtectionPlans: CPPstartDate, CPPendDate, categories of abuse."""

    episode = models.ForeignKey("cases.CINEpisode", on_delete=models.PROTECT, related_name="cp_plans")
    started_on = models.DateField(db_index=True, help_text="CPPstartDate (N00105)")
    ended_on = models.DateField(null=True, blank=True, help_text="CPPendDate (N00115)")
    initial_category = coded_field("category_of_abuse", help_text="InitialCategoryOfAbuse (N00113)")
    latest_category = coded_field("category_of_abuse", help_text="LatestCategoryOfAbuse (N00114)")
    end_reason = coded_field(
        "cp_plan_end_reason", blank=True, max_length=20, help_text="Why the plan ended (local; the census has none)."
    )

    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(
                fields=["ended_on", "started_on", "episode"], name="cases_cp_plan_open_cover"
            ),  # open on a day, index-only
        ]
        ordering = ["-started_on"]
        verbose_name = "child protection plan"
        constraints = [
            in_codelist("initial_category", "category_of_abuse"),
            in_codelist("latest_category", "category_of_abuse"),
            dates_in_order("started_on", "ended_on", "A child protection plan cannot end before it starts."),
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(ended_on__isnull=True),
                name="cases_one_open_cp_plan_per_episode",
                violation_error_message="This child already has an open child protection plan.",
            ),
            in_codelist("end_reason", "cp_plan_end_reason", blank=True),
            models.CheckConstraint(
                condition=Q(end_reason="") | Q(ended_on__isnull=False),
                name="cases_cp_plan_end_reason_only_when_ended",
                violation_error_message="Only a plan that has ended has a reason for ending.",
            ),
        ]


class ChildProtectionConference(RecordedModel):
    """An initial (ICPC, DateOfInitialCPC N00110) or review (RCPC, CPPreviewDate N00116) conference."""

    episode = models.ForeignKey("cases.CINEpisode", on_delete=models.PROTECT, related_name="conferences")
    conference_type = coded_field("conference_type", max_length=4)
    section47 = models.ForeignKey(
        Section47Enquiry, null=True, blank=True, on_delete=models.PROTECT, related_name="conferences"
    )
    plan = models.ForeignKey(
        ChildProtectionPlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences",
        help_text="The plan this conference started (ICPC) or reviewed (RCPC).",
    )
    held_on = models.DateField()
    # What the recording pages ask (issue 14); empty on records loaded from elsewhere.
    chair = models.CharField(max_length=200, blank=True, help_text="Who chaired the conference (a name).")
    attended_by = models.JSONField(
        default=list, blank=True, help_text="Who attended, as codes from the list “conference_attendee”."
    )
    attendee_names = models.TextField(blank=True, help_text="The names and roles of those who attended.")
    participation = coded_field("conference_participation", blank=True, max_length=20)
    outcome = coded_field("conference_outcome", blank=True, max_length=12)
    category = coded_field(
        "category_of_abuse",
        blank=True,
        help_text="The category of abuse the conference set: the plan's initial (ICPC) or latest (RCPC).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        constraints = [
            in_codelist("conference_type", "conference_type"),
            models.CheckConstraint(
                condition=~Q(conference_type="RCPC") | Q(plan__isnull=False),
                name="cases_review_conference_has_plan",
                violation_error_message="A review conference reviews a child protection plan: name the plan.",
            ),
            in_codelist("participation", "conference_participation", blank=True),
            in_codelist("outcome", "conference_outcome", blank=True),
            in_codelist("category", "category_of_abuse", blank=True),
            models.CheckConstraint(
                condition=Q(outcome="")
                | Q(conference_type="ICPC", outcome__in=INITIAL_OUTCOMES)
                | Q(conference_type="RCPC", outcome__in=REVIEW_OUTCOMES),
                name="cases_conference_outcome_fits_type",
                violation_error_message="An initial conference decides on a plan; a review decides whether it goes on.",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=MAKES_A_PLAN) | (Q(plan__isnull=False) & ~Q(category="")),
                name="cases_conference_plan_has_plan_and_category",
                violation_error_message="A conference that makes a plan names the plan and its category of abuse.",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=NO_PLAN) | Q(plan__isnull=True),
                name="cases_conference_no_plan_has_none",
                violation_error_message="A conference that made no plan names none.",
            ),
            models.UniqueConstraint(
                fields=["section47"],
                condition=Q(conference_type="ICPC", section47__isnull=False),
                name="cases_one_initial_conference_per_s47",
                violation_error_message="This section 47 enquiry already has its initial conference.",
            ),
        ]

    def clean(self) -> None:
        validate_code_list(self.attended_by, "conference_attendee", "attended_by")


class CoreGroupMeeting(RecordedModel):
    """A meeting of a child protection plan's core group.

    Working Together to Safeguard Children 2023: the first core group meets within 10 working days
    of the initial child protection conference; after that, as often as the plan sets (locally
    4-6 weekly).
    """

    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.PROTECT, related_name="core_groups")
    held_on = models.DateField()
    attended_by = models.JSONField(
        default=list, blank=True, help_text="Who attended, as codes from the list “conference_attendee”."
    )
    attendee_names = models.TextField(blank=True, help_text="The names and roles of those who attended.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["plan", "held_on"])]

    def clean(self) -> None:
        validate_code_list(self.attended_by, "conference_attendee", "attended_by")
