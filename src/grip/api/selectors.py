"""Reads for the partner API, always through the token's organisation: another organisation's
report is "not found", never "forbidden", so a reference reveals nothing about whether it exists."""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework.exceptions import NotFound

from grip.core.codelists import label
from grip.frontdoor.clock import decision_rules
from grip.frontdoor.models import Contact, ContactReport, PartnerOrganisation

NOT_FOUND = "No contact report has this reference, or it was not sent by your organisation."
RECEIVED, DECIDED = "received", "decided"


def report_of_organisation(*, organisation: PartnerOrganisation, reference: str) -> ContactReport:
    contacts = Contact.objects.order_by("pk").only(
        "pk", "report_id", "reference", "named_first_name", "named_last_name", "decided_at", "outcome", "signed_off_at"
    )
    report = (
        ContactReport.objects.filter(partner_organisation=organisation, reference=reference)
        .prefetch_related(Prefetch("contacts", queryset=contacts))
        .first()
    )
    if report is None:
        raise NotFound(NOT_FOUND)
    return report


def contact_status(contact: Contact) -> dict:
    """What the referrer may know of one child's contact: its decision once it stands, that is
    once made and, for outcomes the authority has managers sign off, signed off."""
    stands = contact.decided_at is not None and (
        contact.outcome not in decision_rules().sign_off_outcomes or contact.signed_off_at is not None
    )
    return {
        "contact_reference": contact.reference,
        "first_name": contact.named_first_name,
        "last_name": contact.named_last_name,
        "status": DECIDED if stands else RECEIVED,
        "outcome": contact.outcome if stands else None,
        "outcome_label": label("contact_outcome", contact.outcome) if stands else None,
        "decided_at": contact.decided_at if stands else None,
    }


def report_status(report: ContactReport) -> dict:
    return {
        "reference": report.reference,
        "received_at": report.received_at,
        "urgency": report.urgency,
        "children": [contact_status(contact) for contact in report.contacts.all()],
    }
