"""The decision clock: one working day from receipt, RAG by working hours, rules from the data file."""

from datetime import datetime

import pytest
from django.utils import timezone

from grip.core.calendar import england_calendar
from grip.frontdoor.clock import decision_due, decision_rules, rag_status, working_hours_between

CAL = england_calendar()


def at(y, m, d, hh=10, mm=0):
    return timezone.make_aware(datetime(y, m, d, hh, mm))


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (at(2025, 12, 19, 16), at(2025, 12, 22, 16)),  # Friday -> Monday, same time
        (at(2025, 12, 24, 11), at(2025, 12, 29, 11)),  # Christmas Eve -> after the bank holidays
        (at(2025, 12, 20, 10), at(2025, 12, 22, 10)),  # Saturday -> Monday
    ],
)
def test_a_decision_is_due_one_working_day_after_receipt(received, due):
    assert decision_due(received, cal=CAL) == due


def test_working_hours_count_only_the_working_day():
    assert working_hours_between(at(2025, 12, 19, 16), at(2025, 12, 22, 10), cal=CAL) == pytest.approx(2.0)
    assert working_hours_between(at(2025, 12, 24, 9), at(2025, 12, 29, 9), cal=CAL) == pytest.approx(8.0)


def test_rag_follows_the_urgency_sub_targets_and_breaches_are_red():
    received = at(2026, 3, 4, 9)
    assert rag_status(received_at=received, urgency="IMMEDIATE", now=at(2026, 3, 4, 9, 30), cal=CAL) == "green"
    assert rag_status(received_at=received, urgency="IMMEDIATE", now=at(2026, 3, 4, 11), cal=CAL) == "amber"
    assert rag_status(received_at=received, urgency="IMMEDIATE", now=at(2026, 3, 4, 14), cal=CAL) == "red"
    assert rag_status(received_at=received, urgency="ROUTINE", now=at(2026, 3, 4, 14), cal=CAL) == "green"
    assert rag_status(received_at=received, urgency="ROUTINE", now=at(2026, 3, 5, 9, 1), cal=CAL) == "red"  # overdue


def test_the_rules_come_from_the_data_file_with_working_together_as_the_default():
    rules = decision_rules()
    assert rules.working_days == 1
    assert set(rules.rag) == {"IMMEDIATE", "SAME_DAY", "ROUTINE"}
    assert rules.sign_off_outcomes and rules.feedback_working_days >= 1
