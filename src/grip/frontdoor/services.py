"""Front door writes: receive a report, match each child, ask partners (MASH checks), claim,
decide, sign off and tell the referrer. Each is one durable transaction with its audit entry."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from grip.access.capabilities import SIGN_OFF_A_DECISION
from grip.audit import services as audit
from grip.cases import services as case_services
from grip.cases.selectors import open_cin_episode
from grip.core.codelists import label
from grip.frontdoor.clock import decision_rules
from grip.frontdoor.models import (
    CLAIM_LASTS,
    PASSED_TO_ALLOCATED_WORKER,
    Contact,
    ContactReport,
    MashCheck,
    PartnerOrganisation,
)
from grip.frontdoor.named import NamedChild
from grip.people.models import Person

# A report naming a child already named in a report this close in time is shown as a possible repeat
# (never merged: only a true repeat is; see _same_report_as).
POSSIBLE_REPEAT_WINDOW = timedelta(minutes=10)


def _normalised(text: str) -> str:
    """Text compared as a person reads it: case and runs of whitespace do not make it different."""
    return " ".join(text.split()).casefold()


def _named(children) -> set[tuple]:
    return {(_normalised(c.first_name), _normalised(c.last_name), c.date_of_birth) for c in children}


def _same_report_as(*, partner_organisation, idempotency_key, reporter_name, concerns, children):
    """The report this one repeats exactly (a resend, not a new concern), or None.

    Only a true repeat: the same organisation's idempotency key, or the same organisation and
    reporter sending the same concerns about the same children. Without an organisation (a phone
    call, a member of the public) the reporter's name proves nothing: two anonymous callers are
    never one report."""
    if idempotency_key:
        found = ContactReport.objects.filter(
            partner_organisation=partner_organisation, idempotency_key=idempotency_key
        ).first()
        if found:
            return found
    if partner_organisation is None:
        return None
    same_reporter = ContactReport.objects.filter(
        partner_organisation=partner_organisation, reporter_name__iexact=" ".join(reporter_name.split())
    ).prefetch_related("contacts")
    for report in same_reporter.order_by("received_at", "pk"):
        if _normalised(report.concerns) != _normalised(concerns):
            continue
        named = {
            (_normalised(c.named_first_name), _normalised(c.named_last_name), c.named_date_of_birth)
            for c in report.contacts.all()
        }
        if named == _named(children):
            return report
    return None


def _possible_repeat_of(*, children, received_at):
    """The latest earlier report naming one of the same children within POSSIBLE_REPEAT_WINDOW, from
    anyone: recorded as a new report, but shown to the practitioner beside the earlier one."""
    recent = ContactReport.objects.filter(
        received_at__gte=received_at - POSSIBLE_REPEAT_WINDOW,
        received_at__lte=received_at + POSSIBLE_REPEAT_WINDOW,
    ).prefetch_related("contacts")
    wanted = _named(children)
    for report in recent.order_by("-received_at", "-pk"):
        if wanted & {
            (_normalised(c.named_first_name), _normalised(c.named_last_name), c.named_date_of_birth)
            for c in report.contacts.all()
        }:
            return report
    return None


@transaction.atomic(durable=True)
def contact_report_receive(
    *,
    received_at: datetime,
    route: str,
    source: str,
    reporter_name: str,
    concerns: str,
    consent: str,
    urgency: str,
    children: list[NamedChild],
    concern_categories: list[str] | None = None,
    reporter_role: str = "",
    reporter_organisation: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    partner_organisation: PartnerOrganisation | None = None,
    idempotency_key: str | None = None,
    by=None,
) -> tuple[ContactReport, bool]:
    """Record a report naming one or more children; returns (report, created). Only a true repeat of
    a report already received (see _same_report_as) returns the first one and creates nothing; any
    other report is recorded, linked to an earlier report about the same child as a possible repeat."""
    if not children:
        raise ValidationError({"children": "Name at least one child."})
    existing = _same_report_as(
        partner_organisation=partner_organisation,
        idempotency_key=idempotency_key,
        reporter_name=reporter_name,
        concerns=concerns,
        children=children,
    )
    if existing:
        return existing, False
    report = ContactReport(
        reference=f"new-{uuid4().hex[:16]}",
        received_at=received_at,
        route=route,
        source=source,
        partner_organisation=partner_organisation,
        submitted_by=by if getattr(by, "is_authenticated", False) else None,
        reporter_name=reporter_name.strip(),
        reporter_role=reporter_role,
        reporter_organisation=reporter_organisation,
        reporter_phone=reporter_phone,
        reporter_email=reporter_email,
        concerns=concerns.strip(),
        concern_categories=concern_categories or [],
        consent=consent,
        urgency=urgency,
        idempotency_key=idempotency_key,
        possible_repeat_of=_possible_repeat_of(children=children, received_at=received_at),
    )
    report.full_clean(
        validate_constraints=False
    )  # fields and codes checked here; the database enforces the constraints
    try:
        with transaction.atomic():
            report.save()
            report.reference = f"FD{report.pk:07d}"  # race-free: the reference is the report's number
            report.save(update_fields=["reference"])
    except IntegrityError:  # the same key raced in from a second request: that one stands
        return ContactReport.objects.get(
            partner_organisation=partner_organisation, idempotency_key=idempotency_key
        ), False
    for number, named in enumerate(children, 1):
        details = {
            k: v for k, v in asdict(named).items() if v and k not in ("first_name", "last_name", "date_of_birth")
        }
        contact = Contact(
            reference=f"{report.reference}-{number}",
            report=report,
            received_at=received_at,
            route=route,
            source=source,
            partner_organisation=partner_organisation,
            reporter_name=report.reporter_name,
            reporter_organisation=reporter_organisation or (partner_organisation.name if partner_organisation else ""),
            concerns=report.concerns,
            named_first_name=named.first_name.strip(),
            named_last_name=named.last_name.strip(),
            named_date_of_birth=named.date_of_birth,
            named_details={k: str(v) for k, v in details.items()},
        )
        contact.full_clean(exclude=["child"], validate_constraints=False)
        contact.save()
    audit.record(
        actor=by,
        verb="contact_received",
        target=report,
        payload={
            "reference": report.reference,
            "children": len(children),
            "possible_repeat_of": report.possible_repeat_of.reference if report.possible_repeat_of else None,
        },
    )
    return report, True


@transaction.atomic(durable=True)
def contact_match(*, contact: Contact, child: Person | None = None, create: NamedChild | None = None, by) -> Person:
    """Link the contact to an existing child's record, or make a new record from what was named."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.decided_at:
        raise ValidationError("This contact has been decided: its child can no longer be changed.")
    if (child is None) == (create is None):
        raise ValidationError("Choose an existing child, or create a new record, not both.")
    if create is not None:
        child = Person(
            la_child_id=_next_la_child_id(),
            first_name=create.first_name.strip(),
            last_name=create.last_name.strip(),
            date_of_birth=create.date_of_birth,
            expected_date_of_birth=create.expected_date_of_birth,
            sex=create.sex,
            upn=create.upn,
            nhs_number=create.nhs_number,
            postcode=create.postcode,
            address=create.address,
        )
        child.full_clean()
        child.save()
    contact.child = child
    contact.save(update_fields=["child"])
    audit.record(
        actor=by, verb="contact_matched", target=contact, child=child, payload={"created_record": create is not None}
    )
    return child


def _next_la_child_id() -> str:
    last = Person.objects.filter(la_child_id__startswith="GR").aggregate(m=Max("la_child_id"))["m"]
    return f"GR{(int(last[2:]) + 1 if last else 1):08d}"


@transaction.atomic(durable=True)
def contact_claim(*, contact: Contact, by) -> Contact:
    """Say "I am working on this": others see who, and cannot decide it while the claim holds."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    now = timezone.now()
    if contact.decided_at:
        raise ValidationError("This contact has already been decided.")
    if (
        contact.working_on_by_id not in (None, by.pk)
        and contact.working_on_since
        and now - contact.working_on_since < CLAIM_LASTS
    ):
        raise ValidationError(
            f"{contact.working_on_by.get_full_name() or contact.working_on_by} is working on this contact."
        )
    contact.working_on_by, contact.working_on_since = by, now
    contact.save(update_fields=["working_on_by", "working_on_since"])
    audit.record(actor=by, verb="contact_claimed", target=contact, child=contact.child)
    return contact


@transaction.atomic(durable=True)
def mash_check_request(*, contact: Contact, agency: str, question: str = "", by) -> MashCheck:
    check = MashCheck(
        contact=contact, agency=agency, question=question.strip(), requested_at=timezone.now(), requested_by=by
    )
    check.full_clean()
    check.save()
    audit.record(actor=by, verb="mash_check_requested", target=check, child=contact.child, payload={"agency": agency})
    return check


@transaction.atomic(durable=True)
def mash_check_answer(*, check: MashCheck, response: str, responded_at: datetime | None = None, by) -> MashCheck:
    check = MashCheck.objects.select_for_update().get(pk=check.pk)
    if check.responded_at:
        raise ValidationError("This check has already been answered.")
    if not response.strip():
        raise ValidationError({"response": "Record what the agency said."})
    check.response, check.responded_at = response.strip(), responded_at or timezone.now()
    check.full_clean()
    check.save(update_fields=["response", "responded_at"])
    audit.record(actor=by, verb="mash_check_answered", target=check, child=check.contact.child)
    return check


@transaction.atomic(durable=True)
def contact_decide(
    *, contact: Contact, outcome: str, rationale: str, by, decided_at: datetime | None = None
) -> Contact:
    """Decide a contact. A referral opens the child's CIN episode, dated the day the contact was
    received; "strategy discussion" opens it too (or uses the case already open) and records the
    discussion as requested, not held. A contact about a child whose case is already open is
    passed to the allocated worker: the open episode gets it and no referral is made. Two people
    cannot decide one contact: the row is locked, and a decided contact or one claimed by someone
    else is refused."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    now = decided_at or timezone.now()
    if contact.decided_at:
        raise ValidationError("This contact has already been decided.")
    if (
        contact.working_on_by_id not in (None, by.pk)
        and contact.working_on_since
        and now - contact.working_on_since < CLAIM_LASTS
    ):
        raise ValidationError("Someone else is working on this contact.")
    if contact.child_id is None:
        raise ValidationError("Match the contact to a child's record before deciding it.")
    if len(rationale.strip()) < 10:
        raise ValidationError({"rationale": "Give the reasons for the decision."})
    contact.outcome, contact.rationale, contact.decided_at = outcome, rationale.strip(), now
    contact.decided_by = getattr(by, "worker", None)
    contact.decided_by_user = by
    contact.working_on_by = contact.working_on_since = None
    if outcome == PASSED_TO_ALLOCATED_WORKER:
        contact.episode = open_cin_episode(child=contact.child)
        if contact.episode is None:
            raise ValidationError({"outcome": "This child has no open case to pass the contact to."})
    contact.full_clean()
    contact.save()
    if outcome in ("REF", "STRAT"):
        case_services.referral_open(
            contact=contact, by=by, strategy_reason=contact.rationale if outcome == "STRAT" else ""
        )
    elif outcome == "EH":
        case_services.early_help_from_contact(contact=contact, by=by)
    audit.record(
        actor=by,
        verb="contact_decided",
        target=contact,
        child=contact.child,
        payload={"outcome": outcome, "needs_sign_off": outcome in decision_rules().sign_off_outcomes},
    )
    transaction.on_commit(lambda: notify_referrer(contact_pk=contact.pk))
    return contact


@transaction.atomic(durable=True)
def contact_sign_off(*, contact: Contact, by) -> Contact:
    if not SIGN_OFF_A_DECISION.held_by(by):
        raise ValidationError("Only a manager can sign off a decision.")
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not contact.decided_at:
        raise ValidationError("There is no decision to sign off yet.")
    if contact.signed_off_at:
        raise ValidationError("This decision has already been signed off.")
    # Four eyes: compare the signed-in people, not Worker rows (a manager may have none).
    decider = contact.decided_by_user_id or (contact.decided_by.user_id if contact.decided_by_id else None)
    if decider == by.pk:
        raise ValidationError("A decision is signed off by a manager other than the person who made it.")
    contact.signed_off_by, contact.signed_off_at = by, timezone.now()
    contact.save(update_fields=["signed_off_by", "signed_off_at"])
    audit.record(actor=by, verb="contact_signed_off", target=contact, child=contact.child)
    transaction.on_commit(lambda: notify_referrer(contact_pk=contact.pk))
    return contact


def notify_referrer(*, contact_pk: int) -> None:
    """Tell the referrer the outcome (by e-mail where they gave an address) and record when."""
    from django.core.mail import send_mail

    with transaction.atomic():
        contact = Contact.objects.select_for_update(of=("self",)).select_related("report").get(pk=contact_pk)
        if contact.outcome_sent_at or not contact.decided_at:
            return
        if contact.outcome in decision_rules().sign_off_outcomes and not contact.signed_off_at:
            return  # told once signed off
        email = contact.report.reporter_email if contact.report else ""
        if email:
            send_mail(
                subject=f"Contact {contact.reference}: outcome",
                message=(
                    f"Thank you for contact {contact.reference}. Outcome: {label('contact_outcome', contact.outcome)}."
                ),
                from_email=None,
                recipient_list=[email],
            )
        contact.outcome_sent_at = timezone.now()
        contact.save(update_fields=["outcome_sent_at"])
        audit.record(
            actor=None, verb="outcome_sent", target=contact, child=contact.child, payload={"by_email": bool(email)}
        )
