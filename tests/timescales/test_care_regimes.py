"""Worked examples for the care regimes of issue 11: short breaks (CPPCR 2010 reg 48), children placed
for adoption (Adoption Agencies Regulations 2005 reg 36), temporary moves and changes with the same
carer, connected persons under temporary approval (CPPCR reg 24, 28(4)), and the regime switches
between them.

Bank holidays: Good Friday 3 and Easter Monday 6 April 2026. Weeks and months are calendar units.
Every expected date is worked out by hand in the comment beside it.
"""

from datetime import date

import pytest

from tests.cases.factories import LookedAfterEpisodeFactory, LookedAfterReviewFactory, VisitFactory
from tests.people.factories import ChildFactory

from .support import listed, only, outstanding

pytestmark = pytest.mark.django_db


def episode(child, start: date, end: date | None = None, *, rne: str = "P", rec: str = "X1", **kwargs):
    return LookedAfterEpisodeFactory(
        child=child,
        started_on=start,
        ended_on=end,
        reason_new_episode=rne,
        reason_ceased=rec if end else "",
        **kwargs,
    )


def seen(child, day: date):
    return VisitFactory(child=child, visit_type="LAC", visited_on=day)


def reviewed(child, day: date):
    return LookedAfterReviewFactory(child=child, held_on=day)


# --- Short breaks (reg 48) ---------------------------------------------------------------------------
# reg 48(3)(d): the case is reviewed "within three months of the start of the first placement" and then
# at intervals of not more than six months; reg 48(3)(c): visits at the latest 3 months after the start
# of the first placement, then 6-monthly. One series across the gaps between breaks.


def short_breaks(child=None, *, legal_status: str = "V3"):
    child = child or ChildFactory()
    breaks = [
        episode(child, date(2026, 1, 5), date(2026, 1, 7), rne="S", rec="E8", legal_status=legal_status),
        episode(child, date(2026, 2, 2), date(2026, 2, 4), rne="S", rec="E8", legal_status=legal_status),
        episode(child, date(2026, 3, 6), date(2026, 3, 8), rne="S", rec="E8", legal_status=legal_status),
    ]
    return child, breaks


@pytest.mark.parametrize("legal_status", ["V3", "V4"])
def test_a_series_of_short_breaks_is_reviewed_3_months_after_the_first_break_then_6_monthly(legal_status):
    child, breaks = short_breaks(legal_status=legal_status)

    # Between the first and second breaks the child has no open episode and no open case: still due.
    first = only("short_breaks_review", date(2026, 1, 20))
    assert (first.record_id, first.due, first.status) == (breaks[0].pk, date(2026, 4, 5), "not_yet_due")
    assert first.clock_started_by == "First short break"
    # The later breaks do not start new clocks: the same one obligation after the third break.
    assert [o.due for o in listed("short_breaks_review", date(2026, 3, 20))] == [date(2026, 4, 5)]

    reviewed(child, date(2026, 4, 1))
    nxt = outstanding("short_breaks_review", date(2026, 4, 1))
    assert (nxt.occurrence, nxt.due) == (2, date(2026, 10, 1))


def test_short_breaks_run_no_clock_of_ordinary_care():
    # Before issue 11 each break was a period of care with its own 20-working-day review and care plan.
    short_breaks()

    for rule in ("looked_after_review", "looked_after_visit", "care_plan", "health_assessment", "placement_plan"):
        assert listed(rule, date(2026, 2, 3)) == [], rule


def test_short_break_visits_are_due_3_months_after_the_first_break_then_6_months_after_the_last():
    child, breaks = short_breaks()

    assert only("short_breaks_visit", date(2026, 1, 20)).due == date(2026, 4, 5)
    seen(child, date(2026, 2, 3))  # during the second break
    assert outstanding("short_breaks_visit", date(2026, 2, 3)).due == date(2026, 8, 3)


def test_the_care_plan_of_a_series_is_due_once_and_one_made_before_the_first_break_counts():
    from tests.cases.factories import CarePlanFactory

    child = ChildFactory()
    CarePlanFactory(child=child, episode=None, made_on=date(2025, 12, 19))
    short_breaks(child)

    o = only("short_breaks_care_plan", date(2026, 3, 9), since=date(2025, 12, 1))
    # Mon 5 Jan 2026 + 10 working days = Mon 19 Jan; met by the plan of 19 Dec.
    assert (o.due, o.met_on, o.status) == (date(2026, 1, 19), date(2025, 12, 19), "met_on_time")


def test_a_series_lapses_12_months_after_the_last_break_and_a_later_break_starts_a_new_one():
    child, breaks = short_breaks()

    # The last break ended Sun 8 March 2026: the series is over on 8 March 2027.
    assert [o.record_id for o in listed("short_breaks_review", date(2027, 3, 8))] == [breaks[0].pk]
    assert listed("short_breaks_review", date(2027, 3, 9)) == []

    again = episode(child, date(2027, 5, 3), date(2027, 5, 5), rne="S", rec="E8", legal_status="V3")
    o = only("short_breaks_review", date(2027, 5, 3))
    assert (o.record_id, o.due) == (again.pk, date(2027, 8, 3))


# --- Children placed for adoption (Adoption Agencies Regulations 2005 reg 36) ------------------------
# reg 36(3): reviews not more than 4 weeks after placement, then 3 months after the first, then 6
# months after the previous; reg 36(4)(a): visits within a week, then weekly until the first review.


def foster_then_adoption():
    """Foster care (U6) from Mon 5 Jan 2026; placed for adoption with the same carers (A5, placement
    order E1, RNE U) on Mon 2 March."""
    child = ChildFactory()
    foster = episode(child, date(2026, 1, 5), date(2026, 3, 2), rne="S", placement_type="U6", legal_status="C2")
    adoption = episode(child, date(2026, 3, 2), rne="U", placement_type="A5", legal_status="E1")
    return child, foster, adoption


def test_moving_to_an_adoption_placement_switches_from_the_care_planning_regime_to_the_adoption_regime():
    child, foster, adoption = foster_then_adoption()
    reviewed(child, date(2026, 1, 29))  # the first reg 33 review (due Mon 2 Feb, day 20)
    seen(child, date(2026, 2, 20))

    # In foster care: the second reg 33 review 3 months after the first, the reg 28(2) visit 6 weeks on.
    assert outstanding("looked_after_review", date(2026, 2, 27)).due == date(2026, 4, 29)
    assert outstanding("looked_after_visit", date(2026, 2, 27)).due == date(2026, 4, 3)

    # Placed for adoption: CPPCR reg 3 takes the child out of the Care Planning Regulations' clocks.
    for rule in ("looked_after_review", "looked_after_visit", "health_assessment", "placement_plan"):
        assert [o for o in listed(rule, date(2026, 3, 3)) if o.met_on is None] == [], rule

    review = only("adoption_review", date(2026, 3, 3))
    assert (review.record_id, review.due) == (adoption.pk, date(2026, 3, 30))  # 4 weeks after 2 March
    visit = only("adoption_visit", date(2026, 3, 3))
    assert (visit.record_id, visit.due) == (adoption.pk, date(2026, 3, 9))  # within a week


def test_adoption_visits_are_weekly_until_the_first_review_and_reviews_then_3_then_6_monthly():
    child, _, _ = foster_then_adoption()
    seen(child, date(2026, 3, 6))
    seen(child, date(2026, 3, 13))
    assert outstanding("adoption_visit", date(2026, 3, 13)).due == date(2026, 3, 20)
    seen(child, date(2026, 3, 20))
    assert outstanding("adoption_visit", date(2026, 3, 26)).due == date(2026, 3, 27)

    reviewed(child, date(2026, 3, 27))
    # After the first review the agency decides the frequency (not recorded): nothing more is due.
    assert [o for o in listed("adoption_visit", date(2026, 3, 28)) if o.met_on is None] == []
    nxt = outstanding("adoption_review", date(2026, 3, 27))
    assert (nxt.occurrence, nxt.due) == (2, date(2026, 6, 27))
    reviewed(child, date(2026, 6, 20))
    assert outstanding("adoption_review", date(2026, 6, 20)).due == date(2026, 12, 20)


def test_a_disrupted_adoption_placement_brings_the_care_planning_regime_back():
    child = ChildFactory()
    episode(child, date(2026, 1, 5), date(2026, 3, 2), rne="S", placement_type="U6", legal_status="C2")
    episode(child, date(2026, 3, 2), date(2026, 5, 4), rne="U", placement_type="A5", legal_status="E1")
    back = episode(child, date(2026, 5, 4), rne="P", placement_type="U6", legal_status="E1")

    assert listed("adoption_review", date(2026, 5, 5)) == []
    o = only("looked_after_visit", date(2026, 5, 5))
    assert (o.record_id, o.due) == (back.pk, date(2026, 5, 11))


# --- Temporary moves and the same carer --------------------------------------------------------------


def test_a_temporary_move_and_the_return_do_not_restart_the_visit_clock_of_the_placement():
    child = ChildFactory()
    home = episode(child, date(2026, 1, 5), date(2026, 2, 2), rne="S", placement_type="U4", placement_postcode="B1 1AA")
    episode(child, date(2026, 2, 2), date(2026, 2, 9), placement_type="T1", placement_provider="PR0")  # hospital
    episode(child, date(2026, 2, 9), placement_type="U4", placement_postcode="B1 1AA")  # back
    seen(child, date(2026, 1, 9))

    # 6 weeks after the visit of Fri 9 Jan: Fri 20 Feb, both in hospital and after the return.
    for on in (date(2026, 2, 3), date(2026, 2, 10)):
        o = outstanding("looked_after_visit", on)
        assert (o.record_id, o.due, o.occurrence) == (home.pk, date(2026, 2, 20), 2), on


def test_after_a_temporary_move_a_different_placement_is_a_new_one():
    child = ChildFactory()
    episode(child, date(2026, 1, 5), date(2026, 2, 2), rne="S", placement_type="U4", placement_postcode="B1 1AA")
    episode(child, date(2026, 2, 2), date(2026, 2, 9), placement_type="T4")
    moved = episode(child, date(2026, 2, 9), placement_type="K2", placement_provider="PR4")
    seen(child, date(2026, 1, 9))

    o = outstanding("looked_after_visit", date(2026, 2, 10))
    assert (o.record_id, o.due) == (moved.pk, date(2026, 2, 16))


def test_a_change_of_placement_with_the_same_carer_keeps_the_visit_clock():
    child = ChildFactory()
    first = episode(child, date(2026, 1, 5), date(2026, 2, 2), rne="S", placement_type="U6")
    episode(child, date(2026, 2, 2), rne="T", placement_type="U4")  # the same carers, now long-term
    seen(child, date(2026, 1, 9))

    o = outstanding("looked_after_visit", date(2026, 2, 3))
    assert (o.record_id, o.due) == (first.pk, date(2026, 2, 20))


# --- Connected person under temporary approval (reg 24; reg 28(4)) -----------------------------------


def test_temporary_approval_weekly_visits_until_the_first_review_then_4_weekly_then_28_2_once_approved():
    child = ChildFactory()
    episode(
        child, date(2026, 1, 5), date(2026, 3, 2), rne="S", placement_type="U3", carer_approval="R24", legal_status="V2"
    )
    rule = "looked_after_visit_temporary_approval"
    assert only(rule, date(2026, 1, 5)).due == date(2026, 1, 12)
    assert listed("looked_after_visit", date(2026, 1, 5)) == []

    seen(child, date(2026, 1, 9))
    assert outstanding(rule, date(2026, 1, 9)).due == date(2026, 1, 16)
    reviewed(child, date(2026, 1, 29))
    seen(child, date(2026, 1, 30))
    assert outstanding(rule, date(2026, 1, 30)).due == date(2026, 2, 27)  # 4 weeks

    # Approved as a foster parent on 2 March: the same carer (RNE T), and reg 28(2) from then on.
    approved = episode(child, date(2026, 3, 2), rne="T", placement_type="U3", legal_status="V2")
    assert [o for o in listed(rule, date(2026, 3, 3)) if o.met_on is None] == []
    o = only("looked_after_visit", date(2026, 3, 3))
    assert (o.record_id, o.due) == (approved.pk, date(2026, 3, 9))


# --- Remanded children (CPPCR Part 8A: the regulations apply with modifications) ---------------------


@pytest.mark.parametrize("legal_status", ["J1", "J2", "J3"])
def test_remanded_and_other_youth_justice_statuses_have_the_looked_after_review_and_visits(legal_status):
    child = ChildFactory()
    episode(child, date(2026, 1, 5), rne="S", placement_type="K1", legal_status=legal_status)

    # 20 working days from Mon 5 Jan 2026: Mon 2 Feb; a visit within a week: Mon 12 Jan.
    assert only("looked_after_review", date(2026, 1, 5)).due == date(2026, 2, 2)
    assert only("looked_after_visit", date(2026, 1, 5)).due == date(2026, 1, 12)


def test_after_the_first_year_the_placement_type_in_force_at_the_last_visit_sets_the_interval():
    # Short-term fostering (U6) from Sun 5 Jan 2025; the same carers become long-term foster carers
    # (U4, RNE T) on 2 June 2025. reg 28(2)(c)(i): intended to last until 18, so 3-monthly after the
    # first year of the placement, which began on 5 January 2025 and not on 2 June.
    child = ChildFactory()
    first = episode(child, date(2025, 1, 5), date(2025, 6, 2), rne="S", placement_type="U6")
    episode(child, date(2025, 6, 2), rne="T", placement_type="U4")
    seen(child, date(2025, 12, 1))
    assert outstanding("looked_after_visit", date(2025, 12, 1)).due == date(2026, 1, 12)  # first year: 6 weeks

    seen(child, date(2026, 1, 6))  # the first year ended on 5 January 2026
    o = outstanding("looked_after_visit", date(2026, 1, 6))
    assert (o.record_id, o.due) == (first.pk, date(2026, 4, 6))
