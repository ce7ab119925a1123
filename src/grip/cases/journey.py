"""A child's journey: everything that has happened in their involvement, newest first.

The records of cases are read here. Contacts (grip.frontdoor) and allocations (grip.allocation)
belong to apps above cases, which add their events as sources when Django starts (their
AppConfig.ready); tests/cases/test_selectors.py checks that every kind of event appears.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from grip.core.codelists import label
from grip.core.formatting import long_date, when
from grip.people.models import Person

from .models import (
    CareLeaverEpisode,
    CaseNote,
    CINEpisode,
    EarlyHelpEpisode,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    StrategyDiscussion,
    Visit,
)

RETURN_INTERVIEW_HOURS = 72  # DfE statutory guidance on children who run away or go missing (2014)


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
        "contact early_help_ended referral early_help early_help_assessment early_help_assessment_completed"
        " taf_meeting assessment assessment_authorised"
        " strategy_requested strategy_discussion section47 section47_completed conference cp_plan_ended cp_plan"
        " cin_plan looked_after_ended looked_after care_leaver allocation visit looked_after_review"
        " case_note supervision_decision missing care_leaver_contact pathway_plan care_leaver_ended cin_closed".split()
    )
}


def child_journey(*, child: Person) -> list[JourneyEvent]:
    """Everything that has happened in the child's involvement, newest first.

    One query per kind of record (21 in all), whatever the length of the journey. The records of
    cases are read here; contacts and allocations by the apps that own them (registered sources).
    """
    events = [*_need_events(child), *_care_events(child), *_care_leaver_events(child), *_note_events(child)]
    for source in _SOURCES.values():
        events.extend(source(child))
    events.sort(key=lambda e: (e.when, KIND_ORDER[e.kind]), reverse=True)
    return events


Source = Callable[[Person], Iterable["JourneyEvent"]]
_SOURCES: dict[str, Source] = {}


def register_source(*, kind: str, source: Source) -> None:
    """An app above cases adds the events of its records (`kind`: the record, e.g. "contact")."""
    _SOURCES.setdefault(kind, source)


def registered_sources() -> tuple[str, ...]:
    return tuple(sorted(_SOURCES))


def lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def labelled(caption: str, list_name: str, code: str) -> str:
    """`Caption: label` for a recorded code; nothing when no code is recorded."""
    return f"{caption}: {label(list_name, code)}" if code else ""


def _need_events(child: Person) -> Iterator[JourneyEvent]:
    yield from _early_help_events(child)
    discussions = Prefetch("strategy_discussions", queryset=StrategyDiscussion.objects.select_related("requested_by"))
    related = ["assessments", "cin_plans", discussions, "section47_enquiries"]
    episodes = CINEpisode.objects.filter(child=child)
    for ep in episodes.prefetch_related(*related, "conferences", "cp_plans"):
        detail = lines(
            labelled("Source", "referral_source", ep.referral_source),
            labelled("Primary need", "primary_need", ep.primary_need),
            "No further action at referral" if ep.referral_nfa else "",
        )
        yield JourneyEvent(ep.referral_date, "referral", "Referral", detail, until=ep.closure_date)
        if ep.closure_date:
            reason = label("closure_reason", ep.closure_reason)
            yield JourneyEvent(ep.closure_date, "cin_closed", "Case closed", reason)
        yield from _episode_events(ep)


def _early_help_events(child: Person) -> Iterator[JourneyEvent]:
    episodes = EarlyHelpEpisode.objects.filter(child=child).select_related("stepped_down_from")
    for eh in episodes.prefetch_related("assessments", "taf_meetings"):
        step_down = eh.stepped_down_from
        detail = lines(
            labelled("Led by", "early_help_organisation", eh.lead_organisation),
            f"Lead practitioner: {eh.lead_practitioner}" if eh.lead_practitioner else "",
            f"Why: {eh.reason}" if eh.reason else "",
            f"Stepped down from the case referred on {long_date(step_down.referral_date)}" if step_down else "",
        )
        yield JourneyEvent(eh.started_on, "early_help", "Early help started", detail, until=eh.ended_on)
        if eh.ended_on:
            reason = label("early_help_closure", eh.closure_reason)
            yield JourneyEvent(eh.ended_on, "early_help_ended", "Early help ended", reason)
        for a in eh.assessments.all():
            organisation = labelled("Organisation", "early_help_organisation", a.organisation)
            title = "Early help assessment started"
            yield JourneyEvent(a.started_on, "early_help_assessment", title, organisation, until=a.completed_on)
            if a.completed_on:
                title = "Early help assessment completed"
                yield JourneyEvent(a.completed_on, "early_help_assessment_completed", title, organisation)
        for m in eh.taf_meetings.all():
            attended = ", ".join(label("taf_attendee", code) for code in m.attended_by)
            detail = lines(
                m.get_plan_display(),
                labelled("Outcome", "early_help_review_outcome", m.review_outcome),
                f"Attended: {attended}" if attended else "",
                m.notes,
            )
            title = "Early help plan review" if m.review_outcome else "Team around the family meeting"
            yield JourneyEvent(m.held_on, "taf_meeting", title, detail)


def _episode_events(ep: CINEpisode) -> Iterator[JourneyEvent]:
    for a in ep.assessments.all():
        yield JourneyEvent(a.started_on, "assessment", "Assessment started", until=a.authorised_on)
        if a.authorised_on:
            factors = [label("assessment_factor", code) for code in a.factors]
            detail = lines("Factors identified:", *factors) if factors else "No factors recorded"
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
            outcome = labelled("Outcome", "s47_outcome", s47.outcome)
            title = "Section 47 enquiry completed"
            yield JourneyEvent(s47.completed_on, "section47_completed", title, outcome)
    for conf in ep.conferences.all():
        detail = ""
        if conf.conference_type == "ICPC":
            detail = "Child protection plan made" if conf.plan_id else "No child protection plan"
        title = label("conference_type", conf.conference_type)
        yield JourneyEvent(conf.held_on, "conference", title, detail)
    for cp in ep.cp_plans.all():
        category = labelled("Category of abuse", "category_of_abuse", cp.initial_category)
        title = "Child protection plan started"
        yield JourneyEvent(cp.started_on, "cp_plan", title, category, until=cp.ended_on)
        if cp.ended_on:
            latest = labelled("Latest category of abuse", "category_of_abuse", cp.latest_category)
            title = "Child protection plan ended"
            yield JourneyEvent(cp.ended_on, "cp_plan_ended", title, latest)


def _strategy_events(sd: StrategyDiscussion) -> Iterator[JourneyEvent]:
    """A strategy discussion is two steps: requested (when, by whom, why), then held (when, who
    took part, the outcome). One not yet held shows as awaited."""
    asked = timezone.localtime(sd.requested_at)
    by = (sd.requested_by.get_full_name() or sd.requested_by.get_username()) if sd.requested_by else ""
    detail = lines(
        f"Requested {when(sd.requested_at)}",
        f"Reason: {sd.reason}" if sd.reason else "",
        "" if sd.held_at else "Not yet held",
    )
    yield JourneyEvent(asked.date(), "strategy_requested", "Strategy discussion requested", detail, by=by)
    if sd.held_at:
        held = timezone.localtime(sd.held_at)
        agencies = ", ".join(label("strategy_agency", code) for code in sd.attended_by)
        detail = lines(
            f"Held {when(sd.held_at)}",
            f"Attended: {agencies}" if agencies else "",
            labelled("Outcome", "strategy_outcome", sd.outcome),
            sd.notes,
        )
        yield JourneyEvent(held.date(), "strategy_discussion", "Strategy discussion held", detail)


def _care_events(child: Person) -> Iterator[JourneyEvent]:
    for ep in LookedAfterEpisode.objects.filter(child=child):
        title = label("reason_new_episode", ep.reason_new_episode)
        detail = lines(
            labelled("Legal status", "legal_status", ep.legal_status),
            labelled("Placement", "placement_type", ep.placement_type),
            labelled("Provider", "placement_provider", ep.placement_provider),
            labelled("Category of need", "primary_need", ep.category_of_need),
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
    for visit in Visit.objects.filter(child=child).select_related("worker", "recorded_by"):
        seen = "Child not seen"
        if visit.child_seen:
            seen = "Child seen alone" if visit.seen_alone else "Child seen, not alone"
        detail = lines(
            seen,
            f"Where: {visit.place}" if visit.place else "",
            f"What the child said and felt: {visit.child_said}" if visit.child_said else "",
            _recorded(visit) if visit.recorded_by else "",
        )
        title = label("visit_type", visit.visit_type)
        yield JourneyEvent(visit.visited_on, "visit", title, detail, by=str(visit.worker or ""))
    for missing in MissingEpisode.objects.filter(child=child):
        day = timezone.localdate(missing.started_at)
        title = label("missing_type", missing.missing_type)
        yield JourneyEvent(day, "missing", title, _missing_detail(missing))


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _recorded(record) -> str:
    """Who entered a record and when, against its event's date: late recording shows."""
    return f"Recorded {when(record.recorded_at)} by {_name(record.recorded_by)}"


def _note_events(child: Person) -> Iterator[JourneyEvent]:
    for note in CaseNote.objects.filter(child=child).select_related("recorded_by"):
        title = label("case_note_type", note.note_type)
        detail = lines(note.text, _recorded(note))
        yield JourneyEvent(note.noted_on, "case_note", title, detail, by=_name(note.recorded_by))


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
    return lines(f"Returned {when(missing.ended_at)}", interview)


def _care_leaver_events(child: Person) -> Iterator[JourneyEvent]:
    episodes = CareLeaverEpisode.objects.filter(child=child)
    for ep in episodes.prefetch_related("contacts", "pathway_plans"):
        title = "Care leaver support started"
        yield JourneyEvent(ep.started_on, "care_leaver", title, until=ep.ended_on)
        if ep.ended_on:
            reason = labelled("Reason", "care_leaver_support_ended", ep.reason_ended)
            yield JourneyEvent(ep.ended_on, "care_leaver_ended", "Care leaver support ended", reason)
        for c in ep.contacts.all():
            detail = lines(
                labelled("In touch", "care_leaver_in_touch", c.in_touch),
                labelled("Activity", "care_leaver_activity", c.activity),
                labelled("Accommodation", "care_leaver_accommodation", c.accommodation),
            )
            yield JourneyEvent(c.contact_on, "care_leaver_contact", "Care leaver contact", detail)
        for review in ep.pathway_plans.all():
            yield JourneyEvent(review.held_on, "pathway_plan", review.get_kind_display())
