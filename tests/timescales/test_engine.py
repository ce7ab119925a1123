"""The engine as a whole: as-at, history, scope, keys and the number of queries."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grip.cases.models import Visit
from grip.timescales.engine import STATUSES, obligations
from tests.cases.factories import (
    AssessmentFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    ClosedCINEpisodeFactory,
    LookedAfterEpisodeFactory,
    MissingEpisodeFactory,
    VisitFactory,
    at,
    child_with_a_full_journey,
)

from .support import backdate, listed, only, outstanding

pytestmark = pytest.mark.django_db


def test_as_at_a_date_a_record_entered_later_does_not_count():
    plan = ChildProtectionPlanFactory(started_on=date(2026, 3, 2))
    visit = VisitFactory(child=plan.episode.child, visit_type="CP", visited_on=date(2026, 3, 13))
    backdate()
    # The visit on Fri 13 March was typed in on Tue 17 March.
    Visit.objects.filter(pk=visit.pk).update(recorded_at=at(date(2026, 3, 17), 9))

    before = listed("cp_visit", date(2026, 3, 16), backdated=False)
    after = listed("cp_visit", date(2026, 3, 17), backdated=False)

    assert [(o.status, o.due, o.met_on) for o in before] == [("due_soon", date(2026, 3, 16), None)]
    assert [(o.occurrence, o.status, o.met_on) for o in after] == [(2, "not_yet_due", None)]
    assert [o.met_on for o in listed("cp_visit", date(2026, 3, 17), backdated=False, since=date(2026, 3, 1))][0] == (
        date(2026, 3, 13)
    )


def test_a_case_opened_but_recorded_after_the_date_is_not_there_yet():
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    backdate()
    type(episode).objects.filter(pk=episode.pk).update(recorded_at=datetime(2026, 3, 4, 12, tzinfo=UTC))

    assert listed("assessment", date(2026, 3, 3), backdated=False) == []
    assert len(listed("assessment", date(2026, 3, 4), backdated=False)) == 1


def test_recording_the_stopping_event_updates_the_status_at_once():
    # The records get `recorded_at` from the database's clock, which is before this (future) day,
    # as a live record's would be.
    with time_machine.travel(datetime(2044, 3, 7, 10, tzinfo=UTC), tick=False):
        today = timezone.localdate()
        plan = ChildProtectionPlanFactory(started_on=today - timedelta(days=21))
        first = only("cp_visit", today, backdated=False)
        # Due Mon 29 February 2044 (10 working days); as at Mon 7 March it is 7 calendar days but
        # 5 working days over, and a working-day rule counts its days over in working days.
        assert (first.status, first.days_over, first.days_over_unit) == ("overdue", 5, "working_days")

        VisitFactory(child=plan.episode.child, visit_type="CP", visited_on=today)

        met, nxt = obligations(on=today, rule_keys=["cp_visit"])
        assert (met.key, met.status, met.met_on, met.days_over) == (first.key, "met_late", today, 5)
        assert (nxt.occurrence, nxt.status, nxt.clock_started_on) == (2, "not_yet_due", today)


def test_met_obligations_are_listed_from_since_for_history():
    plan = ChildProtectionPlanFactory(started_on=date(2026, 1, 5))
    child = plan.episode.child
    for day in (date(2026, 1, 16), date(2026, 1, 30), date(2026, 2, 20)):
        VisitFactory(child=child, visit_type="CP", visited_on=day)

    default = listed("cp_visit", date(2026, 3, 2))
    history = listed("cp_visit", date(2026, 3, 2), since=date(2026, 1, 1))
    recent = listed("cp_visit", date(2026, 3, 2), since=date(2026, 1, 20))

    assert [o.occurrence for o in default] == [4]
    assert [(o.occurrence, o.status) for o in history] == [
        (1, "met_on_time"),
        (2, "met_on_time"),
        (3, "met_late"),
        (4, "due_soon"),
    ]
    assert [o.occurrence for o in recent] == [2, 3, 4]


def test_keys_are_stable_and_unique():
    child = child_with_a_full_journey(repeat=2, on=date(2026, 3, 31))
    LookedAfterEpisodeFactory(child=child, started_on=date(2026, 1, 5))
    backdate()

    first = obligations(on=date(2026, 3, 31), since=date(2023, 1, 1))
    second = obligations(on=date(2026, 3, 31), since=date(2023, 1, 1))

    assert [o.key for o in first] == [o.key for o in second]
    assert len({o.key for o in first}) == len(first)
    assert all(o.key == f"{o.rule}:{o.record_id}:{o.occurrence}" for o in first)
    assert {o.status for o in first} <= set(STATUSES)


def test_the_list_is_ordered_by_due_date():
    for day in (date(2026, 3, 2), date(2026, 1, 5), date(2026, 2, 2)):
        CINEpisodeFactory(referral_date=day)

    dues = [o.due for o in listed("assessment", date(2026, 3, 2))]

    assert dues == sorted(dues) and len(dues) == 3


def test_only_children_with_an_open_case_unless_asked_for():
    # A child whose only case closed last year went missing: no open case, so not on the
    # authority's list; asked about by name, the child's obligation is there.
    child = ClosedCINEpisodeFactory(referral_date=date(2024, 1, 8), closure_date=date(2024, 6, 3)).child
    MissingEpisodeFactory(child=child, started_at=at(date(2026, 3, 2), 20), return_interview_at=None)

    assert listed("return_home_interview", date(2026, 3, 3)) == []
    assert len(listed("return_home_interview", date(2026, 3, 3), children=[child.pk])) == 1


def test_a_case_closed_during_the_history_window_still_shows_what_was_met():
    episode = CINEpisodeFactory(referral_date=date(2026, 1, 5), closure_date=date(2026, 2, 20), closure_reason="RC8")
    AssessmentFactory(episode=episode, started_on=date(2026, 1, 5), authorised_on=date(2026, 2, 13))

    assert listed("assessment", date(2026, 3, 2)) == []
    o = only("assessment", date(2026, 3, 2), since=date(2026, 2, 1))
    assert (o.status, o.met_on) == ("met_on_time", date(2026, 2, 13))


def test_children_narrows_to_those_children():
    mine = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    CINEpisodeFactory(referral_date=date(2026, 3, 2))

    found = listed("assessment", date(2026, 3, 2), children=[mine.child_id])

    assert [o.child_id for o in found] == [mine.child_id]


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="unknown timescale rule"):
        obligations(on=date(2026, 3, 2), rule_keys=["assesment"])
    with pytest.raises(ValueError, match="after on"):
        obligations(on=date(2026, 3, 2), since=date(2026, 3, 3))
    with pytest.raises(TypeError):
        obligations(on=datetime(2026, 3, 2, 10, tzinfo=UTC))


def test_one_query_per_kind_of_record_however_many_children():
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            obligations(on=date(2026, 3, 31), since=date(2025, 1, 1))
        return len(captured)

    child_with_a_full_journey(repeat=1, on=date(2026, 3, 31))
    backdate()
    queries()  # the authority calendar is read once, then cached
    few = queries()
    for _ in range(3):
        child_with_a_full_journey(repeat=2, on=date(2026, 3, 31))
    backdate()

    assert queries() == few
    # One query per kind of record read: issue 11 added six (short-break episodes, SSDA903 episodes
    # for the limits of emergency orders and their ends, care proceedings, placement plans, PEPs).
    assert few <= 44  # one per kind of record; the strategy discussion timeliness rule reads two; private
    # fostering, care leaver accommodation and absences (issue 11) one each; ASYEs and workers' own
    # supervision frequencies (issue 15) one each


def test_outstanding_helper_sees_the_next_occurrence():
    plan = ChildProtectionPlanFactory(started_on=date(2026, 3, 2))
    VisitFactory(child=plan.episode.child, visit_type="CP", visited_on=date(2026, 3, 5))

    assert outstanding("cp_visit", date(2026, 3, 5)).due == date(2026, 3, 19)


def test_records_that_stop_no_started_clock_are_not_read():
    # A child in need only: no period of care started, so no looked-after review or health
    # assessment can stop anything, and neither table is read.
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    backdate()
    with CaptureQueriesContext(connection) as captured:
        found = obligations(on=date(2026, 3, 31), children=[episode.child_id])

    tables = " ".join(q["sql"] for q in captured)
    assert {o.rule for o in found} >= {"assessment"}
    assert "cases_lookedafterreview" not in tables and "cases_healthassessment" not in tables
    assert "cases_lookedafterepisode" in tables  # the starts are read to know there are none
