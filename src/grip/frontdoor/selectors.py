"""Reads of contacts, always within what the user may see (`contacts_visible_to`, below)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grip.access.models import RestrictedRecord
from grip.access.roles import WHOLE_AUTHORITY, Role, roles_of
from grip.access.scope import RestrictedMatch, children_visible_to, restricted_matches
from grip.core.calendar import authority_calendar
from grip.frontdoor import matching
from grip.frontdoor.clock import decision_due_day, decision_rules, rag_status
from grip.frontdoor.models import CLAIM_LASTS, Contact
from grip.frontdoor.named import NamedChild
from grip.timescales.deadlines import end_of_day


def contacts_visible_to(user) -> QuerySet[Contact]:
    """Contacts a user may see: a partner only those its organisation made; whole-authority roles
    every contact (including those not yet matched to a child); others the contacts of children in
    their scope."""
    roles = roles_of(user)
    seen = Contact.objects.none()
    if Role.PARTNER_AGENCY_USER in roles:
        membership = getattr(user, "partner_membership", None)
        if membership:
            seen = Contact.objects.filter(partner_organisation_id=membership.organisation_id)
    staff_roles = roles - {Role.PARTNER_AGENCY_USER}
    if staff_roles & WHOLE_AUTHORITY:
        restricted = RestrictedRecord.objects.filter(child_id=OuterRef("child_id"))
        everyone = Contact.objects.filter(
            Q(child__isnull=True) | ~Q(Exists(restricted)) | Q(child__in=children_visible_to(user))
        )
        return everyone | seen if Role.PARTNER_AGENCY_USER in roles else everyone  # no extra query to ask
    if staff_roles:
        in_scope = Contact.objects.filter(child__in=children_visible_to(user))
        return in_scope | seen if Role.PARTNER_AGENCY_USER in roles else in_scope
    return seen


NOT_FOUND = "No contact has this number, or it is not yours to see."
DEFAULT_URGENCY = "ROUTINE"  # contacts recorded before urgency was asked (no report) count as routine


def contacts_for(*, user, limit: int = 100) -> QuerySet[Contact]:
    return contacts_visible_to(user).select_related("partner_organisation").order_by("-received_at")[:limit]


def contact_for(*, user, pk: int) -> Contact:
    contact = contacts_visible_to(user).select_related("partner_organisation").filter(pk=pk).first()
    if contact is None:
        raise Http404(NOT_FOUND)
    return contact


@dataclass(frozen=True)
class ReportContacts:
    shown: list[Contact]  # the report's contacts the user may see, by reference
    hidden: int  # the others (about a child the user may not see): counted, never named


def report_contacts(*, user, contact: Contact) -> ReportContacts:
    """Every contact of `contact`'s report (just `contact` when it has none) the user may see."""
    if not contact.report_id:
        return ReportContacts([contact], 0)
    every = list(Contact.objects.filter(report_id=contact.report_id).values_list("pk", flat=True))
    shown = list(contacts_visible_to(user).filter(report_id=contact.report_id).order_by("reference"))
    return ReportContacts(shown, len(every) - len(shown))


def contact_for_front_door(*, user, pk: int) -> Contact:
    """One contact with everything its front door page shows, or Http404."""
    contact = (
        contacts_visible_to(user)
        .select_related("report", "child", "partner_organisation", "working_on_by", "decided_by", "signed_off_by")
        .prefetch_related("mash_checks__requested_by")
        .filter(pk=pk)
        .first()
    )
    if contact is None:
        raise Http404(NOT_FOUND)
    return contact


def needs_sign_off(contact: Contact) -> bool:
    """Decided with an outcome a manager must sign off (local policy), and not yet signed off."""
    return (
        bool(contact.decided_at) and contact.outcome in decision_rules().sign_off_outcomes and not contact.signed_off_at
    )


def referrer_outcome(contact: Contact) -> str:
    """The outcome code the referrer may see: none until decided, and until signed off where the
    authority requires a manager's sign-off."""
    return "" if not contact.decided_at or needs_sign_off(contact) else contact.outcome


def named_child(contact: Contact) -> NamedChild:
    """What the referrer said about the child, as the matcher takes it."""
    details = contact.named_details or {}

    def day(key):
        return date.fromisoformat(details[key]) if details.get(key) else None

    return NamedChild(
        first_name=contact.named_first_name,
        last_name=contact.named_last_name,
        date_of_birth=contact.named_date_of_birth,
        expected_date_of_birth=day("expected_date_of_birth"),
        **{key: details.get(key, "") for key in ("sex", "la_child_id", "upn", "nhs_number", "postcode", "address")},
    )


def claim_holder(contact: Contact, *, now: datetime):
    """The user whose claim ("I am working on this") still holds, or None."""
    if contact.working_on_by_id and contact.working_on_since and now - contact.working_on_since < CLAIM_LASTS:
        return contact.working_on_by
    return None


@dataclass(frozen=True)
class QueueItem:
    pk: int
    reference: str
    child_name: str
    matched: bool
    received_at: datetime
    due_on: date  # the decision is due by the end of this working day (Europe/London)
    due_at: datetime  # the end of due_on: overdue from this moment
    time_left: timedelta  # zero or negative once overdue
    rag: str  # "red", "amber" or "green"
    urgency: str
    working_on: str  # who holds the claim, or ""
    checks_outstanding: int
    possible_repeat: bool = False  # its report may repeat an earlier one (recorded, never merged)

    @property
    def overdue(self) -> bool:
        return self.time_left <= timedelta(0)


def front_door_queue(*, user, now: datetime) -> list[QueueItem]:
    """Every undecided contact the user may see, soonest deadline first (ties: oldest first).

    One query for the contacts, their child, report and claimant, and a count of the MASH checks
    still unanswered; the deadlines and RAG come from the decision clock in Python (they depend on
    the working-day calendar, which the database does not know)."""
    rows = (
        contacts_visible_to(user)
        .filter(decided_at__isnull=True)
        .select_related("child", "report", "working_on_by")
        .annotate(checks_outstanding=Count("mash_checks", filter=Q(mash_checks__responded_at__isnull=True)))
        .only(
            "pk",
            "reference",
            "received_at",
            "named_first_name",
            "named_last_name",
            "working_on_since",
            "child__first_name",
            "child__last_name",
            "report__urgency",
            "report__possible_repeat_of_id",
            "working_on_by__username",
            "working_on_by__first_name",
            "working_on_by__last_name",
        )
    )
    items = []
    for contact in rows:
        urgency = contact.report.urgency if contact.report_id else DEFAULT_URGENCY
        due_on = decision_due_day(contact.received_at)
        due = end_of_day(due_on)
        holder = claim_holder(contact, now=now)
        items.append(
            QueueItem(
                pk=contact.pk,
                reference=contact.reference,
                child_name=(
                    contact.child.full_name
                    if contact.child_id
                    else f"Not matched: {contact.named_first_name} {contact.named_last_name}".strip()
                ),
                matched=bool(contact.child_id),
                received_at=contact.received_at,
                due_on=due_on,
                due_at=due,
                time_left=due - now,
                rag=rag_status(received_at=contact.received_at, urgency=urgency, now=now),
                urgency=urgency,
                working_on=(holder.get_full_name() or holder.get_username()) if holder else "",
                checks_outstanding=contact.checks_outstanding,
                possible_repeat=bool(contact.report_id and contact.report.possible_repeat_of_id),
            )
        )
    items.sort(key=lambda item: (item.due_at, item.received_at, item.pk))
    return items


@dataclass(frozen=True)
class ContactMatching:
    """Who the contact's child may be (before matching), or who they are (after)."""

    candidates: list[matching.Candidate]  # children the user may see who may be the child named, best first
    matched: matching.Candidate | None  # the matched child, with their history
    flags: matching.RepeatFlags | None  # repeat contact / re-referral, once matched
    restricted: list[RestrictedMatch]  # restricted records matching an identifier given (no details)


def contact_matching(*, user, contact: Contact, named: NamedChild | None = None) -> ContactMatching:
    visible = children_visible_to(user)
    if contact.child_id:
        child = contact.child
        identifying = NamedChild(first_name=child.first_name, last_name=child.last_name, la_child_id=child.la_child_id)
        found = matching.find_candidates(named=identifying, within=visible.filter(pk=child.pk), limit=1)
        flags = matching.repeat_flags(child=child, on=contact.received_at)
        return ContactMatching(candidates=[], matched=found[0] if found else None, flags=flags, restricted=[])
    named = named or named_child(contact)
    candidates = [] if contact.decided_at else matching.find_candidates(named=named, within=visible)
    identifiers = {named.nhs_number, named.upn, named.la_child_id} - {""}
    restricted = [found for value in sorted(identifiers) for found in restricted_matches(user, identifier=value)]
    return ContactMatching(candidates=candidates, matched=None, flags=None, restricted=restricted)


@dataclass(frozen=True)
class FeedbackItem:
    contact: Contact
    decided_at: datetime
    feedback_due: date  # the referrer must be told by the end of this day
    late: bool


def feedback_waiting(*, user, now: datetime) -> list[FeedbackItem]:
    """Decided contacts whose referrer has not yet been told the outcome (most often: waiting for a
    manager's sign-off), with the day they must be told by (decision_rules().feedback_working_days
    working days after the decision), latest due first among the late."""
    cal = authority_calendar()
    days = decision_rules().feedback_working_days
    waiting = (
        contacts_visible_to(user)
        .filter(decided_at__isnull=False, outcome_sent_at__isnull=True)
        .select_related("child", "report")
        .order_by("decided_at")[:500]
    )
    today = timezone.localdate(now)
    items = []
    for contact in waiting:
        due = cal.add_working_days(timezone.localdate(contact.decided_at), days)
        items.append(FeedbackItem(contact, contact.decided_at, due, late=today > due))
    return items
