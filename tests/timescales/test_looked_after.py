"""Worked examples for looked-after children (Care Planning, Placement and Case Review (England)
Regulations 2010) and the return home interview.

Bank holidays: Christmas Day Thu 25, Boxing Day Fri 26 Dec 2025, New Year's Day Thu 1 Jan 2026,
Good Friday 3 and Easter Monday 6 April 2026. Weeks and months are calendar units.
"""

from datetime import UTC, date, datetime

import pytest

from tests.cases.factories import (
    CarePlanFactory,
    HealthAssessmentFactory,
    LookedAfterEpisodeFactory,
    LookedAfterReviewFactory,
    MissingEpisodeFactory,
    VisitFactory,
    at,
)
from tests.people.factories import ChildFactory

from .support import backdate, listed, only, outstanding

pytestmark = pytest.mark.django_db


def looked_after(child=None, *, on: date, **kwargs):
    return LookedAfterEpisodeFactory(child=child or ChildFactory(), started_on=on, **kwargs)


def seen(child, day: date, visit_type: str = "LAC"):
    return VisitFactory(child=child, visit_type=visit_type, visited_on=day)


# --- Looked-after reviews (reg 33) -------------------------------------------------------------------------
# "first review within 20 working days of the date on which C becomes looked after; second not more
# than 3 months after the first; subsequent not more than 6 months after the previous".


def test_reviews_are_due_20_working_days_then_3_months_then_6_months_after_the_last():
    episode = looked_after(on=date(2025, 12, 15))
    child = episode.child

    first = only("looked_after_review", date(2025, 12, 15))
    # Tue 16 Dec is day 1; 25, 26 Dec and 1 Jan are bank holidays; Thu 15 Jan 2026 is day 20.
    assert (first.due, first.record_id, first.clock_started_by) == (
        date(2026, 1, 15),
        episode.pk,
        "Became looked after",
    )

    LookedAfterReviewFactory(child=child, held_on=date(2026, 1, 14))
    second = outstanding("looked_after_review", date(2026, 1, 14))
    assert (second.occurrence, second.due) == (2, date(2026, 4, 14))

    LookedAfterReviewFactory(child=child, held_on=date(2026, 4, 14))
    third = outstanding("looked_after_review", date(2026, 4, 14))
    assert (third.occurrence, third.due, third.clock_started_by) == (3, date(2026, 10, 14), "Looked-after review")


def test_a_first_review_can_fall_due_on_29_february_2028():
    looked_after(on=date(2028, 2, 1))

    assert only("looked_after_review", date(2028, 2, 1)).due == date(2028, 2, 29)


def test_a_change_of_placement_keeps_the_review_clock_and_a_new_period_of_care_restarts_it():
    first = looked_after(on=date(2025, 12, 15), ended_on=date(2026, 1, 5), reason_ceased="X1")
    looked_after(first.child, on=date(2026, 1, 5), reason_new_episode="P", placement_type="K2")

    assert [o.record_id for o in listed("looked_after_review", date(2026, 1, 6))] == [first.pk]

    child = ChildFactory()
    looked_after(child, on=date(2025, 6, 2), ended_on=date(2025, 9, 1), reason_ceased="E4A")
    again = looked_after(child, on=date(2026, 1, 5))
    o = only("looked_after_review", date(2026, 1, 6), children=[child.pk])
    assert (o.record_id, o.due) == (again.pk, date(2026, 2, 2))


def test_care_goes_on_when_the_next_episode_is_not_recorded_yet():
    # SSDA903 REC X1: the episode ceased and a new one started the same day. Typed in a day late,
    # the new episode is not there as at 2 March; the period of care and the placement go on.
    first = looked_after(on=date(2025, 12, 15), ended_on=date(2026, 3, 2), reason_ceased="X1")
    later = looked_after(first.child, on=date(2026, 3, 2), reason_new_episode="P", placement_type="K2")
    backdate()
    type(later).objects.filter(pk=later.pk).update(recorded_at=at(date(2026, 3, 3), 9))

    review = listed("looked_after_review", date(2026, 3, 2), backdated=False)
    visits = listed("looked_after_visit", date(2026, 3, 2), backdated=False)

    assert [o.record_id for o in review] == [first.pk]
    assert [o.record_id for o in visits] == [first.pk]
    moved = listed("looked_after_visit", date(2026, 3, 3), backdated=False)
    assert [(o.record_id, o.due) for o in moved] == [(later.pk, date(2026, 3, 9))]


# --- Visits (reg 28) -------------------------------------------------------------------------------------------
# reg 28(2): "(a) within one week of the start of any placement, (b) at intervals of not more than six
# weeks for the first year of any placement, and (c) thereafter (i) where the placement is intended
# to last until C is aged 18, at intervals of not more than three months, (ii) ... six weeks".


def test_the_first_visit_is_due_a_calendar_week_after_the_placement_even_on_boxing_day():
    episode = looked_after(on=date(2025, 12, 19), placement_type="U6")

    first = only("looked_after_visit", date(2025, 12, 19))
    assert (first.due, first.clock_started_by) == (date(2025, 12, 26), "Placement started")

    seen(episode.child, date(2025, 12, 23))
    nxt = outstanding("looked_after_visit", date(2025, 12, 23))
    assert (nxt.due, nxt.clock_started_by) == (date(2026, 2, 3), "Visit")  # six weeks after 23 Dec


@pytest.mark.parametrize(
    ("placement", "expected"),
    [("U4", date(2026, 4, 5)), ("U6", date(2026, 2, 16))],  # long-term fostering: 3 months after a year
)
def test_after_the_first_year_a_long_term_placement_is_visited_3_monthly(placement, expected):
    episode = looked_after(on=date(2025, 1, 2), placement_type=placement)
    seen(episode.child, date(2025, 12, 10))

    # A visit within the first year: the next within six weeks, either way.
    assert outstanding("looked_after_visit", date(2025, 12, 10)).due == date(2026, 1, 21)

    seen(episode.child, date(2026, 1, 5))  # after Fri 2 Jan 2026, the end of the first year
    assert outstanding("looked_after_visit", date(2026, 1, 5)).due == expected


def test_a_new_placement_starts_a_new_visit_clock_and_a_legal_status_change_does_not():
    first = looked_after(on=date(2026, 1, 5), placement_type="U6", ended_on=date(2026, 2, 2), reason_ceased="X1")
    legal = looked_after(
        first.child,
        on=date(2026, 2, 2),
        legal_status="C1",
        reason_new_episode="L",
        ended_on=date(2026, 3, 2),
        reason_ceased="X1",
        placement_type="U6",
    )
    moved = looked_after(first.child, on=date(2026, 3, 2), reason_new_episode="P", placement_type="K2")
    seen(first.child, date(2026, 1, 9))

    assert legal.pk
    assert outstanding("looked_after_visit", date(2026, 2, 10)).due == date(2026, 2, 20)  # 6 weeks after 9 Jan
    o = outstanding("looked_after_visit", date(2026, 3, 2))
    assert (o.record_id, o.due) == (moved.pk, date(2026, 3, 9))


def test_short_breaks_have_no_reg_28_2_visits():
    # reg 48(3)(c): visits at intervals agreed with the IRO instead.
    looked_after(on=date(2026, 1, 5), legal_status="V3", placement_type="K2")

    assert listed("looked_after_visit", date(2026, 1, 6)) == []


def test_placed_with_a_parent_under_an_interim_order_weekly_until_the_first_review_then_4_weekly():
    # reg 28(4): "at least once a week until the first review ..., and thereafter at intervals of
    # not more than four weeks".
    episode = looked_after(on=date(2026, 1, 5), legal_status="C1", placement_type="P1")
    rule = "looked_after_visit_interim_order_at_home"
    seen(episode.child, date(2026, 1, 9))
    assert outstanding(rule, date(2026, 1, 9)).due == date(2026, 1, 16)
    assert listed("looked_after_visit", date(2026, 1, 9)) == []

    LookedAfterReviewFactory(child=episode.child, held_on=date(2026, 1, 20))
    seen(episode.child, date(2026, 1, 23))
    assert outstanding(rule, date(2026, 1, 23)).due == date(2026, 2, 20)


def test_a_care_order_made_while_placed_with_a_parent_starts_a_new_visit_clock():
    # reg 28(5): "within one week of the making of the care order, and thereafter at intervals of
    # not more than six weeks".
    interim = looked_after(
        on=date(2026, 1, 5), legal_status="C1", placement_type="P1", ended_on=date(2026, 3, 2), reason_ceased="X1"
    )
    order = looked_after(
        interim.child, on=date(2026, 3, 2), legal_status="C2", placement_type="P1", reason_new_episode="L"
    )

    o = only("looked_after_visit_care_order_at_home", date(2026, 3, 2))
    assert (o.record_id, o.due) == (order.pk, date(2026, 3, 9))
    assert listed("looked_after_visit_interim_order_at_home", date(2026, 3, 2)) == []  # that placement ended

    seen(order.child, date(2026, 3, 6))
    assert outstanding("looked_after_visit_care_order_at_home", date(2026, 3, 6)).due == date(2026, 4, 17)


def test_a_visit_where_the_child_was_not_seen_does_not_count():
    episode = looked_after(on=date(2026, 1, 5))
    VisitFactory(child=episode.child, visit_type="LAC", visited_on=date(2026, 1, 9), child_seen=False, seen_alone=False)

    o = only("looked_after_visit", date(2026, 1, 13))
    assert (o.due, o.status, o.days_over) == (date(2026, 1, 12), "overdue", 1)


# --- Health assessments (reg 7, Schedule 1) ----------------------------------------------------------------------
# Initial assessment before the first review (within 20 working days); review assessments "at least
# every 6 months before the fifth birthday and at least every 12 months thereafter".


def test_health_assessments_initial_then_6_monthly_under_5_and_12_monthly_from_5():
    child = ChildFactory(date_of_birth=date(2021, 3, 1))
    looked_after(child, on=date(2025, 12, 15))
    assert only("health_assessment", date(2025, 12, 15)).due == date(2026, 1, 15)

    HealthAssessmentFactory(child=child, held_on=date(2026, 1, 12), assessment_type="IHA")
    assert outstanding("health_assessment", date(2026, 1, 12)).due == date(2026, 7, 12)  # aged 4

    HealthAssessmentFactory(child=child, held_on=date(2026, 7, 10), assessment_type="RHA")
    assert outstanding("health_assessment", date(2026, 7, 10)).due == date(2027, 7, 10)  # 5 since 1 March


def test_no_health_assessment_clock_for_short_breaks():
    # reg 48(3)(b): regulation 7 does not apply to a series of short breaks.
    looked_after(on=date(2026, 1, 5), legal_status="V4", placement_type="K2")

    assert listed("health_assessment", date(2026, 1, 6)) == []


# --- Care plan (reg 4(2)) ------------------------------------------------------------------------------------------
# "prepared before C is first placed or, if not practicable, within 10 working days of the start of
# the first placement".


def test_the_care_plan_is_due_10_working_days_after_the_first_placement_across_easter():
    # Accommodated (V2): a child who came into care under a care order (the factory's C2) is one to
    # whom Children Act s31A applies, and reg 4(2) does not (test_care_planning.py).
    looked_after(on=date(2026, 3, 30), legal_status="V2")

    assert only("care_plan", date(2026, 3, 30)).due == date(2026, 4, 15)


def test_a_care_plan_made_before_the_placement_counts_but_not_one_for_an_earlier_period_of_care():
    child = ChildFactory()
    CarePlanFactory(child=child, episode=None, made_on=date(2025, 11, 3))
    looked_after(child, on=date(2025, 11, 3), ended_on=date(2026, 1, 2), reason_ceased="E4A", legal_status="V2")
    CarePlanFactory(child=child, episode=None, made_on=date(2026, 3, 27))
    looked_after(child, on=date(2026, 3, 30), legal_status="V2")

    o = only("care_plan", date(2026, 3, 30), since=date(2026, 3, 1))
    assert (o.met_on, o.status, o.due) == (date(2026, 3, 27), "met_on_time", date(2026, 4, 15))


# --- Return home interview (72 hours) --------------------------------------------------------------------------------
# DfE 2014: the return interview should be completed within 72 hours of the child's return.


def returned_at(ended_at: datetime, interview: datetime | None):
    child = looked_after(on=date(2026, 1, 5)).child
    return MissingEpisodeFactory(
        child=child, started_at=datetime(2026, 3, 27, 12, tzinfo=UTC), ended_at=ended_at, return_interview_at=interview
    )


@pytest.mark.parametrize(
    ("interview", "status", "days_over"),
    [(at(date(2026, 3, 30), 23, 45), "met_on_time", 0), (at(date(2026, 3, 31), 1), "met_late", 1)],
)
def test_72_hours_are_counted_in_real_time_across_the_change_to_summer_time(interview, status, days_over):
    # Back at 23:30 GMT on Fri 27 March 2026; clocks go forward on Sun 29 March, so 72 hours later
    # is 00:30 BST on Tue 31 March.
    missing = returned_at(datetime(2026, 3, 27, 23, 30, tzinfo=UTC), interview)

    o = only("return_home_interview", interview.date())
    assert o.due_at == at(date(2026, 3, 31), 0, 30)
    assert (o.due, o.record_id, o.clock_started_by) == (date(2026, 3, 31), missing.pk, "Returned from missing")
    assert (o.met_at, o.status, o.days_over) == (interview, status, days_over)


def test_a_return_interview_not_held_is_overdue_the_day_after_it_was_due():
    returned_at(datetime(2026, 3, 27, 23, 30, tzinfo=UTC), None)

    assert only("return_home_interview", date(2026, 3, 31)).status == "due_soon"
    o = only("return_home_interview", date(2026, 4, 1))
    assert (o.status, o.days_over, o.met_at) == ("overdue", 1, None)
