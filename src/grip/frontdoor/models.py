"""Contacts: what arrives at the front door, and the decision on each one."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from simple_history.models import HistoricalRecords

from grip.core.fields import RecordedModel, coded_field, dates_in_order, in_codelist, validate_code_list

PASSED_TO_ALLOCATED_WORKER = "PASSED"  # contact_outcome: the child's case is already open


CLAIM_LASTS = timedelta(minutes=30)  # a practitioner's claim on a contact lapses after this long idle


class PartnerOrganisation(models.Model):
    """A partner agency (police, health, a school, ...) whose users submit contacts."""

    name = models.CharField(max_length=200, unique=True)
    referral_source = coded_field("referral_source", blank=True, help_text="The CIN ReferralSource code it reports as")

    class Meta:
        ordering = ["name"]
        constraints = [in_codelist("referral_source", "referral_source", blank=True)]

    def __str__(self) -> str:
        return self.name


class ContactReport(RecordedModel):
    """What a referrer sent: one report, with one reference, naming one or more children (siblings
    are reported together). Each child named becomes a Contact, decided on its own."""

    reference = models.CharField(max_length=20, unique=True)
    received_at = models.DateTimeField(db_index=True)
    route = coded_field("contact_route", max_length=12)
    source = coded_field("referral_source", help_text="Who made the contact, as CIN ReferralSource codes.")
    partner_organisation = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reporter_name = models.CharField(max_length=120)
    reporter_role = models.CharField(max_length=120, blank=True)
    reporter_organisation = models.CharField(max_length=120, blank=True)
    reporter_phone = models.CharField(max_length=40, blank=True)
    reporter_email = models.EmailField(blank=True)
    concerns = models.TextField()
    concern_categories = models.JSONField(default=list, blank=True)
    consent = coded_field("consent", max_length=20)
    urgency = coded_field("urgency", max_length=12)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001 - NULL: no key, never a clash
    possible_repeat_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="possible_repeats",
        help_text="An earlier report about the same child soon before: shown to the practitioner, never merged.",
    )

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            in_codelist("route", "contact_route"),
            in_codelist("source", "referral_source"),
            in_codelist("consent", "consent"),
            in_codelist("urgency", "urgency"),
            models.UniqueConstraint(
                fields=["partner_organisation", "idempotency_key"],
                name="frontdoor_report_idempotency_key_once",
                violation_error_message="This submission has already been received.",
            ),
        ]
        indexes = [
            # A true repeat is looked for among the organisation's reports by the reporter's name, in
            # any case (frontdoor.services._same_report_as).
            models.Index(models.F("partner_organisation"), Upper("reporter_name"), name="frontdoor_report_reporter"),
        ]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        validate_code_list(self.concern_categories, "concern_category", "concern_categories")


class Contact(RecordedModel):
    """A contact about a child (Ofsted Annex A list 1), decided within a working day (WT2023 ch.3).

    Until the front door matches it to a child's record (or makes a new one), `child` is empty and
    the `named_*` fields hold what the referrer said about the child."""

    reference = models.CharField(max_length=20, unique=True)
    report = models.ForeignKey(ContactReport, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts")
    child = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="contacts")
    named_first_name = models.CharField(max_length=100, blank=True)
    named_last_name = models.CharField(max_length=100, blank=True)
    named_date_of_birth = models.DateField(null=True, blank=True)
    named_details = models.JSONField(
        default=dict, blank=True, help_text="Other details the referrer gave: identifiers, address, sex."
    )
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
    decided_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The signed-in user who decided: sign-off must be by someone else (four eyes).",
    )
    outcome = coded_field("contact_outcome", blank=True)
    rationale = models.TextField(blank=True)
    episode = models.ForeignKey(
        "cases.CINEpisode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts_passed_on",
        help_text="The open CIN episode this contact was passed to (outcome PASSED): no new referral.",
    )
    working_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    working_on_since = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    outcome_sent_at = models.DateTimeField(null=True, blank=True, help_text="When the referrer was told the outcome.")

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
            models.CheckConstraint(
                condition=Q(outcome=PASSED_TO_ALLOCATED_WORKER, episode__isnull=False)
                | (~Q(outcome=PASSED_TO_ALLOCATED_WORKER) & Q(episode__isnull=True)),
                name="frontdoor_contact_passed_on_names_the_episode",
                violation_error_message="A contact passed to the allocated worker names the open episode it went to.",
            ),
        ]
        indexes = [
            models.Index(fields=["child", "received_at"]),
            models.Index(fields=["decided_at", "received_at"], name="frontdoor_contact_queue"),
        ]

    def __str__(self) -> str:
        return self.reference


class MashCheck(RecordedModel):
    """A request to a partner agency for what it knows about a child, and its answer."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="mash_checks")
    agency = coded_field("mash_agency", max_length=20)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            in_codelist("agency", "mash_agency"),
            dates_in_order("requested_at", "responded_at", "An answer cannot come before the question."),
            models.CheckConstraint(
                condition=Q(responded_at__isnull=True, response="") | (Q(responded_at__isnull=False) & ~Q(response="")),
                name="frontdoor_mashcheck_answer_has_time",
                violation_error_message="Record what the agency said and when it said it.",
            ),
        ]


class PartnerApiToken(models.Model):
    """A partner organisation's key to the contacts API. Only a hash of the key is stored."""

    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=100, help_text="What the key is for, e.g. the police's case system.")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name}"
