"""Looked-after episodes and reviews (SSDA903), care plans, health assessments, missing episodes,
and care leavers (OC3)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from grip.core.codelists import check_valid_on
from grip.core.fields import RecordedModel, coded_field, dates_in_order, in_codelist, reason_exactly_when_ended


class LookedAfterEpisode(RecordedModel):
    """An SSDA903 episode: a period with one legal status and one placement.

    A period of care is a run of episodes, each after the first starting the day the last ended.
    """

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="looked_after_episodes")
    started_on = models.DateField(db_index=True, help_text="DECOM")
    reason_new_episode = coded_field("reason_new_episode", help_text="RNE")
    legal_status = coded_field("legal_status", help_text="LS")
    category_of_need = coded_field("cla_category_of_need", help_text="CIN: category of need (N1-N8)")
    placement_type = coded_field("placement_type", help_text="PLACE")
    placement_provider = coded_field("placement_provider", blank=True, help_text="PLACE_PROVIDER")
    placement_postcode = models.CharField(max_length=8, blank=True, help_text="PL_POST")
    home_postcode = models.CharField(max_length=8, blank=True, help_text="HOME_POST")
    ended_on = models.DateField(null=True, blank=True, help_text="DEC")
    reason_ceased = coded_field("reason_episode_ceased", blank=True, help_text="REC")
    reason_place_change = coded_field("reason_place_change", blank=True, help_text="REASON_PLACE_CHANGE")
    carer_approval = coded_field(
        "carer_approval",
        blank=True,
        help_text="R24: the carer is a connected person temporarily approved as a foster parent (CPPCR 2010 reg 24). "
        "Not an SSDA903 item.",
    )

    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(
                fields=["ended_on", "started_on", "child"], name="cases_looked_after_open_cover"
            ),  # open on a day, index-only
        ]
        ordering = ["-started_on"]
        constraints = [
            in_codelist("reason_new_episode", "reason_new_episode"),
            in_codelist("legal_status", "legal_status"),
            in_codelist("category_of_need", "cla_category_of_need"),
            in_codelist("placement_type", "placement_type"),
            in_codelist("placement_provider", "placement_provider", blank=True),
            in_codelist("reason_ceased", "reason_episode_ceased", blank=True),
            in_codelist("reason_place_change", "reason_place_change", blank=True),
            in_codelist("carer_approval", "carer_approval", blank=True),
            dates_in_order("started_on", "ended_on", "An episode cannot end before it starts."),
            reason_exactly_when_ended(
                "ended_on",
                "reason_ceased",
                name="cases_lookedafterepisode_end_has_reason",
                message="An ended episode needs a reason it ceased (REC), and an open one has none.",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(ended_on__isnull=True),
                name="cases_one_open_looked_after_episode_per_child",
                violation_error_message="This child already has an open looked-after episode.",
            ),
        ]

    # Coded fields whose lists changed over the years: the code must be valid in the collection
    # year the episode started in (DECOM), so a 2023 episode keeps its Z1 and a new one uses Z11-Z14.
    # The database allows every code ever valid (in_codelist), so historic records load unchanged.
    CODES_OF_THEIR_YEAR = {"placement_type": "placement_type"}

    def clean(self) -> None:
        if not self.started_on:
            return
        errors = {}
        for field, list_name in self.CODES_OF_THEIR_YEAR.items():
            message = check_valid_on(list_name, getattr(self, field), self.started_on)
            if message:
                errors[field] = message
        if errors:
            raise ValidationError(errors)


class LookedAfterReview(RecordedModel):
    """SSDA903 Reviews module: an IRO-chaired review (REVIEW, REVIEW_CODE)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="looked_after_reviews")
    held_on = models.DateField()
    participation = coded_field("review_participation", blank=True)
    chaired_by = models.ForeignKey(
        "workforce.Worker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews_chaired",
        help_text="The independent reviewing officer who chaired the review (CPPCR 2010 reg 36).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        constraints = [in_codelist("participation", "review_participation", blank=True)]


class CarePlan(RecordedModel):
    """A looked-after child's care plan, made for a period of care.

    Care Planning, Placement and Case Review (England) Regulations 2010, reg 4: the care plan is
    prepared before the child is first placed or, if that is not practicable, within 10 working
    days of the start of the first placement.
    """

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_plans")
    episode = models.ForeignKey(
        LookedAfterEpisode,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_plans",
        help_text="The episode that started the period of care this plan is for.",
    )
    made_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_on"]
        indexes = [models.Index(fields=["child", "made_on"])]

    def clean(self) -> None:
        # A cross-table rule, so full_clean() only: no CHECK constraint can see the episode's child.
        if self.episode_id and self.child_id and self.episode.child_id != self.child_id:
            raise ValidationError({"episode": "This episode is another child's."})


class HealthAssessmentType(models.TextChoices):
    INITIAL = "IHA", "Initial health assessment"
    REVIEW = "RHA", "Review health assessment"


class HealthAssessment(RecordedModel):
    """A looked-after child's statutory health assessment.

    Care Planning, Placement and Case Review (England) Regulations 2010, reg 7 and Schedule 1: an
    initial assessment before the child's first review (so within 20 working days of becoming looked
    after), then a review assessment at least every 6 months before the child's fifth birthday and
    at least every 12 months from it.
    """

    AssessmentType = HealthAssessmentType

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="health_assessments")
    held_on = models.DateField()
    assessment_type = models.CharField(max_length=3, choices=HealthAssessmentType.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["child", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(assessment_type__in=HealthAssessmentType.values),
                name="cases_healthassessment_type_known",
                violation_error_message="Choose an initial (IHA) or a review (RHA) health assessment.",
            )
        ]


class MissingEpisode(RecordedModel):
    """SSDA903 Missing module, with the return home interview (72 hours, DfE 2014 guidance)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="missing_episodes")
    missing_type = coded_field("missing_type", max_length=1)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    return_interview_offered = models.BooleanField(default=False)
    return_interview_at = models.DateTimeField(
        null=True, blank=True, help_text="When the return interview was held, or the offer of one declined."
    )
    return_interview_outcome = coded_field(
        "return_interview_outcome",
        blank=True,
        help_text="HELD, or DECLINED: offered and declined (either stops the 72-hour clock).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            in_codelist("missing_type", "missing_type"),
            dates_in_order("started_at", "ended_at", "A child cannot return before they went missing."),
            dates_in_order("ended_at", "return_interview_at", "A return interview follows the return."),
            dates_in_order("started_at", "return_interview_at", "A return interview follows the return."),
            in_codelist("return_interview_outcome", "return_interview_outcome", blank=True),
            models.CheckConstraint(
                condition=~Q(return_interview_outcome="DECLINED")
                | (Q(return_interview_offered=True) & Q(return_interview_at__isnull=False)),
                name="cases_missingepisode_declined_was_offered",
                violation_error_message=(
                    "A declined return interview was offered: tick “offered” and give when it was declined."
                ),
            ),
        ]


class CareLeaverEpisode(RecordedModel):
    """A period in which the authority supports a care leaver (relevant / former relevant)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_leaver_episodes")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    # Required when support is ended through grip.cases.services.leaving_care; blank on episodes
    # ended before it was recorded (the seed, an import), so no "reason exactly when ended" CHECK.
    reason_ended = coded_field("care_leaver_support_ended", blank=True)

    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(
                fields=["ended_on", "started_on", "child"], name="cases_care_leaver_open_cover"
            ),  # open on a day, index-only
        ]
        ordering = ["-started_on"]
        constraints = [
            dates_in_order("started_on", "ended_on", "Care leaver support cannot end before it starts."),
            in_codelist("reason_ended", "care_leaver_support_ended", blank=True),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(ended_on__isnull=True),
                name="cases_one_open_care_leaver_episode_per_child",
                violation_error_message="This young person already has open care leaver support.",
            ),
        ]


# SSDA903 IN_TOUCH codes after which OC3 records no activity or accommodation (validation rule 344):
# the young person has died, or has returned home for 6 months or more.
NEITHER_ACTIVITY_NOR_ACCOMMODATION = ("DIED", "RHOM")


class CareLeaverContact(RecordedModel):
    """Contact with a care leaver, with OC3's in touch, activity and accommodation at that time."""

    care_leaver = models.ForeignKey(CareLeaverEpisode, on_delete=models.PROTECT, related_name="contacts")
    contact_on = models.DateField()
    in_touch = coded_field("care_leaver_in_touch", help_text="IN_TOUCH")
    activity = coded_field("care_leaver_activity", blank=True, help_text="ACTIV")
    accommodation = coded_field("care_leaver_accommodation", blank=True, help_text="ACCOM")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-contact_on"]
        constraints = [
            in_codelist("in_touch", "care_leaver_in_touch"),
            in_codelist("activity", "care_leaver_activity", blank=True),
            in_codelist("accommodation", "care_leaver_accommodation", blank=True),
            # SSDA903 validation rule 153: activity and accommodation are both coded or both blank.
            models.CheckConstraint(
                condition=(Q(activity="") & Q(accommodation="")) | (~Q(activity="") & ~Q(accommodation="")),
                name="cases_careleavercontact_activity_with_accommodation",
                violation_error_message="Give both the main activity and the accommodation, or neither.",
            ),
            # SSDA903 validation rule 344: a young person who has died or returned home has neither.
            models.CheckConstraint(
                condition=~Q(in_touch__in=NEITHER_ACTIVITY_NOR_ACCOMMODATION) | Q(activity=""),
                name="cases_careleavercontact_died_or_home_no_activity",
                violation_error_message=(
                    "A young person who has died or returned home has no activity or accommodation."
                ),
            ),
        ]


class PathwayPlanKind(models.TextChoices):
    PLAN = "PLAN", "Pathway plan made"
    REVIEW = "REVIEW", "Pathway plan review"


class PathwayPlanReview(RecordedModel):
    """A pathway plan, or a review of it (Care Leavers (England) Regulations 2010, reg 7).

    Either stops the six-monthly review clock (rule `pathway_plan_review`): a new plan is reviewed
    six months from when it is made. Rows recorded before plans and reviews were told apart are reviews.
    """

    Kind = PathwayPlanKind

    care_leaver = models.ForeignKey(CareLeaverEpisode, on_delete=models.PROTECT, related_name="pathway_plans")
    held_on = models.DateField()
    kind = models.CharField(max_length=6, choices=PathwayPlanKind.choices, default=PathwayPlanKind.REVIEW)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PathwayPlanKind.values),
                name="cases_pathwayplanreview_kind_known",
                violation_error_message="Choose a pathway plan made or a review of it.",
            )
        ]
