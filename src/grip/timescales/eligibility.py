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
    with `day` the day they did and `until` the end of that period of care (or their 18th
    birthday), NaT while it goes on at `on`. `episodes` are sorted by child and start, as at `on`
    (an `until` after `on` is already NaT)."""
    none = episodes.take(np.zeros(0, dtype=np.int64))
    if len(episodes) == 0 or episodes.birth is None:
        return none
    birth = episodes.birth
    from_16 = add_months_array(birth, 12 * ELIGIBLE_FROM)
    until_18 = add_months_array(birth, 12 * ELIGIBLE_UNTIL)
    short_break = np.isin(episodes.attrs["legal_status"], SHORT_BREAKS)
    open_end = on + np.timedelta64(1, "D")
    end = np.where(np.isnat(episodes.until), open_end, episodes.until)
    # Only a child looked after (not on a short break) at some time aged 16 or 17 can be eligible:
    # the loop below reads every episode of those children, and of no others.
    while_16_17 = ~np.isnat(birth) & ~short_break & (end > from_16) & (episodes.day < until_18)
    keep = np.flatnonzero(np.isin(episodes.owner, episodes.owner[while_16_17]))
    if len(keep) == 0:
        return none
    episodes, rec = episodes.take(keep), rec[keep]
    from_14 = add_months_array(episodes.birth, 12 * PRESCRIBED_AGE)
    from_16, until_18, short_break = from_16[keep], until_18[keep], short_break[keep]

    # Plain day numbers for the loop over each child's episodes.
    def numbers(days: DayArray) -> list[int]:
        return days.astype("datetime64[D]").astype(np.int64).tolist()

    started, ended = numbers(episodes.day), numbers(np.where(np.isnat(episodes.until), open_end, episodes.until))
    counted_from = numbers(np.maximum(episodes.day, from_14))
    sixteen, eighteen, today = numbers(from_16), numbers(until_18), int(on.astype(np.int64))
    owner, breaks, ceased_x1 = episodes.owner.tolist(), short_break.tolist(), (rec == NEW_EPISODE_SAME_DAY).tolist()
    open_ended = np.isnat(episodes.until).tolist()

    rows: list[int] = []
    days_found: list[int] = []
    ends: list[int | None] = []
    first, n = 0, len(owner)
    while first < n:
        stop = first
        while stop < n and owner[stop] == owner[first]:
            stop += 1
        total, reached = 0, None
        for i in range(first, stop):
            length = 0 if breaks[i] else max(0, ended[i] - counted_from[i])
            if reached is None and total + length >= PRESCRIBED_DAYS:
                reached = counted_from[i] + PRESCRIBED_DAYS - total
            total += length
            if reached is None or breaks[i]:
                continue
            day = max(reached, sixteen[i], started[i])
            if day < ended[i] and day < eighteen[i] and day <= today:
                rows.append(i)
                days_found.append(day)
                ends.append(_span_end(i, stop, started, ended, open_ended, ceased_x1, eighteen[i], today))
                break
        first = stop
    eligible = episodes.take(np.array(rows, dtype=np.int64))
    eligible.day = np.array(days_found, dtype=np.int64).astype("datetime64[D]")
    eligible.until = np.array([NAT if e is None else np.datetime64(e, "D") for e in ends], dtype="datetime64[D]")
    # met_before_start: a needs assessment from the 14th birthday on counts (one made ahead of 16).
    eligible.previous_end = from_14[rows] - np.timedelta64(1, "D")
    return eligible


def _span_end(
    i: int,
    stop: int,
    started: list[int],
    ended: list[int],
    open_ended: list[bool],
    ceased_x1: list[bool],
    eighteen: int,
    today: int,
) -> int | None:
    """The end of the period of care that episode `i` is in (episodes that follow on the same
    day), or the 18th birthday if that comes first; None while neither has happened by `today`."""
    while i + 1 < stop and not open_ended[i] and started[i + 1] == ended[i]:
        i += 1
    care_ends = None if open_ended[i] or (ceased_x1[i] and i + 1 == stop) else ended[i]  # X1: care goes on
    ends = eighteen if care_ends is None else min(care_ends, eighteen)
    return ends if ends <= today else None
