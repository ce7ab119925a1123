"""Properties of the schedule arithmetic, for any dates (no database: the engine's maths alone).

The as-at reading the engine does in its queries (no record dated after `on`) is done here by
handing `occurrences` only the stop events on or before `on`.
"""

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from grip.core.calendar import add_months, england_calendar
from grip.timescales.events import Frame
from grip.timescales.rules import rule_book
from grip.timescales.schedule import add_months_array, occurrences

CAL = england_calendar()
DAYS = st.dates(min_value=date(2001, 1, 1), max_value=date(2040, 12, 31))
WORKING_DAY_RULES = [r.key for r in rule_book().rules if r.first.unit == "working_days" and not r.repeats]
REPEATING_RULES = ["cp_visit", "cp_review", "looked_after_review", "looked_after_visit", "cin_plan_review"]


def column(values, dtype):
    return np.array(values, dtype=dtype)


def clock(start: date, *, link: str, placement: str = "U4") -> Frame:
    return Frame(
        id=column([7], np.int64),
        owner=column([1], np.int64),
        day=column([start], "datetime64[D]"),
        until=column(["NaT"], "datetime64[D]"),
        birth=column([start - timedelta(days=3000)], "datetime64[D]"),
        links={link: column([1], np.int64)},
        attrs={"placement_type": column([placement], object), "legal_status": column(["C2"], object)},
    )


def stop_events(days: list[date], *, link: str) -> Frame:
    n = len(days)
    return Frame(
        id=np.arange(n, dtype=np.int64),
        owner=np.ones(n, dtype=np.int64),
        day=column(days, "datetime64[D]"),
        until=np.full(n, np.datetime64("NaT", "D")),
        links={link: np.ones(n, dtype=np.int64)},
        attrs={},
    )


def run(key: str, start: date, stops: list[date], on: date):
    rule = rule_book().get(key)
    seen = sorted(d for d in stops if d <= on)
    occ = occurrences(
        rule,
        clock(start, link=rule.link),
        stop_events(seen, link=rule.link),
        on=on,
        window_start=start,
        cal=CAL,
        due_soon_working_days=5,
        firsts={},
    )
    rows = {}
    for i in range(len(occ)):
        met = occ.met[i]
        rows[int(occ.number[i])] = (
            occ.due[i].astype(date),
            None if np.isnat(met) else met.astype(date),
            ["not_yet_due", "due_soon", "overdue", "met_on_time", "met_late"][occ.status[i]],
            int(occ.days_over[i]),
        )
    return rows


@given(DAYS, st.integers(min_value=-30, max_value=60))
def test_add_months_array_is_add_months_element_wise(day, months):
    assert add_months_array([day], months)[0].astype(date) == add_months(day, months)


@given(st.sampled_from(WORKING_DAY_RULES), DAYS)
def test_a_working_day_deadline_is_always_a_working_day_the_right_count_away(key, start):
    rule = rule_book().get(key)

    [(due, _, _, _)] = run(key, start, [], start).values()

    assert CAL.is_working_day(due)
    assert due == CAL.add_working_days(start, rule.first.amount)
    assert CAL.working_days_between(start, due) == rule.first.amount


def scenario():
    return st.tuples(
        st.sampled_from(REPEATING_RULES),
        DAYS,
        st.lists(st.integers(min_value=0, max_value=700), max_size=12),
        st.integers(min_value=0, max_value=800),
        st.integers(min_value=0, max_value=400),
    )


@settings(max_examples=300)
@given(scenario())
def test_status_follows_from_the_dates(case):
    key, start, offsets, on_offset, _ = case
    stops = sorted({start + timedelta(days=d) for d in offsets})
    on = start + timedelta(days=on_offset)

    rows = run(key, start, stops, on)
    rule = rule_book().get(key)

    def over(number: int, due: date, later: date) -> int:  # days over in the occurrence's own unit
        later_units = [i.unit for i in rule.then] + [rule.repeat[0].interval.unit]
        unit = rule.first.unit if number == 1 else later_units[min(number - 2, len(later_units) - 1)]
        return max(0, CAL.working_days_between(due, later) if unit == "working_days" else (later - due).days)

    assert len(rows) == len([d for d in stops if d <= on]) + 1  # each stop meets one; one more is next
    for number, (due, met, status, days_over) in rows.items():
        if met is not None:
            assert met <= on
            assert status == ("met_on_time" if met <= due else "met_late")
            assert days_over == over(number, due, met)
        else:
            # Overdue if and only if `on` is past the due date and it was not met by `on`.
            assert (status == "overdue") == (on > due)
            if on <= due:
                soon = CAL.working_days_between(on, due) <= 5
                assert status == ("due_soon" if soon else "not_yet_due")
            assert days_over == over(number, due, on)


@settings(max_examples=300)
@given(scenario())
def test_once_met_an_obligation_stays_met_with_the_same_dates(case):
    key, start, offsets, on_offset, later = case
    stops = sorted({start + timedelta(days=d) for d in offsets})
    on = start + timedelta(days=on_offset)

    before, after = run(key, start, stops, on), run(key, start, stops, on + timedelta(days=later))

    for number, (due, met, status, days_over) in before.items():
        if met is not None:
            assert after[number] == (due, met, status, days_over)
        else:
            assert after[number][0] == due  # the deadline does not move while it waits
            if status == "overdue":  # an overdue obligation stays overdue until met, and then late
                assert after[number][2] in ("overdue", "met_late")


@settings(max_examples=200)
@given(scenario())
def test_each_later_deadline_is_counted_from_the_stop_that_met_the_one_before(case):
    key, start, offsets, on_offset, _ = case
    rule = rule_book().get(key)
    stops = sorted({start + timedelta(days=d) for d in offsets})
    on = start + timedelta(days=on_offset)

    rows = run(key, start, stops, on)

    for number in range(2, len(rows) + 1):
        previous_met = rows[number - 1][1]
        due = rows[number][0]
        assert previous_met is not None and due > previous_met
        if rule.repeat_same and rule.first.unit == "working_days":
            assert CAL.working_days_between(previous_met, due) == rule.first.amount
