"""The summary at the top of a child's record, and the journey narrowed to what the reader asks
for. Expected answers are worked by hand from the records each test makes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from grip.cases.journey import JourneyEvent
from grip.chasing import lists
from grip.web.pages.chronology import chronology
from grip.web.pages.summary import summary_of
from tests.allocation.conftest import service  # noqa: F401 - the allocation tests' small service area
from tests.cases.factories import (
    AllocationFactory,
    AssessmentFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    VisitFactory,
)
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_last_seen_and_last_seen_alone_come_from_the_visits_where_the_child_was_seen():
    child = ChildFactory()
    episode = CINEpisodeFactory(child=child, referral_date=date(2026, 1, 2))
    ChildProtectionPlanFactory(
        episode=episode, started_on=date(2026, 1, 5), initial_category="PHY", latest_category="PHY"
    )
    VisitFactory(child=child, visited_on=date(2026, 2, 1), child_seen=True, seen_alone=True)
    VisitFactory(child=child, visited_on=date(2026, 2, 10), child_seen=True, seen_alone=False)
    VisitFactory(child=child, visited_on=date(2026, 2, 20), child_seen=False, seen_alone=False)

    summary = summary_of(child, stage="child_protection", on=date(2026, 3, 1))

    # 20 February: not seen. 10 February: seen, not alone. 1 February: seen alone.
    assert summary.last_seen == date(2026, 2, 10)
    assert summary.last_seen_alone == date(2026, 2, 1)
    assert summary.plan == "Child protection plan since 5 January 2026 (Physical abuse)"


def test_a_visit_after_the_day_asked_about_is_not_yet_known():
    child = ChildFactory()
    VisitFactory(child=child, visited_on=date(2026, 3, 2), child_seen=True, seen_alone=True)

    summary = summary_of(child, stage="no_involvement", on=date(2026, 3, 1))

    assert (summary.last_seen, summary.last_seen_alone, summary.plan) == (None, None, "")


def test_what_is_due_on_the_record_is_what_the_chase_lists_say_of_the_child(service):  # noqa: F811
    """One definition: the record's summary and the worker's chase list name the same items."""
    ada = service.workers["ada"]
    child = ChildFactory()
    episode = CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=90))
    AssessmentFactory(episode=episode, started_on=episode.referral_date, authorised_on=None)
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=episode.referral_date)

    summary = summary_of(child, stage="child_in_need", on=service.today)
    on_the_list = [i for i in lists.for_worker(worker=ada, on=service.today) if i.child == child]

    # 90 days since the referral is past the 45 working days an assessment has (hand count: 45
    # working days is 63 calendar days or more), so the assessment is overdue on both.
    assert "assessment" in {i.obligation.rule for i in summary.first_due if i.obligation.status == "overdue"}
    assert summary.overdue + summary.due_soon == len(on_the_list)
    assert {i.obligation.key for i in summary.first_due} <= {i.obligation.key for i in on_the_list}


def _event(day: int, kind: str) -> JourneyEvent:
    return JourneyEvent(date(2026, 1, day), kind, kind.replace("_", " ").capitalize())


EVENTS = [
    _event(9, "visit"),
    _event(8, "cp_plan"),
    _event(7, "allocation"),
    _event(6, "visit"),
    _event(5, "conference"),
    _event(3, "referral"),
    _event(2, "contact"),
    _event(1, "case_note"),  # a kind the page does not group: "Other"
]


def test_key_events_leave_out_the_routine_work_within_the_case():
    shown = chronology(EVENTS, show="key")
    assert [e.kind for e in shown.shown] == ["cp_plan", "conference", "referral", "contact"]
    assert shown.total == 8


@pytest.mark.parametrize(
    ("show", "kinds"),
    [
        ("all", ["visit", "cp_plan", "allocation", "visit", "conference", "referral", "contact", "case_note"]),
        ("visits", ["visit", "visit"]),
        ("protection", ["cp_plan", "conference"]),
        ("other", ["case_note"]),
        ("no-such-choice", ["cp_plan", "conference", "referral", "contact"]),  # key events
    ],
)
def test_the_reader_narrows_the_journey_to_one_kind_of_work(show, kinds):
    assert [e.kind for e in chronology(EVENTS, show=show).shown] == kinds


def test_only_the_kinds_the_child_has_are_offered():
    values = [value for value, _text in chronology(EVENTS, show="key").choices]
    assert values == ["key", "all", "front-door", "need", "protection", "visits", "allocation", "other"]


def test_the_record_page_shows_the_summary_and_narrows_the_journey(client, service):  # noqa: F811
    ada = service.workers["ada"]
    child = ChildFactory()
    episode = CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=20))
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=episode.referral_date)
    VisitFactory(child=child, visited_on=service.today - timedelta(days=3), child_seen=True, seen_alone=True)
    client.force_login(ada.user)
    url = reverse("web:child-record", args=[child.pk])

    key = client.get(url).content.decode()
    everything = client.get(url, {"show": "all"}).content.decode()

    seen = service.today - timedelta(days=3)
    assert 'data-testid="case-summary"' in key and f"{seen.day} {seen:%B %Y}" in key
    assert "Showing 1 of 3 events" in key  # the referral; not the visit or the allocation
    assert "Showing 3 of 3 events" in everything
