"""Tests for the England and Wales working-day calendar (grip.core.calendar).

Convention under test (shared/reference/kpi-catalogue.md, "Clock conventions"; ADR 0014): the
clock-start day is day 0, and a start on a non-working day behaves as if it started on the next
working day; working_days_between(a, b) = numpy.busday_count(a, b), the working days d with
a <= d < b; add_working_days(start, n) = numpy.busday_offset(start, n, roll="forward").
Only the LocalClosureDay tests touch the database.
"""

from datetime import date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grip.core.calendar import (
    LOCAL_CLOSURE,
    CalendarDataError,
    NationalOverrides,
    WorkingDayCalendar,
    add_months,
    add_weeks,
    authority_calendar,
    england_calendar,
    load_national_overrides,
)

D = date  # short alias for the many worked examples


@pytest.fixture(autouse=True)
def fresh_authority_calendar():
    # A rolled-back test transaction sends no post_delete, so a calendar cached inside one
    # test could carry its closure days into the next. Clearing the cache needs no database.
    authority_calendar.cache_clear()
    yield
    authority_calendar.cache_clear()


@pytest.fixture
def cal() -> WorkingDayCalendar:
    return england_calendar()


# The 19 December 2025 referral, counted by hand on a printed calendar ----------------------

# Mon-Fri only (weekends are never working days). The number is the working day of a clock
# started on Friday 19 December 2025 (day 0); BH = bank holiday; "." = before the start.
PRINTED_CALENDAR_DEC_2025 = """
week of      Mon Tue Wed Thu Fri
2025-12-15     .   .   .   .   0
2025-12-22     1   2   3  BH  BH
2025-12-29     4   5   6  BH   7
2026-01-05     8   9  10  11  12
2026-01-12    13  14  15  16  17
2026-01-19    18  19  20  21  22
2026-01-26    23  24  25  26  27
2026-02-02    28  29  30  31  32
2026-02-09    33  34  35  36  37
2026-02-16    38  39  40  41  42
2026-02-23    43  44  45  46  47
"""


def read_printed_calendar(listing: str) -> dict[date, str]:
    cells: dict[date, str] = {}
    for line in listing.strip().splitlines()[1:]:
        monday, *days = line.split()
        for offset, cell in enumerate(days):
            cells[date.fromisoformat(monday) + timedelta(days=offset)] = cell
    return cells


def test_printed_calendar_matches_the_arithmetic(cal):
    referral = D(2025, 12, 19)
    for day, cell in read_printed_calendar(PRINTED_CALENDAR_DEC_2025).items():
        if cell == "BH":
            assert not cal.is_working_day(day)
            assert day in cal.holidays_in(day.year)
        elif cell != ".":
            assert cal.is_working_day(day)
            assert cal.working_days_between(referral, day) == int(cell), day
            assert cal.add_working_days(referral, int(cell)) == day


def test_referral_on_19_december_2025(cal):
    referral = D(2025, 12, 19)  # a Friday
    assert cal.add_working_days(referral, 15) == D(2026, 1, 14)  # Wednesday: the known check
    deadline = cal.add_working_days(referral, 45)
    assert deadline == D(2026, 2, 25)  # Wednesday
    assert cal.working_days_between(referral, deadline) <= 45  # done on the deadline: in time
    assert cal.working_days_between(referral, D(2026, 2, 26)) == 46  # a day later: late


def test_contact_decision_deadlines_over_christmas(cal):
    # One working day for a decision. Friday 19 Dec: day 1 is Monday 22 Dec.
    assert cal.add_working_days(D(2025, 12, 19), 1) == D(2025, 12, 22)
    # Christmas Eve (Wednesday, day 3 on the printed calendar): Christmas Day and Boxing Day
    # are bank holidays and 27-28 Dec a weekend, so day 1 is Monday 29 December.
    assert cal.add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 29)
    assert cal.next_working_day(D(2025, 12, 24)) == D(2025, 12, 29)
    assert cal.working_days_between(D(2025, 12, 24), D(2025, 12, 24)) == 0  # same day


# The three examples of the reference table (kpi-catalogue.md, "Clock conventions"), each
# worked by hand there: day-0 due date, and the DfE validator's (start day = day 1).
REFERENCE_TABLE = [
    # start, working days, due (day 0), due (validator) or None
    (D(2025, 12, 19), 15, D(2026, 1, 14), D(2026, 1, 13)),  # ICPC from a strategy discussion
    (D(2025, 3, 3), 45, D(2025, 5, 8), D(2025, 5, 7)),  # assessment, Easter and early May
    (D(2025, 6, 7), 1, D(2025, 6, 10), None),  # a contact on Saturday: Monday 9 Jun is day 0
]


@pytest.mark.parametrize(("start", "n", "due", "validator_due"), REFERENCE_TABLE)
def test_the_reference_table(cal, start, n, due, validator_due):
    assert cal.add_working_days(start, n) == due
    assert cal.working_days_between(start, due) == n  # done on the due date: in time
    assert cal.working_days_between(start, due + timedelta(days=1)) == n + 1  # the day after: late
    if validator_due is not None:
        assert cal.add_working_days(start, n - 1) == validator_due
    # The reference formulas themselves, with the same holidays.
    holidays = np.array(sorted(cal.holidays_in(2025) | cal.holidays_in(2026)), "datetime64[D]")
    assert np.busday_offset(start, n, roll="forward", holidays=holidays).item() == due
    assert np.busday_count(start, due, holidays=holidays) == n


def test_saturday_contact_is_day_zero_on_monday(cal):
    saturday = D(2025, 6, 7)
    assert cal.working_days_between(saturday, D(2025, 6, 9)) == 0  # decided Monday: "same day"
    assert cal.working_days_between(saturday, D(2025, 6, 8)) == 0  # decided Sunday
    assert cal.working_days_between(saturday, D(2025, 6, 10)) == 1  # Tuesday: within 1
    assert cal.working_days_between(saturday, D(2025, 6, 11)) == 2  # Wednesday: late


def test_dfe_validator_counts_the_start_day_as_day_one(cal):
    # cin_validator/utils.py::england_working_days offsets by n - 1 (pandas CustomBusinessDay,
    # which rolls a non-working start forward). For a working-day start its deadline is one
    # working day earlier than ours.
    holidays = np.array(sorted(cal.holidays_in(2025) | cal.holidays_in(2026)), "datetime64[D]")
    validator = np.busdaycalendar(holidays=holidays)

    def validator_deadline(start: date, n: int) -> date:
        return np.busday_offset(start, n - 1, roll="forward", busdaycal=validator).item()

    assert validator_deadline(D(2025, 12, 19), 45) == D(2026, 2, 24)
    assert cal.add_working_days(D(2025, 12, 19), 45) == D(2026, 2, 25)
    assert cal.add_working_days(D(2025, 12, 19), 44) == D(2026, 2, 24)
    assert validator_deadline(D(2025, 12, 24), 1) == D(2025, 12, 24)  # same day
    assert cal.add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 29)


# The convention at its edges ---------------------------------------------------------------


def test_start_on_a_non_working_day_starts_on_the_next_working_day(cal):
    # Changed by ADR 0014: Saturday used to be day 0 and Monday day 1. Now Monday is day 0.
    saturday = D(2025, 12, 20)
    assert cal.add_working_days(saturday, 0) == D(2025, 12, 22)  # Monday is day 0
    assert cal.first_working_day_from(saturday) == D(2025, 12, 22)
    assert cal.add_working_days(saturday, 1) == D(2025, 12, 23)  # Tuesday is day 1
    assert cal.add_working_days(saturday, 2) == D(2025, 12, 24)
    assert cal.add_working_days(saturday, 3) == D(2025, 12, 29)  # past Christmas and the weekend
    assert cal.working_days_between(saturday, D(2025, 12, 22)) == 0
    assert cal.working_days_between(saturday, D(2025, 12, 23)) == 1
    christmas = D(2025, 12, 25)  # a bank holiday: day 0 is Monday 29 December
    assert cal.add_working_days(christmas, 1) == D(2025, 12, 30)
    assert cal.working_days_between(christmas, D(2025, 12, 29)) == 0
    assert cal.working_days_between(christmas, D(2025, 12, 30)) == 1
    easter_monday = D(2026, 4, 6)  # day 0 is Tuesday 7 April
    assert cal.add_working_days(easter_monday, 1) == D(2026, 4, 8)
    assert cal.next_working_day(saturday) == D(2025, 12, 22)  # strictly after: unchanged
    assert cal.next_working_day(D(2025, 12, 22)) == D(2025, 12, 23)


def test_counting_backwards(cal):
    assert cal.add_working_days(D(2025, 12, 22), -1) == D(2025, 12, 19)
    assert cal.add_working_days(D(2025, 12, 20), -1) == D(2025, 12, 19)  # from a Saturday
    assert cal.add_working_days(D(2026, 1, 2), -2) == D(2025, 12, 30)
    assert cal.working_days_between(D(2025, 12, 22), D(2025, 12, 19)) == -1
    assert cal.working_days_between(D(2026, 1, 14), D(2025, 12, 19)) == -15
    # From a Saturday, day 0 is Monday, so Friday is day -1 both ways round.
    assert cal.working_days_between(D(2025, 12, 20), D(2025, 12, 19)) == -1


def test_within_45_working_days_edges(cal):
    start = D(2024, 9, 2)
    deadline = cal.add_working_days(start, 45)
    assert cal.working_days_between(start, deadline) <= 45
    assert cal.working_days_between(start, cal.next_working_day(deadline)) > 45


# Worked examples across the holidays -------------------------------------------------------


def test_christmas_and_new_year_2025(cal):
    assert cal.holidays_in(2025)[D(2025, 12, 25)] == "Christmas Day"
    assert cal.holidays_in(2025)[D(2025, 12, 26)] == "Boxing Day"
    assert cal.holidays_in(2026)[D(2026, 1, 1)] == "New Year's Day"
    assert cal.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 2)


def test_easter(cal):
    # Good Friday 29 Mar 2024 and Easter Monday 1 Apr 2024.
    assert not cal.is_working_day(D(2024, 3, 29))
    assert not cal.is_working_day(D(2024, 4, 1))
    assert cal.add_working_days(D(2024, 3, 28), 1) == D(2024, 4, 2)
    # Good Friday 18 Apr 2025 and Easter Monday 21 Apr 2025.
    assert cal.add_working_days(D(2025, 4, 17), 1) == D(2025, 4, 22)
    assert cal.working_days_between(D(2025, 4, 14), D(2025, 4, 25)) == 7


def test_2022_one_off_bank_holidays(cal):
    # Spring bank holiday moved to Thursday 2 Jun; Platinum Jubilee Friday 3 Jun.
    assert cal.add_working_days(D(2022, 6, 1), 1) == D(2022, 6, 6)
    assert "Platinum Jubilee" in cal.holidays_in(2022)[D(2022, 6, 3)]
    # State Funeral of Queen Elizabeth II, Monday 19 Sep.
    assert cal.add_working_days(D(2022, 9, 16), 1) == D(2022, 9, 20)
    assert "State Funeral" in cal.holidays_in(2022)[D(2022, 9, 19)]


def test_2023_coronation(cal):
    assert "Coronation" in cal.holidays_in(2023)[D(2023, 5, 8)]
    assert cal.add_working_days(D(2023, 5, 5), 1) == D(2023, 5, 9)
    # May 2023: 23 weekdays less three bank holidays (1, 8 and 29 May); [1 May, 1 Jun).
    assert cal.working_days_between(D(2023, 5, 1), D(2023, 6, 1)) == 20


def test_substitute_days_christmas_2021(cal):
    # Christmas Day and Boxing Day 2021 fell on a weekend: substitutes Mon 27 and Tue 28 Dec,
    # and New Year's Day 2022 (Saturday) was observed Monday 3 Jan.
    year = cal.holidays_in(2021)
    assert D(2021, 12, 27) in year and D(2021, 12, 28) in year
    assert D(2021, 12, 25) not in year  # the Saturday itself is not listed, as on gov.uk
    assert cal.add_working_days(D(2021, 12, 24), 1) == D(2021, 12, 29)
    assert cal.add_working_days(D(2021, 12, 31), 1) == D(2022, 1, 4)


def test_year_ends(cal):
    # 2025: 261 weekdays, 8 bank holidays, all on weekdays.
    assert cal.working_days_between(D(2025, 1, 1), D(2026, 1, 1)) == 253
    assert len(cal.holidays_in(2025)) == 8
    assert cal.add_working_days(D(2024, 12, 31), 1) == D(2025, 1, 2)


def test_leap_years(cal):
    assert cal.is_working_day(D(2024, 2, 29))
    assert cal.add_working_days(D(2024, 2, 28), 1) == D(2024, 2, 29)
    assert cal.add_working_days(D(2024, 2, 29), 1) == D(2024, 3, 1)
    assert cal.working_days_between(D(2024, 2, 1), D(2024, 3, 1)) == 21
    assert cal.working_days_between(D(2023, 2, 1), D(2023, 3, 1)) == 20


def test_add_months_clamps_to_month_end():
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2025, 8, 31), 3) == D(2025, 11, 30)
    assert add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)
    assert add_months(D(2025, 12, 19), 3) == D(2026, 3, 19)
    # Clamping loses the day: chaining is not the same as adding in one go.
    assert add_months(add_months(D(2025, 1, 31), 1), 1) == D(2025, 3, 28)
    assert add_months(D(2025, 1, 31), 2) == D(2025, 3, 31)


def test_add_weeks_is_calendar_weeks():
    assert add_weeks(D(2025, 12, 19), 1) == D(2025, 12, 26)  # a bank holiday: weeks ignore them
    assert add_weeks(D(2025, 12, 19), 6) == D(2026, 1, 30)
    assert add_weeks(D(2025, 12, 19), -1) == D(2025, 12, 12)


# Local closure days (no database) -----------------------------------------------------------


def test_local_closure_days():
    closures = [D(2025, 12, 29), D(2025, 12, 30), D(2025, 12, 31)]
    local = WorkingDayCalendar(closures=closures)
    assert not local.is_working_day(D(2025, 12, 30))
    assert england_calendar().is_working_day(D(2025, 12, 30))  # the national one is unchanged
    assert local.add_working_days(D(2025, 12, 24), 1) == D(2026, 1, 2)
    assert local.add_working_days(D(2025, 12, 19), 15) == D(2026, 1, 19)
    assert local.holidays_in(2025)[D(2025, 12, 29)] == LOCAL_CLOSURE
    assert local.closures == frozenset(closures)


def test_closure_reasons_weekends_and_bank_holidays():
    local = WorkingDayCalendar(
        closures={
            D(2025, 12, 29): "Christmas closure",
            D(2025, 12, 27): "Saturday",
            D(2025, 12, 25): "Also Christmas",
        }
    )
    year = local.holidays_in(2025)
    assert year[D(2025, 12, 29)] == f"{LOCAL_CLOSURE}: Christmas closure"
    assert D(2025, 12, 27) not in year  # weekends are not working days anyway
    assert year[D(2025, 12, 25)] == "Christmas Day"  # the bank holiday keeps its name


# Guard rails --------------------------------------------------------------------------------


def test_dates_outside_the_calendar_are_refused(cal):
    with pytest.raises(ValueError):
        cal.is_working_day(D(1999, 12, 31))
    with pytest.raises(ValueError):
        cal.add_working_days(D(2045, 12, 29), 5)  # would run past 2045 with no holidays known
    with pytest.raises(ValueError):
        cal.add_working_days_array(np.array(["2046-01-02"], "datetime64[D]"), 1)
    with pytest.raises(ValueError):
        cal.holidays_in(2046)
    with pytest.raises(ValueError):
        WorkingDayCalendar(first_year=2030, last_year=2020)


def test_timestamps_are_refused(cal):
    with pytest.raises(TypeError):
        cal.add_working_days(datetime(2025, 12, 19, 9, 30), 1)
    with pytest.raises(TypeError):
        add_months(datetime(2025, 12, 19), 1)


def test_array_api_broadcasts_and_keeps_missing_dates(cal):
    starts = np.array(["2025-12-19", "NaT", "2025-12-20"], "datetime64[D]")
    monday, tuesday = D(2025, 12, 22), D(2025, 12, 23)
    assert cal.add_working_days_array(starts, 1).tolist() == [monday, None, tuesday]
    assert cal.add_working_days_array(starts, 0).tolist() == [D(2025, 12, 19), None, monday]
    steps = np.array([0, 1, 15, 45, -1])
    expected = [D(2025, 12, 19), D(2025, 12, 22), D(2026, 1, 14), D(2026, 2, 25), D(2025, 12, 18)]
    assert cal.add_working_days_array(np.datetime64("2025-12-19"), steps).tolist() == expected
    counts = cal.working_days_between_array(np.datetime64("2025-12-19"), np.array(expected))
    assert counts.tolist() == [0, 1, 15, 45, -1]
    with pytest.raises(ValueError):
        cal.working_days_between_array(starts, starts)  # NaT cannot be counted
    with pytest.raises(TypeError):
        cal.add_working_days_array(starts, 1.5)


def test_array_api_accepts_nanosecond_timestamps(cal):
    stamps = np.array(["2025-12-24T16:45"], "datetime64[ns]")
    assert cal.add_working_days_array(stamps, 1).tolist() == [D(2025, 12, 29)]


# Properties ---------------------------------------------------------------------------------

# Stay far enough inside 2000-2045 that adding up to 500 working days cannot leave the range.
days = st.dates(min_value=D(2000, 1, 1), max_value=D(2043, 6, 30))
steps = st.integers(min_value=0, max_value=500)
signed_steps = st.integers(min_value=-500, max_value=500)
closure_sets = st.lists(st.dates(min_value=D(2020, 1, 1), max_value=D(2027, 12, 31)), max_size=30)


@given(st.dates(min_value=D(2002, 6, 1), max_value=D(2043, 6, 30)), signed_steps, closure_sets)
def test_round_trip(start, n, closures):
    cal = WorkingDayCalendar(closures=closures)
    assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


@given(days, st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=90), closure_sets)
def test_within_n_means_on_or_before_the_due_date(start, n, later, closures):
    # "Within N" (elapsed <= N) and "on or before busday_offset(start, N)" are the same test.
    cal = WorkingDayCalendar(closures=closures)
    due = cal.add_working_days(start, n)
    assert cal.is_working_day(due)
    done = start + timedelta(days=later)
    assert (cal.working_days_between(start, done) <= n) == (done <= due)


@given(days, st.integers(min_value=-500, max_value=-1))
def test_counting_back_lands_on_a_working_day(start, n):
    cal = england_calendar()
    result = cal.add_working_days(start + timedelta(days=800), n)
    assert cal.is_working_day(result)


@given(days, days, steps, steps)
def test_monotonic(a, b, n, m):
    cal = england_calendar()
    a, b = min(a, b), max(a, b)
    n, m = min(n, m), max(n, m)
    assert cal.add_working_days(a, n) <= cal.add_working_days(b, n)
    assert cal.add_working_days(a, n) <= cal.add_working_days(a, m)
    if n < m:
        assert cal.add_working_days(a, n) < cal.add_working_days(a, m)
    assert cal.working_days_between(a, a) == 0 <= cal.working_days_between(a, b)


@given(st.lists(days, min_size=3, max_size=3).map(sorted))
def test_additive_and_antisymmetric(abc):
    cal = england_calendar()
    a, b, c = abc
    between = cal.working_days_between
    assert between(a, c) == between(a, b) + between(b, c)
    assert between(c, a) == -between(a, c)


@given(days, st.integers(min_value=0, max_value=60), closure_sets)
def test_counting_matches_a_day_by_day_walk(start, span, closures):
    # Day 0 is the first working day on or after the start; the count is of [start, end).
    cal = WorkingDayCalendar(closures=closures)
    walk = [start + timedelta(days=i) for i in range(span)]
    working = [d for d in walk if cal.is_working_day(d)]
    assert cal.working_days_between(start, start + timedelta(days=span)) == len(working)
    for n, day in enumerate(working):
        assert cal.add_working_days(start, n) == day


# Room to count 300 working days either way without leaving 2000-2045.
inner_days = st.dates(min_value=D(2001, 6, 1), max_value=D(2043, 6, 30))


rows_of_start_and_n = st.lists(
    st.tuples(inner_days, st.integers(min_value=-300, max_value=300)), min_size=1, max_size=40
)


@given(rows_of_start_and_n, closure_sets)
def test_array_api_equals_scalar_api(rows, closures):
    cal = WorkingDayCalendar(closures=closures)
    starts = [start for start, _ in rows]
    steps = [n for _, n in rows]
    results = cal.add_working_days_array(np.array(starts, "datetime64[D]"), np.array(steps))
    pairs = zip(starts, steps, strict=True)
    assert results.tolist() == [cal.add_working_days(s, n) for s, n in pairs]
    ends = list(reversed(starts))
    counts = cal.working_days_between_array(np.array(starts), np.array(ends))
    spans = zip(starts, ends, strict=True)
    assert counts.tolist() == [cal.working_days_between(s, e) for s, e in spans]


# LocalClosureDay rows and the cached authority calendar ---------------------------------------


@pytest.mark.django_db
def test_authority_calendar_follows_local_closure_days():
    from grip.core.models import LocalClosureDay

    day = D(2025, 12, 29)
    assert authority_calendar().is_working_day(day)
    assert authority_calendar() is authority_calendar()  # cached

    closure = LocalClosureDay.objects.create(date=day, reason="Christmas closure")
    assert not authority_calendar().is_working_day(day)
    assert authority_calendar().holidays_in(2025)[day] == f"{LOCAL_CLOSURE}: Christmas closure"
    assert authority_calendar().add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 30)
    assert england_calendar().is_working_day(day)  # bank holidays only

    closure.delete()
    assert authority_calendar().is_working_day(day)


# National overrides: a one-off bank holiday proclaimed after the holidays package's release -----

# A made-up proclamation (no such holiday): Tuesday 14 July 2026.
MADE_UP_HOLIDAY = D(2026, 7, 14)
OVERRIDES = """
[[added]]
date = 2026-07-14
name = "Made-up one-off bank holiday (test)"
source = "A test proclamation: no such holiday"
"""


def test_shipped_overrides_file_loads_and_has_no_made_up_days():
    from grip.core.calendar import NATIONAL_OVERRIDES_FILE

    shipped = load_national_overrides(NATIONAL_OVERRIDES_FILE)
    assert MADE_UP_HOLIDAY not in dict(shipped.added)
    assert england_calendar().is_working_day(MADE_UP_HOLIDAY)


@pytest.mark.django_db
def test_a_national_override_reaches_every_calendar(tmp_path, monkeypatch):
    from grip.core import calendar
    from grip.core.models import LocalClosureDay

    path = tmp_path / "national_overrides.toml"
    path.write_text(OVERRIDES, encoding="utf-8")
    LocalClosureDay.objects.create(date=D(2026, 7, 20), reason="Local closure")
    monkeypatch.setattr(calendar, "NATIONAL_OVERRIDES_FILE", path)
    calendar.forget_calendars()
    try:
        for cal in (calendar.england_calendar(), calendar.authority_calendar()):
            assert not cal.is_working_day(MADE_UP_HOLIDAY)
            assert cal.holidays_in(2026)[MADE_UP_HOLIDAY] == "Made-up one-off bank holiday (test)"
            # Mon 13 Jul + 1 WD skips Tuesday 14: Wednesday 15.
            assert cal.add_working_days(D(2026, 7, 13), 1) == D(2026, 7, 15)
            assert cal.working_days_between(D(2026, 7, 13), D(2026, 7, 17)) == 3
        assert calendar.england_calendar().is_working_day(D(2026, 7, 20))  # local closure: authority only
        assert not calendar.authority_calendar().is_working_day(D(2026, 7, 20))
    finally:
        monkeypatch.undo()
        calendar.forget_calendars()
    assert calendar.england_calendar().is_working_day(MADE_UP_HOLIDAY)


def test_an_override_can_remove_a_listed_holiday(tmp_path):
    path = tmp_path / "o.toml"
    path.write_text(
        '[[removed]]\ndate = 2026-05-04\nname = "Early May (moved, test)"\nsource = "test"\n'
        '[[added]]\ndate = 2026-05-08\nname = "Early May (moved, test)"\nsource = "test"\n',
        encoding="utf-8",
    )
    cal = WorkingDayCalendar(overrides=load_national_overrides(path))
    assert cal.is_working_day(D(2026, 5, 4))
    assert not cal.is_working_day(D(2026, 5, 8))
    assert england_calendar().is_working_day(D(2026, 5, 8))  # the shipped calendar is unchanged


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[added]]\ndate = 2026-07-18\nname = "x"\nsource = "y"\n', "Saturday"),
        ('[[added]]\ndate = "2026-07-14"\nname = "x"\nsource = "y"\n', "must be a date"),
        ('[[added]]\ndate = 2026-07-14\nname = "x"\n', "exactly date, name and source"),
        ('[[added]]\ndate = 2026-07-14\nname = "x"\nsource = " "\n', "'source' is required"),
        ("holidays = []\n", "unknown field"),
        ("added = [", "cannot read"),
    ],
)
def test_a_bad_overrides_file_is_refused_clearly(tmp_path, text, message):
    path = tmp_path / "o.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CalendarDataError, match=message):
        load_national_overrides(path)


def test_removing_a_day_that_is_not_a_bank_holiday_is_refused():
    wrong = NationalOverrides(removed=((D(2026, 7, 14), "not a holiday"),))
    with pytest.raises(CalendarDataError, match="not a bank holiday"):
        WorkingDayCalendar(overrides=wrong)
