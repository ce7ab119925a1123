"""Worked examples: the contact decision (1 working day) and the assessment (45 working days).

Bank holidays are England's real ones: Christmas Day Thu 25 and Boxing Day Fri 26 Dec 2025, New
Year's Day Thu 1 Jan 2026 and Fri 1 Jan 2027. The start day is day 0 (docs/working-days.md).
"""

from datetime import UTC, date, datetime

import pytest

from grip.core.models import LocalClosureDay
from tests.cases.factories import AssessmentFactory, CINEpisodeFactory, ContactFactory, at
from tests.people.factories import ChildFactory

from .support import listed, only

pytestmark = pytest.mark.django_db


def undecided_contact(received_at: datetime, **kwargs):
    return ContactFactory(received_at=received_at, decided_at=None, outcome="", **kwargs)


# --- Decision on a contact ------------------------------------------------------------------------
# WT2023 ch.3: "Within one working day of a referral being received, a local authority social
# worker should acknowledge receipt to the referrer and make a decision about next steps".


def test_a_contact_on_christmas_eve_is_due_the_monday_after_the_bank_holidays_and_weekend():
    contact = undecided_contact(at(date(2025, 12, 24), 16))

    o = only("contact_decision", date(2025, 12, 24))

    assert o.due == date(2025, 12, 29)  # Thu 25, Fri 26 bank holidays; 27, 28 a weekend
    assert o.status == "due_soon"
    assert (o.child_id, o.record_id, o.occurrence) == (contact.child_id, contact.pk, 1)
    assert (o.clock_started_by, o.clock_started_on) == ("Contact received", date(2025, 12, 24))
    assert only("contact_decision", date(2025, 12, 29)).status == "due_soon"
    late = only("contact_decision", date(2025, 12, 30))
    assert (late.status, late.days_over) == ("overdue", 1)


@pytest.mark.parametrize(
    ("decided", "status", "days_over"),
    [(at(date(2025, 12, 29), 16, 59), "met_on_time", 0), (at(date(2025, 12, 30), 9), "met_late", 1)],
)
def test_the_decision_is_in_time_on_the_due_day_and_late_the_next(decided, status, days_over):
    ContactFactory(received_at=at(date(2025, 12, 24), 16), decided_at=decided, outcome="REF")

    o = only("contact_decision", decided.date())

    assert (o.met_on, o.status, o.days_over) == (decided.date(), status, days_over)


def test_a_contact_on_new_years_eve_2026_is_due_on_monday_4_january_2027():
    # Fri 1 Jan 2027 is New Year's Day, then a weekend.
    undecided_contact(at(date(2026, 12, 31), 23, 30))

    assert only("contact_decision", date(2026, 12, 31)).due == date(2027, 1, 4)


def test_the_clock_starts_on_the_local_date_of_receipt():
    # 23:30 UTC on Tue 30 June 2026 is 00:30 on Wed 1 July in London (BST).
    undecided_contact(datetime(2026, 6, 30, 23, 30, tzinfo=UTC))

    o = only("contact_decision", date(2026, 7, 1))

    assert (o.clock_started_on, o.due) == (date(2026, 7, 1), date(2026, 7, 2))


def test_a_contact_not_yet_matched_to_a_child_is_listed_for_the_whole_authority_only():
    undecided_contact(at(date(2026, 3, 2)), child=None, named_first_name="Sam", named_last_name="Jones")
    someone = ChildFactory()

    assert [o.child_id for o in listed("contact_decision", date(2026, 3, 2))] == [None]
    assert listed("contact_decision", date(2026, 3, 2), children=[someone.pk]) == []


# --- Assessment -------------------------------------------------------------------------------------
# WT2023: "The maximum timeframe for the assessment to conclude, such that it is possible to reach a
# decision on next steps, should be no longer than 45 working days from the point of the referral."


def test_an_assessment_for_a_referral_on_19_december_2025_is_due_on_25_february_2026():
    episode = CINEpisodeFactory(referral_date=date(2025, 12, 19))
    AssessmentFactory(episode=episode, started_on=date(2025, 12, 22), authorised_on=None, factors=[])

    o = only("assessment", date(2026, 1, 5))

    # 45 working days, with Christmas Day, Boxing Day and New Year's Day left out.
    assert o.due == date(2026, 2, 25)
    assert (o.status, o.record_id, o.clock_started_by) == ("not_yet_due", episode.pk, "Referral")
    # Due soon when due within 5 working days: Wed 18 Feb is 5 before, Tue 17 Feb 6.
    assert only("assessment", date(2026, 2, 17)).status == "not_yet_due"
    assert only("assessment", date(2026, 2, 18)).status == "due_soon"
    assert only("assessment", date(2026, 2, 25)).status == "due_soon"
    overdue = only("assessment", date(2026, 3, 2))
    # Thu 26, Fri 27 February and Mon 2 March: 3 working days over (5 calendar days).
    assert (overdue.status, overdue.days_over, overdue.days_over_unit) == ("overdue", 3, "working_days")


@pytest.mark.parametrize(
    ("authorised", "status", "days_over"),
    [(date(2026, 2, 25), "met_on_time", 0), (date(2026, 2, 26), "met_late", 1)],
)
def test_an_assessment_authorised_on_the_45th_working_day_is_in_time(authorised, status, days_over):
    episode = CINEpisodeFactory(referral_date=date(2025, 12, 19))
    AssessmentFactory(episode=episode, started_on=date(2025, 12, 19), authorised_on=authorised)

    o = only("assessment", authorised)

    assert (o.met_on, o.status, o.days_over) == (authorised, status, days_over)


def test_no_assessment_is_due_when_the_referral_was_no_further_action():
    CINEpisodeFactory(referral_date=date(2026, 1, 5), referral_nfa=True)

    assert listed("assessment", date(2026, 1, 6)) == []


def test_the_dfe_measure_runs_from_the_assessment_start_on_the_national_calendar():
    # The authority closes 29-31 Dec 2025. Changed by ADR 0014: a local closure no longer moves
    # the Working Together deadline (it used to move it 3 working days, to Mon 2 March 2026);
    # both it and the DfE's measure (table C2) count bank holidays only: 25 February.
    for day in (29, 30, 31):
        LocalClosureDay.objects.create(date=date(2025, 12, day), reason="Christmas closure")
    episode = CINEpisodeFactory(referral_date=date(2025, 12, 19))
    assessment = AssessmentFactory(episode=episode, started_on=date(2025, 12, 19), authorised_on=None, factors=[])

    assert only("assessment", date(2026, 1, 5)).due == date(2026, 2, 25)
    dfe = only("assessment_dfe", date(2026, 1, 5))
    assert (dfe.due, dfe.record_id, dfe.clock_started_by) == (date(2026, 2, 25), assessment.pk, "Assessment started")


def test_the_dfe_measure_counts_from_a_later_assessment_start():
    # Started Mon 5 Jan 2026: 45 working days later (no bank holidays in between) is Mon 9 March.
    episode = CINEpisodeFactory(referral_date=date(2025, 12, 19))
    AssessmentFactory(episode=episode, started_on=date(2026, 1, 5), authorised_on=None, factors=[])

    assert only("assessment_dfe", date(2026, 1, 5)).due == date(2026, 3, 9)
    assert only("assessment", date(2026, 1, 5)).due == date(2026, 2, 25)


def test_an_assessment_nobody_can_complete_any_more_drops_off_when_the_case_closes():
    episode = CINEpisodeFactory(referral_date=date(2025, 12, 19))
    AssessmentFactory(episode=episode, started_on=date(2025, 12, 19), authorised_on=None, factors=[])

    assert only("assessment", date(2026, 3, 2)).status == "overdue"
    episode.closure_date, episode.closure_reason = date(2026, 3, 3), "RC7"
    episode.save()
    assert only("assessment", date(2026, 3, 2)).status == "overdue"  # as at 2 March it was still open
    assert listed("assessment", date(2026, 3, 3)) == []
