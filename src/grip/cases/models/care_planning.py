"""The records of care planning the regulations put deadlines on: placement plans, personal
education plans and care proceedings (grip.timescales rules `placement_plan`,
`personal_education_plan`, `personal_education_plan_review` and `care_proceedings`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from grip.core.fields import RecordedModel, dates_in_order

from .care import LookedAfterEpisode


class PlacementPlan(RecordedModel):
    """A placement plan (Care Planning, Placement and Case Review (England) Regulations 2010, reg 9):
    agreed with the carer before the placement or, if that is not practicable, within 5 working days
    of its start. Linked to the SSDA903 episode that started the placement."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placement_plans")
    episode = models.ForeignKey(
        LookedAfterEpisode,
        on_delete=models.PROTECT,
        related_name="placement_plans",
        help_text="The episode that started the placement this plan is for.",
    )
    agreed_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-agreed_on"]
        indexes = [models.Index(fields=["episode", "agreed_on"])]

    def clean(self) -> None:
        if self.episode_id and self.child_id and self.episode.child_id != self.child_id:
            raise ValidationError({"episode": "This episode is another child's."})


class PersonalEducationPlan(RecordedModel):
    """A personal education plan (PEP), made or reviewed: part of the care plan (CPPCR 2010 reg 5(b)(ii)
    and Schedule 1 para 2), with its timing from the statutory guidance Promoting the education of
    looked-after children and previously looked-after children (DfE 2018)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="personal_education_plans")
    held_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["child", "held_on"])]


class CareProceedings(RecordedModel):
    """An application for a care or supervision order, from issue to its final disposal (Children Act
    1989 s32(1)(a), as amended by the Children and Families Act 2014 s14: within 26 weeks beginning
    with the day it was issued)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_proceedings")
    issued_on = models.DateField()
    concluded_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on"]
        verbose_name_plural = "care proceedings"
        indexes = [models.Index(fields=["child", "issued_on"])]
        constraints = [
            dates_in_order("issued_on", "concluded_on", "Proceedings cannot conclude before they are issued.")
        ]
