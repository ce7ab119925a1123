"""Contacts: what arrives at the front door, and the decision on each one."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from grip.core.fields import RecordedModel, coded_field, in_codelist


class PartnerOrganisation(models.Model):
    """A partner agency (police, health, a school, ...) whose users submit contacts."""

    name = models.CharField(max_length=200, unique=True)
    referral_source = coded_field("referral_source", blank=True, help_text="The CIN ReferralSource code it reports as")

    class Meta:
        ordering = ["name"]
        constraints = [in_codelist("referral_source", "referral_source", blank=True)]

    def __str__(self) -> str:
        return self.name


class Contact(RecordedModel):
    """A contact about a child (Ofsted Annex A list 1), decided within a working day (WT2023 ch.3)."""

    reference = models.CharField(max_length=20, unique=True)
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="contacts")
    received_at = models.DateTimeField(db_index=True)
    route = coded_field("contact_route", max_length=12)
    source = coded_field("referral_source", help_text="Who made the contact, as CIN ReferralSource codes.")
    partner_organisation = models.ForeignKey(
        PartnerOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        help_text="The partner agency that submitted it, when one did.",
    )
    reporter_name = models.CharField(max_length=120, blank=True)
    reporter_organisation = models.CharField(max_length=120, blank=True)
    concerns = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "workforce.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = coded_field("contact_outcome", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            in_codelist("route", "contact_route"),
            in_codelist("source", "referral_source"),
            in_codelist("outcome", "contact_outcome", blank=True),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | Q(decided_at__gte=models.F("received_at")),
                name="frontdoor_contact_decided_after_received",
                violation_error_message="A contact cannot be decided before it was received.",
            ),
            models.CheckConstraint(
                condition=(Q(decided_at__isnull=True) & Q(outcome="")) | (Q(decided_at__isnull=False) & ~Q(outcome="")),
                name="frontdoor_contact_decision_has_outcome",
                violation_error_message="A decided contact needs an outcome, and an outcome needs a decision time.",
            ),
        ]
        indexes = [models.Index(fields=["child", "received_at"])]

    def __str__(self) -> str:
        return self.reference
