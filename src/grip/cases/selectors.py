"""Reads of a child's involvement for screens: the stage they are at, their journey, search.

The stage is derived from the records every time it is asked for, never stored, so it can be
asked "as at" any past date and can never drift from the record.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from grip.allocation.models import Allocation
from grip.core.codelists import label
from grip.core.formatting import long_date, when
from grip.core.periods import open_on
from grip.frontdoor.models import Contact
from grip.people.models import Person

from .models import (
    CareLeaverEpisode,
    ChildProtectionPlan,
    CINEpisode,
    EarlyHelpEpisode,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    StrategyDiscussion,
    Visit,
)

STAGE_LABELS: dict[str, str] = {
    "looked_after": "Looked after",
    "child_protection": "Child protection plan",
    "child_in_need": "Child in need",
    "care_leaver": "Care leaver",
    "early_help": "Early help",
    "contact": "Contact",
    "closed": "Closed",
    "no_involvement": "No involvement",
}
# Stages in which the child has an open case, which should have a lead worker.
OPEN_STAGES = frozenset({"looked_after", "child_protection", "child_in_need", "care_leaver", "early_help"})
RETURN_INTERVIEW_HOURS = 72  # DfE statutory guidance on children who run away or go missing (2014)


def open_cin_episode(*, child: Person) -> CINEpisode | None:
    """The child's open CIN episode (there is at most one), or None."""
    return CINEpisode.objects.filter(child=child, closure_date__isnull=True).first()


# Each kind of involvement: the stage it puts a child in (in priority order), its model, the
# path from it to the child, and its start and end date fields.
INVOLVEMENT = [
    ("looked_after", LookedAfterEpisode, "child", "started_on", "ended_on"),
    ("child_protection", ChildProtectionPlan, "episode__child", "started_on", "ended_on"),
    ("child_in_need", CINEpisode, "child", "referral_date", "closure_date"),
    ("care_leaver", CareLeaverEpisode, "child", "started_on", "ended_on"),
    ("early_help", EarlyHelpEpisode, "child", "started_on", "ended_on"),
]


def stage_annotations(on: date) -> dict[str, Any]:
    """Per child: is each kind of involvement open on `on`, when did the last one end by `on`,
    and when was the last contact received by the end of `on`."""
    annotations: dict[str, Any] = {}
    for stage, model, to_child, started, ended in INVOLVEMENT:
        rows = model.objects.filter(**{to_child: OuterRef("pk")})
        annotations[f"open_{stage}"] = Exists(rows.filter(open_on(started, ended, on)))
        last_end = rows.filter(**{f"{ended}__lte": on}).order_by(f"-{ended}").values(ended)[:1]
        annotations[f"last_end_{stage}"] = Subquery(last_end)
    end_of_day = timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))
    contacts = Contact.objects.filter(child=OuterRef("pk"), received_at__lt=end_of_day)
    last_contact = contacts.order_by("-received_at").values("received_at")[:1]
    annotations["last_contact_at"] = Subquery(last_contact)
    return annotations


def stage_from(row: Person) -> str:
    """The stage from `stage_annotations` values: the first open involvement in priority order;
    otherwise "contact" if a contact came after all involvement ended (or there was none),
    "closed" if there was involvement, and "no_involvement" for a child with no record yet."""
    for stage, *_ in INVOLVEMENT:
        if getattr(row, f"open_{stage}"):
            return stage
    ends = [getattr(row, f"last_end_{stage}") for stage, *_ in INVOLVEMENT]
    last_end = max((end for end in ends if end is not None), default=None)
    if row.last_contact_at is not None:
        if last_end is None or timezone.localdate(row.last_contact_at) > last_end:
            return "contact"
    return "closed" if last_end is not None else "no_involvement"


def child_stage(*, child: Person, on: date | None = None) -> str:
    """Where the child is in their journey on `on` (default today): a key of STAGE_LABELS."""
    on = on or timezone.localdate()
    return stage_from(Person.objects.annotate(**stage_annotations(on)).get(pk=child.pk))


def current_lead_allocation(*, child: Person, on: date | None = None) -> Allocation | None:
    """The lead allocation running on `on` (default today), with its worker and team."""
    running = open_on("started_on", "ended_on", on or timezone.localdate())
    leads = Allocation.objects.filter(running, child=child, role=Allocation.Role.LEAD)
    return leads.select_related("worker", "team").first()


@dataclass(frozen=True)
class ChildMatch:
    child: Person
    stage: str


def children_matching(*, query: str, within: QuerySet[Person], limit: int = 50) -> list[ChildMatch]:
    """Children of `within` (the caller's scope: grip.access.scope.children_visible_to) whose LA child
    ID, UPN or NHS number is `query` exactly, or whose first or last names start with each word of it
    (any case), with their stage today; by name."""
    terms = query.split()
    if not terms:
        return []
    compact = "".join(terms)  # identifiers are often typed with spaces: "943 476 5919"
    match = Q(la_child_id=compact.upper()) | Q(la_child_id=compact) | Q(upn=compact.upper())
    if compact.isdigit():
        match |= Q(nhs_number=compact)
    names = Q()
    for term in terms:
        names &= Q(first_name__istartswith=term) | Q(last_name__istartswith=term)
    by_name = ["last_name", "first_name", "date_of_birth", "pk"]
    first = within.filter(match | names).order_by(*by_name).values("pk")[:limit]
    # Stages only for the children shown, however many match (one query: a subquery).
    rows = Person.objects.filter(pk__in=first).annotate(**stage_annotations(timezone.localdate())).order_by(*by_name)
    return [ChildMatch(child=row, stage=stage_from(row)) for row in rows]


@dataclass(frozen=True)
class JourneyEvent:
    when: date
    kind: str
    title: str
    detail: str = ""  # lines separated by "\n"
    until: date | None = None
    by: str = ""


# Events of one day, earliest first: a contact leads to a referral, then an assessment, a
# strategy discussion, ...; a plan or episode ends before the next begins; a case closes last.
KIND_ORDER = {
    kind: i
    for i, kind in enumerate(
        "contact early_help_ended referral early_help assessment assessment_authorised"
        " strategy_requested strategy_discussion section47 section47_completed conference cp_plan_ended cp_plan"
        " cin_plan looked_after_ended looked_after care_leaver allocation visit looked_after_review"
        " missing care_leaver_contact pathway_plan care_leaver_ended cin_closed".split()
    )
}


def child_journey(*, child: Person) -> list[JourneyEvent]:
    """Everything that has happened in the child's involvement, newest first.

    One query per kind of record (17 in all), whatever the length of the journey.
    """
    events = [
        *_contact_events(child),
        *_need_events(child),
        *_care_events(child),
        *_care_leaver_events(child),
        *_allocation_events(child),
    ]
    events.sort(key=lambda e: (e.when, KIND_ORDER[e.kind]), reverse=True)
    return events


def _lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def _labelled(caption: str, list_name: str, code: str) -> str:
    """`Caption: label` for a recorded code; nothing when no code is recorded."""
    return f"{caption}: {label(list_name, code)}" if code else ""


def _contact_events(child: Person) -> Iterator[JourneyEvent]:
    for c in Contact.objects.filter(child=child).select_related("decided_by", "episode"):
        reporter = ", ".join(part for part in (c.reporter_name, c.reporter_organisation) if part)
        decision = "Awaiting a decision"
        if c.decided_at:
            decision = _labelled("Decision", "contact_outcome", c.outcome) + f" ({when(c.decided_at)})"
        detail = _lines(
            f"Reference {c.reference}",
            _labelled("Source", "referral_source", c.source),
            _labelled("Route", "contact_route", c.route),
            f"Reported by {reporter}" if reporter else "",
            decision,
            f"Passed to the open case (referral of {long_date(c.episode.referral_date)})" if c.episode else "",
        )
        day = timezone.localdate(c.received_at)
        yield JourneyEvent(day, "contact", "Contact received", detail, by=str(c.decided_by or ""))


def _need_events(child: Person) -> Iterator[JourneyEvent]:
    for eh in EarlyHelpEpisode.objects.filter(child=child):
        yield JourneyEvent(eh.started_on, "early_help", "Early help started", until=eh.ended_on)
        if eh.ended_on:
            reason = label("early_help_closure", eh.closure_reason)
            yield JourneyEvent(eh.ended_on, "early_help_ended", "Early help ended", reason)
    discussions = Prefetch("strategy_discussions", queryset=StrategyDiscussion.objects.select_related("requested_by"))
    related = ["assessments", "cin_plans", discussions, "section47_enquiries"]
    episodes = CINEpisode.objects.filter(child=child)
    for ep in episodes.prefetch_related(*related, "conferences", "cp_plans"):
        detail = _lines(
            _labelled("Source", "referral_source", ep.referral_source),
            _labelled("Primary need", "primary_need", ep.primary_need),
            "No further action at referral" if ep.referral_nfa else "",
        )
        yield JourneyEvent(ep.referral_date, "referral", "Referral", detail, until=ep.closure_date)
        if ep.closure_date:
            reason = label("closure_reason", ep.closure_reason)
            yield JourneyEvent(ep.closure_date, "cin_closed", "Case closed", reason)
        yield from _episode_events(ep)


def _episode_events(ep: CINEpisode) -> Iterator[JourneyEvent]:
    for a in ep.assessments.all():
        yield JourneyEvent(a.started_on, "assessment", "Assessment started", until=a.authorised_on)
        if a.authorised_on:
            factors = [label("assessment_factor", code) for code in a.factors]
            detail = _lines("Factors identified:", *factors) if factors else "No factors recorded"
            title = "Assessment authorised"
            yield JourneyEvent(a.authorised_on, "assessment_authorised", title, detail)
    for plan in ep.cin_plans.all():
        yield JourneyEvent(plan.started_on, "cin_plan", "Child in need plan", until=plan.ended_on)
    for sd in ep.strategy_discussions.all():
        yield from _strategy_events(sd)
    for s47 in ep.section47_enquiries.all():
        title = "Section 47 enquiry started"
        yield JourneyEvent(s47.started_on, "section47", title, until=s47.completed_on)
        if s47.completed_on:
            outcome = _labelled("Outcome", "s47_outcome", s47.outcome)
            title = "Section 47 enquiry completed"
            yield JourneyEvent(s47.completed_on, "section47_completed", title, outcome)
    for conf in ep.conferences.all():
        detail = ""
        if conf.conference_type == "ICPC":
            detail = "Child protection plan made" if conf.plan_id else "No child protection plan"
        title = label("conference_type", conf.conference_type)
        yield JourneyEvent(conf.held_on, "conference", title, detail)
    for cp in ep.cp_plans.all():
        category = _labelled("Category of abuse", "category_of_abuse", cp.initial_category)
        title = "Child protection plan started"
        yield JourneyEvent(cp.started_on, "cp_plan", title, category, until=cp.ended_on)
        if cp.ended_on:
            latest = _labelled("Latest category of abuse", "category_of_abuse", cp.latest_category)
            title = "Child protection plan ended"
            yield JourneyEvent(cp.ended_on, "cp_plan_ended", title, latest)


def _strategy_events(sd: StrategyDiscussion) -> Iterator[JourneyEvent]:
    """A strategy discussion is two steps: requested (when, by whom, why), then held (when, who
    took part, the outcome). One not yet held shows as awaited."""
    asked = timezone.localtime(sd.requested_at)
    by = (sd.requested_by.get_full_name() or sd.requested_by.get_username()) if sd.requested_by else ""
    detail = _lines(
        f"Requested {when(sd.requested_at)}",
        f"Reason: {sd.reason}" if sd.reason else "",
        "" if sd.held_at else "Not yet held",
    )
    yield JourneyEvent(asked.date(), "strategy_requested", "Strategy discussion requested", detail, by=by)
    if sd.held_at:
        held = timezone.localtime(sd.held_at)
        agencies = ", ".join(label("strategy_agency", code) for code in sd.attended_by)
        detail = _lines(
            f"Held {when(sd.held_at)}",
            f"Attended: {agencies}" if agencies else "",
            _labelled("Outcome", "strategy_outcome", sd.outcome),
            sd.notes,
        )
        yield JourneyEvent(held.date(), "strategy_discussion", "Strategy discussion held", detail)


def _care_events(child: Person) -> Iterator[JourneyEvent]:
    for ep in LookedAfterEpisode.objects.filter(child=child):
        title = label("reason_new_episode", ep.reason_new_episode)
        detail = _lines(
            _labelled("Legal status", "legal_status", ep.legal_status),
            _labelled("Placement", "placement_type", ep.placement_type),
            _labelled("Provider", "placement_provider", ep.placement_provider),
            _labelled("Category of need", "primary_need", ep.category_of_need),
        )
        yield JourneyEvent(ep.started_on, "looked_after", title, detail, until=ep.ended_on)
        if ep.ended_on and ep.reason_ceased != "X1":  # X1: a new episode starts the same day
            reason = label("reason_episode_ceased", ep.reason_ceased)
            title = "Stopped being looked after"
            yield JourneyEvent(ep.ended_on, "looked_after_ended", title, reason)
    for review in LookedAfterReview.objects.filter(child=child):
        participation = label("review_participation", review.participation)
        title = "Looked-after review"
        yield JourneyEvent(review.held_on, "looked_after_review", title, participation)
    for visit in Visit.objects.filter(child=child).select_related("worker"):
        seen = "Child not seen"
        if visit.child_seen:
            seen = "Child seen alone" if visit.seen_alone else "Child seen, not alone"
        title = label("visit_type", visit.visit_type)
        yield JourneyEvent(visit.visited_on, "visit", title, seen, by=str(visit.worker or ""))
    for missing in MissingEpisode.objects.filter(child=child):
        day = timezone.localdate(missing.started_at)
        title = label("missing_type", missing.missing_type)
        yield JourneyEvent(day, "missing", title, _missing_detail(missing))


def _missing_detail(missing: MissingEpisode) -> str:
    if missing.ended_at is None:
        return "Not yet returned"
    interview = "Return interview not offered"
    if missing.return_interview_offered:
        interview = "Return interview offered, not held"
    if missing.return_interview_at:
        hours = (missing.return_interview_at - missing.ended_at).total_seconds() / 3600
        held = timezone.localtime(missing.return_interview_at)
        timing = f"within {RETURN_INTERVIEW_HOURS} hours"
        if hours > RETURN_INTERVIEW_HOURS:
            timing = f"{hours / 24:.0f} days after return"
        interview = f"Return interview {long_date(held)}, {timing}"
        if missing.return_interview_outcome == "DECLINED":
            interview = f"Return interview offered and declined {long_date(held)}, {timing}"
    return _lines(f"Returned {when(missing.ended_at)}", interview)


def _care_leaver_events(child: Person) -> Iterator[JourneyEvent]:
    episodes = CareLeaverEpisode.objects.filter(child=child)
    for ep in episodes.prefetch_related("contacts", "pathway_plans"):
        title = "Care leaver support started"
        yield JourneyEvent(ep.started_on, "care_leaver", title, until=ep.ended_on)
        if ep.ended_on:
            yield JourneyEvent(ep.ended_on, "care_leaver_ended", "Care leaver support ended")
        for c in ep.contacts.all():
            detail = _lines(
                _labelled("In touch", "care_leaver_in_touch", c.in_touch),
                _labelled("Activity", "care_leaver_activity", c.activity),
                _labelled("Accommodation", "care_leaver_accommodation", c.accommodation),
            )
            yield JourneyEvent(c.contact_on, "care_leaver_contact", "Care leaver contact", detail)
        for review in ep.pathway_plans.all():
            yield JourneyEvent(review.held_on, "pathway_plan", "Pathway plan review")


def _allocation_events(child: Person) -> Iterator[JourneyEvent]:
    for a in Allocation.objects.filter(child=child).select_related("worker", "team"):
        who = f"{a.worker} ({a.team})"
        title = f"Allocated to {who}" if a.role == Allocation.Role.LEAD else f"Co-worker {who}"
        yield JourneyEvent(a.started_on, "allocation", title, a.note, until=a.ended_on)
