"""Case services: a strategy discussion requested, then held with its outcome (only "section 47"
starts an enquiry, dated from that discussion); the ICPC and local strategy-discussion clocks that
run from them; an assessment started when it starts; a referral closed with no further action.

Dates are worked by hand. Easter 2026: Good Friday 3 April and Easter Monday 6 April are bank
holidays.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from grip.audit.models import AuditEntry
from grip.cases import services
from grip.cases.models import Assessment, CINEpisode, Section47Enquiry, StrategyDiscussion
from tests.cases.factories import AssessmentFactory, CINEpisodeFactory, Section47EnquiryFactory
from tests.invariants import db_refuses
from tests.timescales.support import listed, only

pytestmark = pytest.mark.django_db
LATER = timezone.make_aware(datetime(2026, 6, 1, 12, 0))  # "now" for these examples


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(LATER, tick=False):
        yield


@pytest.fixture
def manager():
    return get_user_model().objects.create_user(username="tm1", first_name="Tess", last_name="Moor")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def request(episode, when, by, reason="Bruising to a baby's face reported by the health visitor"):
    return services.strategy_discussion_request(episode=episode, requested_at=when, reason=reason, by=by)


def hold(discussion, when, outcome, by, attended=("SOCIAL_CARE", "POLICE", "HEALTH")):
    return services.strategy_discussion_hold(
        discussion=discussion, held_at=when, attended_by=list(attended), outcome=outcome, by=by
    )


# --- requested, then held -----------------------------------------------------------------------------


def test_a_discussion_is_requested_with_when_who_and_why_and_held_later_with_time_and_agencies(manager):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    discussion = request(episode, at(date(2026, 3, 2), 11, 15), manager)

    assert (discussion.requested_by, discussion.held_at, discussion.outcome) == (manager, None, "")
    held = hold(discussion, at(date(2026, 3, 3), 9, 30), "NO_S47_CIN", manager, ["SOCIAL_CARE", "POLICE", "EDUCATION"])

    held.refresh_from_db()
    assert timezone.localtime(held.held_at) == at(date(2026, 3, 3), 9, 30)
    assert held.attended_by == ["SOCIAL_CARE", "POLICE", "EDUCATION"]
    assert not Section47Enquiry.objects.exists()  # no section 47 outcome, no enquiry
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"strategy_discussion_requested", "strategy_discussion_held"} <= verbs


@pytest.mark.parametrize("outcome", ["NO_S47_CIN", "NO_S47_EH", "NO_S47_NFA", "OTHER"])
def test_only_a_section_47_outcome_starts_an_enquiry(manager, outcome):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    hold(request(episode, at(date(2026, 3, 2), 10), manager), at(date(2026, 3, 2), 15), outcome, manager)
    assert not Section47Enquiry.objects.exists()


def test_a_section_47_outcome_starts_the_enquiry_dated_from_that_discussion(manager):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 18))
    discussion = request(episode, at(date(2026, 3, 18), 16, 40), manager)
    hold(discussion, at(date(2026, 3, 19), 14, 30), "S47", manager)

    enquiry = Section47Enquiry.objects.get()
    assert (enquiry.episode, enquiry.strategy_discussion, enquiry.started_on) == (
        episode,
        discussion,
        date(2026, 3, 19),
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_at": "before"}, "before it was requested"),
        ({"attended_by": []}, "which agencies"),
        ({"attended_by": ["PROBATION_X"]}, "PROBATION_X"),
        ({"outcome": "MAYBE"}, "outcome"),
        ({"held_at": "future"}, "future"),
    ],
)
def test_a_bad_record_of_the_discussion_is_refused_and_changes_nothing(manager, change, message):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    discussion = request(episode, at(date(2026, 3, 2), 11), manager)
    values = {"held_at": at(date(2026, 3, 2), 15), "attended_by": ["SOCIAL_CARE", "POLICE"], "outcome": "S47"}
    values.update(change)
    if values["held_at"] == "before":
        values["held_at"] = at(date(2026, 3, 2), 10, 59)
    if values["held_at"] == "future":
        values["held_at"] = at(date(2026, 6, 2), 9)

    with pytest.raises(ValidationError, match=message):
        services.strategy_discussion_hold(discussion=discussion, by=manager, **values)

    discussion.refresh_from_db()
    assert (discussion.held_at, discussion.outcome) == (None, "")
    assert not Section47Enquiry.objects.exists()


def test_a_discussion_is_held_once_and_a_second_enquiry_cannot_start_while_one_is_open(manager):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    first = hold(request(episode, at(date(2026, 3, 2), 10), manager), at(date(2026, 3, 2), 14), "S47", manager)
    with pytest.raises(ValidationError, match="already been recorded as held"):
        hold(first, at(date(2026, 3, 2), 16), "S47", manager)

    second = request(episode, at(date(2026, 3, 5), 9), manager)
    with pytest.raises(ValidationError, match="already under way"):  # CIN census rule 8839
        hold(second, at(date(2026, 3, 5), 12), "S47", manager)
    assert Section47Enquiry.objects.count() == 1


def test_a_request_needs_a_reason_an_open_case_and_no_other_request_waiting(manager):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    with pytest.raises(ValidationError, match="why"):
        request(episode, at(date(2026, 3, 2), 10), manager, reason="   ")
    with pytest.raises(ValidationError, match="before the referral"):
        request(episode, at(date(2026, 3, 1), 10), manager)
    request(episode, at(date(2026, 3, 2), 10), manager)
    with pytest.raises(ValidationError, match="already requested"):
        request(episode, at(date(2026, 3, 2), 12), manager)
    closed = CINEpisodeFactory(referral_date=date(2026, 1, 5), closure_date=date(2026, 2, 1), closure_reason="RC7")
    with pytest.raises(ValidationError, match="closed"):
        request(closed, at(date(2026, 3, 2), 10), manager)
    assert StrategyDiscussion.objects.count() == 1


# --- the clocks that run from them ----------------------------------------------------------------------


def test_the_icpc_clock_runs_from_the_discussion_that_started_the_section_47(manager):
    # A child with two discussions: Mon 2 March (no section 47), then Thu 19 March 14:30, which
    # starts the enquiry. 15 working days from Thu 19 March (day 0): Fri 20 day 1 ... Thu 2 April
    # day 10; Good Friday and Easter Monday skipped; Tue 7 April day 11 ... Mon 13 April day 15.
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    hold(request(episode, at(date(2026, 3, 2), 9), manager), at(date(2026, 3, 2), 13), "NO_S47_CIN", manager)
    second = request(episode, at(date(2026, 3, 18), 17), manager)
    hold(second, at(date(2026, 3, 19), 14, 30), "S47", manager)

    o = only("icpc", date(2026, 3, 20))
    assert (o.due, o.record_id, o.clock_started_by) == (
        date(2026, 4, 13),
        Section47Enquiry.objects.get().pk,
        "Strategy discussion",
    )


def test_the_local_clock_runs_from_the_request_to_the_discussion_held(manager):
    # Local default: held within 1 working day of the request. Requested Fri 6 March 2026 16:00:
    # due Mon 9 March; held Mon 9 March 10:00 is on time. Requested Mon 9 March: due Tue 10
    # March; held Wed 11 March is late by a day.
    on_time = CINEpisodeFactory(referral_date=date(2026, 3, 6))
    hold(request(on_time, at(date(2026, 3, 6), 16), manager), at(date(2026, 3, 9), 10), "S47", manager)
    late = CINEpisodeFactory(referral_date=date(2026, 3, 9))
    hold(request(late, at(date(2026, 3, 9), 11), manager), at(date(2026, 3, 11), 9), "NO_S47_NFA", manager)

    found = {o.child_id: o for o in listed("strategy_discussion_held", date(2026, 3, 12), since=date(2026, 3, 1))}
    assert (found[on_time.child_id].due, found[on_time.child_id].status) == (date(2026, 3, 9), "met_on_time")
    assert (found[late.child_id].due, found[late.child_id].status) == (date(2026, 3, 10), "met_late")


def test_a_discussion_requested_and_not_yet_held_is_outstanding_on_the_local_clock(manager):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 9))
    request(episode, at(date(2026, 3, 9), 11), manager)

    o = only("strategy_discussion_held", date(2026, 3, 9))
    assert (o.due, o.met_on) == (date(2026, 3, 10), None)


# --- assessment and no further action ------------------------------------------------------------------


def test_an_assessment_starts_when_it_is_started_and_only_one_at_a_time(manager):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    assessment = services.assessment_start(episode=episode, started_on=date(2026, 3, 4), by=manager)

    assert (assessment.episode, assessment.started_on, assessment.authorised_on) == (episode, date(2026, 3, 4), None)
    with pytest.raises(ValidationError, match="already under way"):
        services.assessment_start(episode=episode, started_on=date(2026, 3, 5), by=manager)
    with pytest.raises(ValidationError, match="before the referral"):
        services.assessment_start(
            episode=CINEpisodeFactory(referral_date=date(2026, 3, 2)), started_on=date(2026, 3, 1), by=manager
        )
    assert Assessment.objects.count() == 1


def test_a_referral_closed_with_no_further_action_carries_no_assessment(manager):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    closed = services.referral_close_nfa(episode=episode, closed_on=date(2026, 3, 3), by=manager)

    assert (closed.referral_nfa, closed.closure_date, closed.closure_reason) == (True, date(2026, 3, 3), "RC8")
    with pytest.raises(ValidationError, match="closed"):
        services.assessment_start(episode=closed, started_on=date(2026, 3, 3), by=manager)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("activity", ["assessment", "section47"])
def test_a_referral_with_activity_cannot_be_closed_as_no_further_action_rule_8831(manager, activity):
    # CIN census rule 8831 (shared/peer-data/csc-validator-be-cin/derived/cin_rules_cin2025_26.csv):
    # "Activity is recorded against a case marked as a referral with no further action".
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    if activity == "assessment":
        AssessmentFactory(episode=episode, started_on=date(2026, 3, 2), authorised_on=None)
    else:
        Section47EnquiryFactory(episode=episode, started_on=date(2026, 3, 2), completed_on=None, outcome="")

    with pytest.raises(ValidationError, match="8831"):
        services.referral_close_nfa(episode=episode, closed_on=date(2026, 3, 3), by=manager)

    episode = CINEpisode.objects.get(pk=episode.pk)
    assert (episode.referral_nfa, episode.closure_date) == (False, None)


def test_an_assessment_cannot_be_saved_on_a_referral_marked_no_further_action():
    episode = CINEpisodeFactory(
        referral_date=date(2026, 3, 2), referral_nfa=True, closure_date=date(2026, 3, 2), closure_reason="RC8"
    )
    with pytest.raises(ValidationError, match="8831"):
        Assessment(episode=episode, started_on=date(2026, 3, 2)).full_clean()


# --- the record itself refuses what the services refuse ------------------------------------------------


def test_the_database_refuses_a_discussion_held_before_its_request_or_held_without_an_outcome():
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    fields = {
        "episode": episode,
        "requested_at": at(date(2026, 3, 2), 10),
        "held_at": at(date(2026, 3, 2), 9),
        "attended_by": ["SOCIAL_CARE"],
        "outcome": "S47",
    }
    db_refuses(StrategyDiscussion, fields, "cases_strategydiscussion_held_at_after_requested_at")
    fields |= {"held_at": at(date(2026, 3, 2), 11), "outcome": ""}
    db_refuses(StrategyDiscussion, fields, "cases_strategydiscussion_held_has_outcome")
    fields |= {"held_at": None, "outcome": "NO_S47_CIN"}
    db_refuses(StrategyDiscussion, fields, "cases_strategydiscussion_held_has_outcome")
