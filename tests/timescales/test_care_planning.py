"""Worked examples for the care planning records of issue 11: placement plans (CPPCR 2010 reg 9), the
care plan of a child in care proceedings (reg 4(2), Children Act 1989 s31A), care proceedings within
26 weeks (s32(1)(a)), personal education plans, and the legal limits of police protection and
emergency protection orders (s46(6), s45), which are record errors rather than work to chase.

Bank holidays: Good Friday 3 and Easter Monday 6 April 2026.
"""

from datetime import date

import pytest

from grip.cases.models import CareProceedings, PersonalEducationPlan, PlacementPlan
from grip.timescales.engine import obligations
from tests.cases.factories import LookedAfterEpisodeFactory
from tests.people.factories import ChildFactory

from .support import backdate, listed, only, outstanding

pytestmark = pytest.mark.django_db


def placed(child=None, *, on: date, **kwargs):
    kwargs.setdefault("legal_status", "V2")
    return LookedAfterEpisodeFactory(child=child or ChildFactory(), started_on=on, **kwargs)


# --- Placement plan (reg 9) ---------------------------------------------------------------------------


def test_the_placement_plan_is_due_5_working_days_after_the_placement_across_easter():
    placed(on=date(2026, 3, 30))

    # Mon 30 March is day 0: 31 Mar (1), 1 Apr (2), 2 Apr (3), Easter 3-6 Apr, 7 Apr (4), 8 Apr (5).
    o = only("placement_plan", date(2026, 3, 30))
    assert (o.due, o.clock_started_by) == (date(2026, 4, 8), "Placement started")


def test_a_plan_made_for_the_placement_before_it_began_counts_and_a_plan_for_another_does_not():
    first = placed(on=date(2026, 1, 5), ended_on=date(2026, 3, 30), reason_ceased="X1")
    second = placed(first.child, on=date(2026, 3, 30), reason_new_episode="P", placement_type="K2")
    PlacementPlan.objects.create(child=first.child, episode=first, agreed_on=date(2026, 1, 6))
    PlacementPlan.objects.create(child=first.child, episode=second, agreed_on=date(2026, 3, 27))

    o = only("placement_plan", date(2026, 3, 30), since=date(2026, 3, 1))
    assert (o.record_id, o.met_on, o.status) == (second.pk, date(2026, 3, 27), "met_on_time")

    other = placed(on=date(2026, 3, 30))
    PlacementPlan.objects.create(child=other.child, episode=first, agreed_on=date(2026, 3, 31))  # wrong link
    o = outstanding("placement_plan", date(2026, 4, 9), children=[other.child_id])
    assert (o.status, o.days_over) == ("overdue", 1)


# --- The care plan of a child in care proceedings (reg 4(2), s31A) ----------------------------------------


def test_no_care_plan_clock_for_a_child_in_care_proceedings_by_the_10th_working_day():
    # Accommodated Mon 30 March 2026; 10 working days later is Wed 15 April.
    within = placed(on=date(2026, 3, 30))
    CareProceedings.objects.create(child=within.child, issued_on=date(2026, 4, 15))
    after = placed(on=date(2026, 3, 30))
    CareProceedings.objects.create(child=after.child, issued_on=date(2026, 4, 16))
    before = placed(on=date(2026, 3, 30))
    CareProceedings.objects.create(child=before.child, issued_on=date(2025, 6, 2), concluded_on=date(2025, 11, 3))

    found = {o.child_id: o.due for o in listed("care_plan", date(2026, 4, 16))}
    assert found == {after.child_id: date(2026, 4, 15), before.child_id: date(2026, 4, 15)}


@pytest.mark.parametrize(("legal_status", "clock"), [("C1", False), ("C2", False), ("V2", True), ("L2", True)])
def test_a_child_who_comes_into_care_under_a_care_order_has_the_courts_care_plan(legal_status, clock):
    placed(on=date(2026, 3, 30), legal_status=legal_status)

    assert bool(listed("care_plan", date(2026, 3, 30))) is clock


# --- Care proceedings within 26 weeks (s32(1)(a)) ---------------------------------------------------------


def test_care_proceedings_are_due_to_conclude_on_the_last_day_of_26_weeks_beginning_with_the_issue():
    child = placed(on=date(2026, 1, 5)).child
    proceedings = CareProceedings.objects.create(child=child, issued_on=date(2026, 1, 5))

    # 26 weeks beginning with Mon 5 Jan 2026 are 182 days, 5 Jan to Sun 5 July inclusive.
    o = only("care_proceedings", date(2026, 1, 5))
    assert (o.record_id, o.due, o.clock_started_by) == (proceedings.pk, date(2026, 7, 5), "Care proceedings issued")

    proceedings.concluded_on = date(2026, 7, 6)
    proceedings.save()
    o = only("care_proceedings", date(2026, 7, 6))
    assert (o.met_on, o.status, o.days_over) == (date(2026, 7, 6), "met_late", 1)


# --- Personal education plans ------------------------------------------------------------------------------


def test_a_pep_within_10_working_days_for_a_school_age_child_then_reviewed_3_monthly():
    school_age = ChildFactory(date_of_birth=date(2016, 5, 1))
    placed(school_age, on=date(2026, 3, 30))
    toddler = ChildFactory(date_of_birth=date(2023, 5, 1))
    placed(toddler, on=date(2026, 3, 30))

    o = only("personal_education_plan", date(2026, 3, 30))
    assert (o.child_id, o.due) == (school_age.pk, date(2026, 4, 15))
    assert only("personal_education_plan_review", date(2026, 3, 30)).due == date(2026, 6, 30)

    PersonalEducationPlan.objects.create(child=school_age, held_on=date(2026, 4, 10))
    assert only("personal_education_plan", date(2026, 4, 10)).status == "met_on_time"
    assert outstanding("personal_education_plan_review", date(2026, 4, 10)).due == date(2026, 7, 10)


# --- Police protection and emergency protection orders: record errors ------------------------------------


def test_police_protection_open_beyond_72_hours_is_a_record_error():
    held = placed(on=date(2026, 1, 5), legal_status="L1")

    o = only("police_protection_limit", date(2026, 1, 8))
    assert (o.due, o.status, o.kind) == (date(2026, 1, 8), "due_soon", "error")
    o = only("police_protection_limit", date(2026, 1, 9))
    assert (o.status, o.days_over, o.kind, o.record_id) == ("overdue", 1, "error", held.pk)

    held.ended_on, held.reason_ceased = date(2026, 1, 7), "X1"
    held.save()
    placed(held.child, on=date(2026, 1, 7), reason_new_episode="L", legal_status="C1")
    assert only("police_protection_limit", date(2026, 1, 7)).status == "met_on_time"
    assert listed("police_protection_limit", date(2026, 1, 9)) == []


def test_an_emergency_protection_order_beyond_8_days_and_one_7_day_extension_is_a_record_error():
    order = placed(on=date(2026, 1, 5), legal_status="L2")
    other = placed(on=date(2026, 1, 5), legal_status="C1")

    assert only("emergency_protection_order_limit", date(2026, 1, 20)).status == "due_soon"
    o = only("emergency_protection_order_limit", date(2026, 1, 21))
    assert (o.record_id, o.due, o.status, o.kind) == (order.pk, date(2026, 1, 20), "overdue", "error")
    backdate()
    everything = obligations(on=date(2026, 1, 21), children=[other.child_id])
    assert {o.kind for o in everything} == {"duty"}
