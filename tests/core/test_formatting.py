"""Dates and times as people read them (GOV.UK style: no leading zero, the month in words)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from grip.core.formatting import duration, long_date, short_date, when


def test_dates():
    assert long_date(date(2025, 12, 19)) == "19 December 2025"
    assert long_date(date(2026, 3, 3)) == "3 March 2026"
    assert short_date(date(2026, 3, 3)) == "3 Mar 2026"
    assert short_date(date(2026, 9, 30)) == "30 Sep 2026"


def test_a_moment_is_in_the_authoritys_time():
    assert when(datetime(2026, 6, 1, 13, 30, tzinfo=UTC)) == "1 June 2026 at 14:30"  # British Summer Time
    assert when(datetime(2026, 1, 5, 9, 5, tzinfo=UTC)) == "5 January 2026 at 09:05"
    assert when(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == "28 March 2026 at 23:30"
    assert when(None) == ""


@pytest.mark.parametrize(
    ("span", "words"),
    [
        (timedelta(days=1, hours=3, minutes=20), "1 day 3 hours"),
        (timedelta(days=2), "2 days"),
        (timedelta(hours=2, minutes=5), "2 hours 5 minutes"),
        (timedelta(hours=1, minutes=1), "1 hour 1 minute"),
        (timedelta(minutes=40), "40 minutes"),
        (timedelta(seconds=59), "less than a minute"),
        (-timedelta(hours=3), "3 hours"),  # overdue by: the length, without a sign
    ],
)
def test_durations(span, words):
    assert duration(span) == words
