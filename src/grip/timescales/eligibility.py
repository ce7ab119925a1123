"""The day a looked-after child becomes an "eligible child", from their SSDA903 episodes.

Children Act 1989, Schedule 2 paragraph 19B(2): an eligible child is aged 16 or 17 and has been
looked after "for a prescribed period, or periods amounting in all to the prescribed period, which
began after he reached a prescribed age and ended after he reached the age of sixteen". The Care
Planning, Placement and Case Review (England) Regulations 2010, reg 40(1), prescribe 13 weeks and the
age of 14; reg 40(2) excludes a child in a series of short breaks (reg 48: legal status V3, V4),
whose short-break episodes are not counted here. Only a child who is looked after is an eligible
child (one who has left care is a relevant child), so the day is the first day on which the child:

* is 16 (and not yet 18),
* is looked after, in an episode that is not a short break, and
* has been looked after for 13 weeks in all since their 14th birthday (episodes before it count
  from the birthday).

That day starts the clock of reg 42(1) (needs assessment within three months of reaching 16 or of
becoming eligible after that age). The clock's span is the period of care it falls in, and ends
at 18: a child who leaves care or turns 18 first is no longer an eligible child.
"""

from __future__ import annotations

import numpy as np

from .columns import NAT, DayArray
from .events import NEW_EPISODE_SAME_DAY, Frame
from .schedule import add_months_array

PRESCRIBED_DAYS = 13 * 7  # CPPCR 2010 reg 40(1): 13 weeks
PRESCRIBED_AGE = 14  # CPPCR 2010 reg 40(1)
ELIGIBLE_FROM, ELIGIBLE_UNTIL = 16, 18  # Children Act 1989 Sch 2 para 19B(2)(a): aged 16 or 17
SHORT_BREAKS = ("V3", "V4")  # SSDA903 legal status: CPPCR 2010 reg 48, excluded by reg 40(2)


def eligible_children(episodes: Frame, rec: np.ndarray, *, on: np.datetime64) -> Frame:
    """One row per child who is an eligible child by `on`: the episode in which they became one,
    with `day` the day they did and `until` the end of that period of care (or the day before
    their 18th birthday), NaT while it goes on at `on`. `episodes` are sorted by child and start,
    as at `on` (an `until` after `on` is already NaT)."""
    n = len(episodes)
    if n == 0 or episodes.birth is None:
        return episodes.take(np.zeros(0, dtype=np.int64))
    birth = episodes.birth
    from_14 = add_months_array(birth, 12 * PRESCRIBED_AGE)
    from_16 = add_months_array(birth, 12 * ELIGIBLE_FROM)
    until_18 = add_months_array(birth, 12 * ELIGIBLE_UNTIL)
    short_break = np.isin(episodes.attrs["legal_status"], SHORT_BREAKS)
    end = np.where(np.isnat(episodes.until), on + np.timedelta64(1, "D"), episodes.until)
    counted_from = np.maximum(episodes.day, from_14)
    counted = (end - counted_from).astype(np.int64)
    days = np.where(short_break | np.isnat(birth) | (counted < 0), 0, counted)

    rows: list[int] = []
    days_found: list[np.datetime64] = []
    ends: list[np.datetime64] = []
    owner = episodes.owner
    start = 0
    while start < n:
        stop = start + 1
        while stop < n and owner[stop] == owner[start]:
            stop += 1
        found = _first_eligible_day(
            episodes.day, counted_from, days, end, short_break, from_16, until_18, start, stop, on
        )
        if found is not None:
            row, day = found
            rows.append(row)
            days_found.append(day)
            ends.append(_span_end(episodes, rec, row, stop, until_18[row], on))
        start = stop
    eligible = episodes.take(np.array(rows, dtype=np.int64))
    eligible.day = np.array(days_found, dtype="datetime64[D]")
    eligible.until = np.array(ends, dtype="datetime64[D]")
    # met_before_start: a needs assessment from the 14th birthday on counts (one made ahead of 16).
    eligible.previous_end = from_14[rows] - np.timedelta64(1, "D") if rows else np.zeros(0, dtype="datetime64[D]")
    return eligible


def _first_eligible_day(
    started: DayArray,
    counted_from: DayArray,
    days: np.ndarray,
    end: DayArray,
    short_break: np.ndarray,
    from_16: DayArray,
    until_18: DayArray,
    first: int,
    stop: int,
    on: np.datetime64,
) -> tuple[int, np.datetime64] | None:
    total = 0
    reached: np.datetime64 | None = None
    for i in range(first, stop):
        if np.isnat(from_16[i]):
            return None
        if reached is None and total + days[i] >= PRESCRIBED_DAYS:
            reached = counted_from[i] + np.timedelta64(PRESCRIBED_DAYS - total, "D")
        total += days[i]
        if reached is None or short_break[i]:
            continue
        day = max(reached, from_16[i], started[i])
        if day < end[i] and day < until_18[i] and day <= on:
            return i, day
    return None


def _span_end(
    episodes: Frame, rec: np.ndarray, row: int, stop: int, until_18: np.datetime64, on: np.datetime64
) -> np.datetime64:
    """The end of the period of care that `row` is in (episodes that follow on the same day), or
    the day the child turns 18 if that comes first; NaT while neither has happened by `on`."""
    i = row
    while i + 1 < stop and not np.isnat(episodes.until[i]) and episodes.day[i + 1] == episodes.until[i]:
        i += 1
    care_ends = episodes.until[i]
    if not np.isnat(care_ends) and rec[i] == NEW_EPISODE_SAME_DAY and i + 1 == stop:
        care_ends = NAT  # the next episode is not recorded yet: the care goes on
    ends = until_18 if np.isnat(care_ends) else min(care_ends, until_18)
    return ends if ends <= on else NAT
