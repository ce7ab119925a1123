"""Writes on a child's case: a referral opened from the front door, a strategy discussion
requested and then held (only an outcome of "section 47" starts an enquiry, dated from that
discussion), an assessment started when it actually starts, and a referral closed with no
further action (which carries no assessment, section 47 or conference: CIN census rule 8831).

Each service locks the row it changes, checks the request against the record, and writes its
audit entry in the same transaction. `referral_open` is a step of the front door's decision
(grip.frontdoor.services.contact_decide) and runs inside that decision's transaction; the others
are durable transactions of their own, called from the case pages.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from grip.audit import services as audit
from grip.cases.models import Assessment, ChildProtectionConference, CINEpisode, Section47Enquiry, StrategyDiscussion
from grip.core.codelists import codelist
from grip.people.models import Person

from .checks import aware, not_in_future, open_episode

SECTION47 = "S47"  # strategy_outcome: the only outcome that starts a section 47 enquiry
NFA_AT_REFERRAL = "RC8"  # closure_reason: case closed, no further action
MIN_REASON = 10  # characters: a reason or record in words, not a tick


def _request(*, episode: CINEpisode, requested_at: datetime, reason: str, by, contact=None) -> StrategyDiscussion:
    requested_at = aware(requested_at)
    if len(reason.strip()) < MIN_REASON:
        raise ValidationError({"reason": "Say why a strategy discussion is needed."})
    not_in_future(requested_at, "requested_at", "The request")
    if timezone.localdate(requested_at) < episode.referral_date:
        raise ValidationError({"requested_at": "A strategy discussion cannot be asked for before the referral."})
    if episode.strategy_discussions.filter(held_at__isnull=True).exists():
        raise ValidationError("A strategy discussion is already requested for this case: record it as held first.")
    discussion = StrategyDiscussion(
        episode=episode,
        contact=contact,
        requested_at=requested_at,
        requested_by=by if getattr(by, "is_authenticated", False) else None,
        reason=reason.strip(),
    )
    discussion.full_clean()
    discussion.save()
    audit.record(
        actor=by,
        verb="strategy_discussion_requested",
        target=discussion,
        child=episode.child,
        payload={"episode": episode.pk},
    )
    return discussion


def open_referral(*, child: Person, referral_date: date, referral_source: str, contact=None, by) -> CINEpisode:
    """The new CIN episode of a referral, and its audit entry, in the caller's transaction (the
    child's row locked by the caller, who has checked no case is open): the one way a referral
    opens, from the front door's decision (`referral_open`) or a step up from early help
    (grip.cases.services.early_help)."""
    episode = CINEpisode(child=child, contact=contact, referral_date=referral_date, referral_source=referral_source)
    episode.full_clean(validate_constraints=False)
    episode.save()
    audit.record(
        actor=by,
        verb="referral_opened",
        target=episode,
        child=child,
        payload={"contact": contact.pk if contact else None, "referral_date": referral_date.isoformat()},
    )
    return episode


@transaction.atomic  # a step of the front door's durable decision, in its transaction
def referral_open(*, contact, by, strategy_reason: str = "") -> CINEpisode:
    """Take a contact decided as a referral into children's social care.

    The referral date is the day the contact was received (CINreferralDate: the date the
    referral was received by children's social care; docs/front-door-record.md). With a
    `strategy_reason` a strategy discussion is requested at the decision's time. A child whose
    case is already open gets no second referral: a strategy discussion is requested on the open
    episode; a plain referral is refused (the contact is passed to the allocated worker instead).
    """
    child = Person.objects.select_for_update().get(pk=contact.child_id)
    current = CINEpisode.objects.filter(child=child, closure_date__isnull=True).first()
    if current is not None and not strategy_reason:
        raise ValidationError(
            "This child's case is already open: record the contact as passed to the allocated worker."
        )
    episode = current
    if episode is None:
        episode = open_referral(
            child=child,
            referral_date=timezone.localdate(contact.received_at),
            referral_source=contact.source,
            contact=contact,
            by=by,
        )
    if strategy_reason:
        _request(
            episode=episode,
            requested_at=contact.decided_at or timezone.now(),
            reason=strategy_reason,
            by=by,
            contact=contact,
        )
    return episode


@transaction.atomic(durable=True)
def strategy_discussion_request(*, episode: CINEpisode, requested_at: datetime, reason: str, by) -> StrategyDiscussion:
    """Ask for a strategy discussion on an open case (WT2023 ch.4): when, by whom and why."""
    return _request(episode=open_episode(episode), requested_at=requested_at, reason=reason, by=by)


@transaction.atomic(durable=True)
def strategy_discussion_hold(
    *,
    discussion: StrategyDiscussion,
    held_at: datetime,
    attended_by: list[str],
    outcome: str,
    notes: str = "",
    by,
) -> StrategyDiscussion:
    """Record a requested strategy discussion as held: when (date and time), which agencies took
    part, and its outcome. An outcome of "section 47" starts the enquiry, dated from this
    discussion; any other outcome starts nothing."""
    discussion = StrategyDiscussion.objects.select_for_update().get(pk=discussion.pk)
    if discussion.held_at is not None:
        raise ValidationError("This strategy discussion has already been recorded as held.")
    episode = open_episode(discussion.episode)
    held_at = aware(held_at)
    not_in_future(held_at, "held_at", "The discussion")
    if held_at < discussion.requested_at:
        raise ValidationError({"held_at": "A strategy discussion cannot be held before it was requested."})
    if outcome not in codelist("strategy_outcome"):
        raise ValidationError({"outcome": "Choose the outcome of the discussion."})
    if outcome == SECTION47 and episode.section47_enquiries.filter(completed_on__isnull=True).exists():
        # CIN census rule 8839: "Within one CINDetails group there are 2 or more open S47 Assessments"
        raise ValidationError({"outcome": "A section 47 enquiry is already under way on this case."})
    discussion.held_at = held_at
    discussion.attended_by = list(dict.fromkeys(attended_by))
    discussion.outcome = outcome
    discussion.notes = notes.strip()
    discussion.full_clean()
    discussion.save(update_fields=["held_at", "attended_by", "outcome", "notes"])
    enquiry = None
    if outcome == SECTION47:
        enquiry = Section47Enquiry(
            episode=episode, strategy_discussion=discussion, started_on=timezone.localdate(held_at)
        )
        enquiry.full_clean()
        enquiry.save()
    audit.record(
        actor=by,
        verb="strategy_discussion_held",
        target=discussion,
        child=episode.child,
        payload={"outcome": outcome, "section47": enquiry.pk if enquiry else None},
    )
    return discussion


@transaction.atomic(durable=True)
def assessment_start(*, episode: CINEpisode, started_on: date, by) -> Assessment:
    """Start the child and family assessment on an open case, on the day it actually starts."""
    episode = open_episode(episode)
    if episode.referral_nfa:
        raise ValidationError("This referral was closed with no further action: it carries no assessment.")
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": "An assessment cannot start in the future."})
    if episode.assessments.filter(authorised_on__isnull=True).exists():
        raise ValidationError("An assessment is already under way on this case.")
    assessment = Assessment(episode=episode, started_on=started_on)
    assessment.full_clean()
    assessment.save()
    audit.record(
        actor=by,
        verb="assessment_started",
        target=assessment,
        child=episode.child,
        payload={"episode": episode.pk, "started_on": started_on.isoformat()},
    )
    return assessment


@transaction.atomic(durable=True)
def referral_close_nfa(*, episode: CINEpisode, closed_on: date, by) -> CINEpisode:
    """Close a referral with no further action (CIN census ReferralNFA, N00112).

    Refused when anything has happened on the referral since: CIN census rule 8831, "Activity is
    recorded against a case marked as a referral with no further action" (an assessment start or
    authorisation, a section 47 start or an initial conference)."""
    episode = open_episode(episode)
    if closed_on < episode.referral_date:
        raise ValidationError({"closed_on": "A referral cannot close before its referral date."})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": "A referral cannot be closed in the future."})
    activity = [
        what
        for what, there in (
            ("an assessment", episode.assessments.exists()),
            ("a section 47 enquiry", episode.section47_enquiries.exists()),
            ("an initial conference", ChildProtectionConference.objects.filter(episode=episode).exists()),
        )
        if there
    ]
    if activity:
        raise ValidationError(
            f"This referral has {' and '.join(activity)}: it cannot be closed as no further action at referral "
            "(CIN census rule 8831). Close it with the reason that fits what was done."
        )
    episode.referral_nfa = True
    episode.closure_date = closed_on
    episode.closure_reason = NFA_AT_REFERRAL
    episode.full_clean(validate_constraints=False)
    episode.save(update_fields=["referral_nfa", "closure_date", "closure_reason"])
    audit.record(
        actor=by, verb="referral_closed_nfa", target=episode, child=episode.child, payload={"closed_on": str(closed_on)}
    )
    return episode
