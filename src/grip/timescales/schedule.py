"""Occurrences of a rule, their due dates and statuses, computed for every clock at once.

For one clock (a start record) with stop events s1 < s2 < ... < sk inside its span:

* occurrence 1 is due `first` after the start, and met by s1;
* occurrence j+1 is due its interval after sj (the previous stop event actually held: reviews
  and visits are due from the last one, not from the last due date), and met by s(j+1);
* a repeating rule always has one more occurrence, due after sk and not yet met; a one-off rule
  has only occurrence 1.

So every due date depends on recorded dates only, and all of them are computed with numpy in a
few vector operations per rule: no loop over children.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from grip.core.calendar import WorkingDayCalendar

from .columns import DayArray, local_days
from .events import Frame
from .rules import UNITS, Interval, Phase, Rule

NOT_YET_DUE, DUE_SOON, OVERDUE, MET_ON_TIME, MET_LATE = range(5)
STATUSES = ("not_yet_due", "due_soon", "overdue", "met_on_time", "met_late")
NAT = np.datetime64("NaT", "D")
DAY_SHIFT = 1 << 17  # room for any day number from 1970 to 2328 beside a record id in one int64
Ints = npt.NDArray[np.int64]


def add_months_array(days: Any, months: Any) -> DayArray:
    """``grip.core.calendar.add_months`` element-wise: calendar months, clamped to the month end."""
    days = np.asarray(days, dtype="datetime64[D]")
    month = days.astype("datetime64[M]")
    day_of_month = days - month.astype("datetime64[D]")
    target = month + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    last_day = (target + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    return np.minimum(target.astype("datetime64[D]") + day_of_month, last_day)


def add_interval(days: DayArray, amounts: Any, unit: str, cal: WorkingDayCalendar) -> DayArray:
    """`days` plus `amounts` of a calendar `unit` (not hours), element-wise."""
    amounts = np.asarray(amounts, dtype=np.int64)
    if unit == "working_days":
        return cal.add_working_days_array(days, amounts)
    if unit == "calendar_days":
        return days + amounts.astype("timedelta64[D]")
    if unit == "weeks":
        return days + (7 * amounts).astype("timedelta64[D]")
    if unit == "months":
        return add_months_array(days, amounts)
    raise ValueError(f"{unit} is not a calendar unit")


def is_in(values: np.ndarray, allowed: frozenset[Any]) -> npt.NDArray[np.bool_]:
    """Element-wise `value in allowed`, for a column of codes (strings) or flags (bools)."""
    if values.dtype == bool:
        return np.isin(values, [bool(v) for v in allowed if isinstance(v, bool)])
    return np.isin(values, np.array(sorted(str(v) for v in allowed if not isinstance(v, bool)), dtype=str))


def matches_any(frame: Frame, tables: tuple[Mapping[str, frozenset[Any]], ...]) -> npt.NDArray[np.bool_]:
    """Rows of `frame` that match at least one table (all its fields)."""
    result = np.zeros(len(frame), dtype=bool)
    for table in tables:
        row = np.ones(len(frame), dtype=bool)
        for name, allowed in table.items():
            row &= is_in(frame.attrs[name], allowed)
        result |= row
    return result


def _day_numbers(days: DayArray) -> Ints:
    return days.astype("datetime64[D]").astype(np.int64)


@dataclass
class Occurrences:
    """One row per occurrence kept: arrays aligned with each other."""

    instance: Ints  # row of the starts frame
    number: Ints  # 1, 2, ...
    anchor: DayArray  # what the deadline was counted from: the start, then the previous stop
    due: DayArray
    due_at: Ints | None  # epoch seconds, for rules in hours
    met: DayArray  # NaT when not met by `on`
    met_at: Ints | None
    status: Ints
    days_over: Ints
    unit: npt.NDArray[np.int8]  # the interval's unit (index into UNITS): what days_over is counted in

    def __len__(self) -> int:
        return len(self.instance)

    def take(self, index: np.ndarray) -> Occurrences:
        return Occurrences(
            instance=self.instance[index],
            number=self.number[index],
            anchor=self.anchor[index],
            due=self.due[index],
            due_at=None if self.due_at is None else self.due_at[index],
            met=self.met[index],
            met_at=None if self.met_at is None else self.met_at[index],
            status=self.status[index],
            days_over=self.days_over[index],
            unit=self.unit[index],
        )


class StopIndex:
    """Stop events sorted by (link key, day), one per key and day (the earliest time kept), so
    that the stops of a clock between two days are a slice found by binary search."""

    def __init__(self, keys: Ints, frame: Frame) -> None:
        keep = keys >= 0
        keys, days = keys[keep], _day_numbers(frame.day[keep])
        at = frame.at[keep] if frame.at is not None else np.zeros(len(keys), dtype=np.int64)
        order = np.lexsort((at, days, keys))
        keys, days, at = keys[order], days[order], at[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = (keys[1:] != keys[:-1]) | (days[1:] != days[:-1])
        self.combined = keys[first] * DAY_SHIFT + days[first]
        # One spare element so that clipped look-ups into an empty index still work.
        self.day = np.append(days[first], 0).astype("datetime64[D]")
        self.at = np.append(at[first], 0)
        self.has_time = frame.at is not None

    def ranges(self, keys: Ints, lower: Ints, upper: Ints) -> tuple[Ints, Ints]:
        """For each clock, the slice [lo, hi) of its stops with lower <= day <= upper."""
        lo = np.searchsorted(self.combined, keys * DAY_SHIFT + lower, side="left")
        hi = np.searchsorted(self.combined, keys * DAY_SHIFT + upper, side="right")
        hi = np.where((keys < 0) | (upper < lower), lo, hi)
        return lo, hi


def occurrences(
    rule: Rule,
    starts: Frame,
    stops: Frame,
    *,
    on: date,
    window_start: date,
    cal: WorkingDayCalendar,
    due_soon_working_days: int,
    firsts: Mapping[str, Frame],
    frequencies: Frame | None = None,
) -> Occurrences:
    """Every occurrence of `rule` for the clocks in `starts` (already narrowed to the rule), with
    status as at `on`; occurrences met before `window_start`, and those of a span that ended
    unmet (no longer anyone's to do), are left out. `frequencies`: the owners' own intervals
    (the rule's `frequency_from`), which replace the rule's while in force."""
    on_day = np.datetime64(on, "D")
    owner_link = rule.link in ("child", "worker")
    start_keys = starts.owner if owner_link else starts.links[rule.link]
    stop_keys = stops.owner if owner_link else stops.links[rule.link]
    index = StopIndex(stop_keys, stops)

    start_days = _day_numbers(starts.day)
    lower = start_days
    if rule.met_before_start:
        lower = _previous_span_end(starts) if owner_link else np.zeros_like(start_days)
    upper = np.where(np.isnat(starts.until), _day_numbers(np.array([on_day]))[0], _day_numbers(starts.until))
    lo, hi = index.ranges(start_keys, lower, upper)
    found = hi - lo
    per_clock = found + 1 if rule.repeats else np.ones(len(starts), dtype=np.int64)

    instance = np.repeat(np.arange(len(starts)), per_clock)
    offsets = np.cumsum(per_clock) - per_clock
    j = np.arange(len(instance)) - np.repeat(offsets, per_clock)  # 0-based occurrence
    met_here = j < found[instance]
    met_pos = np.where(met_here, lo[instance] + j, len(index.day) - 1)
    met = np.where(met_here, index.day[met_pos], NAT)
    prev_pos = np.clip(lo[instance] + j - 1, 0, len(index.day) - 1)
    anchor = np.where(j == 0, starts.day[instance], index.day[prev_pos])

    amount, unit = _intervals(rule, starts, instance, j, anchor, firsts, cal)
    if frequencies is not None and len(frequencies):
        _own_frequencies(frequencies, starts.owner[instance], np.where(met_here, met, on_day), amount, unit)
    due = np.full(len(instance), NAT)
    due_at = met_at = None
    for code, name in enumerate(UNITS):
        chosen = unit == code
        if not chosen.any() or name == "hours":
            continue
        due[chosen] = add_interval(anchor[chosen], amount[chosen], name, cal)
    if (unit == UNITS.index("hours")).any():  # one-off rules with a start and stop time (checked on load)
        assert starts.at is not None
        due_at = starts.at[instance] + amount * 3600
        due = local_days(due_at)
        met_at = np.where(met_here, index.at[met_pos], 0)

    is_met = ~np.isnat(met)
    if met_at is not None and due_at is not None:
        on_time = is_met & (met_at <= due_at)
        late_days = np.ceil((met_at - due_at) / 86400).astype(np.int64)
    else:
        on_time = is_met & (met <= due)
        late_days = (met - due).astype(np.int64)
    late = is_met & ~on_time
    overdue = ~is_met & (on_day > due)
    waiting = ~is_met & ~overdue
    soon = np.zeros(len(instance), dtype=bool)
    if waiting.any():
        soon[waiting] = cal.working_days_between_array(on_day, due[waiting]) <= due_soon_working_days
    status = np.select([on_time, late, overdue, soon], [MET_ON_TIME, MET_LATE, OVERDUE, DUE_SOON], NOT_YET_DUE)
    days_over = np.where(late, late_days, np.where(overdue, (on_day - due).astype(np.int64), 0))
    # Days over in the occurrence's own unit: working days for a deadline in working days.
    in_working_days = (unit == UNITS.index("working_days")) & (late | overdue)
    if in_working_days.any():
        until = np.where(late, met, on_day)[in_working_days]
        days_over[in_working_days] = cal.working_days_between_array(due[in_working_days], until)

    span_ended = ~np.isnat(starts.until[instance])
    keep = ~((~is_met & span_ended) | (is_met & (met < np.datetime64(window_start, "D"))))
    return Occurrences(
        instance=instance[keep],
        number=j[keep] + 1,
        anchor=anchor[keep],
        due=due[keep],
        due_at=None if due_at is None else due_at[keep],
        met=met[keep],
        met_at=None if met_at is None or due_at is None else np.where(is_met, met_at, 0)[keep],
        status=status[keep],
        days_over=days_over[keep],
        unit=unit[keep],
    )


def _previous_span_end(starts: Frame) -> Ints:
    """For each clock, the day after the end of the same owner's previous span (or day 0)."""
    if starts.previous_end is not None:
        return np.where(np.isnat(starts.previous_end), 0, _day_numbers(starts.previous_end) + 1)
    order = np.lexsort((starts.day, starts.owner))
    owner, until = starts.owner[order], starts.until[order]
    lower_sorted = np.zeros(len(order), dtype=np.int64)
    same = owner[1:] == owner[:-1]
    previous_end = np.where(np.isnat(until[:-1]), 0, _day_numbers(until[:-1]) + 1)
    lower_sorted[1:] = np.where(same, previous_end, 0)
    lower = np.empty_like(lower_sorted)
    lower[order] = lower_sorted
    return lower


def _intervals(
    rule: Rule,
    starts: Frame,
    instance: Ints,
    j: Ints,
    anchor: DayArray,
    firsts: Mapping[str, Frame],
    cal: WorkingDayCalendar,
) -> tuple[Ints, npt.NDArray[np.int8]]:
    """The interval (amount, unit code) of each occurrence: `first`, then `then` by position,
    then the first repeat phase whose condition holds at the previous stop event."""
    amount = np.zeros(len(instance), dtype=np.int64)
    unit = np.zeros(len(instance), dtype=np.int8)

    def assign(chosen: npt.NDArray[np.bool_], interval: Interval) -> None:
        amount[chosen] = interval.amount
        unit[chosen] = UNITS.index(interval.unit)

    assign(j == 0, rule.first)
    for position, interval in enumerate(rule.then, start=1):
        assign(j == position, interval)
    remaining = j > len(rule.then)
    if rule.repeats:
        remaining &= j > 0
        for phase in rule.repeat:
            chosen = remaining & _holds(phase, starts, instance, anchor, firsts, cal)
            assign(chosen, phase.interval)
            remaining &= ~chosen
    return amount, unit


def _own_frequencies(frequencies: Frame, owner: Ints, day: DayArray, amount: Ints, unit: npt.NDArray[np.int8]) -> None:
    """An owner's own interval replaces the rule's for an occurrence when it is in force on `day`:
    the day the occurrence was met, or, for one not yet met, the day asked about (so a frequency
    set today applies at once to what is outstanding, and a met one is judged by the frequency of
    its day). At most one is in force per owner on a day (a database constraint)."""
    for who, begins, ends, own_amount, own_unit in zip(
        frequencies.owner,
        frequencies.day,
        frequencies.until,
        frequencies.attrs["amount"],
        frequencies.attrs["unit"],
        strict=True,
    ):
        chosen = (owner == who) & (day >= begins)
        if not np.isnat(ends):
            chosen &= day < ends
        amount[chosen] = int(own_amount)
        unit[chosen] = UNITS.index(str(own_unit))


def _holds(
    phase: Phase,
    starts: Frame,
    instance: Ints,
    anchor: DayArray,
    firsts: Mapping[str, Frame],
    cal: WorkingDayCalendar,
) -> npt.NDArray[np.bool_]:
    holds = np.ones(len(instance), dtype=bool)
    start_day = starts.day[instance]
    if phase.within is not None:
        limit = add_interval(start_day, phase.within.amount, phase.within.unit, cal)
        holds &= anchor < limit
    if phase.age_under is not None:
        assert starts.birth is not None
        birth = starts.birth[instance]
        holds &= ~np.isnat(birth) & (anchor < add_months_array(birth, 12 * phase.age_under))
    if phase.before_first is not None:
        first = _first_event_after(firsts[phase.before_first], starts)[instance]
        holds &= np.isnat(first) | (anchor < first)
    for name, allowed in phase.attributes.items():
        holds &= is_in(_in_force(starts, name, instance, anchor), allowed)
    return holds


def _in_force(starts: Frame, name: str, instance: Ints, anchor: DayArray) -> np.ndarray:
    """Each occurrence's code `name` as it stood on its anchor day (the previous visit): from the
    span's episode in force then, when the span is made of several; otherwise the start's."""
    values = starts.attrs[name][instance]
    parts = starts.parts
    if parts is None or not len(parts) or not len(instance):
        return values
    keys = starts.id[instance]
    combined = parts.id * DAY_SHIFT + _day_numbers(parts.day)
    at = np.searchsorted(combined, keys * DAY_SHIFT + _day_numbers(anchor), side="right") - 1
    found = (at >= 0) & (parts.id[np.maximum(at, 0)] == keys)
    return np.where(found, parts.attrs[name][np.maximum(at, 0)], values)


def _first_event_after(events: Frame, starts: Frame) -> DayArray:
    """For each clock, the first of `events` of the same owner on or after its start."""
    index = StopIndex(events.owner, events)
    start_days = _day_numbers(starts.day)
    lo, _ = index.ranges(starts.owner, start_days, start_days)
    same_owner = (lo < len(index.combined)) & (
        np.take(index.combined, np.minimum(lo, len(index.combined) - 1), mode="clip") // DAY_SHIFT == starts.owner
        if len(index.combined)
        else np.zeros(len(starts), dtype=bool)
    )
    return np.where(same_owner, index.day[np.minimum(lo, len(index.day) - 1)], NAT)


def stopped_at_first(starts: Frame, events: Frame) -> DayArray:
    """Each clock's span, ended at the first of `events` of the same owner on or after its start
    (a rule's `until_first`: weekly visits to a child placed for adoption until the first review)."""
    first = _first_event_after(events, starts)
    earlier = ~np.isnat(first) & (np.isnat(starts.until) | (first < starts.until))
    return np.where(earlier, first, starts.until)


def aged_at_least(starts: Frame, years: int) -> npt.NDArray[np.bool_]:
    """Clocks whose child was at least `years` old on the day the clock started (a rule's `age_from`)."""
    assert starts.birth is not None
    birthday = add_months_array(starts.birth, np.full(len(starts), 12 * years))
    return ~np.isnat(starts.birth) & (birthday <= starts.day)


def during(starts: Frame, first_due: DayArray, spans: Frame) -> npt.NDArray[np.bool_]:
    """Clocks of an owner with one of `spans` begun by the clock's first deadline and not ended
    before the clock started (a rule's `except_during`: a child in care proceedings when the care
    plan falls due is one to whom Children Act 1989 s31A applies)."""
    result = np.zeros(len(starts), dtype=bool)
    for begun, ended, owner in zip(spans.day, spans.until, spans.owner, strict=True):
        overlaps = (starts.owner == owner) & (begun <= first_due)
        if not np.isnat(ended):
            overlaps &= ended >= starts.day
        result |= overlaps
    return result
