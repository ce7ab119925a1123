"""The establishment and each worker's history (issue 15): funded posts, who fills each post and
how, a worker's terms over time (role, team, FTE, contract, manager), Social Work England
registration and the ASYE.

Named as the Children's social work workforce census names them, so its measures come straight
from these records (grip.workforce.census). Periods are half-open, as everywhere in Grip
(grip.core.periods): a row is in force from its `started_on` and no longer on its `ended_on`.

The models are defined here and handed on by grip.workforce.models; they name Team and Worker
by label, so this module imports nothing of the app.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

from grip.core.fields import RecordedModel, coded_field, dates_in_order, in_codelist

FTE_RANGE = Q(fte__gt=0) & Q(fte__lte=1)
FTE_MESSAGE = "FTE must be more than 0 and at most 1."


class Post(RecordedModel):
    """A funded post in a team: its role (grade), its FTE, and whether its holder holds cases.

    A team's establishment is the sum of its posts' FTE on a day (Team.establishment_fte is that
    sum today, kept in step by grip.workforce.services.establishment)."""

    team = models.ForeignKey("workforce.Team", on_delete=models.PROTECT, related_name="posts")
    reference = models.CharField(max_length=30, blank=True, help_text="The authority's own post number, if any.")
    role = coded_field("worker_role")
    fte = models.DecimalField("FTE", max_digits=3, decimal_places=2, default=Decimal("1.00"))
    case_holding = models.BooleanField(default=True)
    started_on = models.DateField(help_text="The first day the post is funded.")
    ended_on = models.DateField(null=True, blank=True, help_text="The day the post is no longer funded.")

    class Meta:
        ordering = ["team", "role", "pk"]
        indexes = [models.Index(fields=["team", "ended_on"])]
        constraints = [
            in_codelist("role", "worker_role"),
            dates_in_order("started_on", "ended_on", "A post cannot stop being funded before it starts."),
            models.CheckConstraint(
                condition=FTE_RANGE, name="workforce_post_fte_range", violation_error_message=FTE_MESSAGE
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or f'Post {self.pk}'}: {self.role}, {self.fte} FTE"


class PostFilling(RecordedModel):
    """A worker in a post for a period, and how: permanent, agency cover, or secondment."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="fillings")
    worker = models.ForeignKey("workforce.Worker", on_delete=models.PROTECT, related_name="post_fillings")
    basis = coded_field("post_filling_basis", max_length=12)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="The first day the worker no longer fills it.")

    class Meta:
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["worker", "ended_on"])]
        constraints = [
            in_codelist("basis", "post_filling_basis"),
            dates_in_order("started_on", "ended_on", "A worker cannot leave a post before they fill it."),
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(ended_on__isnull=True),
                name="workforce_postfilling_one_open_per_post",
                violation_error_message="The post is already filled.",
            ),
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(ended_on__isnull=True),
                name="workforce_postfilling_one_open_per_worker",
                violation_error_message="The worker already fills a post.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} in {self.post} ({self.basis}) from {self.started_on}"


class WorkerTerms(RecordedModel):
    """A worker's terms from a day: role, team, FTE, contract and manager. One row per change, so
    "as at 31 March" gives that day's (grip.workforce.selectors.terms_on). The current row (no
    `ended_on`) is what Worker's own fields hold, kept in step in the same transaction."""

    worker = models.ForeignKey("workforce.Worker", on_delete=models.CASCADE, related_name="terms")
    role = coded_field("worker_role")
    team = models.ForeignKey("workforce.Team", on_delete=models.PROTECT, related_name="terms")
    fte = models.DecimalField("FTE", max_digits=3, decimal_places=2)
    employment_type = coded_field("employment_type", max_length=12)
    manager = models.ForeignKey(
        "workforce.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports_in_terms"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["worker", "started_on"]
        indexes = [models.Index(fields=["team", "started_on"])]
        constraints = [
            in_codelist("role", "worker_role"),
            in_codelist("employment_type", "employment_type"),
            dates_in_order("started_on", "ended_on", "Terms cannot end before they start."),
            models.CheckConstraint(
                condition=FTE_RANGE, name="workforce_workerterms_fte_range", violation_error_message=FTE_MESSAGE
            ),
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(ended_on__isnull=True),
                name="workforce_workerterms_one_current",
                violation_error_message="A worker has one set of current terms.",
            ),
            models.UniqueConstraint(
                fields=["worker", "started_on"],
                name="workforce_workerterms_one_per_day",
                violation_error_message="The worker's terms already change on that day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker}: {self.role}, {self.fte} FTE in {self.team} from {self.started_on}"


# Social Work England registration numbers: "SW" and digits (the census schema's SWENo is two
# letters and digits: shared/peer-data/liia-tools/liiatools/spec/social_work_workforce/
# social_work_workforce_2022.xsd, swetype). The database holds the "SW"; the service checks the rest.
SWE_NUMBER = r"^SW[0-9]{1,10}$"


class Registration(RecordedModel):
    """A registered social worker's Social Work England registration and when it is next renewed."""

    worker = models.OneToOneField("workforce.Worker", on_delete=models.CASCADE, related_name="registration")
    swe_number = models.CharField("Social Work England number", max_length=12, unique=True)
    renewal_due_on = models.DateField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(swe_number__startswith="SW"),
                name="workforce_registration_swe_number_form",
                violation_error_message="A Social Work England number is SW followed by numbers, like SW123456.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker}: {self.swe_number}"


class Asye(RecordedModel):
    """A newly qualified social worker's Assessed and Supported Year in Employment."""

    worker = models.OneToOneField("workforce.Worker", on_delete=models.CASCADE, related_name="asye")
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "ASYE"
        constraints = [dates_in_order("started_on", "completed_on", "The ASYE cannot be completed before it starts.")]

    def __str__(self) -> str:
        return f"{self.worker}: ASYE from {self.started_on}"
