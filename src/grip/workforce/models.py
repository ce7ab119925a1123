"""The organisation that carries the work: service areas, teams, workers, their absences and supervision.

Named as the Children's social work workforce census names them (FTE, agency, vacancies,
sickness absence), so its measures come straight from these records.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from grip.core.fields import RecordedModel, coded_field, dates_in_order, in_codelist
from grip.workforce.establishment import Asye, Post, PostFilling, Registration, WorkerTerms
from grip.workforce.frequency import SupervisionFrequency
from grip.workforce.pulse import PulseAnswer, PulseAnswered

__all__ = [
    "Absence",
    "Asye",
    "Post",
    "PostFilling",
    "PulseAnswer",
    "PulseAnswered",
    "Registration",
    "ServiceArea",
    "Supervision",
    "SupervisionFrequency",
    "Team",
    "Worker",
    "WorkerTerms",
]


class ServiceArea(models.Model):
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamFunction(models.TextChoices):
    FRONT_DOOR = "front_door", "Front door / MASH"
    ASSESSMENT = "assessment", "Assessment"
    CHILD_IN_NEED = "child_in_need", "Children in need"
    CHILD_PROTECTION = "child_protection", "Child protection"
    CHILDREN_IN_CARE = "children_in_care", "Children in care"
    CARE_LEAVERS = "care_leavers", "Care leavers"
    EARLY_HELP = "early_help", "Early help"


class Team(models.Model):
    Function = TeamFunction

    name = models.CharField(max_length=120, unique=True)
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="teams")
    function = models.CharField(max_length=20, choices=Function.choices)
    establishment_fte = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        help_text="Funded FTE: the sum of the team's posts funded today (kept in step by the establishment services).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(function__in=TeamFunction.values),
                name="workforce_team_function_known",
                violation_error_message="Choose one of the team functions.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Worker(RecordedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="worker",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    role = coded_field("worker_role")
    is_qualified_social_worker = models.BooleanField(default=True)
    employment_type = coded_field("employment_type", max_length=12)
    fte = models.DecimalField("FTE", max_digits=3, decimal_places=2, default=Decimal("1.00"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="workers")
    manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    started_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    # The census's StartOrigin and ReasonLeave (grip.workforce.services.people records them).
    start_origin = coded_field("start_origin", blank=True, max_length=2)
    leaving_reason = coded_field("leaving_reason", blank=True, max_length=2)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            in_codelist("role", "worker_role"),
            in_codelist("employment_type", "employment_type"),
            in_codelist("start_origin", "start_origin", blank=True),
            in_codelist("leaving_reason", "leaving_reason", blank=True),
            dates_in_order("started_on", "left_on", "A worker cannot leave before they start."),
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=1),
                name="workforce_worker_fte_range",
                violation_error_message="FTE must be more than 0 and at most 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    def has_left_by(self, on: date) -> bool:
        """Whether the worker has left by `on`. `left_on` is the leaving date, the day they leave:
        from it on they are not in post, hold no case and have no access (grip.access.leaving)."""
        return self.left_on is not None and self.left_on <= on

    def in_post_on(self, on: date) -> bool:
        return self.started_on <= on and not self.has_left_by(on)


class Absence(RecordedModel):
    """A worker away: sickness or other absence, from its first day to its last (empty while it goes
    on). Whether it is short- or long-term is not stored: it follows from the type and the days gone
    by, by the local policy in reference/workforce/long_term_absence.toml (grip.timescales.pauses)."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="absences")
    absence_type = coded_field("absence_type", max_length=20)
    sickness_reason = coded_field("sickness_reason", blank=True, max_length=3)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="Last day of absence; empty while it goes on.")
    return_to_work_on = models.DateField(
        null=True, blank=True, help_text="The day the return-to-work meeting was held; empty if none yet."
    )

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            in_codelist("absence_type", "absence_type"),
            in_codelist("sickness_reason", "sickness_reason", blank=True),
            dates_in_order("started_on", "ended_on", "An absence cannot end before it starts."),
            dates_in_order(
                "started_on", "return_to_work_on", "A return-to-work meeting cannot be before the absence starts."
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker}: {self.get_absence_type_display()} from {self.started_on}"


class Supervision(RecordedModel):
    """A formal supervision session of a social worker with their manager.

    No statute sets the interval. The LGA Standards for employers of social workers (Standard 5)
    and the ASYE framework ask for supervision weekly for a newly qualified worker's first 6 weeks,
    fortnightly to 6 months, then at least monthly; monthly is the norm for every case-holder
    (rules `supervision_asye` and `supervision` in reference/timescales/rules.toml). A session held
    counts from the day it is recorded; the worker's confirmation (`confirmed_at`) says the record is
    agreed by both, and does not change when the session was held.
    """

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="supervisions")
    supervisor = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.SET_NULL, related_name="supervisions_given"
    )
    held_on = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    supervision_type = coded_field("supervision_type", blank=True, max_length=12)
    reflection = models.TextField(blank=True, help_text="The reflective part of the session.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="When the worker agreed the record.")

    class Meta:
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["worker", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("worker")),
                name="workforce_supervision_not_self",
                violation_error_message="A worker cannot supervise themselves.",
            ),
            in_codelist("supervision_type", "supervision_type", blank=True),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__gt=0),
                name="workforce_supervision_duration_positive",
                violation_error_message="A supervision session lasts some time.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker}: supervision on {self.held_on}"


class SupervisionDecision(models.Model):
    """A case discussed in a supervision session and the management decision recorded for it: it
    appears on the child's journey as management oversight (grip.workforce.journey)."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="decisions")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="supervision_decisions")
    decision = models.TextField()

    class Meta:
        ordering = ["supervision", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["supervision", "child"], name="workforce_decision_one_per_case"),
            models.CheckConstraint(
                condition=~Q(decision=""),
                name="workforce_decision_written",
                violation_error_message="Write the management decision.",
            ),
        ]

    def __str__(self) -> str:
        return f"Decision on {self.child_id} in {self.supervision}"
