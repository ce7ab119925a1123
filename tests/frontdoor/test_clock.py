"""The decision clock: due by the end of working day 1 after receipt (day 0 = the day of receipt, or
the next working day), RAG by working hours, rules from the data files."""

import tomllib
from datetime import date, datetime

import pytest
from django.utils import timezone

from grip.core.calendar import england_calendar
from grip.frontdoor import clock
from grip.frontdoor.clock import (
    DecisionRulesError,
    decision_due,
    decision_due_day,
    decision_rules,
    rag_status,
    working_hours_between,
)

CAL = england_calendar()


def at(y, m, d, hh=10, mm=0):
    return timezone.make_aware(datetime(y, m, d, hh, mm))


# Changed by ADR 0014: the decision used to be due at the same time on the next working day
# (Friday 16:00 -> Monday 16:00; Saturday 10:00 -> Monday 10:00). It is now due by the end of
# working day 1, counting the day of receipt (or the next working day) as day 0.
@pytest.mark.parametrize(
    ("received", "due_day", "overdue_from"),
    [
        (at(2025, 12, 19, 16), date(2025, 12, 22), at(2025, 12, 23, 0)),  # Friday -> end of Monday
        (at(2025, 12, 24, 11), date(2025, 12, 29), at(2025, 12, 30, 0)),  # Christmas Eve -> end of Mon 29
        (at(2025, 12, 20, 10), date(2025, 12, 23), at(2025, 12, 24, 0)),  # Saturday: Monday day 0 -> end of Tue
        (at(2025, 6, 7, 10), date(2025, 6, 10), at(2025, 6, 11, 0)),  # kpi-catalogue's example
        (at(2026, 4, 6, 9, 30), date(2026, 4, 8), at(2026, 4, 9, 0)),  # Easter Monday: Tuesday day 0
        (at(2026, 3, 29, 0, 30), date(2026, 3, 31), at(2026, 4, 1, 0)),  # Sunday the clocks change
    ],
)
def test_a_decision_is_due_by_the_end_of_working_day_one(received, due_day, overdue_from):
    assert decision_due_day(received) == due_day
    assert decision_due(received) == overdue_from


def test_working_hours_count_only_the_working_day():
    assert working_hours_between(at(2025, 12, 19, 16), at(2025, 12, 22, 10), cal=CAL) == pytest.approx(2.0)
    assert working_hours_between(at(2025, 12, 24, 9), at(2025, 12, 29, 9), cal=CAL) == pytest.approx(8.0)


def test_rag_follows_the_urgency_sub_targets_and_breaches_are_red():
    received = at(2026, 3, 4, 9)
    assert rag_status(received_at=received, urgency="IMMEDIATE", now=at(2026, 3, 4, 9, 30), cal=CAL) == "green"
    assert rag_status(received_at=received, urgency="IMMEDIATE", now=at(2026, 3, 4, 11), cal=CAL) == "amber"
    assert rag_status(received_at=received, urgency="IMMEDIATE", now=at(2026, 3, 4, 14), cal=CAL) == "red"
    assert rag_status(received_at=received, urgency="ROUTINE", now=at(2026, 3, 4, 14), cal=CAL) == "green"
    assert rag_status(received_at=received, urgency="ROUTINE", now=at(2026, 3, 4, 17), cal=CAL) == "red"  # 8 hours
    late = at(2026, 3, 7, 10)  # a Saturday: received Saturday, nothing is red by working hours
    assert rag_status(received_at=late, urgency="ROUTINE", now=at(2026, 3, 8, 23), cal=CAL) == "green"
    # Wednesday's contact is overdue from midnight at the end of Thursday, whatever the hours.
    assert rag_status(received_at=at(2026, 3, 4, 16, 59), urgency="IMMEDIATE", now=at(2026, 3, 6, 0), cal=CAL) == "red"


def test_a_red_sub_target_later_than_the_decision_would_be_refused(tmp_path, monkeypatch):
    with open(clock.RULES_FILE, "rb") as fh:
        text = clock.RULES_FILE.read_text(encoding="utf-8")
        assert tomllib.load(fh)["rag"]["ROUTINE"]["red_after_working_hours"] == 8
    path = tmp_path / "decision_rules.toml"
    path.write_text(text.replace("red_after_working_hours = 8", "red_after_working_hours = 9"), encoding="utf-8")
    monkeypatch.setattr(clock, "RULES_FILE", path)
    decision_rules.cache_clear()
    try:
        with pytest.raises(DecisionRulesError, match=r"\[rag.ROUTINE\].*red \(9\) <= 8 working hours"):
            decision_rules()
    finally:
        monkeypatch.undo()
        decision_rules.cache_clear()


def test_the_rules_come_from_the_data_file_with_working_together_as_the_default():
    rules = decision_rules()
    assert rules.working_days == 1  # from rules.toml's contact_decision
    assert set(rules.rag) == {"IMMEDIATE", "SAME_DAY", "ROUTINE"}
    assert rules.sign_off_outcomes and rules.feedback_working_days >= 1


@pytest.mark.django_db
def test_a_local_closure_day_does_not_stretch_the_decision():
    # Changed by ADR 0014: the decision clock used the authority calendar, so closing Mon 29 Dec
    # moved a Christmas Eve contact to Tue 30 Dec. It runs on the England calendar now.
    from grip.core.calendar import authority_calendar
    from grip.core.models import LocalClosureDay

    LocalClosureDay.objects.create(date=date(2025, 12, 29), reason="Christmas closure")
    authority_calendar.cache_clear()
    try:
        assert not authority_calendar().is_working_day(date(2025, 12, 29))
        assert decision_due_day(at(2025, 12, 24, 11)) == date(2025, 12, 29)
    finally:
        authority_calendar.cache_clear()
