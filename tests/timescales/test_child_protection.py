"""Worked examples: ICPC (15 working days), first core group (10), review conferences (3 then 6
months), and the local rules for CP visits (10 working days) and CIN plan reviews (3 months).

Easter 2026: Good Friday 3 April and Easter Monday 6 April are bank holidays.
"""

from datetime import date

import pytest

from tests.cases.factories import (
    ChildProtectionConferenceFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    CINPlanFactory,
    CoreGroupMeetingFactory,
    Section47EnquiryFactory,
    StrategyDiscussionFactory,
    VisitFactory,
)

from .support import listed, only, outstanding

pytestmark = pytest.mark.django_db


def enquiry(*, discussed: date, started: date, **kwargs):
    episode = CINEpisodeFactory(referral_date=discussed)
    discussion = StrategyDiscussionFactory(episode=episode, held_on=discussed)
    return Section47EnquiryFactory(
        episode=episode, strategy_discussion=discussion, started_on=started, completed_on=None, outcome="", **kwargs
    )


# --- Initial child protection conference ------------------------------------------------------------
# WT2023: the ICPC "should take place within 15 working days of the strategy discussion, or the
# strategy discussion at which section 47 enquiries were initiated if more than one has been held".


def test_an_icpc_after_a_strategy_discussion_on_19_march_2026_is_due_on_13_april_across_easter():
    s47 = enquiry(discussed=date(2026, 3, 19), started=date(2026, 3, 23))

    o = only("icpc", date(2026, 3, 19))
    # Fri 20 Mar is day 1 ... Thu 2 Apr day 10; Good Friday and Easter Monday are skipped;
    # Tue 7 Apr day 11 ... Mon 13 Apr day 15.
    assert (o.due, o.record_id, o.clock_started_by) == (date(2026, 4, 13), s47.pk, "Strategy discussion")
    # The DfE's measure (table C4) runs from S47ActualStartDate, Mon 23 March: due Wed 15 April.
    dfe = only("icpc_dfe", date(2026, 3, 23))
    assert (dfe.due, dfe.clock_started_by) == (date(2026, 4, 15), "Section 47 enquiry started")


def test_the_icpc_held_on_the_15th_working_day_meets_both_clocks():
    s47 = enquiry(discussed=date(2026, 3, 19), started=date(2026, 3, 19))
    ChildProtectionConferenceFactory(
        episode=s47.episode, conference_type="ICPC", section47=s47, held_on=date(2026, 4, 13)
    )

    assert only("icpc", date(2026, 4, 13)).status == "met_on_time"
    late = only("icpc_dfe", date(2026, 4, 13))
    assert (late.due, late.status) == (date(2026, 4, 13), "met_on_time")
    assert only("icpc", date(2026, 4, 14), since=date(2026, 4, 1)).met_on == date(2026, 4, 13)


def test_the_strategy_discussion_that_started_the_enquiry_is_the_one_that_counts():
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    StrategyDiscussionFactory(episode=episode, held_on=date(2026, 3, 2), outcome="NO_S47_CIN")
    second = StrategyDiscussionFactory(episode=episode, held_on=date(2026, 3, 19), outcome="S47")
    Section47EnquiryFactory(
        episode=episode, strategy_discussion=second, started_on=date(2026, 3, 19), completed_on=None, outcome=""
    )

    assert [o.due for o in listed("icpc", date(2026, 3, 20))] == [date(2026, 4, 13)]


def test_no_icpc_is_due_once_the_enquiry_ends_without_one():
    s47 = enquiry(discussed=date(2026, 3, 19), started=date(2026, 3, 19))
    assert only("icpc", date(2026, 3, 30)).status == "not_yet_due"

    s47.completed_on, s47.outcome = date(2026, 3, 31), "CIN"
    s47.save()

    assert only("icpc", date(2026, 3, 30)).status == "not_yet_due"  # not known yet on 30 March
    assert listed("icpc", date(2026, 3, 31)) == []
    assert listed("icpc", date(2026, 4, 20)) == []


# --- First core group --------------------------------------------------------------------------------
# WT2018 p.52: the first core group meeting within 10 working days of the ICPC.


def test_the_first_core_group_after_a_plan_made_on_2_april_2026_is_due_on_20_april():
    plan = ChildProtectionPlanFactory(started_on=date(2026, 4, 2))

    o = only("core_group_first", date(2026, 4, 2))
    # Tue 7 Apr is day 1 (Good Friday and Easter Monday skipped) ... Mon 20 Apr day 10.
    assert (o.due, o.record_id, o.clock_started_by) == (date(2026, 4, 20), plan.pk, "Child protection plan started")

    CoreGroupMeetingFactory(plan=plan, held_on=date(2026, 4, 20))
    met = only("core_group_first", date(2026, 4, 20))
    assert (met.status, met.met_on) == ("met_on_time", date(2026, 4, 20))
    assert listed("core_group_first", date(2026, 4, 21)) == []  # met before the window: history only
    assert len(listed("core_group_first", date(2026, 4, 21), since=date(2026, 4, 1))) == 1


# --- Review child protection conferences ----------------------------------------------------------------
# WT2023: "first review within 3 months of the ICPC; further reviews at intervals of not more than
# 6 months while the child remains on a plan".


def test_review_conferences_are_due_3_months_after_the_plan_then_6_months_after_each_review_leap_year():
    plan = ChildProtectionPlanFactory(started_on=date(2027, 11, 30))
    ChildProtectionConferenceFactory(episode=plan.episode, conference_type="ICPC", plan=plan, held_on=plan.started_on)

    first = only("cp_review", date(2027, 12, 1))
    assert (first.due, first.occurrence) == (date(2028, 2, 29), 1)  # 30 Nov + 3 months: leap day 2028

    ChildProtectionConferenceFactory(episode=plan.episode, conference_type="RCPC", plan=plan, held_on=date(2028, 2, 29))
    second = outstanding("cp_review", date(2028, 3, 1))
    assert (second.occurrence, second.due) == (2, date(2028, 8, 29))
    assert (second.clock_started_by, second.clock_started_on) == ("Conference", date(2028, 2, 29))
    assert [o.status for o in listed("cp_review", date(2028, 2, 29))] == ["met_on_time", "not_yet_due"]


def test_a_review_due_from_31_january_clamps_to_the_end_of_april():
    plan = ChildProtectionPlanFactory(started_on=date(2028, 1, 31))

    o = only("cp_review", date(2028, 2, 1))
    assert (o.due, o.record_id) == (date(2028, 4, 30), plan.pk)


def test_a_late_review_sets_the_next_one_from_the_day_it_was_held():
    plan = ChildProtectionPlanFactory(started_on=date(2025, 9, 1))
    ChildProtectionConferenceFactory(
        episode=plan.episode, conference_type="RCPC", plan=plan, held_on=date(2025, 12, 15)
    )

    late, nxt = listed("cp_review", date(2025, 12, 15))
    assert (late.due, late.status, late.days_over) == (date(2025, 12, 1), "met_late", 14)
    assert nxt.due == date(2026, 6, 15)


def test_no_review_is_due_once_the_plan_has_ended():
    plan = ChildProtectionPlanFactory(started_on=date(2025, 9, 1), ended_on=date(2025, 11, 20))

    assert listed("cp_review", date(2025, 11, 19))[0].due == date(2025, 12, 1)
    assert listed("cp_review", date(2025, 11, 20)) == []
    assert listed("cp_review", date(2025, 11, 19), children=[plan.episode.child_id])


# --- Visits to a child on a CP plan (local: every 10 working days) ----------------------------------------


def test_cp_visits_are_due_every_10_working_days_and_only_seen_cp_visits_count():
    plan = ChildProtectionPlanFactory(started_on=date(2026, 3, 27))
    child = plan.episode.child
    VisitFactory(child=child, visit_type="CP", visited_on=date(2026, 4, 1), child_seen=False, seen_alone=False)
    VisitFactory(child=child, visit_type="CIN", visited_on=date(2026, 4, 2))

    o = only("cp_visit", date(2026, 4, 2))
    assert o.due == date(2026, 4, 14)  # 10 working days from Fri 27 March, Easter skipped

    VisitFactory(child=child, visit_type="CP", visited_on=date(2026, 4, 14))
    met, nxt = listed("cp_visit", date(2026, 4, 14))
    assert (met.status, nxt.due, nxt.clock_started_by) == ("met_on_time", date(2026, 4, 28), "Visit")


def test_a_cin_visit_never_meets_a_cp_visit_even_when_read_for_the_cin_plan_rule():
    plan = ChildProtectionPlanFactory(started_on=date(2026, 3, 2))
    CINPlanFactory(episode=plan.episode, started_on=date(2026, 3, 2))
    VisitFactory(child=plan.episode.child, visit_type="CIN", visited_on=date(2026, 3, 5))

    o = only("cp_visit", date(2026, 3, 5))
    assert (o.met_on, o.due) == (None, date(2026, 3, 16))
    assert outstanding("cin_visit", date(2026, 3, 5)).clock_started_on == date(2026, 3, 5)
